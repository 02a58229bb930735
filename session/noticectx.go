package session

import "context"

type noticeKey struct{}

// WithNotice makes the writes sent with ctx tell fn, instead of the
// session's Notice, how a write lost with its connection was settled.
// Recursive commands count these and report them once, rather than a line
// per node in the middle of their own report.
func WithNotice(ctx context.Context, fn func(msg string)) context.Context {
	return context.WithValue(ctx, noticeKey{}, fn)
}

// noticeCtx is notice for a write sent with ctx.
func (s *Session) noticeCtx(ctx context.Context, msg string) {
	if fn, ok := ctx.Value(noticeKey{}).(func(string)); ok && fn != nil {
		fn(msg)
		return
	}
	s.notice(msg)
}
