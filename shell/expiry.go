package shell

import (
	"fmt"
	"io"
	"sync"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
)

// ExpiryReporter tells the user when a session expired: ZooKeeper dropped its
// ephemeral nodes and watches, and the library silently opened a new session
// that zkc goes on with. It prints once per lost session, whether it learns of
// the expiry from the session's event (asynchronously, e.g. while the shell is
// idle) or from a changed session id (synchronously, between script lines).
type ExpiryReporter struct {
	W io.Writer

	mu       sync.Mutex
	attached *session.Session
	unsub    func()
	lastID   int64
	reported map[int64]bool
	pending  bool // an expiry not yet taken by Take
}

// Attach follows s (the current session; nil is ignored). Call it before and
// after every command: connect/close replace the session.
func (r *ExpiryReporter) Attach(s *session.Session) {
	if s == nil {
		return
	}
	r.mu.Lock()
	if r.attached != s {
		if r.unsub != nil {
			r.unsub()
		}
		r.attached, r.lastID = s, 0
		r.unsub = s.Subscribe(func(e session.Event) {
			if e.State == session.KeeperExpired && e.SessionID != 0 {
				r.report(e.SessionID, commands.LostWatches(e.Lost), commands.ReaddedWatches(e.Readded))
			}
		})
	}
	r.mu.Unlock()
	// The session id changes only when a new session replaced an expired one.
	id := s.SessionID()
	r.mu.Lock()
	old := r.lastID
	if id != 0 {
		r.lastID = id
	}
	r.mu.Unlock()
	if old != 0 && id != 0 && id != old {
		r.report(old)
	}
}

func (r *ExpiryReporter) report(id int64, notes ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reported == nil {
		r.reported = map[int64]bool{}
	}
	if r.reported[id] {
		return
	}
	r.reported[id] = true
	r.pending = true
	fmt.Fprintln(r.W, expiryMessage(id, notes...))
}

// expiryMessage is the one-line expiry report, with notes on the watches.
func expiryMessage(id int64, notes ...string) string {
	msg := fmt.Sprintf("session 0x%x expired: its ephemeral nodes and watches are gone", id)
	for _, n := range notes {
		if n != "" {
			msg += "; " + n
		}
	}
	return msg
}

// Take reports whether a session expired since the last Take.
func (r *ExpiryReporter) Take() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.pending
	r.pending = false
	return p
}

// Close stops following the session.
func (r *ExpiryReporter) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unsub != nil {
		r.unsub()
		r.unsub = nil
	}
}

func currentSession(env *commands.Env) *session.Session {
	if env.Conn == nil {
		return nil
	}
	return env.Conn.Current()
}
