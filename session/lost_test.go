package session

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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
	_, _, err = s.Get(ctx, "/", false)
	var lost *LostError
	if !errors.As(err, &lost) {
		t.Fatalf("Get on a broken connection: %v, want a LostError", err)
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
