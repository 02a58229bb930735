package format

import "fmt"

// The records of export, import and cp.

// ImportSummary is import's (and cp's) closing line: what was done to how
// many nodes.
type ImportSummary struct {
	Verb                                string // "import" or "cp"
	Dest                                string
	DryRun, Interrupted                 bool
	Created, Overwritten, Skipped       int64
	Unchanged, Failed, EphemeralLeftOut int64
}

// ImportSummaryJSON is its JSON document.
type ImportSummaryJSON struct {
	Dest        string `json:"dest"`
	DryRun      bool   `json:"dryRun,omitempty"`
	Interrupted bool   `json:"interrupted,omitempty"`
	Created     int64  `json:"created"`
	Overwritten int64  `json:"overwritten"`
	Skipped     int64  `json:"skipped"`
	Unchanged   int64  `json:"unchanged"`
	Failed      int64  `json:"failed"`
	Ephemeral   int64  `json:"ephemeral"`
}

func (r ImportSummary) WriteText(t *TextStream) error {
	would := ""
	if r.DryRun {
		would = "would be "
	}
	return writeText(t.Out, fmt.Sprintf("%s: %s%d created, %d overwritten, %d skipped, %d unchanged, %d failed, %d ephemeral left out\n",
		r.Verb, would, r.Created, r.Overwritten, r.Skipped, r.Unchanged, r.Failed, r.EphemeralLeftOut))
}

func (r ImportSummary) JSONValue() any {
	return ImportSummaryJSON{Dest: r.Dest, DryRun: r.DryRun, Interrupted: r.Interrupted, Created: r.Created,
		Overwritten: r.Overwritten, Skipped: r.Skipped, Unchanged: r.Unchanged, Failed: r.Failed, Ephemeral: r.EphemeralLeftOut}
}

// ImportPlan is one action of `import --dry-run`: create, overwrite, skip
// or unchanged.
type ImportPlan struct {
	Action string `json:"action"`
	Path   string `json:"path"`
}

func (r ImportPlan) WriteText(t *TextStream) error { return writeText(t.Out, r.Action+" "+r.Path+"\n") }
func (r ImportPlan) JSONValue() any                { return r }

// Moved is mv's result: silent in text, as mv(1); a document in JSON.
type Moved struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Nodes int64  `json:"nodes"`
}

func (Moved) WriteText(*TextStream) error { return nil }
func (r Moved) JSONValue() any            { return r }
