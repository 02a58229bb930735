package commands

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

func smallTree(root string, parents, kids int) []string {
	paths := []string{root}
	for i := 0; i < parents; i++ {
		paths = append(paths, fmt.Sprintf("%s/p%02d", root, i))
		for j := 0; j < kids; j++ {
			paths = append(paths, fmt.Sprintf("%s/p%02d/c%02d", root, i, j))
		}
	}
	return paths
}

// listAll returns root and every node under it (nil when root is gone).
func listAll(t *testing.T, s *session.Session, root string) []string {
	t.Helper()
	var all []string
	err := walk.Walk(context.Background(), s, root, walk.Options{}, func(p string, _ []string) error {
		all = append(all, p)
		return nil
	})
	if errors.Is(err, zk.ErrNoNode) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// deleteall racing with a writer that keeps adding nodes: whatever happens,
// zkc must report exactly the nodes it could not delete, and fail if any.
func TestDeleteAllWithConcurrentAdds(t *testing.T) {
	env, s, _, errb := testEnv(t)
	for round := 0; round < 3; round++ {
		root := fmt.Sprintf("/deleteall-race%d", round)
		paths := smallTree(root, 10, 30)
		mkTree(t, s, paths)

		ctx, stop := context.WithCancel(context.Background())
		var added sync.Map
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(seed int64) {
				defer wg.Done()
				rng := rand.New(rand.NewSource(seed))
				for i := 0; ctx.Err() == nil; i++ {
					parent := paths[1+rng.Intn(len(paths)-1)]
					p := fmt.Sprintf("%s/new%d-%d", parent, seed, i)
					// Not ctx: a create cancelled in flight may still happen.
					if _, err := s.Create(context.Background(), p, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err == nil {
						added.Store(p, true)
					}
				}
			}(int64(round*10 + w))
		}
		errb.Reset()
		err := ExecuteLine(context.Background(), env, []string{"deleteall", root, "-b", "40"})
		stop()
		wg.Wait()

		remaining := listAll(t, s, root)
		reported := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
			if i := strings.LastIndex(line, ": "); i >= 0 {
				reported[line[i+2:]] = true
			}
		}
		t.Logf("round %d: err=%v, %d reported, %d remaining", round, err, len(reported), len(remaining))
		if err == nil {
			if len(remaining) != 0 || errb.Len() != 0 {
				t.Fatalf("deleteall succeeded but %d nodes remain, stderr %q", len(remaining), errb.String())
			}
			continue
		}
		if ExitCode(err) == ExitOK || !strings.Contains(err.Error(), "not deleted") {
			t.Fatalf("err = %v (code %d), want a non-zero report", err, ExitCode(err))
		}
		if len(reported) == 0 {
			t.Fatalf("deleteall failed without naming a node: stderr %q", errb.String())
		}
		left := map[string]bool{}
		for _, p := range remaining {
			left[p] = true
			if _, isNew := added.Load(p); !isNew && !reported[p] {
				t.Errorf("%s remains but was neither reported nor added during the delete", p)
			}
		}
		for p := range reported {
			if !left[p] {
				t.Errorf("%s was reported as not deleted but is gone", p)
			}
		}
		if !left[root] {
			t.Errorf("nodes were reported but the root %s is gone", root)
		}
		// Clean up for the next round (nothing adds now).
		if err := ExecuteLine(context.Background(), env, []string{"deleteall", root}); err != nil {
			t.Fatalf("second deleteall: %v (%s)", err, errb.String())
		}
	}
}

// Ctrl-C stops deleteall where it is, and its message counts exactly the
// nodes it deleted, of how many, and says that the root is still there.
func TestDeleteAllCancel(t *testing.T) {
	env, s, _, _ := testEnv(t)
	// Cancel once a few batches are deleted, and at the first one.
	for _, after := range []int{1, 3} {
		t.Run(fmt.Sprintf("after %d", after), func(t *testing.T) {
			root := "/deleteall-cancel"
			paths := smallTree(root, 20, 40)
			mkTree(t, s, paths)
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			n := 0
			env.Progress = func(done, total int, what string) {
				if what == "nodes deleted" && done >= after*10 && n == 0 {
					n++
					cancel()
				}
			}
			err := ExecuteLine(ctx, env, []string{"deleteall", root, "-b", "10"})
			cancel()
			env.Progress = nil
			if ExitCode(err) != ExitInterrupted {
				t.Fatalf("err = %v (code %d), want interrupted", err, ExitCode(err))
			}
			settleGoroutines(t, before)
			left := listAll(t, s, root)
			if len(left) == 0 {
				t.Fatalf("cancelled deleteall deleted everything")
			}
			want := fmt.Sprintf("deleteall: interrupted after deleting %s of %s nodes; %s still exists",
				count(len(paths)-len(left)), count(len(paths)), root)
			if err.Error() != want {
				t.Fatalf("message %q, want %q", err.Error(), want)
			}
			if err := ExecuteLine(context.Background(), env, []string{"deleteall", root}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A node deleteall cannot list (no READ) stops only its own branch: the
// rest is deleted, the node is named with the reason, its ancestors as not
// empty, and the closing line counts nodes.
func TestDeleteAllUnreadableBranch(t *testing.T) {
	env, s, _, errb := testEnv(t)
	root := "/deleteall-unreadable"
	mkTree(t, s, []string{root, root + "/a", root + "/b", root + "/b/c", root + "/locked", root + "/locked/x"})
	noRead := []zk.ACL{{Perms: zk.PermCreate | zk.PermDelete | zk.PermWrite | zk.PermAdmin, Scheme: "world", ID: "anyone"}}
	if _, err := s.SetACL(context.Background(), root+"/locked", noRead, -1); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	err := ExecuteLine(context.Background(), env, []string{"deleteall", root})
	wantLines := "Insufficient permission : " + root + "/locked\nNode not empty: " + root + "\n"
	wantMsg := "Failed to delete some node(s) in the subtree! (deleted 3 of 6 nodes; 2 named above not deleted); " + root + " still exists"
	if errb.String() != wantLines || err == nil || err.Error() != wantMsg || ExitCode(err) != ExitError {
		t.Fatalf("stderr %q, err %v (code %d); want %q and %q (code 1)", errb.String(), err, ExitCode(err), wantLines, wantMsg)
	}
	for p, want := range map[string]bool{root: true, root + "/locked": true, root + "/a": false, root + "/b": false} {
		if ok, _, err := s.Exists(context.Background(), p, false); err != nil || ok != want {
			t.Fatalf("%s exists: %v (%v), want %v", p, ok, err, want)
		}
	}
	if _, err := s.SetACL(context.Background(), root+"/locked", zk.WorldACL(zk.PermAll), -1); err != nil {
		t.Fatal(err)
	}
	if err := ExecuteLine(context.Background(), env, []string{"deleteall", root}); err != nil {
		t.Fatal(err)
	}
}
