package session

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// The pool's sessions read as the session they were cloned from: the same
// chroot, server and credentials, including one added with addauth after
// the session opened (without it the digest-only nodes answer NoAuth), and
// Close ends every one of them on the server.
func TestACLPoolReadsAsTheSameUser(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	ctx := context.Background()
	admin := open(t, srv.Addr())
	alice := zk.DigestACL(zk.PermAll, "alice", "secret")
	root := fmt.Sprintf("/aclpool-%d", time.Now().UnixNano()) // -count=N reuses the server
	if _, err := admin.Create(ctx, root, nil, CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := 0; i < 2*aclPoolMinPaths; i++ {
		if _, err := admin.Create(ctx, fmt.Sprintf("%s/n%03d", root, i), nil, CreateMode{}, alice); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, fmt.Sprintf("/n%03d", i))
	}

	alive := regexp.MustCompile(`zk_num_alive_connections\s+(\d+)`)
	connections := func() int {
		out, err := srv.FourLetter("mntr", 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		m := alive.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no connection count in mntr:\n%s", out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}

	r := open(t, srv.Addr()+root)
	if err := r.AddAuth(ctx, Credential{Scheme: "digest", Auth: []byte("alice:secret")}); err != nil {
		t.Fatal(err)
	}
	before := connections()
	p := r.ACLPool(3)
	check := func(res []ACLResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range res {
			if a.Err != nil || len(a.ACL) != 1 || a.ACL[0] != alice[0] {
				t.Fatalf("%s: %v %v, want %v", paths[i], a.ACL, a.Err, alice)
			}
		}
	}
	check(p.GetACLs(ctx, paths)) // opens the pool in the background
	p.ready.Wait()
	p.mu.Lock()
	opened := len(p.extra)
	p.mu.Unlock()
	if opened != 3 {
		t.Fatalf("%d extra sessions, want 3", opened)
	}
	if n := connections(); n != before+3 {
		t.Errorf("%d connections on the server with the pool open, want %d", n, before+3)
	}
	for i := 0; i < 2*opened; i++ { // every session of the pool in turn
		check(p.GetACLs(ctx, paths))
	}

	// An ACL too big for an auxiliary connection's buffer drops that
	// session, and the read goes to the main one at once.
	huge := append([]zk.ACL(nil), alice...) // alice may read it
	for i := 0; len(huge) < 3000; i++ {
		huge = append(huge, zk.ACL{Perms: zk.PermAll, Scheme: "ip", ID: fmt.Sprintf("10.%d.%d.%d", i/65536, i/256%256, i%256)})
	}
	if _, err := admin.Create(ctx, root+"/huge", nil, CreateMode{}, huge); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := p.GetACLs(ctx, append(paths[:aclPoolMinPaths:aclPoolMinPaths], "/huge"))
	if err != nil || len(res[aclPoolMinPaths].ACL) != len(huge) {
		t.Fatalf("the huge ACL: %d entries, %v, %v", len(res[len(res)-1].ACL), err, res[len(res)-1].Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the huge ACL took %v", d)
	}
	p.mu.Lock()
	opened = len(p.extra)
	p.mu.Unlock()
	if opened != 2 {
		t.Errorf("%d sessions left in the pool, want 2", opened)
	}
	p.Close()
	deadline := time.Now().Add(5 * time.Second)
	for connections() != before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := connections(); n != before {
		t.Errorf("%d connections after Close, want %d", n, before)
	}
	check(p.GetACLs(ctx, paths)) // a closed pool still reads, on the main session
}
