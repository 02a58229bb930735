package commands

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/zkharness"
)

// testEnv opens a session on the package's shared server and an Env whose
// output goes to buffers.
func testEnv(t testing.TB) (*Env, *session.Session, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	srv := pool.Standalone(t, "default", zkharness.Config{})
	target, err := session.ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	m := session.NewManager(session.Options{Target: target, Timeout: 10 * time.Second}, false, nil)
	t.Cleanup(m.Close)
	s, err := m.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := &Env{Out: &out, Err: &errb, Mode: ModeOneShot, Output: "text", Conn: m, Colors: PlainPalette()}
	return env, s, &out, &errb
}

// mkTree creates paths (each parent before its children), many at a time.
func mkTree(t testing.TB, s *session.Session, paths []string) {
	t.Helper()
	zkharness.BuildTree(t, paths, func(p string) error {
		_, err := s.Create(context.Background(), p, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll))
		return err
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
