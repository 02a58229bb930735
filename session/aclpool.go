package session

import (
	"context"
	"sync"
	"sync/atomic"
)

// ACLPool spreads getACL requests over extra sessions. ZooKeeper serves one
// session's requests one after the other (about 25,000–35,000 getACL a
// second on one session here, however fast the client sends them, and
// ZooKeeper has no batched getACL), while several sessions are served in
// parallel: 8 sessions read about 4–5 times as fast. An export reads every
// node's ACL, so it reads them through a pool.
//
// The extra sessions are opened in the background on the first large
// request (a small export neither waits for them nor pays for them), on the
// server s is connected to, as the same user (Clone); until they are up,
// and instead of one that fails, reads go to s itself. Close closes them.
type ACLPool struct {
	main *Session
	size int

	start sync.Once
	mu    sync.Mutex
	extra []*Session
	shut  bool
	next  atomic.Uint64
	ready sync.WaitGroup // the background opening
	stop  context.CancelFunc
}

// smallBuffer holds any getACL request and the reply of all but huge ACLs
// (over a thousand entries); such a reply drops the auxiliary connection and
// is read again on the main session.
const smallBuffer = 64 << 10

// aclPoolMinPaths is the request size that makes the pool open its sessions.
const aclPoolMinPaths = 64

// ACLPool returns a pool of up to size extra sessions for s's ACL reads.
func (s *Session) ACLPool(size int) *ACLPool {
	return &ACLPool{main: s, size: size}
}

// GetACLs is Session.GetACLs on one of the pool's sessions.
func (p *ACLPool) GetACLs(ctx context.Context, paths []string) ([]ACLResult, error) {
	if len(paths) >= aclPoolMinPaths && p.size > 0 {
		p.start.Do(p.open)
	}
	if x := p.pick(); x != nil {
		res, err := x.GetACLs(ctx, paths)
		if err == nil || ctx.Err() != nil {
			return res, err
		}
		p.drop(x) // read again on the main session, which reports its own errors
	}
	return p.main.GetACLs(ctx, paths)
}

func (p *ACLPool) pick() *Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.extra) == 0 {
		return nil
	}
	return p.extra[p.next.Add(1)%uint64(len(p.extra))]
}

func (p *ACLPool) drop(x *Session) {
	p.mu.Lock()
	for i, e := range p.extra {
		if e == x {
			p.extra = append(p.extra[:i:i], p.extra[i+1:]...)
			break
		}
	}
	p.mu.Unlock()
	x.Close()
}

func (p *ACLPool) open() {
	ctx, cancel := context.WithTimeout(context.Background(), p.main.hostBudget())
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shut { // a read after Close: no new sessions
		cancel()
		return
	}
	p.stop = cancel
	p.ready.Add(p.size) // under mu, so never concurrent with Close's Wait
	for i := 0; i < p.size; i++ {
		go func() {
			defer p.ready.Done()
			x, err := p.main.Clone(ctx)
			if err != nil {
				return // the reads go to the sessions that did open
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.shut {
				go x.Close()
				return
			}
			p.extra = append(p.extra, x)
		}()
	}
}

// Close stops the opening and closes the extra sessions.
func (p *ACLPool) Close() {
	p.mu.Lock()
	p.shut = true
	extra := p.extra
	p.extra = nil
	stop := p.stop
	p.mu.Unlock()
	if stop != nil {
		stop()
	}
	var wg sync.WaitGroup
	for _, x := range extra {
		wg.Add(1)
		go func() { defer wg.Done(); x.Close() }()
	}
	wg.Wait()
	p.ready.Wait()
}

// Clone opens another session on the server s is connected to, with s's
// options and every credential s has added, so that it reads as the same
// user (the same digest, SASL and TLS identities; an ACL's digest hash is
// shown only to a session with ADMIN on the node). It never waits past one
// pass over that server.
func (s *Session) Clone(ctx context.Context) (*Session, error) {
	opts := s.opts
	opts.Target.Hosts = []string{s.Server()}
	opts.WaitForConnection = false
	opts.Notice = nil
	opts.Auxiliary = true
	s.authMu.Lock()
	opts.Auth = append(append([]Credential(nil), s.opts.Auth...), s.added...)
	s.authMu.Unlock()
	c, err := Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := c.applyInitialAuth(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
