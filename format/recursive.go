package format

// RecursiveSummary is what a recursive write (deleteall, setAcl -R) reports
// once, when it ends. In JSON it is a document with the counts; in text it
// prints nothing, since the counts are in the command's closing message on
// stderr (and zkCli prints nothing on success). The nodes not handled are
// named on stderr, one line each, in both formats.
type RecursiveSummary struct {
	Command string `json:"command"`
	Path    string `json:"path"`
	// Total is the subtree's size when the command started (the server's
	// count; -1 when the server cannot count, before ZooKeeper 3.6).
	Total       int    `json:"total"`
	Done        int    `json:"done"`    // nodes deleted / changed
	Failed      int    `json:"failed"`  // nodes not deleted / not changed, each named on stderr
	Unknown     int    `json:"unknown"` // nodes whose request was lost with the connection
	Interrupted bool   `json:"interrupted"`
	RootExists  *bool  `json:"rootExists,omitempty"` // deleteall: whether the path still exists
	Resent      int    `json:"resent"`               // requests lost with a connection and re-sent, or settled, after the reconnect
	Error       string `json:"error,omitempty"`      // why it stopped early, if it did
}

// WriteText prints nothing: see RecursiveSummary.
func (RecursiveSummary) WriteText(*TextStream) error { return nil }

// JSONValue is the summary itself.
func (r RecursiveSummary) JSONValue() any { return r }
