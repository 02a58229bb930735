package session

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// A pipelined line whose request went down with the connection (LostError)
// or never went out (ErrNotSent) is finished the serial way (settled by
// reading the server, sent again if not applied: resolve.go) when that
// cannot reorder it against another line: no other line in flight touches
// its path, an ancestor or a descendant, and no new line is sent until it is
// done. Otherwise it keeps its unknown or unsent outcome.
//
// Lines on unrelated paths commute, so finishing one after later lines does
// not change the result of the script (the lines in flight when a member
// dies are typically creates or sets of distinct nodes). A sequential
// create also holds its parent, whose child count names it.

// lineBook counts the paths of the pipelined lines in flight.
type lineBook struct {
	mu       sync.Mutex
	cond     *sync.Cond
	paths    map[string]int
	settling int // lines being finished serially: no new line goes out
}

func newLineBook() *lineBook {
	b := &lineBook{paths: map[string]int{}}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// hold registers a line's paths until the returned func is called. A line
// waits here while another one is being finished serially.
func (t *Turn) hold(keys ...string) (release func()) {
	b := t.book
	b.mu.Lock()
	for b.settling > 0 {
		b.cond.Wait()
	}
	for _, k := range keys {
		b.paths[k]++
	}
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		for _, k := range keys {
			if b.paths[k]--; b.paths[k] <= 0 {
				delete(b.paths, k)
			}
		}
		b.mu.Unlock()
	}
}

// serially reports whether a line that ended with err is to be finished the
// serial way; then new lines wait until done is called, once it is. done
// also marks the events received by then (the reconnection's) as printed
// before the line's output, as in a serial run.
func (s *Session) serially(t *Turn, err error, keys ...string) (done func(), ok bool) {
	if !errors.As(err, new(*LostError)) && !errors.Is(err, ErrNotSent) {
		return nil, false
	}
	b := t.book
	b.mu.Lock()
	defer b.mu.Unlock()
	own := map[string]int{}
	for _, k := range keys {
		own[k]++
	}
	for k, n := range b.paths {
		if n-own[k] <= 0 {
			continue // only this line holds k
		}
		for _, mine := range keys {
			if k == mine || related(k, mine) {
				return nil, false
			}
		}
	}
	b.settling++
	return func() {
		t.mark.Store(s.events.count())
		b.mu.Lock()
		b.settling--
		b.cond.Broadcast()
		b.mu.Unlock()
	}, true
}

// related reports whether one path is an ancestor of the other.
func related(a, b string) bool {
	under := func(p, anc string) bool {
		return anc == "/" && p != "/" || strings.HasPrefix(p, anc+"/")
	}
	return under(a, b) || under(b, a)
}

// withoutTurn is ctx for the serial way.
func withoutTurn(ctx context.Context) context.Context {
	return context.WithValue(ctx, turnKey{}, (*Turn)(nil))
}

// finishSerially finishes a pipelined write that ended with err (first sent
// when sent was taken): one never sent is sent now; a lost one is settled.
func finishSerially[T any](s *Session, ctx context.Context, op, path string, sent sentAt, err error,
	fn func() (T, error), settle func(context.Context, sentAt) (resolution[T], error)) (T, error) {
	ctx = withoutTurn(ctx)
	if errors.Is(err, ErrNotSent) {
		return callW(s, ctx, op, path, fn, settle)
	}
	var zero T
	return settleLost(s, ctx, op, path, sent, zero, err, fn, settle)
}
