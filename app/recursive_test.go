package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/zkharness"
)

// recursiveTree is root, 100 parents and 199 children each: 20,001 nodes.
func recursiveTree(root string) []string {
	paths := []string{root}
	for i := 0; i < 100; i++ {
		p := fmt.Sprintf("%s/p%02d", root, i)
		paths = append(paths, p)
		for j := 0; j < 199; j++ {
			paths = append(paths, fmt.Sprintf("%s/c%03d", p, j))
		}
	}
	return paths
}

func buildWith(t *testing.T, c *zk.Conn, paths []string) {
	t.Helper()
	zkharness.BuildTree(t, paths, func(p string) error {
		_, err := c.Create(p, nil, 0, zk.WorldACL(zk.PermAll))
		return err
	})
}

// summaryOf parses the one JSON summary a recursive write prints.
func summaryOf(t *testing.T, out string) format.RecursiveSummary {
	t.Helper()
	var s format.RecursiveSummary
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(l, `"command"`) {
			if err := json.Unmarshal([]byte(l), &s); err != nil {
				t.Fatalf("summary %q: %v", l, err)
			}
			return s
		}
	}
	t.Fatalf("no JSON summary in stdout %q", out)
	return s
}

// others is every running member but s.
func others(e *zkharness.Ensemble, s *zkharness.Server) []string {
	var addrs []string
	for _, m := range e.Servers {
		if m != s && m.Running() {
			addrs = append(addrs, m.Addr())
		}
	}
	return addrs
}

