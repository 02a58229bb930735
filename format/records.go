package format

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
)

// The records verbs hand to the Printer. Each one's JSON document is the
// *JSON type named in its JSONValue (README "JSON output" documents them).

// Data encodings of Node.
const (
	EncodingText    = ""        // zkCli's default: UTF-8 text, "null" for no data
	EncodingBase64  = "base64"  // get -b
	EncodingHexDump = "hexdump" // get -x (text only)
	EncodingRaw     = "raw"     // get --raw: the bytes, no newline (text only)
)

// Node is a znode's data (get): the data in Encoding, then the stat block
// with WithStat. JSON always has the stat.
type Node struct {
	Path     string
	Data     []byte
	Stat     *zk.Stat
	Encoding string
	WithStat bool
}

func (r Node) WriteText(t *TextStream) error {
	// zkCli 3.8.5+ encodes the text "null" for a node without data.
	shown := r.Data
	if shown == nil {
		shown = []byte("null")
	}
	var err error
	switch r.Encoding {
	case EncodingRaw:
		_, err = t.Out.Write(r.Data)
	case EncodingHexDump:
		err = writeText(t.Out, HexDump(shown)+"\n")
	case EncodingBase64:
		err = writeText(t.Out, base64.StdEncoding.EncodeToString(shown)+"\n")
	default:
		err = Data(t.Out, r.Data)
	}
	if err != nil || !r.WithStat {
		return err
	}
	return writeText(t.Out, statText(t, r.Stat))
}

func (r Node) JSONValue() any {
	doc := NodeJSON{Path: r.Path, DataJSON: NewDataJSON(r.Data), Stat: NewStatJSON(r.Stat)}
	if r.Encoding == EncodingBase64 && r.Data != nil {
		enc := base64.StdEncoding.EncodeToString(r.Data)
		doc.DataJSON = DataJSON{Data: &enc, Encoding: "base64"}
	}
	return doc
}

// Children is a znode's sorted child names (ls), then its stat block with
// WithStat. Parents, when set, marks the children that have children of
// their own (painted with Style.Dir on a colour terminal).
type Children struct {
	Path     string
	Kids     []string
	Parents  []bool
	Stat     *zk.Stat
	WithStat bool
}

func (r Children) WriteText(t *TextStream) error {
	shown := r.Kids
	if r.Parents != nil {
		shown = make([]string, len(r.Kids))
		for i, k := range r.Kids {
			shown[i] = k
			if r.Parents[i] {
				shown[i] = t.Style.Dir(k)
			}
		}
	}
	if err := List(t.Out, shown); err != nil || !r.WithStat {
		return err
	}
	return writeText(t.Out, statText(t, r.Stat))
}

func (r Children) JSONValue() any {
	kids := r.Kids
	if kids == nil {
		kids = []string{}
	}
	return ChildrenJSON{Path: r.Path, Children: kids, Stat: NewStatJSON(r.Stat)}
}

// PathLine is one node of a streamed listing (ls -R): the path on a line.
type PathLine struct{ Path string }

func (r PathLine) WriteText(t *TextStream) error {
	// Two writes, not a concatenation: ls -R writes a line per node into a
	// buffer, and a string per line was a tenth of its allocations.
	if err := writeText(t.Out, r.Path); err != nil {
		return err
	}
	return writeText(t.Out, "\n")
}
func (r PathLine) JSONValue() any { return PathJSON{Path: r.Path} }

// PathLines returns a writer of PathLine records into buf as p prints
// them. In text each line is appended directly: a record through Print per
// node was a twentieth of a listing's CPU.
func PathLines(p Printer, buf *bytes.Buffer) func(path string) error {
	if _, ok := p.(*textPrinter); ok {
		return func(path string) error {
			buf.WriteString(path)
			buf.WriteByte('\n')
			return nil
		}
	}
	pr := p.To(buf)
	// One record for every line: a PathLine boxed apiece was a string's
	// allocation per node.
	rec := &PathLine{}
	return func(path string) error {
		rec.Path = path
		return pr.Print(rec)
	}
}

// PathStat is a stat on its own (stat, set -s): zkCli's block.
type PathStat struct {
	Path string
	Stat *zk.Stat
}

