package session

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// lossControl loses the connection under the next request with a given
// opcode, in one of two ways: dropped (the request never reaches the
// server) or delivered (the server applies it, the reply is lost).
type lossControl struct {
	mu      sync.Mutex
	opcode  int32
	deliver bool
	armed   bool
	fired   bool
}

func (l *lossControl) arm(opcode int32, deliver bool) {
	l.mu.Lock()
	l.opcode, l.deliver, l.armed, l.fired = opcode, deliver, true, false
	l.mu.Unlock()
}

func (l *lossControl) dial(network, address string, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout(network, address, timeout)
	if err != nil {
		return nil, err
	}
	return &lossyConn{Conn: c, l: l}, nil
}

type lossyConn struct {
	net.Conn
	l       *lossControl
	mu      sync.Mutex
	written bool // the armed request went out: fail every read from now
}

func (c *lossyConn) Write(b []byte) (int, error) {
	l := c.l
	l.mu.Lock()
	hit := l.armed && len(b) >= 12 && int32(binary.BigEndian.Uint32(b[8:12])) == l.opcode
	deliver := l.deliver
	if hit {
		l.armed, l.fired = false, true
	}
	l.mu.Unlock()
	if !hit {
		return c.Conn.Write(b)
	}
	if deliver {
		n, err := c.Conn.Write(b)
		c.mu.Lock()
		c.written = true
		c.mu.Unlock()
		// The server applies it and answers; the answer is never read.
		time.AfterFunc(300*time.Millisecond, func() { c.Conn.Close() })
		return n, err
	}
	c.mu.Lock()
	c.written = true
	c.mu.Unlock()
	go c.Conn.Close()
	return len(b), nil
}

func (c *lossyConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.mu.Lock()
	lost := c.written
	c.mu.Unlock()
	if lost {
		return 0, errors.New("connection lost by the test")
	}
	return n, err
}

// opSetACL is the one opcode these tests lose that the package does not
// name already (extops.go, multiwrite.go).
const opSetACL = 7

