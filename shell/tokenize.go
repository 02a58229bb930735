// Package shell is zkc's interactive prompt (go-prompt on a terminal) and its
// plain line loop for scripts and pipes. Both run every line through the same
// command registry as one-shot mode.
package shell

import "regexp"

// zkCli's argument pattern (ZooKeeperMain.MyCommandOptions): a word, or a
// double- or single-quoted string. There are no escapes, and a quote inside a
// word does not group, exactly as in zkCli.
var tokenPattern = regexp.MustCompile(`\s*([^"'\s]\S*|"[^"]*"|'[^']*')\s*`)

// Tokenize splits a line as zkCli does: "a b" and 'a b' are single
// arguments, "" is the empty string.
func Tokenize(line string) []string {
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
