package walk

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/zkharness"
)

// testSession opens a session on the package's shared server.
func testSession(t testing.TB) *session.Session {
	t.Helper()
	srv := pool.Standalone(t, "default", zkharness.Config{})
	target, err := session.ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.Open(context.Background(), session.Options{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// mkTree creates paths (each parent before its children), many at a time.
func mkTree(t testing.TB, s *session.Session, paths []string) {
	t.Helper()
	zkharness.BuildTree(t, paths, func(p string) error {
		_, err := s.Create(context.Background(), p, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll))
		return err
	})
}

// awkwardTree is a tree with deep, wide and empty branches and sibling names
// whose byte order differs from a naive full-path sort (`a/b` vs `a-b`).
func awkwardTree(root string) []string {
	paths := []string{root}
	add := func(p string) { paths = append(paths, root+p) }
	for _, n := range []string{"a", "a-b", "a.b", "a0", "ab", "A", "_", "z", "é", "a b", "Ａ", "\uF900x"} {
		add("/" + n)
	}
	for _, n := range []string{"b", "b-c", "a", "0"} {
		add("/a/" + n)
	}
	add("/a/b/c")
	add("/a-b/x")
	deep := "/deep"
	for i := 0; i < 15; i++ {
		add(deep)
		deep += fmt.Sprintf("/d%d", i%3)
	}
	add("/wide")
	for i := 0; i < 300; i++ {
		add(fmt.Sprintf("/wide/w%d", i))
		if i%50 == 0 {
			add(fmt.Sprintf("/wide/w%d/k", i))
		}
	}
	add("/empty1")
	add("/empty2")
	return paths
}

// sequential is the reference: zkCli's ZKUtil.visitSubTreeDFS, one request at a time.
func sequential(t testing.TB, s *session.Session, root string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(root + "\n")
	var visit func(p string)
	visit = func(p string) {
		kids, _, err := s.Children(context.Background(), p, false)
		if err != nil {
			t.Fatalf("children %s: %v", p, err)
		}
		sort.Strings(kids)
		for _, k := range kids {
			b.WriteString(ChildPath(p, k) + "\n")
		}
		for _, k := range kids {
			visit(ChildPath(p, k))
		}
	}
	visit(root)
	return b.String()
}

// checkOrder walks root with o and compares the listing with want.
func checkOrder(t *testing.T, s *session.Session, root string, o Options, want string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(root + "\n")
	err := Walk(context.Background(), s, root, o, func(_ string, kids []string) error {
		for _, k := range kids {
			b.WriteString(k + "\n")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("walk differs from the sequential reference\n--- want\n%s--- got\n%s", want, b.String())
	}
}

func TestWalkMatchesSequential(t *testing.T) {
	s := testSession(t)
	root := "/walk-order"
	mkTree(t, s, awkwardTree(root))
	want := sequential(t, s, root)
	// zkCli's order is not a sort of full paths: /a/b/c comes before /a-b/x.
	if i, j := strings.Index(want, root+"/a/b/c\n"), strings.Index(want, root+"/a-b/x\n"); i < 0 || j < 0 || i > j {
		t.Fatalf("reference is not in zkCli's order:\n%s", want)
	}

	// Every scheduling path: plain requests, tiny multiRead batches, a lookahead
	// so small the visitor must fetch nodes itself, one request at a time, watches.
	cases := []Options{
		{Batch: 1}, {Batch: 2, InFlight: 3}, {Batch: 1, Lookahead: 1, InFlight: 2},
		{Lookahead: 2}, {InFlight: 1}, {Watch: true}, {Batch: 500, InFlight: 1},
	}
	for _, o := range cases {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) { checkOrder(t, s, root, o, want) })
	}
	// Each kind of subtree on its own, the root itself a deep chain, a wide
	// parent or a leaf, under settings that make the schedule pass over
	// launched nodes, take batches across parents and run out of lookahead.
	for _, sub := range []string{"/deep", "/wide", "/empty1", "/a"} {
		want := sequential(t, s, root+sub)
		for _, o := range []Options{{}, {Batch: 7, InFlight: 2, Lookahead: 10}, {Batch: 64, InFlight: 16, Lookahead: 3}} {
			t.Run(fmt.Sprintf("%s %+v", sub, o), func(t *testing.T) { checkOrder(t, s, root+sub, o, want) })
		}
	}
	t.Run("missing root", func(t *testing.T) {
		err := Walk(context.Background(), s, root+"/nope", Options{}, func(string, []string) error { return nil })
		var we *Error
		if !errors.As(err, &we) || !errors.Is(err, zk.ErrNoNode) || we.Path != root+"/nope" {
			t.Fatalf("err = %v, want NoNode on the root", err)
		}
	})
}

// settleGoroutines waits until the goroutine count is back to at most n
// (the library's replies to cancelled requests take a moment to drain).
func settleGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWalkCancelLeavesNoGoroutines(t *testing.T) {
	s := testSession(t)
	root := "/walk-cancel"
	paths := []string{root}
	for i := 0; i < 40; i++ {
		paths = append(paths, fmt.Sprintf("%s/p%02d", root, i))
		for j := 0; j < 25; j++ {
			paths = append(paths, fmt.Sprintf("%s/p%02d/c%02d", root, i, j))
		}
	}
	mkTree(t, s, paths)
	for _, o := range []Options{{}, {Batch: 1}, {Lookahead: 3}} {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			visited := 0
			err := Walk(ctx, s, root, o, func(string, []string) error {
				visited++
				if visited == 5 {
					cancel()
				}
				return nil
			})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v after %d nodes, want context.Canceled", err, visited)
			}
			if visited >= len(paths) {
				t.Fatalf("walk visited all %d nodes despite the cancel", visited)
			}
			settleGoroutines(t, before)
		})
	}
	t.Run("visit error", func(t *testing.T) {
		before := runtime.NumGoroutine()
		stop := errors.New("stop")
		err := Walk(context.Background(), s, root, Options{}, func(string, []string) error { return stop })
		if err != stop {
			t.Fatalf("err = %v, want visit's error", err)
		}
		settleGoroutines(t, before)
	})
}

