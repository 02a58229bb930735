package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zpath"
)

// A write lost with its connection (LostError) is settled by reading the
// server once the session is back, where the protocol allows it:
//
//   - The read is preceded by a sync, which the leader answers only after
//     every proposal it had at that moment is committed. A lost request that
//     reached the leader is ordered before the sync; one that reaches it
//     later (a frozen member resuming) comes from a server that no longer
//     owns the session and is refused (SessionMoved). So after the sync the
//     read shows whether the write took effect.
//   - Every reply carries the server's last zxid, and frameConn keeps the
//     highest one seen. A node whose czxid/mzxid is at most that bound from
//     before the first send was created/changed before the write was sent,
//     so the write cannot have made it.
//
// A write shown not applied is sent again, and the server's answer to it is
// the command's (a create of a node that existed before gets NodeExists, as
// it would have). A write shown applied returns what it would have. The rest
// (sequential creates, a node recreated or changed again since) stays a
// LostError: "may or may not have been applied".

// verdict is what reading the server says about a lost write.
type verdict int

const (
	unknownOutcome verdict = iota // cannot be known: report "may or may not"
	wasApplied                    // the server shows the write
	notApplied                    // it does not: send it again
)

// resolution is a settle func's answer: the verdict, what the call returns
// when the write was applied, and why, for the user. A write not applied
// whose fate is already known (a create of a node that existed before) has
// err, the server's answer it would have had; it is not sent again.
type resolution[T any] struct {
	verdict verdict
	result  T
	why     string
	err     error
}

// sentAt is what was known when a write was first sent.
type sentAt struct {
	zxid    int64 // the highest zxid seen: the write's own zxid is above it
	session int64
}

func (s *Session) sentAt() sentAt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sentAt{zxid: s.seenZxid.Load(), session: s.sessionID}
}

// maxResends bounds how often one write is sent again after losses.
const maxResends = 5

// callW is call for a write on path, settling a lost outcome with settle
// (nil: it stays unknown).
func callW[T any](s *Session, ctx context.Context, op, path string, fn func() (T, error),
	settle func(ctx context.Context, sent sentAt) (resolution[T], error)) (T, error) {
	// A request issued before the session is up (a script's first line)
	// is sent once it is: note the session it is sent on. do reports a
	// failure to get there.
	if s.SessionID() == 0 {
		_ = s.waitReady(ctx)
	}
	sent := s.sentAt()
	v, err := call(s, ctx, op, true, fn)
	return settleLost(s, ctx, op, path, sent, v, err, fn, settle)
}

// settleLost settles a write whose send (first made when sent was taken)
// ended with err: a LostError is settled by reading the server, and the
// write sent again (through fn) while it shows not applied.
func settleLost[T any](s *Session, ctx context.Context, op, path string, sent sentAt, v T, err error,
	fn func() (T, error), settle func(ctx context.Context, sent sentAt) (resolution[T], error)) (T, error) {
	for attempt := 0; ; attempt++ {
		var lost *LostError
		if !errors.As(err, &lost) {
			return v, err
		}
		lost.Path = path
		if settle == nil || attempt >= maxResends {
			return v, lost
		}
		// Settle on the next connection, and only where the request itself
		// could go on: after an expiry, a one-shot command fails as before.
		if s.waitReady(ctx) != nil || !s.mayContinueFrom(sent.session) {
			return v, lost
		}
		r, rerr := settleAfterSync(s, ctx, path, func() (resolution[T], error) { return settle(ctx, sent) })
		if rerr != nil {
			return v, lost
		}
		switch r.verdict {
		case wasApplied:
			s.noticeCtx(ctx, fmt.Sprintf("connection lost during the %s of %s; it was applied (%s)", op, path, r.why))
			return r.result, nil
		case notApplied:
			if r.err != nil {
				s.noticeCtx(ctx, fmt.Sprintf("connection lost during the %s of %s; it was not applied (%s)", op, path, r.why))
				var zero T
				return zero, r.err
			}
			s.noticeCtx(ctx, fmt.Sprintf("connection lost during the %s of %s; it was not applied (%s): sending it again", op, path, r.why))
			v, err = call(s, ctx, op, true, fn)
			continue
		}
		return v, lost
	}
}

