package treeops

import (
	"fmt"
	"regexp"
	"strings"
)

// globRegexp compiles a find(1) glob: * and ? match any characters
// (including "/", as find's -path does), [...] is a class ([!...] or [^...]
// negated), a backslash quotes the next character. The match is anchored.
func globRegexp(glob string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString(`^(?s:`)
	rs := []rune(glob)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '\\':
			if i+1 < len(rs) {
				i++
			}
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '[':
			end := -1
			for j := i + 2; j < len(rs); j++ { // a ] right after [ is a member
				if rs[j] == ']' {
					end = j
					break
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("unterminated [ in %q", glob)
			}
			class := rs[i+1 : end]
			i = end
			neg := false
			if len(class) > 1 && (class[0] == '!' || class[0] == '^') {
				neg, class = true, class[1:]
			}
			b.WriteByte('[')
			if neg {
				b.WriteByte('^')
			}
			for _, r := range class {
				if r == '\\' || r == '[' || r == ']' || r == '^' {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			b.WriteByte(']')
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`)$`)
	return regexp.Compile(b.String())
}

// literalGlob reports whether a glob has no wildcard, so it can be
// compared as a plain string.
func literalGlob(glob string) bool {
	return !strings.ContainsAny(glob, `*?[\`)
}
