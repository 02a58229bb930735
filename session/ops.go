package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zpath"
)

// ErrNotConnected is returned for any operation after Close (zkCli: "Not connected").
var ErrNotConnected = errors.New("not connected")

// Every write method below calls checkWrite (guard.go) on the server path
// before it sends anything; guard_test.go fails the build's tests when a
// function here reaches a library write without it.

// abs maps a user path (relative to the chroot) to the server path.
func (s *Session) abs(p string) string {
	if s.chroot == "" {
		return p
	}
	if p == "/" {
		return s.chroot
	}
	return s.chroot + p
}

// strip maps a server path back to the user's view under the chroot.
func (s *Session) strip(p string) string {
	if s.chroot == "" || p == "" {
		return p
	}
	if p == s.chroot {
		return "/"
	}
	if strings.HasPrefix(p, s.chroot+"/") {
		return p[len(s.chroot):]
	}
	return p
}

// do runs one library call: it waits for the session (up to the session
// timeout), sends pending credentials first, and returns early on ctx.
func (s *Session) do(ctx context.Context, fn func() error, fnWatchesCtx bool) (err error) {
	if s.Closed() {
		return ErrNotConnected
	}
	id := s.SessionID()
	if err := s.waitReady(ctx); err != nil {
		return err
	}
	// A request issued under a session that expired while it waited must not
	// run silently on the library's new session (whose ephemerals and
	// watches are gone): it fails as zkCli's would, unless the front end
	// has told the user and goes on (SetContinueAfterExpiry).
	if !s.mayContinueFrom(id) {
		return zk.ErrSessionExpired
	}
	s.mu.Lock()
	rearmed, gen := s.rearmed, s.connGen
	s.mu.Unlock()
	defer func() {
		if connLost(err) {
			s.mu.Lock()
			s.lostGen = max(s.lostGen, gen)
			s.mu.Unlock()
		}
	}()
	if err := s.applyInitialAuth(ctx); err != nil {
		if connLost(err) {
			// The credentials went down with the connection, and fn was
			// never sent: doOp sends both again on the next connection.
			s.mu.Lock()
			s.lostGen = max(s.lostGen, gen)
			s.mu.Unlock()
			return fmt.Errorf("%w (the connection dropped while sending credentials)", zk.ErrNoServer)
		}
		return err
	}
	if rearmed != nil {
		select {
		case <-rearmed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if ctx.Done() == nil || fnWatchesCtx {
		// A pipelined request waits for its turn and its reply with ctx
		// itself: a goroutine apiece for it was a tenth of a piped
		// script's CPU, mostly the collector scanning their stacks.
		return mapUnknown(fn())
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return mapUnknown(err)
	case <-ctx.Done():
		return &sentCancel{err: ctx.Err()}
	}
}

// mayContinueFrom reports whether a request begun under session id may go
// on now: the session is the same, or it expired and the front end has told
// the user and goes on (SetContinueAfterExpiry).
func (s *Session) mayContinueFrom(id int64) bool {
	if id == 0 || s.SessionID() == id {
		return true
	}
	s.mu.Lock()
	goOn := s.continueAfterExpiry
	s.mu.Unlock()
	return goOn != nil && goOn(id)
}

// sentCancel is ctx's error for a request already handed to the library
// (doOp makes it an InterruptedError); it unwraps to ctx's error.
type sentCancel struct{ err error }

func (e *sentCancel) Error() string { return e.err.Error() }
func (e *sentCancel) Unwrap() error { return e.err }

// call runs fn through doOp and returns its result. fn runs on a goroutine
// of its own that a cancelled ctx leaves behind, so fn must not write the
// caller's variables: it returns its result, which call hands back only
// once fn has finished (the atomic box makes a late write harmless).
func call[T any](s *Session, ctx context.Context, op string, write bool, fn func() (T, error)) (T, error) {
	return callWith(s, ctx, op, write, false, fn)
}

// callWith is call; fnWatchesCtx says fn returns once ctx is done (with a
// sentCancel when its request was already queued), so it need not run on
// a goroutine of its own.
func callWith[T any](s *Session, ctx context.Context, op string, write, fnWatchesCtx bool, fn func() (T, error)) (T, error) {
	var box atomic.Pointer[T]
	err := s.doOpWith(ctx, op, write, fnWatchesCtx, func() error {
		v, err := fn()
		box.Store(&v)
		return err
	})
	if v := box.Load(); v != nil {
		return *v, err
	}
	var zero T
	return zero, err
}

// Get returns a node's data and stat; watch leaves a data watch.
func (s *Session) Get(ctx context.Context, p string, watch bool) ([]byte, *zk.Stat, error) {
	if t := turnOf(ctx); t != nil && !watch {
		defer t.hold(p)()
		r, err := pipelined[getDataResponse](s, ctx, t, "get", p, false, opGetData, &pathWatchRequest{Path: s.abs(p)})
		if done, ok := s.serially(t, err, p); ok {
			defer done()
			return s.Get(withoutTurn(ctx), p, false)
		}
		if err != nil {
			return nil, nil, err
		}
		return r.Data, &r.Stat, nil
	}
	r, err := call(s, ctx, "get", false, func() (dataStat, error) {
		if watch {
			data, stat, _, err := s.conn.GetW(s.abs(p))
			if err == nil {
				s.noteWatch(p, kindData)
			}
			return dataStat{data, stat}, err
		}
		data, stat, err := s.conn.Get(s.abs(p))
		return dataStat{data, stat}, err
	})
	return r.data, r.stat, err
}

// dataStat is a getData result.
type dataStat struct {
	data []byte
	stat *zk.Stat
}

// Exists returns whether a node exists; watch leaves an exists/data watch.
func (s *Session) Exists(ctx context.Context, p string, watch bool) (bool, *zk.Stat, error) {
	if t := turnOf(ctx); t != nil && !watch {
		defer t.hold(p)()
		r, err := pipelined[statResponse](s, ctx, t, "stat", p, false, opExists, &pathWatchRequest{Path: s.abs(p)})
		if done, ok := s.serially(t, err, p); ok {
			defer done()
			return s.Exists(withoutTurn(ctx), p, false)
		}
		if errors.Is(err, zk.ErrNoNode) {
			return false, nil, nil
		}
		if err != nil {
			return false, nil, err
		}
		return true, &r.Stat, nil
	}
	type result struct {
		ok   bool
		stat *zk.Stat
	}
	r, err := call(s, ctx, "stat", false, func() (result, error) {
		if watch {
			ok, stat, _, err := s.conn.ExistsW(s.abs(p))
			if err == nil {
				s.noteWatch(p, map[bool]uint8{true: kindData, false: kindExist}[ok])
			}
			return result{ok, stat}, err
		}
		ok, stat, err := s.conn.Exists(s.abs(p))
		return result{ok, stat}, err
	})
	return r.ok, r.stat, err
}

// Children returns a node's children (unsorted, as the server sends them).
func (s *Session) Children(ctx context.Context, p string, watch bool) ([]string, *zk.Stat, error) {
	if t := turnOf(ctx); t != nil && !watch {
		defer t.hold(p)()
		r, err := pipelined[getChildren2Response](s, ctx, t, "ls", p, false, opGetChildren2, &pathWatchRequest{Path: s.abs(p)})
		if done, ok := s.serially(t, err, p); ok {
			defer done()
			return s.Children(withoutTurn(ctx), p, false)
		}
		if err != nil {
			return nil, nil, err
		}
		return r.Children, &r.Stat, nil
	}
	type result struct {
		kids []string
		stat *zk.Stat
	}
	r, err := call(s, ctx, "ls", false, func() (result, error) {
		if watch {
			kids, stat, _, err := s.conn.ChildrenW(s.abs(p))
			if err == nil {
				s.noteWatch(p, kindChild)
			}
			return result{kids, stat}, err
		}
		kids, stat, err := s.conn.Children(s.abs(p))
		return result{kids, stat}, err
	})
	return r.kids, r.stat, err
}

// CreateMode says what kind of node to create.
type CreateMode struct {
	Sequential bool
	Ephemeral  bool
	Container  bool
	TTL        time.Duration // > 0 for a TTL node
}

func (m CreateMode) flags() int32 {
	var f int32
	if m.Ephemeral {
		f |= zk.FlagEphemeral
	}
	if m.Sequential {
		f |= zk.FlagSequence
	}
	if m.Container {
		f = 4
	}
	if m.TTL > 0 {
		f = 5 // PERSISTENT_WITH_TTL
		if m.Sequential {
			f = 6 // PERSISTENT_SEQUENTIAL_WITH_TTL
		}
	}
	return f
}

// Create creates a node and returns its actual path (sequential names included).
func (s *Session) Create(ctx context.Context, p string, data []byte, mode CreateMode, acl []zk.ACL) (string, error) {
	if err := checkWrite(ctx, writeCreate, p, s.abs(p), data, mode.Sequential); err != nil {
		return "", err
	}
	fn := func() (string, error) {
		switch {
		case mode.TTL > 0:
			return s.conn.CreateTTL(s.abs(p), data, mode.flags(), acl, mode.TTL)
		case mode.Container:
			return s.conn.CreateContainer(s.abs(p), data, mode.flags(), acl)
		}
		return s.conn.Create(s.abs(p), data, mode.flags(), acl)
	}
	settle := s.settleCreate(p, data, mode)
	if t := turnOf(ctx); t != nil {
		var req interface{} = &zk.CreateRequest{Path: s.abs(p), Data: data, Acl: acl, Flags: mode.flags()}
		op := int32(opCreate)
		switch {
		case mode.TTL > 0:
			op = opCreateTTL
			req = &zk.CreateTTLRequest{Path: s.abs(p), Data: data, Acl: acl, Flags: mode.flags(), Ttl: mode.TTL.Milliseconds()}
		case mode.Container:
			op = opCreateContainer
		}
		keys := []string{p}
		if mode.Sequential {
			keys = append(keys, zpath.Parent(p)) // its name counts the parent's children
		}
		defer t.hold(keys...)()
		sent := s.sentAt()
		r, err := pipelined[createResponse](s, ctx, t, "create", p, true, op, req)
		if done, ok := s.serially(t, err, keys...); ok {
			defer done()
			created, err := finishSerially(s, ctx, "create", p, sent, err, fn, settle)
			return s.strip(created), err
		}
		if err != nil {
			return "", err
		}
		return s.strip(r.Path), nil
	}
	created, err := callW(s, ctx, "create", p, fn, settle)
	return s.strip(created), err
}

// Set replaces a node's data.
func (s *Session) Set(ctx context.Context, p string, data []byte, version int32) (*zk.Stat, error) {
	if err := checkWrite(ctx, writeSet, p, s.abs(p), data, false); err != nil {
		return nil, err
	}
	fn := func() (*zk.Stat, error) { return s.conn.Set(s.abs(p), data, version) }
	settle := s.settleSet(p, data, version)
	if t := turnOf(ctx); t != nil {
		defer t.hold(p)()
		sent := s.sentAt()
		r, err := pipelined[statResponse](s, ctx, t, "set", p, true, opSetData, &zk.SetDataRequest{Path: s.abs(p), Data: data, Version: version})
		if done, ok := s.serially(t, err, p); ok {
			defer done()
			return finishSerially(s, ctx, "set", p, sent, err, fn, settle)
		}
		if err != nil {
			return nil, err
		}
		return &r.Stat, nil
	}
	return callW(s, ctx, "set", p, fn, settle)
}

// Delete deletes a node.
func (s *Session) Delete(ctx context.Context, p string, version int32) error {
	if err := checkWrite(ctx, writeDelete, p, s.abs(p), nil, false); err != nil {
		return err
	}
	fn := func() (struct{}, error) { return struct{}{}, s.conn.Delete(s.abs(p), version) }
	if t := turnOf(ctx); t != nil {
		defer t.hold(p)()
		sent := s.sentAt()
		_, err := pipelined[struct{}](s, ctx, t, "delete", p, true, opDelete, &zk.DeleteRequest{Path: s.abs(p), Version: version})
		if done, ok := s.serially(t, err, p); ok {
			defer done()
			_, err = finishSerially(s, ctx, "delete", p, sent, err, fn, s.settleDelete(p))
		}
		return err
	}
	_, err := callW(s, ctx, "delete", p, fn, s.settleDelete(p))
	return err
}

// DeleteMulti deletes paths in one atomic multi; errs has one entry per path.
func (s *Session) DeleteMulti(ctx context.Context, paths []string) ([]error, error) {
	ops := make([]interface{}, len(paths))
	for i, p := range paths {
		if err := checkWrite(ctx, writeDelete, p, s.abs(p), nil, false); err != nil {
			return nil, err
		}
		ops[i] = &zk.DeleteRequest{Path: s.abs(p), Version: -1}
	}
	return call(s, ctx, "delete", true, func() ([]error, error) {
		res, err := s.conn.Multi(ops...)
		var errs []error
		for _, r := range res {
			errs = append(errs, mapUnknown(r.Error))
		}
		return errs, err
	})
}

// GetACL returns a node's ACL and stat.
func (s *Session) GetACL(ctx context.Context, p string) ([]zk.ACL, *zk.Stat, error) {
	type result struct {
		acl  []zk.ACL
		stat *zk.Stat
	}
	r, err := call(s, ctx, "getAcl", false, func() (result, error) {
		acl, stat, err := s.conn.GetACL(s.abs(p))
		return result{acl, stat}, err
	})
	return r.acl, r.stat, err
}

// SetACL replaces a node's ACL.
func (s *Session) SetACL(ctx context.Context, p string, acl []zk.ACL, version int32) (*zk.Stat, error) {
	if err := checkWrite(ctx, writeSetACL, p, s.abs(p), nil, false); err != nil {
		return nil, err
	}
	return callW(s, ctx, "setAcl", p, func() (*zk.Stat, error) { return s.conn.SetACL(s.abs(p), acl, version) },
		s.settleSetACL(p, acl, version))
}

// Sync waits until the connected server has caught up with the leader.
func (s *Session) Sync(ctx context.Context, p string) error {
	return s.doOp(ctx, "sync", false, func() error {
		_, err := s.conn.Sync(s.abs(p))
		return err
	})
}

// AddAuth adds a credential to the connection; the library re-sends it after
// every reconnect and for a new session after expiry.
func (s *Session) AddAuth(ctx context.Context, c Credential) error {
	err := s.doOp(ctx, "addauth", false, func() error { return s.addAuth(c) }) // lost: sent again
	if err == nil {
		s.authMu.Lock()
		s.added = append(s.added, c) // for the sessions Clone opens
		s.authMu.Unlock()
	}
	if errors.As(err, new(*AuthError)) {
		// The server closes the connection right after rejecting a
		// credential; wait for the library to reconnect (same session, the
		// bad credential forgotten), so the next command is not lost with
		// the old connection.
		s.awaitDrop(ctx, 5*time.Second)
		_ = s.waitReady(ctx)
	}
	return err
}

// awaitDrop waits until the connection is lost, for at most d.
func (s *Session) awaitDrop(ctx context.Context, d time.Duration) {
	defer s.wakeWaiters(ctx, d)()
	deadline := time.Now().Add(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.hasSession && !s.closed && ctx.Err() == nil && time.Now().Before(deadline) {
		s.cond.Wait()
	}
}

func (s *Session) addAuth(c Credential) error {
	err := s.conn.AddAuth(c.Scheme, c.Auth)
	if errors.Is(err, zk.ErrAuthFailed) {
		return &AuthError{Scheme: c.Scheme}
	}
	return err
}

// AuthError is a credential the server rejected; it names a known scheme,
// never the secret, and matches ErrAuthFailed with errors.Is.
type AuthError struct{ Scheme string }

func (e *AuthError) Error() string {
	return "authentication failed: the server rejected the " + CredentialName(e.Scheme)
}

// CredentialName words a credential for messages: "digest credential" for a
// scheme ZooKeeper ships, else just "credential". An unknown "scheme" is
// often a secret typed in the wrong place (--auth S3CRET:x), so it is never
// printed.
func CredentialName(scheme string) string {
	switch scheme {
	case "digest", "ip", "x509", "sasl", "world", "key", "ensemble":
		return scheme + " credential"
	}
	return "credential"
}

func (e *AuthError) Unwrap() error { return ErrAuthFailed }

// Reconfig changes the ensemble membership: incremental with joining and
// leaving (comma-separated, either may be empty), or the whole membership
// with members. It returns the new configuration text, which the library's
// own Reconfig drops.
func (s *Session) Reconfig(ctx context.Context, joining, leaving, members string, version int64) ([]byte, *zk.Stat, error) {
	r, err := call(s, ctx, "reconfig", true, func() (dataStat, error) {
		config, stat, err := s.rawReconfig(joining, leaving, members, version)
		return dataStat{config, stat}, err
	})
	return r.data, r.stat, err
}

// ConfigNode is where the ensemble's dynamic configuration lives.
const ConfigNode = "/zookeeper/config"

// GetConfig reads the dynamic configuration. Like zkCli's getConfig it
// ignores the chroot: /zookeeper/config is the ensemble's, not the app's.
func (s *Session) GetConfig(ctx context.Context, watch bool) ([]byte, *zk.Stat, error) {
	r, err := call(s, ctx, "config", false, func() (dataStat, error) {
		if watch {
			data, stat, _, err := s.conn.GetW(ConfigNode)
			return dataStat{data, stat}, err
		}
		data, stat, err := s.conn.Get(ConfigNode)
		return dataStat{data, stat}, err
	})
	return r.data, r.stat, err
}

// GetAllChildrenNumber counts all descendants of p (opcode 104).
func (s *Session) GetAllChildrenNumber(ctx context.Context, p string) (int32, error) {
	return call(s, ctx, "getAllChildrenNumber", false, func() (int32, error) { return s.rawGetAllChildrenNumber(s.abs(p)) })
}

// GetEphemerals lists the session's ephemeral nodes whose path starts with prefix (opcode 103).
func (s *Session) GetEphemerals(ctx context.Context, prefix string) ([]string, error) {
	return call(s, ctx, "getEphemerals", false, func() ([]string, error) {
		raw, err := s.rawGetEphemerals(s.abs(prefix))
		var paths []string
		for _, p := range raw {
			paths = append(paths, s.strip(p))
		}
		return paths, err
	})
}

// WhoAmI lists the identities the server associates with this connection (opcode 107).
func (s *Session) WhoAmI(ctx context.Context) ([]ClientInfo, error) {
	return call(s, ctx, "whoami", false, s.rawWhoAmI)
}
