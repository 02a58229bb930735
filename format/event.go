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
	return "watches lost with the session: " + watchList(lost)
}

// ReaddedWatches words the persistent watches zkc re-adds after an expiry.
func ReaddedWatches(w []session.LostWatch) string {
	if len(w) == 0 {
		return ""
	}
	return "persistent watches re-added on the new session: " + watchList(w)
}

func watchList(ws []session.LostWatch) string {
	parts := make([]string, len(ws))
	for i, l := range ws {
		parts[i] = l.Path + " (" + l.Kind + ")"
	}
	return strings.Join(parts, ", ")
}