func (r PathStat) WriteText(t *TextStream) error { return writeText(t.Out, statText(t, r.Stat)) }
func (r PathStat) JSONValue() any                { return PathStatJSON{Path: r.Path, Stat: NewStatJSON(r.Stat)} }

// ACL is a znode's ACL (getAcl), then its stat block with WithStat.
type ACL struct {
	Path     string
	Entries  []ACLEntryJSON
	Stat     *zk.Stat
	WithStat bool
}

func (r ACL) WriteText(t *TextStream) error {
	if err := writeText(t.Out, ACLText(r.Entries)); err != nil || !r.WithStat {
		return err
	}
	return writeText(t.Out, statText(t, r.Stat))
}

func (r ACL) JSONValue() any { return ACLJSON{Path: r.Path, ACL: r.Entries, Stat: NewStatJSON(r.Stat)} }

// Quota is a znode's quota limits and usage (listquota). LimitsText and
// UsageText are the records as ZooKeeper's StatsTrack writes them.
type Quota struct {
	Path                  string
	Limits, Usage         map[string]int64
	LimitsText, UsageText string
}

func (r Quota) WriteText(t *TextStream) error {
	return writeText(t.Out, fmt.Sprintf("Output quota for %s %s\nOutput stat for %s %s\n", r.Path, r.LimitsText, r.Path, r.UsageText))
}

func (r Quota) JSONValue() any { return QuotaJSON{Path: r.Path, Limits: r.Limits, Usage: r.Usage} }

// Notice is a line zkCli writes on stderr beside a result (listquota's
// "absolute path is ..."); JSON output leaves it out.
type Notice struct{ Line string }

func (r Notice) WriteText(t *TextStream) error { return writeText(t.Err, r.Line+"\n") }
func (r Notice) JSONValue() any                { return nil }

// Created is a created node (create): zkCli's "Created <path>" on stderr.
// Path is the path asked for; Created differs from it for sequential nodes.
type Created struct{ Path, Created string }

func (r Created) WriteText(t *TextStream) error { return writeText(t.Err, "Created "+r.Created+"\n") }
func (r Created) JSONValue() any                { return CreatedJSON{Path: r.Path, Created: r.Created} }

// Count is getAllChildrenNumber's count of a znode's descendants.
type Count struct {
	Path  string
	Count int64
}

func (r Count) WriteText(t *TextStream) error {
	return writeText(t.Out, strconv.FormatInt(r.Count, 10)+"\n")
}
func (r Count) JSONValue() any { return CountJSON{Path: r.Path, Count: r.Count} }

// Synced is a finished sync.
type Synced struct{ Path string }

func (r Synced) WriteText(t *TextStream) error { return writeText(t.Out, "Sync is OK\n") }
func (r Synced) JSONValue() any                { return SyncJSON{Path: r.Path, Synced: true} }

// Version is zkc's version.
type Version struct{ Version string }

// WriteText keeps zkCli's prefix, so scripts that parse it keep working.
func (r Version) WriteText(t *TextStream) error {
	return writeText(t.Out, "ZooKeeper CLI version: zkc "+r.Version+"\n")
}
func (r Version) JSONValue() any { return VersionJSON{Version: r.Version} }

// Identities are the session's identities (whoami).
type Identities struct {
	IDs  []IdentityJSON
	SASL *SASLJSON // zkc's SASL login of the connection, nil without one
}

func (r Identities) WriteText(t *TextStream) error {
	var b strings.Builder
	b.WriteString("Auth scheme: User\n")
	for _, id := range r.IDs {
		b.WriteString(id.Scheme + ": " + id.User + "\n")
	}
	return writeText(t.Out, b.String())
}

func (r Identities) JSONValue() any {
	ids := r.IDs
	if ids == nil {
		ids = []IdentityJSON{}
	}
	return WhoAmIJSON{Identities: ids, SASL: r.SASL}
}

// Ephemerals are the session's ephemeral nodes under a prefix, in the
// server's order (getEphemerals).
type Ephemerals struct {
	Prefix string
	Paths  []string
}

func (r Ephemerals) WriteText(t *TextStream) error { return List(t.Out, r.Paths) }
func (r Ephemerals) JSONValue() any {
	paths := r.Paths
	if paths == nil {
		paths = []string{}
	}
	return EphemeralsJSON{Prefix: r.Prefix, Ephemerals: paths}
}