// Nodes with Data and ACL hands each node's data, stat and ACL to the visit,
// whether they come from multiRead batches or plain requests.
func TestNodesWithDataAndACL(t *testing.T) {
	s := testSession(t)
	root := "/walk-data"
	paths := []string{root, root + "/a", root + "/a/x", root + "/b"}
	mkTree(t, s, paths)
	for _, p := range paths {
		if _, err := s.Set(context.Background(), p, []byte("data of "+p), -1); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []Options{{Data: true, ACL: true}, {Data: true, ACL: true, Batch: 1}, {Data: true, Batch: 2}, {ACL: true}} {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
			var seen []string
			err := Nodes(context.Background(), s, root, o, func(n *Node) error {
				seen = append(seen, n.Path)
				if n.Gone || n.Stat == nil {
					t.Errorf("%s: gone=%v stat=%v", n.Path, n.Gone, n.Stat)
					return nil
				}
				if o.Data && string(n.Data) != "data of "+n.Path {
					t.Errorf("%s: data %q", n.Path, n.Data)
				}
				if !o.Data && n.Data != nil {
					t.Errorf("%s: data %q without Options.Data", n.Path, n.Data)
				}
				if o.ACL && (len(n.ACL) != 1 || n.ACL[0].Scheme != "world") {
					t.Errorf("%s: ACL %v", n.Path, n.ACL)
				}
				if n.Stat.DataLength != int32(len("data of "+n.Path)) {
					t.Errorf("%s: stat %+v", n.Path, n.Stat)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(seen, " ") != strings.Join(paths, " ") {
				t.Errorf("visited %v, want %v", seen, paths)
			}
		})
	}
}
