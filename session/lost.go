package session

import (
	"context"
	"errors"
	"io"
	"net"
	"time"

	"github.com/go-zookeeper/zk"
)

// LostError is a write that was sent (or may have been) when the
// connection dropped, whose outcome reading the server could not settle
// (resolve.go): the server may have applied it or not. It unwraps to the
// library's error (zk.ErrConnectionClosed).
type LostError struct {
	Op    string // "create", "set", "delete"...; "" when unnamed
	Path  string // the user's path, "" when the request has none
	Write bool   // a write: its outcome is unknown
	Err   error
}

func (e *LostError) Error() string {
	op := e.Op
	if op == "" {
		op = "request"
	}
	if e.Path != "" {
		op += " of " + e.Path
	}
	if e.Write {
		return "connection lost; the " + op + " may or may not have been applied"
	}
	return "connection lost; the " + op + " got no answer"
}

func (e *LostError) Unwrap() error { return e.Err }

// NotSentError is a pipelined request cancelled (Ctrl-C) while it waited
// for its turn or for a connection: it was never sent, so nothing was
// applied. It unwraps to the context's error.
type NotSentError struct {
	Op, Path string
	Write    bool
	Err      error
}

func (e *NotSentError) Error() string {
	msg := "interrupted before the " + e.Op + " of " + e.Path + " was sent"
	if e.Write {
		msg += "; it was not applied"
	}
	return msg
}

func (e *NotSentError) Unwrap() error { return e.Err }

// InterruptedError is a request cancelled (Ctrl-C) after it was handed to
// the library: a write may have reached the server and be applied when it
// answers, so, as for a lost connection, its outcome is unknown. It unwraps
// to the context's error. A request cancelled while it still waited for a
// connection was never sent and is a plain context.Canceled.
type InterruptedError struct {
	Op    string
	Path  string // set where many requests are in flight (a piped script)
	Write bool
	Err   error
}

func (e *InterruptedError) Error() string {
	op := e.Op
	if op == "" {
		op = "request"
	}
	if e.Path != "" {
		op += " of " + e.Path
	}
	if e.Write {
		return "interrupted; the " + op + " may or may not have been applied"
	}
	return "interrupted"
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// connLost reports whether err means the connection dropped under a request
// that had been handed to the library: ErrConnectionClosed for requests in
// flight, or the raw write error when the socket died while sending.
func connLost(err error) bool {
	if errors.Is(err, zk.ErrConnectionClosed) || errors.Is(err, io.EOF) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op)
}

// doOp is do for a named operation. A request the library never sent
// (zk.ErrNoServer: it failed over every host while the request waited in its
// queue) is retried while the session timeout allows, because it cannot have
// been applied; so is a read lost in flight, because reading twice is
// harmless. A write lost in flight becomes a LostError, which callW tries
// to settle by reading the server, because a blindly re-sent create could
// run twice.
func (s *Session) doOp(ctx context.Context, op string, write bool, fn func() error) error {
	return s.doOpWith(ctx, op, write, false, fn)
}

// doOpWith is doOp; fnWatchesCtx as for callWith.
func (s *Session) doOpWith(ctx context.Context, op string, write, fnWatchesCtx bool, fn func() error) error {
	deadline := time.Now().Add(s.opts.Timeout)
	for {
		err := s.do(ctx, fn, fnWatchesCtx)
		retry := time.Now().Before(deadline) && ctx.Err() == nil && !s.Closed()
		switch {
		case err == nil:
			return nil
		case errors.Is(err, zk.ErrNoServer) && retry:
			// do waits for the next session first; the pause only guards
			// against spinning should the library fail at once again.
			time.Sleep(20 * time.Millisecond)
			continue
		case connLost(err) && !write && retry && !s.opts.Auxiliary:
			// do waits for a newer connection than the one that was lost.
			continue
		case connLost(err) && !s.Closed():
			return &LostError{Op: op, Write: write, Err: err}
		}
		var sent *sentCancel
		if errors.As(err, &sent) {
			return &InterruptedError{Op: op, Write: write, Err: sent.err}
		}
		return err
	}
}
