package session

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// multiRead is sent through the linkname'd request with our own encoder and
// decoder: this checks both against a real 3.8 server, with a chroot.
func TestMultiRead(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	ctx := context.Background()
	open := func(cs string) *Session {
		target, err := ParseConnectString(cs)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Open(ctx, Options{Target: target, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	s := open(srv.Addr())
	all := zk.WorldACL(zk.PermAll)
	for _, p := range []string{"/mr", "/mr/a", "/mr/a/x", "/mr/a/y", "/mr/b"} {
		if _, err := s.Create(ctx, p, []byte("data of "+p), CreateMode{}, all); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Create(ctx, "/mr/secret", nil, CreateMode{}, zk.WorldACL(zk.PermCreate)); err != nil {
		t.Fatal(err)
	}

	c := open(srv.Addr() + "/mr") // paths relative to the chroot
	res, err := c.MultiRead(ctx, []ReadOp{
		{Path: "/"}, {Path: "/a"}, {Path: "/nope"}, {Path: "/a", Data: true}, {Path: "/secret"}, {Path: "/b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 6 {
		t.Fatalf("%d results, want 6", len(res))
	}
	sorted := func(s []string) []string { sort.Strings(s); return s }
	if got := sorted(res[0].Children); len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "secret" {
		t.Errorf("children of / = %q", got)
	}
	if got := sorted(res[1].Children); len(got) != 2 || got[0] != "x" || got[1] != "y" || res[1].Err != nil {
		t.Errorf("children of /a = %q, %v", got, res[1].Err)
	}
	if !errors.Is(res[2].Err, zk.ErrNoNode) {
		t.Errorf("/nope: err = %v, want NoNode", res[2].Err)
	}
	if string(res[3].Data) != "data of /mr/a" || res[3].Stat == nil || res[3].Stat.NumChildren != 2 || res[3].Stat.DataLength != 13 {
		t.Errorf("getData /a = %q, %+v", res[3].Data, res[3].Stat)
	}
	if !errors.Is(res[4].Err, zk.ErrNoAuth) {
		t.Errorf("/secret: err = %v, want NoAuth", res[4].Err)
	}
	if len(res[5].Children) != 0 || res[5].Err != nil {
		t.Errorf("/b = %q, %v, want no children", res[5].Children, res[5].Err)
	}
	// The session still works after the custom decoder ran.
	if _, _, err := c.Get(ctx, "/a", false); err != nil {
		t.Fatal(err)
	}
	// A request too big for the library's buffer fails without being sent.
	big := make([]ReadOp, 20000)
	for i := range big {
		big[i].Path = "/a/" + string(make([]byte, 100))
	}
	if _, err := c.MultiRead(ctx, big); !errors.Is(err, zk.ErrShortBuffer) {
		t.Errorf("oversized multiRead: err = %v, want ErrShortBuffer", err)
	}
	if _, _, err := c.Get(ctx, "/a", false); err != nil {
		t.Fatalf("session broken after an oversized multiRead: %v", err)
	}
}

// multiRead requests lost with their connection are sent again on the next
// one, each with its own paths: the session reuses op arrays between
// requests, and once handed one back while its request was still to be
// sent again (the walks of a deleteall during a failover then hung).
func TestMultiReadResentAfterConnectionLoss(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	ctx := context.Background()
	var freeze atomic.Int32
	proxies, target := proxiedTarget(t, srv, 3, &freeze)
	s, err := Open(ctx, Options{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	all := zk.WorldACL(zk.PermAll)
	const parents = 40
	if _, err := s.Create(ctx, "/mrl", nil, CreateMode{}, all); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		t.Fatal(err)
	}
	for i := 0; i < parents; i++ {
		p := fmt.Sprintf("/mrl/p%02d", i)
		for _, q := range []string{p, fmt.Sprintf("%s/k%02d", p, i)} {
			if _, err := s.Create(ctx, q, nil, CreateMode{}, all); err != nil && !errors.Is(err, zk.ErrNodeExists) {
				t.Fatal(err)
			}
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var calls, wrong atomic.Int64
	var firstWrong atomic.Value
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ops := make([]ReadOp, parents)
			var into []ReadResult
			for n := g; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				for j := range ops {
					ops[j] = ReadOp{Path: fmt.Sprintf("/mrl/p%02d", (j+n)%parents)}
				}
				res, err := s.MultiReadInto(ctx, ops, into)
				calls.Add(1)
				if err != nil {
					into = nil
					firstWrong.CompareAndSwap(nil, err.Error())
					wrong.Add(1)
					continue
				}
				into = res
				for j, r := range res {
					want := fmt.Sprintf("k%02d", (j+n)%parents)
					if r.Err != nil || len(r.Children) != 1 || r.Children[0] != want {
						firstWrong.CompareAndSwap(nil, fmt.Sprintf("%s: %q, %v", ops[j].Path, r.Children, r.Err))
						wrong.Add(1)
					}
				}
			}
		}()
	}
	// Kill the member the session is on, twice, while the reads go on.
	for round := 0; round < 2; round++ {
		time.Sleep(300 * time.Millisecond)
		for _, p := range proxies {
			if p.carries() {
				p.kill()
				break
			}
		}
		if err := s.WaitConnected(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	if n := wrong.Load(); n > 0 {
		t.Fatalf("%d wrong results in %d calls; first: %v", n, calls.Load(), firstWrong.Load())
	}
	t.Logf("%d calls", calls.Load())
}
