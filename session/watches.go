package session

import (
	"context"
	"sort"
	"sync"
)

// watchRegistry remembers the persistent watches zkc added, because the
// library forgets them on every reconnect: zkc re-adds them on each new
// connection.
type watchRegistry struct {
	mu    sync.Mutex
	modes map[string]int32 // server path -> AddWatch mode
}

func newWatchRegistry() *watchRegistry { return &watchRegistry{modes: map[string]int32{}} }

func (r *watchRegistry) set(p string, mode int32) {
	r.mu.Lock()
	r.modes[p] = mode
	r.mu.Unlock()
}

func (r *watchRegistry) remove(p string, typ int32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	mode, ok := r.modes[p]
	if !ok {
		return
	}
	switch {
	case typ == WatcherAny,
		typ == WatcherPersistent && mode == AddWatchPersistent,
		typ == WatcherPersistentRecursive && mode == AddWatchPersistentRecursive:
		delete(r.modes, p)
	}
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

// AddWatch adds a persistent (recursive) watch on p (opcode 106) and records
// it so that it is re-added after reconnects.
func (s *Session) AddWatch(ctx context.Context, p string, mode int32) error {
	return s.do(ctx, func() error {
		if err := s.rawAddWatch(s.abs(p), mode); err != nil {
			return err
		}
		s.persistent.set(s.abs(p), mode)
		return nil
	})
}

// RemoveWatches removes watches of the given type on p (opcode 18). With
// local, only zkc's own record is dropped (no server call), as zkCli's -l.
func (s *Session) RemoveWatches(ctx context.Context, p string, typ int32, local bool) error {
	if local {
		s.persistent.remove(s.abs(p), typ)
		return nil
	}
	return s.do(ctx, func() error {
		if err := s.rawRemoveWatches(s.abs(p), typ); err != nil {
			return err
		}
		s.persistent.remove(s.abs(p), typ)
		return nil
	})
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

func (s *Session) rearmPersistent() {
	for p, mode := range s.persistent.snapshot() {
		if s.Closed() {
			return
		}
		// Best effort: a failure here means the connection dropped again, and
		// the next connection re-arms them once more.
		_ = s.rawAddWatch(p, mode)
	}
}
