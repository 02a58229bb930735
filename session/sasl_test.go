package session

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/sasl"
	"github.com/zkc-cli/zkc/zkharness"
)

func digestServer(t *testing.T) *zkharness.Server { return pool.DigestServer(t) }

func openSASL(t *testing.T, server string, client sasl.Client, debug *logBuffer) (*Session, error) {
	t.Helper()
	target, err := ParseConnectString(server)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Target: target, Timeout: 10 * time.Second, SASL: client}
	if debug != nil {
		opts.Debug = debug
	}
	s, err := Open(context.Background(), opts)
	if err == nil {
		t.Cleanup(s.Close)
	}
	return s, err
}

// A server with sessionRequireClientSASLAuth closes the session of a client
// that sends anything before authenticating.
func TestSASLRequiredRefusesUnauthenticated(t *testing.T) {
	srv := digestServer(t)
	s := open(t, srv.Addr())
	_, _, err := s.Get(context.Background(), "/", false)
	if !errors.Is(err, ErrSASLRequired) {
		t.Fatalf("unauthenticated get / = %v, want ErrSASLRequired (-124)", err)
	}
}

func TestSASLDigest(t *testing.T) {
	srv := digestServer(t)
	var debug logBuffer
	s, err := openSASL(t, srv.Addr(), &sasl.Digest{User: "alice", Password: "alice-secret"}, &debug)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ids, err := s.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, id := range ids {
		found = found || (id.AuthScheme == "sasl" && id.User == "alice")
	}
	if !found {
		t.Fatalf("whoami = %v, want sasl alice", ids)
	}
	if got := s.SASLIdentity(); got != "alice" {
		t.Fatalf("SASLIdentity = %q", got)
	}
	// A sasl: ACL admits alice only.
	p := "/sasl-acl-" + strconvTime()
	if _, err := s.Create(ctx, p, []byte("x"), CreateMode{}, []zk.ACL{{Perms: zk.PermAll, Scheme: "sasl", ID: "alice"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, p, false); err != nil {
		t.Fatalf("alice reads her node: %v", err)
	}
	// A clone (ACLPool's sessions) logs in as alice too.
	c, err := s.Clone(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if acl, _, err := c.GetACL(ctx, p); err != nil || len(acl) != 1 || acl[0].ID != "alice" {
		t.Fatalf("the clone reads alice's ACL: %v, %v", acl, err)
	}
	bob, err := openSASL(t, srv.Addr(), &sasl.Digest{User: "bob", Password: "bob-secret"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := bob.Get(ctx, p, false); !errors.Is(err, zk.ErrNoAuth) {
		t.Fatalf("bob reads alice's node: %v, want NoAuth", err)
	}
	if strings.Contains(debug.String(), "alice-secret") || !strings.Contains(debug.String(), "SASL DIGEST-MD5: authenticated") {
		t.Fatalf("debug log:\n%s", debug.String())
	}
}

func TestSASLDigestWrongPassword(t *testing.T) {
	srv := digestServer(t)
	start := time.Now()
	var debug logBuffer
	_, err := openSASL(t, srv.Addr(), &sasl.Digest{User: "alice", Password: "wrong-pw"}, &debug)
	var se *SASLError
	if !errors.As(err, &se) || !se.Rejected() {
		t.Fatalf("wrong password: %v, want a rejected SASLError", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	if !strings.Contains(err.Error(), "wrong password or unknown user") || strings.Contains(err.Error()+debug.String(), "wrong-pw") {
		t.Fatalf("error %q / debug %q", err, debug.String())
	}
	_, err = openSASL(t, srv.Addr(), &sasl.Digest{User: "mallory", Password: "x"}, nil)
	if !errors.As(err, &se) || !se.Rejected() {
		t.Fatalf("unknown user: %v", err)
	}
}

// logBuffer is a debug log the library writes from its own goroutines,
// which may still be running when a failed Open returns.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func strconvTime() string { return time.Now().Format("150405.000000") }
