package treeops

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Grep matches node data line by line, as grep -r does with files.
type Grep struct {
	// Invert selects the lines that do not match (-v).
	Invert bool
	// Text searches binary data too (-a); otherwise binary data is skipped.
	Text bool
	re   *regexp.Regexp
	// quick matches the whole data, lines as (?m) lines: no match there
	// means no line matches, so most nodes are skipped without splitting.
	quick *regexp.Regexp
	lit   []byte // -F without -i: a plain substring search
}

// NewGrep compiles pattern: an RE2 regular expression, or with fixed a
// literal string; fold ignores case.
func NewGrep(pattern string, fixed, fold bool) (*Grep, error) {
	g := &Grep{}
	if fixed && !fold {
		g.lit = []byte(pattern)
		return g, nil
	}
	src := pattern
	if fixed {
		src = regexp.QuoteMeta(pattern)
	}
	if fold {
		src = "(?i)" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	g.re = re
	if !strings.Contains(src, `\A`) && !strings.Contains(src, `\z`) {
		g.quick, _ = regexp.Compile("(?m)" + src)
	}
	return g, nil
}

// Binary reports whether data is binary: a NUL byte or invalid UTF-8, as
// grep decides for a file.
func Binary(data []byte) bool {
	return bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data)
}

// Searchable reports whether data is searched at all (binary data only with -a).
func (g *Grep) Searchable(data []byte) bool {
	return g.Text || !Binary(data)
}

func (g *Grep) matchLine(line []byte) bool {
	var m bool
	if g.re != nil {
		m = g.re.Match(line)
	} else {
		m = bytes.Contains(line, g.lit)
	}
	return m != g.Invert
}

// Lines calls fn with each selected line of data (1-based number, the line
// without its newline) until fn returns false. Data without any newline is
// one line; a final newline does not start an empty line.
func (g *Grep) Lines(data []byte, fn func(n int, line []byte) bool) {
	if len(data) == 0 {
		return
	}
	// Fast path: no line of data can match (and none is inverted).
	if !g.Invert {
		if g.quick != nil && !g.quick.Match(data) || g.re == nil && !bytes.Contains(data, g.lit) {
			return
		}
	}
	n := 0
	for len(data) > 0 {
		n++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if g.matchLine(line) && !fn(n, line) {
			return
		}
	}
}

// Count is the number of selected lines in data.
func (g *Grep) Count(data []byte) int {
	c := 0
	g.Lines(data, func(int, []byte) bool { c++; return true })
	return c
}

// Any reports whether some line of data is selected.
func (g *Grep) Any(data []byte) bool {
	found := false
	g.Lines(data, func(int, []byte) bool { found = true; return false })
	return found
}
