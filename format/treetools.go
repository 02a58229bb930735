package format

import (
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
)

// Records of the tree tools (find, grep, du, edit); README "JSON output"
// documents their documents.

// FoundPath is one match of find: the path and a newline, or with NUL a
// NUL byte (-print0). JSON: {"path"}.
type FoundPath struct {
	Path string
	NUL  bool
}

func (r FoundPath) WriteText(t *TextStream) error {
	end := "\n"
	if r.NUL {
		end = "\x00"
	}
	return writeText(t.Out, r.Path+end)
}
func (r FoundPath) JSONValue() any { return PathJSON{Path: r.Path} }

// ExecLine is a command find -exec --dry-run would run, quoted so that the
// shell's tokenizer reads it back as Argv.
type ExecLine struct {
	Path string
	Argv []string
}

// ExecLineJSON is find --dry-run's document per match.
type ExecLineJSON struct {
	Path    string   `json:"path"`
	Command []string `json:"command"`
}

func (r ExecLine) WriteText(t *TextStream) error { return writeText(t.Out, QuoteArgs(r.Argv)+"\n") }
func (r ExecLine) JSONValue() any                { return ExecLineJSON{Path: r.Path, Command: r.Argv} }

// QuoteArgs joins argv into a line zkc's shell splits back into argv: words
// with blanks or quotes are quoted ('...' unless they hold a ').
func QuoteArgs(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		switch {
		case a == "":
			out[i] = `""`
		case !strings.ContainsAny(a, " \t\n\"'"):
			out[i] = a
		case !strings.Contains(a, "'"):
			out[i] = "'" + a + "'"
		default:
			out[i] = `"` + a + `"`
		}
	}
	return strings.Join(out, " ")
}

// GrepLine is one selected line of grep: "/path:text".
type GrepLine struct {
	Path string
	Line int // from 1
	Text []byte
}

// GrepLineJSON is grep's document per selected line.
type GrepLineJSON struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

func (r GrepLine) WriteText(t *TextStream) error {
	return writeText(t.Out, r.Path+":"+string(r.Text)+"\n")
}
func (r GrepLine) JSONValue() any {
	return GrepLineJSON{Path: r.Path, Line: r.Line, Text: string(r.Text)}
}

// GrepCount is grep -c's count for one node: "/path:N".
type GrepCount struct {
	Path  string
	Count int
}

// GrepCountJSON is grep -c's document per node.
type GrepCountJSON struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

func (r GrepCount) WriteText(t *TextStream) error {
	return writeText(t.Out, r.Path+":"+strconv.Itoa(r.Count)+"\n")
}
func (r GrepCount) JSONValue() any { return GrepCountJSON{Path: r.Path, Count: r.Count} }

// DuLine is du's line for one node: data bytes and nodes over its subtree
// (itself included), "bytes<TAB>nodes<TAB>path"; with ChildrenColumn (du
// --top --by children) "children<TAB>path".
type DuLine struct {
	Path           string
	Bytes, Nodes   int64
	Children       int64
	ChildrenColumn bool
}

// DuJSON is du's document per node.
type DuJSON struct {
	Path     string `json:"path"`
	Bytes    int64  `json:"bytes"`
	Nodes    int64  `json:"nodes"`
	Children int64  `json:"children"`
}

func (r DuLine) WriteText(t *TextStream) error {
	if r.ChildrenColumn {
		return writeText(t.Out, strconv.FormatInt(r.Children, 10)+"\t"+r.Path+"\n")
	}
	return writeText(t.Out, strconv.FormatInt(r.Bytes, 10)+"\t"+strconv.FormatInt(r.Nodes, 10)+"\t"+r.Path+"\n")
}
func (r DuLine) JSONValue() any {
	return DuJSON{Path: r.Path, Bytes: r.Bytes, Nodes: r.Nodes, Children: r.Children}
}

// EditOutcome is what edit did: wrote the node (its new stat), or found
// nothing changed (the stat as read). Text goes to stderr, as create's.
type EditOutcome struct {
	Path    string
	Written bool
	Stat    *zk.Stat
}

// EditJSON is edit's document.
type EditJSON struct {
	Path    string    `json:"path"`
	Written bool      `json:"written"`
	Stat    *StatJSON `json:"stat"`
}

func (r EditOutcome) WriteText(t *TextStream) error {
	if !r.Written {
		return writeText(t.Err, "No change to "+r.Path+": nothing written\n")
	}
	return writeText(t.Err, "Wrote "+r.Path+" (version "+strconv.Itoa(int(r.Stat.Version))+")\n")
}
func (r EditOutcome) JSONValue() any {
	return EditJSON{Path: r.Path, Written: r.Written, Stat: NewStatJSON(r.Stat)}
}
