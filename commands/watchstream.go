package commands

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// streamWatch is one-shot addWatch: it adds the watch and prints its events
// until count events (0: no limit), ctx ends (SIGINT/SIGTERM: exit 0), or
// the session is lost. Connection changes go to stderr, so stdout carries
// only events. Events come from the session's unbounded queue in order; each
// batch is written through one buffer and flushed before waiting for more,
// so a reader sees every event at once and a fast stream costs few writes.
func streamWatch(ctx context.Context, env *Env, s *session.Session, p string, mode int32, count int) error {
	evs := make(chan session.Event, 4096)
	done := make(chan struct{})
	defer close(done) // runs after unsub: frees a callback blocked on evs
	// Subscribe before adding the watch so that no event can slip by. The
	// callback blocks when evs is full, which only holds up zkc's own
	// dispatcher: the session's queue keeps everything, nothing is dropped.
	unsub := s.Subscribe(func(e session.Event) {
		select {
		case evs <- e:
		case <-done:
		}
	})
	defer unsub()
	if err := s.AddWatch(ctx, p, mode); err != nil {
		return ZKError(err, p)
	}

	out := bufio.NewWriterSize(env.Out, 64<<10)
	pr := env.printer().To(out)
	var lost <-chan time.Time // armed while disconnected
	var lostTimer *time.Timer
	defer func() {
		if lostTimer != nil {
			lostTimer.Stop()
		}
	}()
	disconnected := false
	printed := 0
	// handle deals with one event; stop says the stream is over.
	handle := func(e session.Event) (stop bool, err error) {
		if e.IsSession() {
			switch e.State {
			case session.KeeperDisconnected:
				if !disconnected {
					disconnected = true
					fmt.Fprintf(env.Err, "zkc: disconnected from %s; reconnecting (the watch is re-added)\n", s.Server())
					lostTimer = time.NewTimer(s.Timeout())
					lost = lostTimer.C
				}
			case session.KeeperSyncConnected, session.KeeperConnectedReadOnly:
				if disconnected {
					disconnected = false
					fmt.Fprintf(env.Err, "zkc: reconnected to %s\n", s.Server())
					lostTimer.Stop()
					lost = nil
				}
			case session.KeeperExpired:
				msg := fmt.Sprintf("zkc: session %s expired: the watch on %s is lost (events during the outage are unknown)",
					format.Hex(e.SessionID), p)
				return true, Errorf(ExitConnection, "%s", msg)
			case session.KeeperAuthFailed:
				return true, Errorf(ExitAuth, "zkc: authentication failed: the watch on %s is lost", p)
			}
			return false, nil
		}
		if !watchCovers(p, mode, e) {
			return false, nil
		}
		if err := pr.Print(EventRecord(e)); err != nil {
			return true, err
		}
		printed++
		return count > 0 && printed >= count, nil
	}

	for {
		var e session.Event
		select {
		case <-ctx.Done():
			return out.Flush() // Ctrl-C / SIGTERM is the normal way out
		case <-lost:
			out.Flush()
			return Errorf(ExitConnection, "zkc: no ZooKeeper server reachable for %v (the session timeout): the session has expired and the watch on %s is lost", s.Timeout(), p)
		case e = <-evs:
		}
		for {
			stop, err := handle(e)
			if stop || err != nil {
				if ferr := out.Flush(); err == nil {
					err = ferr
				}
				return err
			}
			select {
			case e = <-evs:
				continue
			default:
			}
			break
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// watchCovers reports whether a node event belongs to the persistent watch
// on p with mode (the session has only this watch in one-shot mode, but the
// removal events and the library's bookkeeping events are not the stream's).
func watchCovers(p string, mode int32, e session.Event) bool {
	if e.Internal {
		return false
	}
	switch e.Type {
	case "NodeCreated", "NodeDeleted", "NodeDataChanged":
	case "NodeChildrenChanged":
		if mode != session.AddWatchPersistent {
			return false
		}
	default:
		return false
	}
	if mode == session.AddWatchPersistent {
		return e.Path == p
	}
	return p == "/" || e.Path == p || strings.HasPrefix(e.Path, p+"/")
}
