package shell

import (
	"slices"
	"strings"
	"testing"
)

// FuzzTokenize: any line tokenizes without panicking and as zkCli's pattern
// does (the fast path for lines without quotes included); a line without
// quotes splits at the pattern's blanks.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", "ls /", `create /a "x y" world:anyone:cdrwa`, `set /a 'it''s'`, `get "unterminated`,
		"  \t ls\t-R   /a  ", `""`, `''`, `a"b c"d`, "\x00\xff", "é 日本 \u2028", `"a" 'b' c`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		toks := Tokenize(line)
		if byPattern := tokenizePattern(line); !slices.Equal(toks, byPattern) {
			t.Fatalf("Tokenize(%q) = %q, the pattern gives %q", line, toks, byPattern)
		}
		if strings.ContainsAny(line, `"'`) {
			return
		}
		want := fieldsASCII(line)
		if len(toks) != len(want) {
			t.Fatalf("Tokenize(%q) = %q, want %q", line, toks, want)
		}
		for i := range toks {
			if toks[i] != want[i] {
				t.Fatalf("Tokenize(%q) = %q, want %q", line, toks, want)
			}
		}
	})
}

// fieldsASCII splits on the blanks Go's regexp \s means: \t \n \f \r and space.
func fieldsASCII(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
	})
}
