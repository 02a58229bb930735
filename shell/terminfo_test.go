package shell

import "testing"

// The terminal check reads this machine's terminfo: xterm positions its
// cursor, dumb does not.
func TestCanPositionCursor(t *testing.T) {
	env := func(term string) func(string) string {
		return func(k string) string {
			if k == "TERM" {
				return term
			}
			return ""
		}
	}
	for _, tc := range []struct {
		term string
		want bool
	}{
		{"xterm", true}, {"xterm-256color", true}, {"screen", true}, {"dumb", false}, {"", false},
		{"no-such-terminal-zkc", true},
	} {
		if got := canPositionCursor(env(tc.term)); got != tc.want {
			t.Errorf("TERM=%q: canPositionCursor = %v, want %v", tc.term, got, tc.want)
		}
	}
	if b := findTerminfo(env("xterm"), "xterm"); b == nil {
		t.Skip("no terminfo entry for xterm on this machine")
	} else if has, ok := terminfoHasString(b, capCursorAddress); !ok || !has {
		t.Errorf("xterm's entry: cup has=%v readable=%v", has, ok)
	}
	if b := findTerminfo(env("dumb"), "dumb"); b != nil {
		if has, ok := terminfoHasString(b, capCursorAddress); !ok || has {
			t.Errorf("dumb's entry: cup has=%v readable=%v", has, ok)
		}
	}
}