// TestLostWriteSettled: a write lost with its connection is settled by
// reading the server after the reconnect: applied (say so, return its
// result), not applied (say so and send it again), or, only where it
// cannot be known, "may or may not". A lost read is simply read again.
func TestLostWriteSettled(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	target, err := ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	var loss lossControl
	var noticeMu sync.Mutex
	var notices []string
	s, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second, Dialer: loss.dial,
		Notice: func(m string) { noticeMu.Lock(); notices = append(notices, m); noticeMu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	acl := zk.WorldACL(zk.PermAll)
	readACL := []zk.ACL{{Perms: zk.PermAll &^ zk.PermCreate, Scheme: "world", ID: "anyone"}}
	base := "/settle"
	if _, err := s.Create(ctx, base, nil, CreateMode{}, acl); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		t.Fatal(err)
	}
	mk := func(p, data string) {
		t.Helper()
		if _, err := s.Create(ctx, p, []byte(data), CreateMode{}, acl); err != nil {
			t.Fatal(err)
		}
	}
	get := func(p string) (string, *zk.Stat) {
		t.Helper()
		d, st, err := s.Get(ctx, p, false)
		if errors.Is(err, zk.ErrNoNode) {
			return "<none>", nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(d), st
	}

	cases := []struct {
		name    string
		opcode  int32
		deliver bool
		setup   func(p string)
		run     func(p string) error
		wantErr error  // nil, or the error the command ends with
		notice  string // the settlement the user is told ("" none)
		check   func(t *testing.T, p string)
	}{
		{name: "create never sent", opcode: opCreate,
			run:    func(p string) error { _, err := s.Create(ctx, p, []byte("d"), CreateMode{}, acl); return err },
			notice: "connection lost during the create of %s; it was not applied (the node does not exist): sending it again",
			check: func(t *testing.T, p string) {
				if d, _ := get(p); d != "d" {
					t.Errorf("data %q, want d", d)
				}
			}},
		{name: "create applied", opcode: opCreate, deliver: true,
			run:    func(p string) error { _, err := s.Create(ctx, p, []byte("d"), CreateMode{}, acl); return err },
			notice: "connection lost during the create of %s; it was applied (the node exists with its data)"},
		{name: "ephemeral create applied", opcode: opCreate, deliver: true,
			run: func(p string) error {
				_, err := s.Create(ctx, p, []byte("e"), CreateMode{Ephemeral: true}, acl)
				return err
			},
			notice: "connection lost during the create of %s; it was applied (the node exists with its data)",
			check: func(t *testing.T, p string) {
				if _, st := get(p); st == nil || st.EphemeralOwner != s.SessionID() {
					t.Errorf("stat %+v: not this session's ephemeral node", st)
				}
			}},
		{name: "create of a node that existed", opcode: opCreate,
			setup:   func(p string) { mk(p, "old") },
			run:     func(p string) error { _, err := s.Create(ctx, p, []byte("d"), CreateMode{}, acl); return err },
			wantErr: zk.ErrNodeExists,
			notice:  "connection lost during the create of %s; it was not applied (the node existed before)",
			check: func(t *testing.T, p string) {
				if d, _ := get(p); d != "old" {
					t.Errorf("data %q, want old", d)
				}
			}},
		{name: "sequential create applied", opcode: opCreate, deliver: true, setup: func(p string) { mk(p, "") },
			run: func(p string) error {
				got, err := s.Create(ctx, p+"/q-", []byte("q"), CreateMode{Sequential: true}, acl)
				if err == nil && got != p+"/q-0000000000" {
					return errors.New("created " + got)
				}
				return err
			},
			notice: "connection lost during the create of %s/q-; it was applied (the new node %s/q-0000000000 has its data)"},
		{name: "sequential create never sent", opcode: opCreate, setup: func(p string) { mk(p, ""); mk(p+"/q-0000000000", "old") },
			run: func(p string) error {
				got, err := s.Create(ctx, p+"/q-", []byte("q"), CreateMode{Sequential: true}, acl)
				if err == nil && got != p+"/q-0000000001" {
					return errors.New("created " + got)
				}
				return err
			},
			notice: "connection lost during the create of %s/q-; it was not applied (no node named %s/q-… was created since): sending it again"},
		{name: "set of a node deleted meanwhile stays unknown", opcode: opSetData, deliver: true, setup: func(p string) { mk(p, "old") },
			run: func(p string) error {
				// Another client deletes the node before zkc is back.
				time.AfterFunc(500*time.Millisecond, func() { _ = other.Delete(ctx, p, -1) })
				_, err := s.Set(ctx, p, []byte("new"), -1)
				return err
			},
			wantErr: &LostError{}},
		{name: "sequential ephemeral create applied", opcode: opCreate, deliver: true, setup: func(p string) { mk(p, "") },
			run: func(p string) error {
				got, err := s.Create(ctx, p+"/q-", []byte("q"), CreateMode{Sequential: true, Ephemeral: true}, acl)
				if err == nil && got != p+"/q-0000000000" {
					return errors.New("created " + got)
				}
				return err
			},
			notice: "connection lost during the create of %s/q-; it was applied (the session's new node %s/q-0000000000 has its data)"},
		{name: "sequential ephemeral create never sent", opcode: opCreate, setup: func(p string) { mk(p, "") },
			run: func(p string) error {
				_, err := s.Create(ctx, p+"/q-", []byte("q"), CreateMode{Sequential: true, Ephemeral: true}, acl)
				return err
			},
			notice: "connection lost during the create of %s/q-; it was not applied (the session has no new node named %s/q-…): sending it again",
			check: func(t *testing.T, p string) {
				if kids, _, err := s.Children(ctx, p, false); err != nil || len(kids) != 1 {
					t.Errorf("children %v (%v), want one", kids, err)
				}
			}},
		{name: "set never sent", opcode: opSetData, setup: func(p string) { mk(p, "old") },
			run:    func(p string) error { _, err := s.Set(ctx, p, []byte("new"), 0); return err },
			notice: "connection lost during the set of %s; it was not applied (the node is unchanged): sending it again",
			check: func(t *testing.T, p string) {
				if d, st := get(p); d != "new" || st.Version != 1 {
					t.Errorf("data %q version %d, want new at 1", d, st.Version)
				}
			}},
		{name: "set applied", opcode: opSetData, deliver: true, setup: func(p string) { mk(p, "old") },
			run:    func(p string) error { _, err := s.Set(ctx, p, []byte("new"), -1); return err },
			notice: "connection lost during the set of %s; it was applied (the node holds its data)",
			check: func(t *testing.T, p string) {
				if d, st := get(p); d != "new" || st.Version != 1 {
					t.Errorf("data %q version %d, want new at 1 (set once)", d, st.Version)
				}
			}},
		{name: "delete never sent", opcode: opDelete, setup: func(p string) { mk(p, "x") },
			run:    func(p string) error { return s.Delete(ctx, p, -1) },
			notice: "connection lost during the delete of %s; it was not applied (the node is still there): sending it again",
			check: func(t *testing.T, p string) {
				if d, _ := get(p); d != "<none>" {
					t.Errorf("the node is still there")
				}
			}},
		{name: "delete applied", opcode: opDelete, deliver: true, setup: func(p string) { mk(p, "x") },
			run:    func(p string) error { return s.Delete(ctx, p, -1) },
			notice: "connection lost during the delete of %s; it was applied (the node is gone)"},
		{name: "setAcl applied", opcode: opSetACL, deliver: true, setup: func(p string) { mk(p, "x") },
			run:    func(p string) error { _, err := s.SetACL(ctx, p, readACL, 0); return err },
			notice: "connection lost during the setAcl of %s; it was applied (the node has its ACL)"},
		{name: "setAcl never sent", opcode: opSetACL, setup: func(p string) { mk(p, "x") },
			run:    func(p string) error { _, err := s.SetACL(ctx, p, readACL, -1); return err },
			notice: "connection lost during the setAcl of %s; it was not applied (the node has another ACL): sending it again",
			check: func(t *testing.T, p string) {
				got, _, err := s.GetACL(ctx, p)
				if err != nil || len(got) != 1 || got[0] != readACL[0] {
					t.Errorf("ACL %v, %v; want %v", got, err, readACL)
				}
			}},
		{name: "removewatches sent again", opcode: opRemoveWatches,
			setup: func(p string) {
				mk(p, "w")
				if _, _, err := s.Get(ctx, p, true); err != nil {
					t.Fatal(err)
				}
			},
			run: func(p string) error { return s.RemoveWatches(ctx, p, WatcherData, false) },
			check: func(t *testing.T, p string) {
				// Removed for good: a second removal finds no watcher.
				if err := s.RemoveWatches(ctx, p, WatcherData, false); !errors.Is(err, ErrNoWatcher) {
					t.Errorf("second removal: %v, want no watcher", err)
				}
			}},
		{name: "read read again", opcode: opGetData, setup: func(p string) { mk(p, "r") },
			run: func(p string) error {
				d, _, err := s.Get(ctx, p, false)
				if err == nil && string(d) != "r" {
					return errors.New("wrong data " + string(d))
				}
				return err
			}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := base + "/n" + string(rune('a'+i))
			if tc.setup != nil {
				tc.setup(p)
			}
			noticeMu.Lock()
			notices = nil
			noticeMu.Unlock()
			loss.arm(tc.opcode, tc.deliver)
			err := tc.run(p)
			loss.mu.Lock()
			fired := loss.fired
			loss.armed = false
			loss.mu.Unlock()
			if !fired {
				t.Fatal("the connection was not lost under the request")
			}
			var lost *LostError
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v, want success", err)
			case tc.wantErr != nil && errors.As(tc.wantErr, &lost):
				if !errors.As(err, &lost) || !strings.Contains(err.Error(), "may or may not have been applied") {
					t.Fatalf("error %v, want an unknown outcome", err)
				}
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			noticeMu.Lock()
			got := strings.Join(notices, "\n")
			noticeMu.Unlock()
			want := ""
			if tc.notice != "" {
				want = strings.ReplaceAll(tc.notice, "%s", p)
			}
			if got != want {
				t.Errorf("notice %q,\nwant   %q", got, want)
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

// TestLostFirstEphemeralCreate: a script's first line may be issued before
// the session is up; its ephemeral node, created but its answer lost, is
// recognised as this session's (not another's: NodeExists).
func TestLostFirstEphemeralCreate(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	target, err := ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	var loss lossControl
	loss.arm(opCreate, true)
	var notice string
	s, err := OpenAsync(Options{Target: target, Timeout: 3 * time.Second, Dialer: loss.dial,
		Notice: func(m string) { notice = m }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := "/first-eph-" + time.Now().Format("150405.000000")
	if _, err := s.Create(context.Background(), p, []byte("e"), CreateMode{Ephemeral: true}, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatalf("create: %v (notice %q)", err, notice)
	}
	if want := "connection lost during the create of " + p + "; it was applied (the node exists with its data)"; notice != want {
		t.Fatalf("notice %q, want %q", notice, want)
	}
}

// TestLostInitialCredentials: the --auth credentials, lost with the
// connection before the first request, are sent again on the next one; the
// request goes through and the credential holds (not every later command
// failing with the lost connection's error).
func TestLostInitialCredentials(t *testing.T) {
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	target, err := ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	var loss lossControl
	const opSetAuth = 100
	s, err := Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second, Dialer: loss.dial,
		Auth: []Credential{{Scheme: "digest", Auth: []byte("lostauth:pw")}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	loss.arm(opSetAuth, false)
	ctx := context.Background()
	if _, _, err := s.Get(ctx, "/", false); err != nil {
		t.Fatalf("get after the credentials were lost: %v", err)
	}
	loss.mu.Lock()
	fired := loss.fired
	loss.mu.Unlock()
	if !fired {
		t.Fatal("the credentials were not lost")
	}
	who, err := s.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range who {
		found = found || (w.AuthScheme == "digest" && w.User == "lostauth")
	}
	if !found {
		t.Fatalf("whoami %+v: the credential is not in effect", who)
	}
}
