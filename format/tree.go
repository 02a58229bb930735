package format

import (
	"fmt"
	"strings"
)

// TreeGlyphs are the branches tree(1) draws.
type TreeGlyphs struct{ Tee, Elbow, Pipe, Space string }

// UnicodeGlyphs are tree(1)'s box-drawing branches; ASCIIGlyphs its
// fallback when the locale is not UTF-8.
var (
	UnicodeGlyphs = TreeGlyphs{Tee: "├── ", Elbow: "└── ", Pipe: "│   ", Space: "    "}
	ASCIIGlyphs   = TreeGlyphs{Tee: "|-- ", Elbow: "`-- ", Pipe: "|   ", Space: "    "}
)

// TreePrefixer computes the drawing before each name of a tree given in
// pre-order, as tree(1) draws a directory: nothing for the root, then each
// node under its ancestors' branches.
type TreePrefixer struct {
	Glyphs TreeGlyphs
	last   []bool // last[d]: the open node at depth d is its parent's last child
}

// Prefix returns the drawing for the next node: its depth below the root
// and whether it is the last of its (shown) siblings.
func (p *TreePrefixer) Prefix(depth int, last bool) string {
	if depth >= len(p.last) {
		p.last = append(p.last, make([]bool, depth+1-len(p.last))...)
	}
	p.last[depth] = last
	if depth == 0 {
		return ""
	}
	var b strings.Builder
	for i := 1; i < depth; i++ {
		if p.last[i] {
			b.WriteString(p.Glyphs.Space)
		} else {
			b.WriteString(p.Glyphs.Pipe)
		}
	}
	if last {
		b.WriteString(p.Glyphs.Elbow)
	} else {
		b.WriteString(p.Glyphs.Tee)
	}
	return b.String()
}

// TreeSummary is tree's closing line: a blank line, then "N nodes" (every
// node drawn, the root included) and with sizes their bytes. Text only: the
// JSON document holds the nodes themselves.
type TreeSummary struct {
	Nodes, Bytes int64
	Sizes        bool
}

func (r TreeSummary) WriteText(t *TextStream) error {
	s := "\n" + countOf(r.Nodes, "node")
	if r.Sizes {
		s += ", " + countOf(r.Bytes, "byte")
	}
	return writeText(t.Out, s+"\n")
}
func (r TreeSummary) JSONValue() any { return nil }

// TreeDoc is tree's JSON output: the subtree as one nested document. Its
// text form is the TreeNode lines, printed as the walk goes.
type TreeDoc struct{ Root *TreeDocNode }

// TreeDocNode is one node of TreeDoc; Bytes and NumChildren with tree -s.
type TreeDocNode struct {
	Path        string         `json:"path"`
	Name        string         `json:"name"`
	Bytes       *int32         `json:"bytes,omitempty"`
	NumChildren *int32         `json:"numChildren,omitempty"`
	Children    []*TreeDocNode `json:"children"`
}

func (r TreeDoc) WriteText(*TextStream) error { return nil }
func (r TreeDoc) JSONValue() any {
	if r.Root == nil {
		return nil
	}
	return r.Root
}

func countOf(n int64, unit string) string {
	switch {
	case n == 1:
		return fmt.Sprintf("%d %s", n, unit)
	case unit == "child":
		return fmt.Sprintf("%d children", n)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
