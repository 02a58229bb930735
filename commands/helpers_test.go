package commands

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
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
	byDepth := map[int][]string{}
	for _, p := range paths {
		d := strings.Count(p, "/")
		byDepth[d] = append(byDepth[d], p)
	}
	depths := make([]int, 0, len(byDepth))
	for d := range byDepth {
		depths = append(depths, d)
	}
	sort.Ints(depths)
	for _, d := range depths {
		var wg sync.WaitGroup
		errs := make(chan error, len(byDepth[d]))
		sem := make(chan struct{}, 64)
		for _, p := range byDepth[d] {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if _, err := s.Create(context.Background(), p, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
					errs <- fmt.Errorf("create %s: %w", p, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
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
