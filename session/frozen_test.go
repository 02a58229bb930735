package session

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// hostProxy is one "ensemble member" in front of a real server: it forwards,
// or, while the shared freeze count is above zero, accepts a connection and
// never answers it (a member under kill -STOP: the kernel accepts, the
// process is silent); kill makes it refuse and drops what it carries.
type hostProxy struct {
	ln     net.Listener
	target string
	freeze *atomic.Int32 // connections still to freeze, shared by all proxies

	mu    sync.Mutex
	conns []net.Conn
	live  int // forwarded connections open now
}

func newHostProxy(t *testing.T, target string, freeze *atomic.Int32) *hostProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &hostProxy{ln: ln, target: target, freeze: freeze}
	t.Cleanup(p.kill)
	go p.serve()
	return p
}

func (p *hostProxy) addr() string { return p.ln.Addr().String() }

func (p *hostProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		if p.freeze.Add(-1) >= 0 {
			continue // frozen: held open, never read or answered
		}
		p.freeze.Store(0)
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, up)
		p.live++
		p.mu.Unlock()
		go func() {
			_, _ = io.Copy(up, c)
			up.Close()
		}()
		go func() {
			_, _ = io.Copy(c, up)
			c.Close()
			p.mu.Lock()
			p.live--
			p.mu.Unlock()
		}()
	}
}

func (p *hostProxy) carries() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.live > 0
}

// kill is the member dying: new connections are refused, open ones reset.
func (p *hostProxy) kill() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func proxiedTarget(t *testing.T, srv *zkharness.Server, n int, freeze *atomic.Int32) ([]*hostProxy, Target) {
	t.Helper()
	var ps []*hostProxy
	var addrs []string
	for i := 0; i < n; i++ {
		p := newHostProxy(t, srv.Addr(), freeze)
		ps = append(ps, p)
		addrs = append(addrs, p.addr())
	}
	target, err := ParseConnectString(strings.Join(addrs, ","))
	if err != nil {
		t.Fatal(err)
	}
	return ps, target
}

// TestFrozenHostFirstConnect: the first host tried accepts TCP and never
// answers; the session is up on the next host after that host's share of
// the session timeout (3 s / 3 hosts), every time. go-zookeeper alone waited
// ten times its receive timeout on the silent host, past the session timeout.
func TestFrozenHostFirstConnect(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	for i := 0; i < 3; i++ {
		var freeze atomic.Int32
		freeze.Store(1)
		_, target := proxiedTarget(t, srv, 3, &freeze)
		start := time.Now()
		s, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second})
		took := time.Since(start)
		if err != nil {
			t.Fatalf("run %d: Open with the first host frozen: %v (after %v)", i, err, took)
		}
		s.Close()
		if freeze.Load() > 0 {
			t.Fatalf("run %d: no connection reached the frozen host", i)
		}
		// One host's budget (1 s) plus the handshake on the next.
		if took > 2500*time.Millisecond {
			t.Fatalf("run %d: the session took %v, want about 1 s", i, took)
		}
		t.Logf("run %d: session up after %v", i, took)
	}
}

// TestFrozenHostFailover: the connected member dies and the next host tried
// is frozen; the session moves on to a live host within the session
// timeout, keeps its id and never expires.
func TestFrozenHostFailover(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	var freeze atomic.Int32
	proxies, target := proxiedTarget(t, srv, 4, &freeze)
	s, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	id := s.SessionID()
	for round := 0; round < 2; round++ {
		if _, err := s.Create(ctx, "/frozen-eph", nil, CreateMode{Ephemeral: true}, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
		var victim *hostProxy
		for _, p := range proxies {
			if p.carries() {
				victim = p
			}
		}
		if victim == nil {
			t.Fatal("no proxy carries the session")
		}
		freeze.Store(1)
		victim.kill()
		start := time.Now()
		ok, _, err := s.Exists(ctx, "/frozen-eph", false)
		if err != nil || !ok {
			t.Fatalf("round %d: after the failover exists = %v, %v (after %v)", round, ok, err, time.Since(start))
		}
		if freeze.Load() > 0 {
			t.Fatalf("round %d: the frozen host was never tried", round)
		}
		if s.SessionID() != id {
			t.Fatalf("round %d: the session expired (id %#x, was %#x)", round, s.SessionID(), id)
		}
		t.Logf("round %d: back after %v", round, time.Since(start))
		if err := s.Delete(ctx, "/frozen-eph", -1); err != nil {
			t.Fatal(err)
		}
		// The next round kills another proxy: keep one host alive.
		proxies = append([]*hostProxy{}, proxies...)
		for i, p := range proxies {
			if p == victim {
				proxies = append(proxies[:i], proxies[i+1:]...)
				break
			}
		}
	}
}

// TestAllHostsFrozen: with every host silent, Open fails at the session
// timeout, naming the silence, and not a second later (the library's Close
// waits that long for a close request it cannot send).
func TestAllHostsFrozen(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	var freeze atomic.Int32
	freeze.Store(100)
	_, target := proxiedTarget(t, srv, 2, &freeze)
	start := time.Now()
	_, err := Open(context.Background(), Options{Target: target, Timeout: 2 * time.Second})
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "no answer to the session handshake") {
		t.Fatalf("Open: %v, want no answer to the handshake", err)
	}
	if took > 2500*time.Millisecond {
		t.Fatalf("Open gave up after %v, want about the 2 s timeout", took)
	}
}
