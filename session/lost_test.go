package session

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// breakableConn fails writes once broken, and is slow to close: the library
// hands the failed request its error before it closes the connection and
// reports the disconnection, so the slow close widens the window in which a
// caller has its error while the session still looks connected.
type breakableConn struct {
	net.Conn
	broken *atomic.Bool
}

func (c *breakableConn) Write(b []byte) (int, error) {
	if c.broken.Load() {
		return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
	}
	return c.Conn.Write(b)
}

func (c *breakableConn) Close() error {
	if c.broken.Load() {
		time.Sleep(300 * time.Millisecond)
	}
	return c.Conn.Close()
}

// TestWaitConnectedAfterLoss: after a request is lost, WaitConnected waits
// for the next connection instead of trusting the dying one, so a script
// learns whether the session came back or expired before it reports.
func TestWaitConnectedAfterLoss(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	target, err := ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int32
	var broken atomic.Bool
	dial := func(network, address string, timeout time.Duration) (net.Conn, error) {
		c, err := net.DialTimeout(network, address, timeout)
		if err != nil {
			return nil, err
		}
		dials.Add(1)
		b := new(atomic.Bool)
		if dials.Load() == 1 {
			b = &broken // only the first connection breaks
		}
		return &breakableConn{Conn: c, broken: b}, nil
	}
	s, err := Open(context.Background(), Options{Target: target, Timeout: 10 * time.Second, Dialer: dial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx := context.Background()
	if _, _, err := s.Get(ctx, "/", false); err != nil {
		t.Fatal(err)
	}

	broken.Store(true)
	// A multi: a lost read is read again, a lost create, set or delete is
	// settled by reading, but a multi's outcome is left to its caller.
	_, err = s.DeleteMulti(ctx, []string{"/wait-after-loss"})
	var lost *LostError
	if !errors.As(err, &lost) {
		t.Fatalf("DeleteMulti on a broken connection: %v, want a LostError", err)
	}
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
	if n := dials.Load(); n != 2 {
		t.Fatalf("WaitConnected returned with %d connection(s) made, want 2: it trusted the lost one", n)
	}
	if _, _, err := s.Get(ctx, "/", false); err != nil {
		t.Fatalf("Get on the new connection: %v", err)
	}
}

// gatedDialer connects through a gate the test can close: closing it drops
// the live connection and holds every new dial until it opens again, a
// partition long enough for the server to expire the session.
type gatedDialer struct {
	mu   sync.Mutex
	open chan struct{} // closed while the gate is open
	live []net.Conn
}

func newGatedDialer() *gatedDialer {
	g := &gatedDialer{open: make(chan struct{})}
	close(g.open)
	return g
}

func (g *gatedDialer) dial(network, address string, timeout time.Duration) (net.Conn, error) {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	<-open
	c, err := net.DialTimeout(network, address, timeout)
	if err == nil {
		g.mu.Lock()
		g.live = append(g.live, c)
		g.mu.Unlock()
	}
	return c, err
}

func (g *gatedDialer) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = make(chan struct{})
	for _, c := range g.live {
		c.Close()
	}
	g.live = nil
}

func (g *gatedDialer) reopen() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.open)
}

// TestContinueAfterExpiry: a request that waits for the connection while its
// session expires fails with "Session expired" by default; with
// SetContinueAfterExpiry (the shell and scripts) it is told of the old
// session and runs on the new one.
func TestContinueAfterExpiry(t *testing.T) {
	// The library pauses 1 s before it dials again after the expired
	// handshake, so the waiting request needs a timeout well above that.
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	target, err := ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	for _, goOn := range []bool{false, true} {
		g := newGatedDialer()
		s, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second, Dialer: g.dial})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var told atomic.Int64
		if goOn {
			s.SetContinueAfterExpiry(func(old int64) bool { told.Store(old); return true })
		}
		old := s.SessionID()
		g.close()
		time.Sleep(5 * time.Second) // the server expires the session
		if st := s.State(); st != StateConnecting {
			t.Errorf("state while partitioned: %s, want CONNECTING", st)
		}
		got := make(chan error, 1)
		go func() {
			_, _, err := s.Get(context.Background(), "/", false)
			got <- err
		}()
		time.Sleep(100 * time.Millisecond) // the Get is waiting for the connection
		g.reopen()
		err = <-got
		switch {
		case goOn && (err != nil || told.Load() != old):
			t.Errorf("with continue: Get = %v, told of session %#x (want nil, %#x)", err, told.Load(), old)
		case !goOn && !errors.Is(err, zk.ErrSessionExpired):
			t.Errorf("by default: Get = %v, want Session expired", err)
		}
		if s.SessionID() == old {
			t.Errorf("the session id did not change after the expiry")
		}
	}
}
