package format

import (
	"time"
)

// Event is a watch event or a session change as zkc shows it: ZooKeeper's
// type and state names, the path ("" for connection-state events), and when
// zkc received it.
type Event struct {
	Type, State, Path string
	Received          time.Time
}

// EventJSON is one watch event in -o json streams (addWatch, get -w ...).
type EventJSON struct {
	Type     string  `json:"type"`
	Path     *string `json:"path"` // null for connection-state events, as zkCli's "path:null"
	State    string  `json:"state"`
	Received string  `json:"received"` // RFC 3339 with nanoseconds, UTC
}

// NewEventJSON converts an event for -o json.
func NewEventJSON(e Event) EventJSON {
	out := EventJSON{Type: e.Type, State: e.State, Received: e.Received.UTC().Format(time.RFC3339Nano)}
	if e.Path != "" {
		p := e.Path
		out.Path = &p
	}
	return out
}

// EventLine is zkCli's event text: "WatchedEvent state:SyncConnected type:NodeCreated path:/x".
func EventLine(e Event) string {
	p := e.Path
	if p == "" {
		p = "null"
	}
	return "WatchedEvent state:" + e.State + " type:" + e.Type + " path:" + p
}

// WatcherBlock is how zkCli's shell shows an event that arrives between
// commands: "\nWATCHER::\n\nWatchedEvent ...\n". It is the one place that
// block is written (the shell, scripts, close).
func WatcherBlock(e Event) string { return "\nWATCHER::\n\n" + EventLine(e) + "\n" }

// WriteText writes a command's event (get -w, addWatch) as its line.
func (e Event) WriteText(t *TextStream) error { return writeText(t.Out, EventLine(e)+"\n") }
func (e Event) JSONValue() any                { return NewEventJSON(e) }
