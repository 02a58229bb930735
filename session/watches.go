package session

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kinds of one-shot watch, as the library registers them: a data watch (get
// -w, stat -w on an existing node), an exists watch (stat -w on a missing
// node) and a child watch (ls -w).
const (
	kindData uint8 = 1 << iota
	kindExist
	kindChild
)

// watchRegistry is zkc's own record of the watches it set, because the library
// forgets persistent watches on every reconnect and cannot remove watches:
//   - persistent watches are re-added on each new connection;
//   - removewatches checks it first, as the Java client does (so "No such
//     watcher" needs no round trip), and fires the *WatchRemoved events;
//   - a removed one-shot watch stays registered in the library, which re-sends
//     it after a reconnect; its event is then dropped here (stale), and a
//     locally removed (-l) watch the server still holds is dropped the same way;
//   - after session expiry it names the watches that were lost;
//   - completion's own child watches (quiet) are told apart from the user's,
//     so their events refresh the completion cache without being printed.
type watchRegistry struct {
	mu      sync.Mutex
	modes   map[string]int32 // server path -> AddWatch mode
	oneShot map[string]uint8 // server path -> armed kinds
	// stale: removed one-shot watches the server may still fire.
	stale map[string]uint8
	// stalePersistent: persistent watches removed locally (-l) that the
	// server keeps until the connection is replaced.
	stalePersistent map[string]int32
	// quiet: server paths with a pending child watch set by completion.
	quiet map[string]bool
}

func newWatchRegistry() *watchRegistry {
	return &watchRegistry{modes: map[string]int32{}, oneShot: map[string]uint8{},
		stale: map[string]uint8{}, stalePersistent: map[string]int32{}, quiet: map[string]bool{}}
}

// armQuiet records a completion child watch on p; it reports false when one
// is already pending there (the server holds one child watch per path, and
// the library would keep a channel for every request).
func (r *watchRegistry) armQuiet(p string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.quiet[p] {
		return false
	}
	r.quiet[p] = true
	return true
}

func (r *watchRegistry) disarmQuiet(p string) {
	r.mu.Lock()
	delete(r.quiet, p)
	r.mu.Unlock()
}

func (r *watchRegistry) set(p string, mode int32) {
	r.mu.Lock()
	r.modes[p] = mode
	delete(r.stalePersistent, p)
	r.mu.Unlock()
}

// armed records a one-shot watch the server accepted.
func (r *watchRegistry) armed(p string, kind uint8) {
	r.mu.Lock()
	r.oneShot[p] |= kind
	if r.stale[p] &^= kind; r.stale[p] == 0 {
		delete(r.stale, p)
	}
	r.mu.Unlock()
}

func (r *watchRegistry) snapshot() map[string]int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int32, len(r.modes))
	for p, m := range r.modes {
		out[p] = m
	}
	return out
}

// triggers is which one-shot kinds an event type fires (and clears), as the
// library's notifyWatches and the server do.
func triggers(typ string) uint8 {
	switch typ {
	case "NodeCreated":
		return kindExist
	case "NodeDataChanged":
		return kindExist | kindData
	case "NodeChildrenChanged":
		return kindChild
	case "NodeDeleted":
		return kindExist | kindData | kindChild
	}
	return 0
}

// covers reports whether a persistent watch on wp with mode fires typ on p.
func covers(wp string, mode int32, p, typ string) bool {
	if mode == AddWatchPersistent {
		return wp == p
	}
	if typ == "NodeChildrenChanged" {
		return false // recursive watches never fire it
	}
	return wp == p || wp == "/" || strings.HasPrefix(p, wp+"/")
}

func coveredBy(m map[string]int32, p, typ string) bool {
	for wp, mode := range m {
		if covers(wp, mode, p, typ) {
			return true
		}
	}
	return false
}