// deleteall and setAcl -R of 20,001 nodes while the member zkc is connected
// to is killed: the session moves to another member, the requests lost with
// the connection are re-sent, and the command finishes. Checked node by node
// on the server, and against the command's own counts.
func TestRecursiveWritesSurviveFailover(t *testing.T) {
	e := pool.Ensemble(t, "failover", zkharness.Config{})
	hosts := e.ConnectString()
	cases := []struct {
		name, root string
		command    string
		started    func(c *zk.Conn, root string) bool // some work is visibly done
		check      func(t *testing.T, c *zk.Conn, paths []string)
	}{
		// Batches of 5 keep the deletes going for a few seconds, so the
		// kill lands mid-way (with 50 a fast run could finish first).
		{"deleteall", "/rf-del", "deleteall /rf-del -b 5",
			func(c *zk.Conn, root string) bool {
				ok, _, err := c.Exists(root + "/p00/c000")
				return err == nil && !ok
			},
			func(t *testing.T, c *zk.Conn, paths []string) {
				if left := countExisting(c, paths); left > 0 {
					t.Fatalf("%d of %d nodes are still there", left, len(paths))
				}
			}},
		{"setAcl -R", "/rf-acl", "setAcl -R /rf-acl world:anyone:cdr",
			func(c *zk.Conn, root string) bool {
				acl, _, err := c.GetACL(root + "/p00/c000")
				return err == nil && acl[0].Perms == zk.PermCreate|zk.PermDelete|zk.PermRead
			},
			func(t *testing.T, c *zk.Conn, paths []string) {
				var mu sync.Mutex
				wrong := 0
				var wg sync.WaitGroup
				sem := make(chan struct{}, 64)
				for _, p := range paths {
					wg.Add(1)
					sem <- struct{}{}
					go func() {
						defer wg.Done()
						defer func() { <-sem }()
						acl, _, err := c.GetACL(p)
						if err != nil || len(acl) != 1 || acl[0].Perms != zk.PermCreate|zk.PermDelete|zk.PermRead {
							mu.Lock()
							wrong++
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				if wrong > 0 {
					t.Fatalf("%d of %d nodes do not have the new ACL", wrong, len(paths))
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The kill is meant to land mid-way; on a loaded machine the
			// member may die only after the last request was answered,
			// which proves nothing: that is tried again on a fresh tree.
			for attempt := 1; ; attempt++ {
				root := c.root
				if attempt > 1 {
					root = fmt.Sprintf("%s-%d", c.root, attempt)
				}
				missed := failoverAttempt(t, e, hosts, root, strings.Replace(c.command, c.root, root, 1), c.started, c.check)
				if !missed {
					return
				}
				if attempt == 3 {
					t.Fatalf("%s finished before the member died, three times", c.command)
				}
				t.Logf("attempt %d: %s finished before the member died; trying again", attempt, c.command)
			}
		})
	}
}

// failoverAttempt runs command on a fresh tree under root and kills the
// member zkc is connected to once started holds. It reports missed when
// the command had finished all its requests before the member died.
func failoverAttempt(t *testing.T, e *zkharness.Ensemble, hosts, root, command string,
	started func(c *zk.Conn, root string) bool, check func(t *testing.T, c *zk.Conn, paths []string)) (missed bool) {
	t.Helper()
	paths := recursiveTree(root)
	builder, _, err := zk.Connect(strings.Split(hosts, ","), 30*time.Second, zk.WithLogger(discard{}))
	if err != nil {
		t.Fatal(err)
	}
	buildWith(t, builder, paths)
	builder.Close()

	p := startPiped(t, "-o", "json", "-server", hosts)
	p.send("ls " + root + "/p99")
	p.waitOut(regexp.MustCompile(`c198`), 30*time.Second)
	victim := connectedMember(t, e)
	watcher := client(t, others(e, victim)...)
	// A retry's connectedMember must see zkc's session alone.
	defer watcher.Close()
	p.send(command)
	deadline := time.Now().Add(30 * time.Second)
	for !started(watcher, root) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start within 30 s; stderr %q", command, p.lines())
		}
		time.Sleep(2 * time.Millisecond)
	}
	victim.Stop()
	defer func() {
		if err := victim.Start(); err != nil {
			t.Fatal(err)
		}
	}()
	code := p.finish(2 * time.Minute)
	sum := summaryOf(t, p.out())
	t.Logf("exit %d, summary %+v, stderr %q", code, sum, p.lines())
	if code == 0 && len(p.lines()) == 0 && sum.Resent == 0 && sum.Failed == 0 && sum.Done == len(paths) {
		check(t, watcher, paths)
		return true
	}
	note := regexp.MustCompile(`^` + strings.Fields(command)[0] + `( -R)?: the connection was lost; (1 request was|[0-9,]+ requests were) re-sent or settled after the reconnect$`)
	if code != 0 || len(p.lines()) != 1 || !note.MatchString(p.lines()[0]) {
		t.Fatalf("exit %d, stderr %q: want 0 and one line saying requests were re-sent", code, p.lines())
	}
	if sum.Total != len(paths) || sum.Done != len(paths) || sum.Failed != 0 || sum.Unknown != 0 {
		t.Fatalf("summary %+v, want %d of %d done", sum, len(paths), len(paths))
	}
	if sum.Resent == 0 {
		t.Fatalf("summary %+v: no request was re-sent, so the member died after the command's requests", sum)
	}
	check(t, watcher, paths)
	return false
}

// Ctrl-C (SIGINT) half-way through a one-shot deleteall or setAcl -R: zkc
// says how many nodes it did, of how many (and for deleteall, that the root
// is still there), exits 130, and the count matches the server's; -o json
// carries the same counts.
func TestRecursiveInterruptCounts(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	newACL := []zk.ACL{{Perms: zk.PermRead | zk.PermWrite | zk.PermCreate | zk.PermDelete, Scheme: "world", ID: "anyone"}}
	hasNewACL := func(p string) bool {
		acl, _, err := c.GetACL(p)
		return err == nil && len(acl) == 1 && acl[0] == newACL[0]
	}
	cases := []struct {
		name, root string
		args       []string
		started    func(root string) bool
		done       func(paths []string) int // nodes the command did, on the server
		text       string                   // the message, with %[1]s done, %[2]s total, %[3]s root
	}{
		{"deleteall", "/rec-int", []string{"deleteall", "/rec-int", "-b", "20"},
			func(root string) bool { ok, _, err := c.Exists(root + "/p00"); return err == nil && !ok },
			func(paths []string) int { return len(paths) - countExisting(c, paths) },
			"deleteall: interrupted after deleting %s of %s nodes; %s still exists\n"},
		{"deleteall -o json", "/rec-int-json", []string{"-o", "json", "deleteall", "/rec-int-json", "-b", "20"},
			func(root string) bool { ok, _, err := c.Exists(root + "/p00"); return err == nil && !ok },
			func(paths []string) int { return len(paths) - countExisting(c, paths) },
			"deleteall: interrupted after deleting %s of %s nodes; %s still exists\n"},
		{"setAcl -R", "/rec-int-acl", []string{"setAcl", "-R", "/rec-int-acl", "world:anyone:crwd"},
			func(root string) bool { return hasNewACL(root + "/p00/c198") },
			func(paths []string) int {
				n := 0
				for _, p := range paths {
					if hasNewACL(p) {
						n++
					}
				}
				return n
			},
			"setAcl -R: interrupted after changing %[1]s of %[2]s nodes%.0[3]s\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			paths := recursiveTree(tc.root)
			buildWith(t, c, paths)
			cmd := exec.Command(zkc.Bin, append([]string{"-server", addr}, tc.args...)...)
			cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for !tc.started(tc.root) {
				time.Sleep(time.Millisecond)
			}
			_ = cmd.Process.Signal(syscall.SIGINT)
			err := cmd.Wait()
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			done := tc.done(paths)
			want := fmt.Sprintf(tc.text, thousands(done), thousands(len(paths)), tc.root)
			if code != 130 || errb.String() != want {
				t.Fatalf("exit %d, stderr %q; want 130 and %q", code, errb.String(), want)
			}
			if done == 0 || done == len(paths) {
				t.Fatalf("%d of %d nodes done: the interrupt was not half-way", done, len(paths))
			}
			if strings.Contains(strings.Join(tc.args, " "), "json") {
				sum := summaryOf(t, out.String())
				if !sum.Interrupted || sum.Done != done || sum.Total != len(paths) || sum.RootExists == nil || !*sum.RootExists {
					t.Fatalf("summary %+v; want interrupted, %d of %d done, root exists", sum, done, len(paths))
				}
			}
		})
	}
}

// deleteall through a chroot deletes the subtree under the chroot, and
// never reaches ZooKeeper's own nodes through one.
func TestDeleteAllThroughChroot(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	buildWith(t, c, []string{"/rec-chroot", "/rec-chroot/app", "/rec-chroot/app/a", "/rec-chroot/app/a/b", "/rec-chroot/keep"})
	r := zkc.Run("", "-server", addr+"/rec-chroot", "deleteall", "/app")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("deleteall /app under chroot: exit %d, %q", r.Code, r.Stderr)
	}
	if ok, _, _ := c.Exists("/rec-chroot/app"); ok {
		t.Fatal("/rec-chroot/app is still there")
	}
	if ok, _, _ := c.Exists("/rec-chroot/keep"); !ok {
		t.Fatal("/rec-chroot/keep went too")
	}
	r = zkc.Run("", "-server", addr+"/zookeeper", "deleteall", "/quota")
	if r.Code == 0 || !strings.Contains(r.Stderr, "the server path /zookeeper/quota is ZooKeeper's quota store; use delquota") {
		t.Fatalf("deleteall /quota under chroot /zookeeper: exit %d, %q", r.Code, r.Stderr)
	}
}

// countExisting counts the paths that exist, many requests at a time.
func countExisting(c *zk.Conn, paths []string) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	sem := make(chan struct{}, 64)
	for _, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ok, _, err := c.Exists(p); err != nil || ok {
				mu.Lock()
				n++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return n
}

// thousands writes n as zkc's reports do (20,001).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
