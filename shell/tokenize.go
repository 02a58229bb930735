// Package shell is zkc's interactive prompt (go-prompt on a terminal) and its
// plain line loop for scripts and pipes. Both run every line through the same
// command registry as one-shot mode.
package shell

import (
	"regexp"
	"strings"
)

// zkCli's argument pattern (ZooKeeperMain.MyCommandOptions): a word, or a
// double- or single-quoted string. There are no escapes, and a quote inside a
// word does not group, exactly as in zkCli.
var tokenPattern = regexp.MustCompile(`\s*([^"'\s]\S*|"[^"]*"|'[^']*')\s*`)

// Tokenize splits a line as zkCli does: "a b" and 'a b' are single
// arguments, "" is the empty string.
func Tokenize(line string) []string {
	if !strings.ContainsAny(line, `"'`) {
		return splitSpace(line)
	}
	return tokenizePattern(line)
}

// tokenizePattern is Tokenize by the pattern itself, for any line.
func tokenizePattern(line string) []string {
	matches := tokenPattern.FindAllStringSubmatch(line, -1)
	out := make([]string, 0, len(matches))
	for _, m := range matches {
		tok := m[1]
		if len(tok) >= 2 && (tok[0] == '"' || tok[0] == '\'') {
			tok = tok[1 : len(tok)-1]
		}
		out = append(out, tok)
	}
	return out
}

// splitSpace is Tokenize for a line without quotes: words separated by the
// pattern's \s (RE2's [\t\n\f\r ]). Script lines are mostly like this, and
// the pattern was a twentieth of a piped script's CPU.
func splitSpace(line string) []string {
	n := 0
	for i := 0; i < len(line); i++ {
		if !isPatternSpace(line[i]) && (i == 0 || isPatternSpace(line[i-1])) {
			n++
		}
	}
	out := make([]string, 0, n)
	start := -1
	for i := 0; i <= len(line); i++ {
		switch {
		case i == len(line) || isPatternSpace(line[i]):
			if start >= 0 {
				out = append(out, line[start:i])
				start = -1
			}
		case start < 0:
			start = i
		}
	}
	return out
}

func isPatternSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}
