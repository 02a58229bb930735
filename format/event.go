package format

import (
	"strings"
	"time"

	"github.com/zkc-cli/zkc/session"
)

// EventJSON is one watch event in -o json streams (addWatch, get -w ...):
// ZooKeeper's type and state names, the path, and when zkc received it.
type EventJSON struct {
	Type     string  `json:"type"`
	Path     *string `json:"path"` // null for connection-state events, as zkCli's "path:null"
	State    string  `json:"state"`
	Received string  `json:"received"` // RFC 3339 with nanoseconds, UTC
}

// NewEventJSON converts an event for -o json.
func NewEventJSON(e session.Event) EventJSON {
	out := EventJSON{Type: e.Type, State: e.State, Received: e.Received.UTC().Format(time.RFC3339Nano)}
	if e.Path != "" {
		p := e.Path
		out.Path = &p
	}
	return out
}

// LostWatches words the watches an expired session took with it, for stderr:
// "watches lost with the session: /a (data), /b (persistent_recursive)".
// It is "" when there were none.
func LostWatches(lost []session.LostWatch) string {
	if len(lost) == 0 {
		return ""
	}
	parts := make([]string, len(lost))
	for i, l := range lost {
		parts[i] = l.Path + " (" + l.Kind + ")"
	}
	return "watches lost with the session: " + strings.Join(parts, ", ")
}