// deliver updates the registry for a node event on server path p and reports
// whether the event belongs to a live watch. Only events known to come from a
// removed watch are dropped; anything else is delivered. internal says the
// event is only completion's (no watch of the user's fired).
func (r *watchRegistry) deliver(p, typ string) (ok, internal bool) {
	k := triggers(typ)
	if k == 0 {
		return true, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	quiet := k&kindChild != 0 && r.quiet[p]
	if quiet {
		delete(r.quiet, p)
	}
	had := r.oneShot[p] & k
	if had != 0 {
		if r.oneShot[p] &^= k; r.oneShot[p] == 0 {
			delete(r.oneShot, p)
		}
	}
	if had != 0 || coveredBy(r.modes, p, typ) {
		return true, false
	}
	if st := r.stale[p] & k; st != 0 {
		if r.stale[p] &^= k; r.stale[p] == 0 {
			delete(r.stale, p)
		}
		return quiet, quiet
	}
	if quiet {
		return true, true
	}
	return !coveredBy(r.stalePersistent, p, typ), false
}

// newConnection forgets the locally removed persistent watches: a new
// connection does not carry them.
func (r *watchRegistry) newConnection() {
	r.mu.Lock()
	r.stalePersistent = map[string]int32{}
	r.mu.Unlock()
}

// LostWatch is a watch that ended with its session.
type LostWatch struct {
	Path string // user path
	Kind string // data, exists, children, persistent, persistent_recursive
}

// expire forgets the one-shot watches (the new session the library opens has
// none of them) and returns them, sorted, with the persistent watches, which
// stay recorded and are re-added on the new session like after any
// reconnect (events in between are gone).
func (r *watchRegistry) expire(strip func(string) string) (lost, readded []LostWatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []LostWatch
	for p, k := range r.oneShot {
		for _, kk := range []struct {
			bit  uint8
			name string
		}{{kindData, "data"}, {kindExist, "exists"}, {kindChild, "children"}} {
			if k&kk.bit != 0 {
				out = append(out, LostWatch{strip(p), kk.name})
			}
		}
	}
	for p, m := range r.modes {
		readded = append(readded, LostWatch{strip(p), AddWatchModeName(m)})
	}
	r.oneShot, r.quiet = map[string]uint8{}, map[string]bool{}
	r.stale, r.stalePersistent = map[string]uint8{}, map[string]int32{}
	sortWatches(out)
	sortWatches(readded)
	return out, readded
}

func sortWatches(w []LostWatch) {
	sort.Slice(w, func(i, j int) bool {
		if w[i].Path != w[j].Path {
			return w[i].Path < w[j].Path
		}
		return w[i].Kind < w[j].Kind
	})
}

// AddWatchModeName is the mode's name as zkc's -m flag spells it.
func AddWatchModeName(m int32) string {
	if m == AddWatchPersistent {
		return "persistent"
	}
	return "persistent_recursive"
}

// removal is what a removeWatches call takes away, by zkc's record.
type removal struct {
	kinds      uint8 // one-shot kinds
	persistent bool
}

func (r *watchRegistry) planLocked(p string, typ int32) removal {
	var rm removal
	k := r.oneShot[p]
	mode, hasP := r.modes[p]
	switch typ {
	case WatcherChildren:
		rm.kinds = k & kindChild
	case WatcherData:
		rm.kinds = k & (kindData | kindExist)
	case WatcherAny:
		rm.kinds, rm.persistent = k, hasP
	case WatcherPersistent:
		rm.persistent = hasP && mode == AddWatchPersistent
	case WatcherPersistentRecursive:
		rm.persistent = hasP && mode == AddWatchPersistentRecursive
	}
	return rm
}

func (r *watchRegistry) plan(p string, typ int32) removal {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.planLocked(p, typ)
}

// apply drops what rm names from the record; removed one-shot watches become
// stale (the library may re-send them), and with local a removed persistent
// watch stays stale until the next connection.
func (r *watchRegistry) apply(p string, rm removal, local bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rm.kinds != 0 {
		if r.oneShot[p] &^= rm.kinds; r.oneShot[p] == 0 {
			delete(r.oneShot, p)
		}
		r.stale[p] |= rm.kinds
	}
	if rm.persistent {
		if local {
			r.stalePersistent[p] = r.modes[p]
		}
		delete(r.modes, p)
	}
}

// AddWatch adds a persistent (recursive) watch on p (opcode 106) and records
// it so that it is re-added after reconnects. Adding a watch twice is
// harmless, so one lost with its connection is sent again, as a read is.
func (s *Session) AddWatch(ctx context.Context, p string, mode int32) error {
	return s.doOp(ctx, "addWatch", false, func() error {
		if err := s.rawAddWatch(s.abs(p), mode); err != nil {
			return err
		}
		s.persistent.set(s.abs(p), mode)
		return nil
	})
}

// errMarshalling is the server's reply to a watcher type it does not know
// (ZooKeeper before 3.9 has no removeWatches types 4 and 5).
const errMarshalling = "unknown error: -5"

// RemoveWatches removes watches of the given type on p (opcode 18) and fires
// the DataWatchRemoved / ChildWatchRemoved / PersistentWatchRemoved events, as
// the Java client does. Like the Java client it first checks zkc's own record:
// a watch zkc did not set is ErrNoWatcher without a round trip. With local,
// only zkc's record is changed (zkCli's -l): the server keeps the watch, whose
// events zkc then drops.
func (s *Session) RemoveWatches(ctx context.Context, p string, typ int32, local bool) error {
	sp := s.abs(p)
	rm := s.persistent.plan(sp, typ)
	if rm.kinds == 0 && !rm.persistent {
		return ErrNoWatcher
	}
	if !local {
		// Lost with its connection, it is sent again. The library re-sets
		// its watches on the new connection in the background, so the
		// second try may find the watch not there (yet): it is gone from
		// the server either way, which is what was asked.
		var tries atomic.Int32
		err := s.doOp(ctx, "removewatches", false, func() error {
			err := s.rawRemoveWatches(sp, typ)
			if err != nil && err.Error() == errMarshalling && (typ == WatcherPersistent || typ == WatcherPersistentRecursive) {
				// ZooKeeper 3.8 and older: remove everything on the path,
				// then re-arm the one-shot watches that were not meant.
				if err = s.rawRemoveWatches(sp, WatcherAny); err == nil {
					s.rearmOneShot(sp)
				}
			}
			if tries.Add(1) > 1 && errors.Is(mapUnknown(err), ErrNoWatcher) {
				return nil
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	s.persistent.apply(sp, rm, local)
	now := time.Now()
	push := func(typ string) {
		s.events.push(Event{Type: typ, State: KeeperSyncConnected, Path: p, Received: now})
	}
	if rm.kinds&(kindData|kindExist) != 0 {
		push("DataWatchRemoved")
	}
	if rm.kinds&kindChild != 0 {
		push("ChildWatchRemoved")
	}
	if rm.persistent {
		push("PersistentWatchRemoved")
	}
	return nil
}

// rearmOneShot re-sets the one-shot watches zkc holds on sp (server path)
// after a removeWatches of every kind. Best effort: a change between the two
// requests is missed, which only happens on servers without types 4 and 5.
func (s *Session) rearmOneShot(sp string) {
	s.persistent.mu.Lock()
	k := s.persistent.oneShot[sp]
	s.persistent.mu.Unlock()
	if k&kindData != 0 {
		_, _, _, _ = s.conn.GetW(sp)
	}
	if k&kindExist != 0 {
		_, _, _, _ = s.conn.ExistsW(sp)
	}
	if k&kindChild != 0 {
		_, _, _, _ = s.conn.ChildrenW(sp)
	}
}

// PersistentWatches lists the persistent watches zkc keeps armed (user paths), sorted.
func (s *Session) PersistentWatches() []string {
	m := s.persistent.snapshot()
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, s.strip(p))
	}
	sort.Strings(out)
	return out
}

// noteWatch records a one-shot watch set by a successful Get/Exists/Children
// with watch; exists on a missing node leaves an exists watch.
func (s *Session) noteWatch(p string, kind uint8) { s.persistent.armed(s.abs(p), kind) }

// CompletionChildren reads p's children for completion and leaves a child
// watch whose event is marked Internal: it refreshes completion's cache when
// another client changes p, and is never printed. While one is pending on p,
// the read sets none.
func (s *Session) CompletionChildren(ctx context.Context, p string) ([]string, error) {
	sp := s.abs(p)
	// Armed before the request: the event can follow its response at once.
	if !s.persistent.armQuiet(sp) {
		kids, _, err := s.Children(ctx, p, false)
		return kids, err
	}
	kids, err := call(s, ctx, "ls", false, func() ([]string, error) {
		kids, _, _, err := s.conn.ChildrenW(sp)
		return kids, err
	})
	if err != nil {
		s.persistent.disarmQuiet(sp)
	}
	return kids, err
}

func (s *Session) rearmPersistent() {
	s.persistent.newConnection()
	for p, mode := range s.persistent.snapshot() {
		if s.Closed() {
			return
		}
		// Best effort: a failure here means the connection dropped again, and
		// the next connection re-arms them once more.
		_ = s.rawAddWatch(p, mode)
	}
}