// settleAfterSync syncs path's server with the leader, then reads.
func settleAfterSync[T any](s *Session, ctx context.Context, path string, read func() (resolution[T], error)) (resolution[T], error) {
	if err := s.Sync(ctx, path); err != nil {
		return resolution[T]{}, err
	}
	return read()
}

func (s *Session) notice(msg string) {
	if s.opts.Notice != nil {
		s.opts.Notice(msg)
	}
}

// settleCreate: absent, the create was not applied; present and older than
// the send, it existed before (NodeExists); present with this create's data
// (and, for an ephemeral node, this session as owner) and never changed, it
// was applied. A sequential name is not known: an ephemeral one is looked
// for among the session's own ephemeral nodes, a persistent one among the
// parent's children (settleSequential).
func (s *Session) settleCreate(p string, data []byte, mode CreateMode) func(context.Context, sentAt) (resolution[string], error) {
	if mode.Sequential && mode.Ephemeral {
		return s.settleSequentialEphemeral(p, data)
	}
	if mode.Sequential {
		return s.settleSequential(p, data)
	}
	return func(ctx context.Context, sent sentAt) (resolution[string], error) {
		got, stat, err := s.Get(ctx, p, false)
		switch {
		case errors.Is(err, zk.ErrNoNode):
			return resolution[string]{verdict: notApplied, why: "the node does not exist"}, nil
		case err != nil:
			return resolution[string]{}, err
		case stat.Czxid <= sent.zxid:
			return resolution[string]{verdict: notApplied, why: "the node existed before", err: zk.ErrNodeExists}, nil
		case mode.Ephemeral && stat.EphemeralOwner != sent.session:
			return resolution[string]{verdict: notApplied, why: "another session's node holds the path", err: zk.ErrNodeExists}, nil
		case stat.Version == 0 && bytes.Equal(got, data):
			return resolution[string]{verdict: wasApplied, result: s.abs(p), why: "the node exists with its data"}, nil
		case stat.Version == 0:
			return resolution[string]{verdict: notApplied, why: "another client created the node", err: zk.ErrNodeExists}, nil
		}
		return resolution[string]{}, nil
	}
}

// settleSequentialEphemeral: the session's ephemeral nodes named p… and
// created after the send (getEphemerals, ZooKeeper 3.6+): none, the create
// was not applied; one with its data, it was applied, under that name.
func (s *Session) settleSequentialEphemeral(p string, data []byte) func(context.Context, sentAt) (resolution[string], error) {
	return func(ctx context.Context, sent sentAt) (resolution[string], error) {
		if s.SessionID() != sent.session {
			// Expired: the session's ephemeral nodes went with it.
			return resolution[string]{verdict: notApplied, why: "the session that would own it has expired"}, nil
		}
		names, err := s.GetEphemerals(ctx, p)
		if err != nil {
			return resolution[string]{}, err
		}
		var made []string
		var same bool
		for _, n := range names {
			got, stat, err := s.Get(ctx, n, false)
			if errors.Is(err, zk.ErrNoNode) {
				continue
			}
			if err != nil {
				return resolution[string]{}, err
			}
			if stat.Czxid > sent.zxid {
				made = append(made, n)
				same = bytes.Equal(got, data) && stat.Version == 0
			}
		}
		switch {
		case len(made) == 0:
			return resolution[string]{verdict: notApplied, why: "the session has no new node named " + p + "…"}, nil
		case len(made) == 1 && same:
			return resolution[string]{verdict: wasApplied, result: s.abs(made[0]), why: "the session's new node " + made[0] + " has its data"}, nil
		}
		return resolution[string]{}, nil
	}
}

