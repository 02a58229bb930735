package app_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// TestManyChildren lists a node with 100,000 children: the answer (about
// 1.6 MB) is larger than the library's initial 1.5 MB receive buffer, which
// must grow rather than drop the connection (zkCli needs -Djute.maxbuffer).
func TestManyChildren(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 100,000 nodes")
	}
	srv := pool.Standalone(t, "limits", zkharness.Config{})
	addr := srv.Addr()
	c := libConn(t, addr)
	const n = 100000
	if _, err := c.Create("/big", nil, 0, zk.WorldACL(zk.PermAll)); err != nil && err != zk.ErrNodeExists {
		t.Fatal(err)
	}
	// Multis of 1000 creates, 8 in flight: seconds, not minutes.
	var wg sync.WaitGroup
	errs := make(chan error, n/1000)
	sem := make(chan struct{}, 8)
	for b := 0; b < n/1000; b++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(b int) {
			defer wg.Done()
			defer func() { <-sem }()
			ops := make([]interface{}, 0, 1000)
			for i := b * 1000; i < (b+1)*1000; i++ {
				ops = append(ops, &zk.CreateRequest{Path: fmt.Sprintf("/big/child-%06d", i), Acl: zk.WorldACL(zk.PermAll)})
			}
			if _, err := c.Multi(ops...); err != nil && err != zk.ErrNodeExists {
				errs <- err
			}
		}(b)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	r := zkc.Run("", "-server", addr, "ls", "/big")
	if r.Code != 0 {
		t.Fatalf("ls: exit %d, stderr %q", r.Code, r.Stderr)
	}
	out := strings.TrimSpace(r.Stdout)
	if !strings.HasPrefix(out, "[child-") || !strings.HasSuffix(out, "]") {
		t.Fatalf("ls printed %.100q...", out)
	}
	if got := len(strings.Split(out[1:len(out)-1], ", ")); got != n {
		t.Fatalf("ls listed %d children, want %d", got, n)
	}
	r = zkc.Run("", "-server", addr, "getAllChildrenNumber", "/big")
	if r.Code != 0 || r.Stdout != fmt.Sprintf("%d\n", n) {
		t.Fatalf("getAllChildrenNumber: exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	// The session survives a request the server would refuse for size: the
	// library refuses sends over its 1.5 MB buffer before writing anything.
	big := strings.Repeat("x", 2<<20)
	r = zkc.Run("create /big/too-large "+big+"\nls /zookeeper\n", "-server", addr)
	if r.Code != 0 || !strings.Contains(r.Stdout, "[config, quota]") {
		t.Fatalf("after an oversized create the session should still work: exit %d, stdout %.200q, stderr %.300q", r.Code, r.Stdout, r.Stderr)
	}
	if ok, _, _ := c.Exists("/big/too-large"); ok {
		t.Fatal("the oversized node was created")
	}
}
