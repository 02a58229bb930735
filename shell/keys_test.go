package shell

import "testing"

// Keys are split so that go-prompt sees one key per read: pasted text with
// Enters must not arrive as one literal string.
func TestKeyLen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"ls /\rget /x\r", 4},
		{"\rget", 1},
		{"\x1b[A\x1b[B", 3}, // Up, then Down
		{"\x1b[3~x", 4},     // Delete
		{"\x1b[1;5Cx", 6},   // Ctrl-Right
		{"\x1bOHx", 3},      // Home (SS3)
		{"\x1bbx", 2},       // Alt-b
		{"\x1b", 1},         // Escape alone
		{"\x03abc", 1},      // Ctrl-C
		{"\x7f\x7f", 1},     // Backspace
		{"héllo\r", 6},      // UTF-8 text stays whole
		{"ab\xc3", 2},       // a rune cut by the read waits for its end
		{"\xc3", 0},
	} {
		if got := keyLen([]byte(tc.in)); got != tc.want {
			t.Errorf("keyLen(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestSecretLines(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"addauth digest bob:pw", true},
		{"  addauth digest bob:pw", true},
		{"get --auth digest:bob:pw /x", true},
		{"get --auth=digest:bob:pw /x", true},
		{"get /addauth", false},
		{"create /x addauth", false},
		{"ls /", false},
	} {
		if got := secret(tc.line); got != tc.want {
			t.Errorf("secret(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestHistoryFileCap(t *testing.T) {
	h := historyFile{path: t.TempDir() + "/zkc/history"}
	for i := 0; i < historyCap+5; i++ {
		h.add("ls /" + string(rune('a'+i%26)))
	}
	h.add("addauth digest bob:pw")
	lines, _ := h.load()
	if len(lines) != historyCap {
		t.Fatalf("loaded %d lines, want the cap %d", len(lines), historyCap)
	}
	if again, _ := h.load(); len(again) != historyCap || again[0] != lines[0] {
		t.Errorf("file not trimmed to the cap on load")
	}
	for _, l := range lines {
		if secret(l) {
			t.Errorf("secret line in history: %q", l)
		}
	}
}