// settleSequential: the parent's children named p plus a sequence number
// that were created after the send. A child's number counts the parent's
// changes, so later children have higher numbers: they are read from the
// highest down until one is older than the send. None, the create was not
// applied; exactly one with its data, it was applied under that name (as
// for a named create, another client's identical node cannot be told
// apart); otherwise it stays unknown.
func (s *Session) settleSequential(p string, data []byte) func(context.Context, sentAt) (resolution[string], error) {
	parent, base := zpath.Parent(p), p[strings.LastIndexByte(p, '/')+1:]
	return func(ctx context.Context, sent sentAt) (resolution[string], error) {
		kids, _, err := s.Children(ctx, parent, false)
		if err != nil {
			return resolution[string]{}, err
		}
		var seq []string
		for _, k := range kids {
			if n, ok := strings.CutPrefix(k, base); ok && len(n) == 10 && strings.Trim(n, "0123456789") == "" {
				seq = append(seq, k)
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(seq)))
		var match []string
		newer := 0
		for _, k := range seq {
			full := strings.TrimSuffix(parent, "/") + "/" + k
			got, stat, err := s.Get(ctx, full, false)
			if errors.Is(err, zk.ErrNoNode) {
				continue
			}
			if err != nil {
				return resolution[string]{}, err
			}
			if stat.Czxid <= sent.zxid {
				break
			}
			newer++
			if bytes.Equal(got, data) && stat.Version == 0 && stat.EphemeralOwner == 0 {
				match = append(match, full)
			}
		}
		switch {
		case newer == 0:
			return resolution[string]{verdict: notApplied, why: "no node named " + p + "… was created since"}, nil
		case len(match) == 1:
			return resolution[string]{verdict: wasApplied, result: s.abs(match[0]), why: "the new node " + match[0] + " has its data"}, nil
		}
		return resolution[string]{}, nil
	}
}

// settleSet: unchanged since the send, the set was not applied; holding
// its data at the version it would have made, it was applied; at that
// version with other data, another write won (BadVersion).
func (s *Session) settleSet(p string, data []byte, version int32) func(context.Context, sentAt) (resolution[*zk.Stat], error) {
	return func(ctx context.Context, sent sentAt) (resolution[*zk.Stat], error) {
		got, stat, err := s.Get(ctx, p, false)
		switch {
		case errors.Is(err, zk.ErrNoNode):
			return resolution[*zk.Stat]{}, nil // deleted since: by then it may have been set or not
		case err != nil:
			return resolution[*zk.Stat]{}, err
		case stat.Mzxid <= sent.zxid:
			return resolution[*zk.Stat]{verdict: notApplied, why: "the node is unchanged"}, nil
		case bytes.Equal(got, data) && (version == -1 || stat.Version == version+1):
			return resolution[*zk.Stat]{verdict: wasApplied, result: stat, why: "the node holds its data"}, nil
		case version >= 0 && stat.Version == version+1:
			return resolution[*zk.Stat]{verdict: notApplied, why: "another write changed the version first", err: zk.ErrBadVersion}, nil
		}
		return resolution[*zk.Stat]{}, nil
	}
}

// settleDelete: gone, the delete was applied (or the node went another
// way: either way it is gone); still the node that was there at the send,
// it was not applied. A node created since leaves it unknown.
func (s *Session) settleDelete(p string) func(context.Context, sentAt) (resolution[struct{}], error) {
	return func(ctx context.Context, sent sentAt) (resolution[struct{}], error) {
		ok, stat, err := s.Exists(ctx, p, false)
		switch {
		case err != nil:
			return resolution[struct{}]{}, err
		case !ok:
			return resolution[struct{}]{verdict: wasApplied, why: "the node is gone"}, nil
		case stat.Czxid <= sent.zxid:
			return resolution[struct{}]{verdict: notApplied, why: "the node is still there"}, nil
		}
		return resolution[struct{}]{}, nil
	}
}

// settleSetACL: the ACL in place, it was applied; an unconditional setAcl
// is otherwise sent again (setting an ACL twice is harmless); with a
// version, the ACL version unchanged means not applied, one past it with
// another ACL means another write won (BadVersion).
func (s *Session) settleSetACL(p string, acl []zk.ACL, version int32) func(context.Context, sentAt) (resolution[*zk.Stat], error) {
	return func(ctx context.Context, _ sentAt) (resolution[*zk.Stat], error) {
		got, stat, err := s.GetACL(ctx, p)
		switch {
		case errors.Is(err, zk.ErrNoNode):
			return resolution[*zk.Stat]{}, nil
		case err != nil:
			return resolution[*zk.Stat]{}, err
		case slices.Equal(got, acl) && (version == -1 || stat.Aversion == version+1):
			return resolution[*zk.Stat]{verdict: wasApplied, result: stat, why: "the node has its ACL"}, nil
		case version == -1 || stat.Aversion == version:
			return resolution[*zk.Stat]{verdict: notApplied, why: "the node has another ACL"}, nil
		case stat.Aversion == version+1:
			return resolution[*zk.Stat]{verdict: notApplied, why: "another write changed the ACL version first", err: zk.ErrBadVersion}, nil
		}
		return resolution[*zk.Stat]{}, nil
	}
}
