package session

// Pipelined requests: a script sends later lines' requests without waiting
// for earlier replies. ZooKeeper applies one session's requests in the
// order they arrive, so sending in line order keeps the meaning of running
// the lines one by one. Each pipelined line holds a Turn; its request is
// queued in the library only once the previous line's turn has passed
// (its request queued, or the line finished without sending one).
//
// The library's blocking calls cannot say when a request has been queued,
// so the pipelined path queues through (*zk.Conn).queueRequest, linked like
// extops.go's request, with the library's own request and response structs
// (encoded by reflection in jute field order). Only Create, Set, Delete and
// watch-less Get, Exists and Children take this path, and only with a Turn
// in their context; everything else is unchanged.

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/go-zookeeper/zk"
)

// libResponse mirrors the library's response struct (zxid, err), the
// element type of the channel queueRequest returns.
type libResponse struct {
	zxid int64
	err  error
}

// connQueueRequest is (*zk.Conn).queueRequest. recvFunc really takes
// (*zk.request, *zk.responseHeader, error); both pointers are passed as
// pointers, which zkc never dereferences.
//
//go:linkname connQueueRequest github.com/go-zookeeper/zk.(*Conn).queueRequest
func connQueueRequest(c *zk.Conn, opcode int32, req interface{}, res interface{}, recvFunc func(unsafe.Pointer, unsafe.Pointer, error)) <-chan libResponse

// Opcodes of the pipelined reads (the writes' are in multiwrite.go, getData's
// in extops.go).
const (
	opExists       = 3
	opGetChildren2 = 12
)

type pathWatchRequest struct {
	Path  string
	Watch bool
}

type createResponse struct{ Path string }

type statResponse struct{ Stat zk.Stat }

type getDataResponse struct {
	Data []byte
	Stat zk.Stat
}

type getChildren2Response struct {
	Children []string
	Stat     zk.Stat
}

// ErrNotSent is a pipelined request that was not sent because its turn had
// passed (a retry would have overtaken later lines): nothing was applied.
var ErrNotSent = errors.New("not sent: the connection was lost before this line's request went out")

// Turn orders one line's request among pipelined lines.
type Turn struct {
	book *lineBook       // the paths of the lines in flight (pipelineloss.go)
	prev <-chan struct{} // closed when the previous line's turn passed
	done chan struct{}
	once sync.Once
	used atomic.Bool
	mark atomic.Uint64 // events received before the reply (0: no reply)
}

// Turns hands out turns in line order.
type Turns struct {
	last <-chan struct{}
	book *lineBook
}

// NewTurns starts a sequence of turns; the first needs no waiting.
func NewTurns() *Turns {
	c := make(chan struct{})
	close(c)
	return &Turns{last: c, book: newLineBook()}
}

// Next is the turn after the previous one handed out.
func (ts *Turns) Next() *Turn {
	t := &Turn{book: ts.book, prev: ts.last, done: make(chan struct{})}
	ts.last = t.done
	return t
}

// Pass lets the next line's request go; a line that sends nothing passes
// when it finishes.
func (t *Turn) Pass() { t.once.Do(func() { close(t.done) }) }

// EventMark is the number of session events received before this line's
// reply (0 when no reply came): the events a serial run would have printed
// by the end of this line.
func (t *Turn) EventMark() uint64 { return t.mark.Load() }

type turnKey struct{}

// WithTurn makes the pipelined operations under ctx wait for t.
func WithTurn(ctx context.Context, t *Turn) context.Context {
	return context.WithValue(ctx, turnKey{}, t)
}

func turnOf(ctx context.Context) *Turn {
	t, _ := ctx.Value(turnKey{}).(*Turn)
	return t
}

// sendInTurn queues one request once t's turn has come, passes the turn,
// and waits for the reply.
func (s *Session) sendInTurn(ctx context.Context, t *Turn, opcode int32, req, res interface{}) error {
	if !t.used.CompareAndSwap(false, true) {
		return ErrNotSent
	}
	select {
	case <-t.prev:
	case <-ctx.Done():
		t.Pass()
		return ctx.Err()
	}
	// recvFunc runs on the library's receive loop, where events are queued
	// too: the count read here is exact.
	ch := connQueueRequest(s.conn, opcode, req, res, func(unsafe.Pointer, unsafe.Pointer, error) {
		t.mark.Store(s.events.count())
	})
	t.Pass()
	select {
	case r := <-ch:
		return r.err
	case <-ctx.Done():
		return &sentCancel{err: ctx.Err()} // queued: it may be sent yet
	}
}

// pipelined runs one pipelined request through doOp (waiting for the
// session, credentials, lost-connection reporting) in t's turn. The result
// is decoded into a fresh res, handed back only once the reply is in.
// A request lost with the connection, or never sent, is finished the
// serial way by the caller where that cannot reorder it (pipelineloss.go);
// otherwise a write stays "may or may not have been applied".
func pipelined[T any](s *Session, ctx context.Context, t *Turn, op, path string, write bool, opcode int32, req interface{}) (*T, error) {
	r, err := callWith(s, ctx, op, write, true, func() (*T, error) {
		res := new(T)
		if err := s.sendInTurn(ctx, t, opcode, req, res); err != nil {
			return nil, err
		}
		return res, nil
	})
	var lost *LostError
	if errors.As(err, &lost) {
		lost.Path = path
	}
	// Ctrl-C leaves up to a window of lines in flight, and more waiting
	// for their turn: each says which node, and whether it was sent.
	var intr *InterruptedError
	switch {
	case errors.As(err, &intr):
		intr.Path = path
	case errors.Is(err, context.Canceled):
		err = &NotSentError{Op: op, Path: path, Write: write, Err: err}
	}
	return r, err
}
