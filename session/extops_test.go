package session

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

func open(t *testing.T, server string) *Session {
	t.Helper()
	target, err := ParseConnectString(server)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Options{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Every operation added through go:linkname in extops.go runs here against a
// real server, so a changed private signature in go-zookeeper fails a test
// instead of corrupting requests.
func TestExtensionOps(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	s := open(t, srv.Addr())
	ctx := context.Background()
	acl := zk.WorldACL(zk.PermAll)
	for _, p := range []string{"/ext", "/ext/a", "/ext/a/b", "/ext/c"} {
		if _, err := s.Create(ctx, p, nil, CreateMode{}, acl); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			t.Fatal(err)
		}
	}

	n, err := s.GetAllChildrenNumber(ctx, "/ext")
	if err != nil || n != 3 {
		t.Fatalf("GetAllChildrenNumber(/ext) = %d, %v; want 3", n, err)
	}
	if _, err := s.GetAllChildrenNumber(ctx, "/ext/none"); !errors.Is(err, zk.ErrNoNode) {
		t.Fatalf("GetAllChildrenNumber of a missing node: %v, want ErrNoNode", err)
	}

	for _, p := range []string{"/ext/e1", "/ext/e2", "/exte"} {
		if _, err := s.Create(ctx, p, nil, CreateMode{Ephemeral: true}, acl); err != nil {
			t.Fatal(err)
		}
	}
	eph, err := s.GetEphemerals(ctx, "/ext")
	sort.Strings(eph)
	if err != nil || len(eph) != 3 || eph[0] != "/ext/e1" || eph[2] != "/exte" {
		t.Fatalf("GetEphemerals(/ext) = %v, %v; want the three (prefix match)", eph, err)
	}

	ids, err := s.WhoAmI(ctx)
	if err != nil || len(ids) == 0 || ids[0].AuthScheme != "ip" || ids[0].User != "127.0.0.1" {
		t.Fatalf("WhoAmI = %+v, %v; want ip 127.0.0.1", ids, err)
	}

	events := make(chan Event, 16)
	s.Subscribe(func(e Event) {
		if !e.IsSession() {
			events <- e
		}
	})
	if err := s.AddWatch(ctx, "/ext/a", AddWatchPersistentRecursive); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Set(ctx, "/ext/a/b", []byte("x"), -1); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		if e.Type != "NodeDataChanged" || e.Path != "/ext/a/b" {
			t.Fatalf("recursive watch event = %+v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event from the persistent recursive watch")
	}
	if got := s.PersistentWatches(); len(got) != 1 || got[0] != "/ext/a" {
		t.Fatalf("PersistentWatches = %v", got)
	}
	if err := s.RemoveWatches(ctx, "/ext/a", WatcherAny, false); err != nil {
		t.Fatal(err)
	}
	if got := s.PersistentWatches(); len(got) != 0 {
		t.Fatalf("PersistentWatches after removal = %v", got)
	}
	if err := s.RemoveWatches(ctx, "/ext/c", WatcherData, false); !errors.Is(err, ErrNoWatcher) {
		t.Fatalf("RemoveWatches without a watch: %v, want ErrNoWatcher", err)
	}
}

// A chroot is stripped from the server list, prefixed to requests and
// removed from returned paths and events.
func TestChroot(t *testing.T) {
	srv := pool.Standalone(t, "default", zkharness.Config{})
	root := open(t, srv.Addr())
	ctx := context.Background()
	acl := zk.WorldACL(zk.PermAll)
	if _, err := root.Create(ctx, "/jail", nil, CreateMode{}, acl); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		t.Fatal(err)
	}
	s := open(t, srv.Addr()+"/jail")
	p, err := s.Create(ctx, "/seq-", []byte("v"), CreateMode{Sequential: true, Ephemeral: true}, acl)
	if err != nil || len(p) != len("/seq-0000000000") {
		t.Fatalf("Create in chroot = %q, %v", p, err)
	}
	if data, _, err := root.Get(ctx, "/jail"+p, false); err != nil || string(data) != "v" {
		t.Fatalf("node is not under the chroot on the server: %q, %v", data, err)
	}
	eph, err := s.GetEphemerals(ctx, "/")
	if err != nil || len(eph) != 1 || eph[0] != p {
		t.Fatalf("GetEphemerals in chroot = %v, %v", eph, err)
	}
}

func TestConnectFailureNamesHost(t *testing.T) {
	port, err := zkharness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	target, _ := ParseConnectString("127.0.0.1:" + strconv.Itoa(port))
	_, err = Open(context.Background(), Options{Target: target, Timeout: 5 * time.Second})
	if !errors.Is(err, ErrConnect) {
		t.Fatalf("Open on a closed port: %v, want ErrConnect", err)
	}
	if want := "127.0.0.1:" + strconv.Itoa(port) + ": connection refused"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not name %q", err, want)
	}
}
