package format

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

// Record is one result a verb hands to the Printer. Each record type knows
// its two forms: zkCli's text, byte for byte, and its JSON document. Adding
// an output (a verb, or a new kind of line in a stream) is adding a record
// type here: a struct with WriteText and JSONValue.
type Record interface {
	// WriteText writes the record as zkCli (or, beyond zkCli, zkc's text
	// output) does: most go to the text stream's Out; zkCli writes a few
	// lines to stderr (create's "Created ...", listquota's "absolute path").
	WriteText(t *TextStream) error
	// JSONValue is the record's JSON document, written as one line; nil
	// writes nothing (a text-only notice).
	JSONValue() any
}

// Printer writes records in the output format chosen once per run (-o).
type Printer interface {
	Print(r Record) error
	// To returns a printer like this one writing stdout's share to w: verbs
	// that buffer a stream (ls -R) print into a buffer and flush it.
	To(w io.Writer) Printer
	// Colored says text output is being painted (a colour terminal), for
	// records whose colours cost extra requests (ls marks children that have
	// children).
	Colored() bool
	// Name is the format: "text" or "json".
	Name() string
}

// Style is how text records are painted and dated; identity functions and
// time.Local when plain.
type Style struct {
	Loc *time.Location
	Key func(string) string // stat keys
	Dir func(string) string // children that have children of their own
	On  bool                // stdout is coloured
}

// PlainStyle paints nothing and dates in the local zone.
func PlainStyle() Style {
	return Style{Loc: time.Local, Key: identity, Dir: identity}
}

func identity(s string) string { return s }

// TextStream is where a text record goes: Out (stdout) and Err (stderr).
type TextStream struct {
	Out, Err io.Writer
	Style    Style
}

// Output formats.
const (
	FormatText = "text"
	FormatJSON = "json"
)

// New returns the printer for an -o value ("" is text).
func New(name string, out, errw io.Writer, style Style) (Printer, error) {
	switch name {
	case "", FormatText:
		return NewText(out, errw, style), nil
	case FormatJSON:
		return NewJSON(out), nil
	}
	return nil, fmt.Errorf("unknown output format %q (want text or json)", name)
}

// NewText is zkCli's text output.
func NewText(out, errw io.Writer, style Style) Printer {
	if style.Loc == nil {
		style.Loc = time.Local
	}
	if style.Key == nil {
		style.Key = identity
	}
	if style.Dir == nil {
		style.Dir = identity
	}
	return &textPrinter{t: TextStream{Out: out, Err: errw, Style: style}}
}

type textPrinter struct{ t TextStream }

func (p *textPrinter) Print(r Record) error { return r.WriteText(&p.t) }
func (p *textPrinter) To(w io.Writer) Printer {
	c := *p
	c.t.Out = w
	return &c
}
func (p *textPrinter) Colored() bool { return p.t.Style.On }
func (p *textPrinter) Name() string  { return FormatText }

// NewJSON is zkc's JSON output: one document per record, one per line.
func NewJSON(out io.Writer) Printer { return &jsonPrinter{out: out} }

type jsonPrinter struct{ out io.Writer }

func (p *jsonPrinter) Print(r Record) error {
	v := r.JSONValue()
	if v == nil {
		return nil
	}
	return WriteJSON(p.out, v)
}
func (p *jsonPrinter) To(w io.Writer) Printer { return &jsonPrinter{out: w} }
func (p *jsonPrinter) Colored() bool          { return false }
func (p *jsonPrinter) Name() string           { return FormatJSON }

// writeText writes s to w.
func writeText(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

// statText is zkCli's stat block as a string.
func statText(t *TextStream, st *zk.Stat) string {
	var b strings.Builder
	for _, l := range StatLines(st, t.Style.Loc) {
		b.WriteString(t.Style.Key(l.Key))
		b.WriteString(" = ")
		b.WriteString(l.Value)
		b.WriteByte('\n')
	}
	return b.String()
}
