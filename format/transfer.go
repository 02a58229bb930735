package format

import (
	"fmt"
	"io"
	"strings"
)

// The records of export, import, cp, mv and diff.

// ImportSummaryJSON is import's (and cp's) closing document.
type ImportSummaryJSON struct {
	Dest        string `json:"dest"`
	DryRun      bool   `json:"dryRun,omitempty"`
	Created     int64  `json:"created"`
	Overwritten int64  `json:"overwritten"`
	Skipped     int64  `json:"skipped"`
	Unchanged   int64  `json:"unchanged"`
	Failed      int64  `json:"failed"`
	Ephemeral   int64  `json:"ephemeral"`
	Interrupted bool   `json:"interrupted,omitempty"`
}

// ImportSummary writes the closing line: what was done to how many nodes.
func ImportSummary(w io.Writer, verb string, s ImportSummaryJSON) error {
	would := ""
	if s.DryRun {
		would = "would be "
	}
	_, err := fmt.Fprintf(w, "%s: %s%d created, %d overwritten, %d skipped, %d unchanged, %d failed, %d ephemeral left out\n",
		verb, would, s.Created, s.Overwritten, s.Skipped, s.Unchanged, s.Failed, s.Ephemeral)
	return err
}

// PlanJSON is one action of `import --dry-run`.
type PlanJSON struct {
	Action string `json:"action"`
	Path   string `json:"path"`
}

// PlanLine writes one dry-run action: "create /app/x".
func PlanLine(w io.Writer, action, path string) error {
	_, err := fmt.Fprintf(w, "%s %s\n", action, path)
	return err
}

// DiffJSON is one difference of `diff -o json`.
type DiffJSON struct {
	Change string   `json:"change"` // added, removed, changed, unreadable
	Path   string   `json:"path"`
	What   []string `json:"what,omitempty"`
	Lines  []string `json:"lines,omitempty"`
}

// DiffLine writes one difference as diff prints it: "+ /p", "- /p",
// "~ /p (data, acl)", and with -v the changed lines indented below.
func DiffLine(w io.Writer, d DiffJSON) error {
	var b strings.Builder
	switch d.Change {
	case "added":
		b.WriteString("+ " + d.Path)
	case "removed":
		b.WriteString("- " + d.Path)
	case "unreadable":
		b.WriteString("? " + d.Path + " (" + strings.Join(d.What, ", ") + ")")
	default:
		b.WriteString("~ " + d.Path + " (" + strings.Join(d.What, ", ") + ")")
	}
	b.WriteByte('\n')
	for _, l := range d.Lines {
		b.WriteString("    " + l + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
