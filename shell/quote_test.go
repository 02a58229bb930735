package shell

import (
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/completion"
)

// Every candidate the completion writes reads back through the tokenizer
// as the same path, whatever quote the user opened.
func TestCompletionQuoteRoundTrip(t *testing.T) {
	names := []string{"/plain", "/sp ace", "/it's", `/say "hi"`, "/naïve 节", "/tab\there", "/a'b c",
		`/both ' and " here`, "/ü", "'/leading", `"/dq`, "/x\x1by", "/trailing ", "/ lead"}
	for _, n := range names {
		for _, q := range []byte{0, '"', '\''} {
			w, ok := completion.Quote(n, q)
			cannot := strings.ContainsAny(n, "\t\x1b") || (strings.ContainsAny(n, " ") && strings.Contains(n, `"`) && strings.Contains(n, "'"))
			if !ok {
				if !cannot {
					t.Errorf("Quote(%q, %q) found no form", n, q)
				}
				continue
			}
			if cannot {
				t.Errorf("Quote(%q, %q) = %q, but no form should exist", n, q, w)
			}
			if got := Tokenize("get " + w); len(got) != 2 || got[1] != n {
				t.Errorf("Quote(%q, %q) = %q, which reads back as %q", n, q, w, got)
			}
		}
	}
}

// Readline's words: letters and digits; Ctrl-W's: up to a blank.
func TestWordMotions(t *testing.T) {
	line := []rune("get /deep/alpha x")
	for _, tc := range []struct {
		name     string
		fn       func([]rune, int) int
		from, to int
	}{
		{"Alt-b from the end", wordLeft, 17, 16},
		{"Alt-b from x", wordLeft, 16, 10},
		{"Alt-b from alpha", wordLeft, 10, 5},
		{"Alt-f from the start", wordRight, 0, 3},
		{"Alt-f from /", wordRight, 4, 9},
		{"Ctrl-W from alpha's end", spaceWordLeft, 15, 4},
		{"Ctrl-W over blanks", spaceWordLeft, 16, 4},
	} {
		if got := tc.fn(line, tc.from); got != tc.to {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.to)
		}
	}
}

// Keys go-prompt would insert as text are swallowed; text loses C1
// controls and invalid UTF-8.
func TestUnknownKeysSwallowed(t *testing.T) {
	e := newLineEditor(nil)
	for _, k := range []string{"\x1b[1;9X", "\x1bz", "\x1b[200~", "\x1b[24;2~", "\x1bO5P", "\x00", string(keySetLine)} {
		if out, _ := e.keys([]byte(k)); len(out) != 0 {
			t.Errorf("key %q reaches go-prompt as %q", k, out)
		}
	}
	if out, _ := e.keys([]byte("a\u0085b\xffc")); len(out) != 1 || string(out[0]) != "abc" {
		t.Errorf("text with controls became %q", out)
	}
	if out, _ := e.keys([]byte("\x1b[A")); len(out) != 1 || string(out[0]) != "\x1b[A" {
		t.Errorf("Up became %q", out)
	}
}

// Esc and a key typed apart make the Alt key; Esc then Enter is Enter.
func TestEscPrefix(t *testing.T) {
	e := newLineEditor(nil)
	e.setLine("get /a/b", 8)
	if out, _ := e.keys([]byte{0x1b}); len(out) != 0 {
		t.Fatalf("a lone Esc gave %q", out)
	}
	if out, _ := e.keys([]byte("b")); len(out) != 1 || string(out[0]) != string(keySetLine) || e.edits[0].cur != 7 {
		t.Errorf("Esc b: %q, edits %v; want the cursor at 7", out, e.edits)
	}
	e.keys([]byte{0x1b})
	if out, _ := e.keys([]byte("\r")); len(out) != 1 || string(out[0]) != "\r" {
		t.Errorf("Esc Enter gave %q, want Enter", out)
	}
}

// Left and Right step over a letter and its combining marks together.
func TestArrowsOverCombiningMarks(t *testing.T) {
	e := newLineEditor(nil)
	line := "ab\u0301\u0302c" // a, b with two marks, c
	e.setLine(line, 4)        // before c
	if out, _ := e.keys([]byte("\x1b[D")); len(out) != 1 || e.edits[len(e.edits)-1].cur != 1 {
		t.Errorf("Left from before c: %q, cursor %d; want 1", out, e.edits[len(e.edits)-1].cur)
	}
	e.setLine(line, 1) // before b
	if out, _ := e.keys([]byte{0x06}); len(out) != 1 || e.edits[len(e.edits)-1].cur != 4 {
		t.Errorf("Ctrl-F from before b: %q, cursor %d; want 4", out, e.edits[len(e.edits)-1].cur)
	}
	e.setLine(line, 0) // before a: go-prompt moves
	if out, _ := e.keys([]byte("\x1b[C")); len(out) != 1 || string(out[0]) != "\x1b[C" {
		t.Errorf("Right from before a became %q", out)
	}
}
