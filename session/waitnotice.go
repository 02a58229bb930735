package session

import (
	"context"
	"time"
)

// WaitNotice is told that a request has waited a while for a connection:
// target names the server(s), reason why the last attempt failed ("" when
// none failed yet, e.g. a server that accepts but does not answer).
type WaitNotice func(target, reason string)

type waitNoticeKey struct{}

// waitNoticeAfter is how long a request waits before its notice.
const waitNoticeAfter = time.Second

// WithWaitNotice returns a context whose requests call n once they have
// waited a second for a connection (the shell then says so, instead of
// waiting in silence until the timeout).
func WithWaitNotice(ctx context.Context, n WaitNotice) context.Context {
	return context.WithValue(ctx, waitNoticeKey{}, n)
}

// noticeWaiting arms ctx's WaitNotice, if any, for a wait that starts now;
// ready is checked with s.mu held. Call the returned func when done.
func (s *Session) noticeWaiting(ctx context.Context, ready func() bool) (stop func()) {
	n, _ := ctx.Value(waitNoticeKey{}).(WaitNotice)
	if n == nil {
		return func() {}
	}
	t := time.AfterFunc(waitNoticeAfter, func() {
		s.mu.Lock()
		if ready() || s.closed || ctx.Err() != nil {
			s.mu.Unlock()
			return
		}
		target, reason := s.opts.Target.HostList(), ""
		if len(s.opts.Target.Hosts) > 1 {
			target = "any of " + target
		}
		if s.lastDialErr != nil {
			reason = describeDialError(s.lastDialErr)
			if len(s.opts.Target.Hosts) > 1 {
				reason = "last: " + s.lastDialTo + ": " + reason
			}
		}
		s.mu.Unlock()
		n(target, reason)
	})
	return func() { t.Stop() }
}