// Config is the ensemble's dynamic configuration (config, and reconfig's
// result with Committed). Text is what the text output shows: the
// configuration ("null" for none) or config -c's client string.
type Config struct {
	Text      string
	Doc       ConfigJSON
	Stat      *zk.Stat
	WithStat  bool
	Committed bool // reconfig: "Committed new configuration:" first
}

func (r Config) WriteText(t *TextStream) error {
	text := r.Text + "\n"
	if r.Committed {
		text = "Committed new configuration:\n" + text
	}
	if r.WithStat {
		text += statText(t, r.Stat)
	}
	return writeText(t.Out, text)
}

func (r Config) JSONValue() any {
	doc := r.Doc
	if r.WithStat {
		doc.Stat = NewStatJSON(r.Stat)
	}
	return doc
}

// FourLW is one round of four-letter-word answers: Text is the text output
// (the answers, or the summary table, rendered by package fourlw, with a
// redraw header when repeating), Report the parsed document.
type FourLW struct {
	Text   string
	Report any
}

func (r FourLW) WriteText(t *TextStream) error { return writeText(t.Out, r.Text) }
func (r FourLW) JSONValue() any                { return r.Report }

// TreeNode is one line of a drawn tree (tree): Prefix is the drawing before
// the name ("│   ├── "), Name the node's name (the path for the root).
type TreeNode struct {
	Path   string
	Name   string
	Prefix string
	Depth  int
	Stat   *zk.Stat // nil unless asked for
	// Sizes appends the data size and child count (tree -s): "  [12 bytes, 1 child]".
	Sizes bool
}

// TreeNodeJSON is one node of tree's NDJSON stream.
type TreeNodeJSON struct {
	Path  string    `json:"path"`
	Depth int       `json:"depth"`
	Stat  *StatJSON `json:"stat,omitempty"`
}

func (r TreeNode) WriteText(t *TextStream) error {
	line := r.Prefix + r.Name
	if r.Sizes && r.Stat != nil {
		line += fmt.Sprintf("  [%s, %s]", countOf(int64(r.Stat.DataLength), "byte"), countOf(int64(r.Stat.NumChildren), "child"))
	}
	return writeText(t.Out, line+"\n")
}
func (r TreeNode) JSONValue() any {
	return TreeNodeJSON{Path: r.Path, Depth: r.Depth, Stat: NewStatJSON(r.Stat)}
}

// Diff changes.
const (
	DiffAdded      = "added"      // only on the right
	DiffRemoved    = "removed"    // only on the left
	DiffChanged    = "changed"    // on both, differing in What
	DiffUnreadable = "unreadable" // on both, but one side could not be read
)

// DiffEntry is one difference between two trees (diff).
type DiffEntry struct {
	Change string   // DiffAdded, DiffRemoved, DiffChanged, DiffUnreadable
	Path   string   // the node's path under the left tree's root
	What   []string // DiffChanged: "data", "acl", "type"; DiffUnreadable: the error
	Lines  []string // diff -v: the changed lines of text data ("-old", "+new")
}

// DiffEntryJSON is one line of diff's NDJSON stream.
type DiffEntryJSON struct {
	Change string   `json:"change"`
	Path   string   `json:"path"`
	What   []string `json:"what,omitempty"`
	Lines  []string `json:"lines,omitempty"`
}

// WriteText writes "+ /p", "- /p", "~ /p (data, acl)" or "? /p (NoAuth)",
// and with -v the changed lines indented below.
func (r DiffEntry) WriteText(t *TextStream) error {
	mark := map[string]string{DiffAdded: "+", DiffRemoved: "-", DiffChanged: "~", DiffUnreadable: "?"}[r.Change]
	var b strings.Builder
	b.WriteString(mark + " " + r.Path)
	if len(r.What) > 0 {
		b.WriteString(" (" + strings.Join(r.What, ", ") + ")")
	}
	b.WriteByte('\n')
	for _, l := range r.Lines {
		b.WriteString("    " + l + "\n")
	}
	return writeText(t.Out, b.String())
}
func (r DiffEntry) JSONValue() any {
	return DiffEntryJSON{Change: r.Change, Path: r.Path, What: r.What, Lines: r.Lines}
}
