package commands

import (
	"strings"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// EventRecord is a session event as the printer shows it.
func EventRecord(e session.Event) format.Event {
	return format.Event{Type: e.Type, State: e.State, Path: e.Path, Received: e.Received}
}

// WatcherBlock is zkCli's "\nWATCHER::\n\nWatchedEvent ...\n" for an event
// that arrives between commands (the shell, scripts, close).
func WatcherBlock(e session.Event) string { return format.WatcherBlock(EventRecord(e)) }

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
