package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// Shared by the recursive writes (deleteall, setAcl -R): requests that are
// safe to repeat are re-sent after a reconnect, so a command finishes when
// its session survives a failover, and a count of nodes says how far it got.

// interruptGrace is how long a cancelled recursive write waits for the
// requests already sent, so that its count of what was done is exact.
const interruptGrace = 2 * time.Second

// connectionDropped reports a failure that a reconnect may cure: the request
// was lost with its connection, or never reached a server.
func connectionDropped(err error) bool {
	var lost *session.LostError
	return errors.As(err, &lost) || errors.Is(err, zk.ErrConnectionClosed) || errors.Is(err, zk.ErrNoServer) ||
		errors.Is(err, zk.ErrSessionMoved)
}

// outcomeUnknown says why a write's outcome is unknown ("connection lost",
// "session expired", "interrupted"), or "" when err is the server's answer.
func outcomeUnknown(err error) string {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "interrupted"
	case errors.Is(err, zk.ErrSessionExpired):
		return "session expired"
	case connectionDropped(err), errors.Is(err, zk.ErrClosing), errors.Is(err, session.ErrNotConnected):
		return "connection lost"
	}
	return ""
}

// resender re-sends idempotent requests after a reconnect, within one session
// timeout of waiting per request. It counts the requests lost with a
// connection and then re-sent, or settled by the session (which reads the
// server to learn whether a lost write was applied): the commands report
// that count once instead of a line per node.
type resender struct {
	s      *session.Session
	resent atomic.Int64
}

// quiet makes ctx's writes report their settled outcomes to r's count.
func (r *resender) quiet(ctx context.Context) context.Context {
	return session.WithNotice(ctx, func(string) { r.resent.Add(1) })
}

// note is the closing line of a command that finished after re-sending.
func (r *resender) note(env *Env, command string) {
	switch n := r.resent.Load(); {
	case n == 1:
		fmt.Fprintf(env.Err, "%s: the connection was lost; 1 request was re-sent or settled after the reconnect\n", command)
	case n > 1:
		fmt.Fprintf(env.Err, "%s: the connection was lost; %s requests were re-sent or settled after the reconnect\n", command, count(int(n)))
	}
}

// do runs fn, and again after each reconnect while it fails for a dropped
// connection. fn must be safe to repeat (a read, a delete, an unconditional
// setACL). The last error is returned when the session does not come back.
func (r *resender) do(ctx context.Context, fn func() error) error {
	var deadline time.Time
	for {
		err := fn()
		if err == nil || !connectionDropped(err) || ctx.Err() != nil {
			return err
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(2 * r.s.Timeout())
		}
		if time.Now().After(deadline) {
			return err
		}
		wctx, cancel := context.WithDeadline(ctx, deadline)
		werr := r.s.WaitConnected(wctx)
		cancel()
		if werr != nil {
			return err
		}
		r.resent.Add(1)
	}
}

// resendingReader is the walker's view of the session with every read
// re-sent after a reconnect: a walk survives a failover and re-lists what it
// was listing.
type resendingReader struct{ r *resender }

func (rr resendingReader) Children(ctx context.Context, p string, watch bool) (kids []string, st *zk.Stat, err error) {
	err = rr.r.do(ctx, func() (e error) { kids, st, e = rr.r.s.Children(ctx, p, watch); return })
	return
}

func (rr resendingReader) MultiReadInto(ctx context.Context, ops []session.ReadOp, into []session.ReadResult) (res []session.ReadResult, err error) {
	err = rr.r.do(ctx, func() (e error) {
		res, e = rr.r.s.MultiReadInto(ctx, ops, into)
		if e != nil {
			into = nil // a late reply may still be decoded into it
		}
		return
	})
	return
}

func (rr resendingReader) Get(ctx context.Context, p string, watch bool) (data []byte, st *zk.Stat, err error) {
	err = rr.r.do(ctx, func() (e error) { data, st, e = rr.r.s.Get(ctx, p, watch); return })
	return
}

func (rr resendingReader) GetACL(ctx context.Context, p string) (acl []zk.ACL, st *zk.Stat, err error) {
	err = rr.r.do(ctx, func() (e error) { acl, st, e = rr.r.s.GetACL(ctx, p); return })
	return
}

// subtreeSize counts root and its descendants with one request
// (getAllChildrenNumber, ZooKeeper 3.6+); 0 when the server cannot say.
// The count is the server's at that moment: writers may change it after.
func subtreeSize(ctx context.Context, r *resender, root string) (int, error) {
	var n int32
	err := r.do(ctx, func() (e error) { n, e = r.s.GetAllChildrenNumber(ctx, root); return })
	if errors.Is(err, zk.ErrNoNode) || errors.Is(err, context.Canceled) {
		return 0, err
	}
	if err != nil {
		return 0, nil
	}
	return int(n) + 1, nil
}

// requestContext is the context recursive writes send with: Ctrl-C (ctx)
// stops new requests at once, but those already sent get interruptGrace to
// answer, so the count of what was done stays exact. stop ends the grace.
func requestContext(ctx context.Context) (reqCtx context.Context, stop func()) {
	reqCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	after := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(interruptGrace, cancel)
		context.AfterFunc(reqCtx, func() { t.Stop() })
	})
	return reqCtx, func() { after(); cancel() }
}

// stillExists reports how root stands after a recursive delete stopped
// early: "still exists", "is gone", or "may still exist" when the server
// cannot be asked (the command's context may be cancelled already).
func stillExists(s *session.Session, root string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ok, _, err := s.Exists(ctx, root, false)
	switch {
	case err != nil:
		return root + " may still exist", true
	case ok:
		return root + " still exists", true
	}
	return root + " is gone", false
}

// count writes n with thousands separators (9,990), as the reports do.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ofTotal is "N of TOTAL nodes" (or "N nodes" when the total is unknown).
func ofTotal(n, total int) string {
	if total <= 0 {
		if n == 1 {
			return "1 node"
		}
		return count(n) + " nodes"
	}
	return count(n) + " of " + count(max(total, n)) + " nodes"
}
