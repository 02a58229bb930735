package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zkc-cli/zkc/session"
)

// watchWaiter makes a one-shot `get -w`/`ls -w`/`stat -w` useful: after the
// result it waits for the watch's event, prints it and returns ("wait until
// this changes"). In the shell and in scripts the event is printed by the
// shell's event printer instead, so await returns at once there.
type watchWaiter struct {
	env     *Env
	events  chan session.Event
	unsub   func()
	path    string
	timeout time.Duration // the session timeout: how long to wait for a lost server
}

func newWatchWaiter(env *Env, s Client, p string) *watchWaiter {
	if env.Mode != ModeOneShot {
		return nil
	}
	w := &watchWaiter{env: env, events: make(chan session.Event, 64), path: p, timeout: s.Timeout()}
	w.unsub = s.Subscribe(func(e session.Event) {
		select {
		case w.events <- e:
		default:
		}
	})
	return w
}

// deprecatedWatch takes zkCli's old trailing watch argument (`get path
// watch`): it warns as zkCli does and turns the watch on.
func deprecatedWatch(env *Env, c *Command, args []string, watch *bool, modern string) {
	if len(args) == 2 {
		fmt.Fprintf(env.Err, "'%s path [watch]' has been deprecated. Please use '%s' instead.\n", c.Name, modern)
		*watch = true
	}
}

// watchedClient validates p and opens the session; with watch it also arms
// a waiter for p's first event (the caller defers its stop; a nil waiter
// does nothing).
func watchedClient(ctx context.Context, env *Env, p string, watch bool) (Client, *watchWaiter, error) {
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return nil, nil, err
	}
	var wait *watchWaiter
	if watch {
		wait = newWatchWaiter(env, s, p)
	}
	return s, wait, nil
}

func (w *watchWaiter) stop() {
	if w != nil {
		w.unsub()
	}
}

// await blocks until the watch fires, the session is lost, or ctx ends.
func (w *watchWaiter) await(ctx context.Context) error {
	if w == nil {
		return nil
	}
	// A server that never comes back would otherwise keep zkc waiting
	// forever: past the session timeout the session is gone anyway.
	var lost <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil // Ctrl-C while waiting is the normal way out
		case <-lost:
			return Errorf(ExitConnection, "zkc: no ZooKeeper server reachable for %v (the session timeout): the watch on %s is lost", w.timeout, w.path)
		case e := <-w.events:
			if e.IsSession() {
				switch e.State {
				case session.KeeperDisconnected:
					if lost == nil {
						lost = time.After(w.timeout)
					}
					continue
				case session.KeeperSyncConnected, session.KeeperConnectedReadOnly:
					lost = nil // the library re-sent the watch
					continue
				}
				return Errorf(ExitConnection, "session %s: the watch on %s is gone", strings.ToLower(e.State), w.path)
			}
			if e.Type == session.EventNotWatching || e.Internal {
				continue
			}
			return w.env.Print(EventRecord(e))
		}
	}
}
