package shell_test

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// pipelineScript is a 2,000-line script mixing creates, sets with versions,
// deletes, expected failures (NoNode, BadVersion, NodeExists, NotEmpty,
// NoAuth), addauth, ACL-protected nodes, watches and their events, sync,
// sequential nodes and reads, generated from a fixed seed.
func pipelineScript(aliceACL, bobACL string) string {
	r := rand.New(rand.NewSource(17))
	var lines []string
	add := func(f string, a ...interface{}) { lines = append(lines, fmt.Sprintf(f, a...)) }
	add("create /t root")
	add("addauth digest alice:apw")
	add("create /t/alice secret %s", aliceACL)
	add("create /t/bob hidden %s", bobACL)
	add("get -w /t/alice")
	add("ls -w /t")
	add("get /t/bob")
	for len(lines) < 2000 {
		if len(lines) == 1000 {
			add("addauth digest bob:bpw")
			add("get /t/bob")
		}
		p := fmt.Sprintf("/t/n%d", r.Intn(40))
		switch r.Intn(14) {
		case 0, 1, 2:
			add("create %s v%d", p, len(lines))
		case 3:
			add("create %s/c%d x", p, r.Intn(3))
		case 4:
			add("set -v %d %s s%d", r.Intn(3), p, len(lines))
		case 5:
			add("set %s s%d", p, len(lines))
		case 6:
			add("delete %s", p)
		case 7:
			add("delete %s/c%d", p, r.Intn(3))
		case 8:
			add("get %s", p)
		case 9:
			add("ls %s", p)
		case 10:
			add("stat %s", p)
		case 11:
			add("set /t/alice a%d", len(lines))
			add("get -w /t/alice")
		case 12:
			add("sync %s", p)
		case 13:
			switch r.Intn(4) {
			case 0:
				add("create -s /t/seq- %d", len(lines))
			case 1:
				add("get -w %s", p)
			case 2:
				add("get /t/bob")
			case 3:
				add("create -e %s/e x", p)
			}
		}
	}
	add("ls /t")
	return strings.Join(lines, "\n") + "\n"
}

// treeOf reads every node under root (data and version), as seen with both
// credentials.
func treeOf(t *testing.T, c *zk.Conn, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(p string)
	walk = func(p string) {
		data, st, err := c.Get(p)
		if err != nil {
			t.Fatalf("get %s: %v", p, err)
		}
		out[strings.TrimPrefix(p, root)] = fmt.Sprintf("%q v%d", data, st.Version)
		kids, _, err := c.Children(p)
		if err != nil {
			t.Fatalf("children %s: %v", p, err)
		}
		sort.Strings(kids)
		for _, k := range kids {
			walk(path.Join(p, k))
		}
	}
	walk(root)
	return out
}

func libClient(t *testing.T, addr string) *zk.Conn {
	t.Helper()
	c, _, err := zk.Connect([]string{addr}, 10*time.Second, zk.WithLogger(discardLog{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	for _, u := range []string{"alice:apw", "bob:bpw"} {
		if err := c.AddAuth("digest", []byte(u)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// A pipelined script gives exactly the serial run's output, exit code and
// final tree; each run works in its own chroot.
func TestScriptPipelinedMatchesSerial(t *testing.T) {
	addr := server(t)
	c := libClient(t, addr)
	aliceACL := "digest:" + zk.DigestACL(zk.PermAll, "alice", "apw")[0].ID + ":cdrwa"
	bobACL := "digest:" + zk.DigestACL(zk.PermAll, "bob", "bpw")[0].ID + ":cdrwa"
	script := pipelineScript(aliceACL, bobACL)
	run := func(root string, extra ...string) (zkharness.Result, map[string]string) {
		if _, err := c.Create(root, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			zkc.Run("addauth digest alice:apw\naddauth digest bob:bpw\ndeleteall "+root+"\n", "-server", addr)
		})
		start := time.Now()
		r := zkc.Run(script, append([]string{"-server", addr + root}, extra...)...)
		t.Logf("%s: %v", root, time.Since(start))
		return r, treeOf(t, c, root)
	}
	serial, serialTree := run("/plserial", "--no-pipeline")
	piped, pipedTree := run("/plpiped")
	if serial.Code != piped.Code {
		t.Errorf("exit %d pipelined, %d serial", piped.Code, serial.Code)
	}
	for _, s := range []struct{ name, serial, piped string }{
		{"stdout", serial.Stdout, piped.Stdout}, {"stderr", serial.Stderr, piped.Stderr},
	} {
		if a, b := zkharness.Normalize(s.serial), zkharness.Normalize(s.piped); a != b {
			t.Errorf("%s differs:\n%s", s.name, firstDiff(a, b))
		}
	}
	if fmt.Sprint(serialTree) != fmt.Sprint(pipedTree) {
		t.Errorf("final trees differ:\nserial    %v\npipelined %v", serialTree, pipedTree)
	}
	// The script exercises what it claims to.
	for _, want := range []string{"Node already exists", "Node does not exist", "version No is not valid",
		"Node not empty", "Insufficient permission", "Created /t/seq-"} {
		if !strings.Contains(serial.Stderr, want) {
			t.Errorf("the script never produced %q", want)
		}
	}
	if !strings.Contains(serial.Stdout, "type:NodeDataChanged path:/t/alice") || !strings.Contains(serial.Stdout, "Sync is OK") {
		t.Errorf("the script produced no event or no sync:\n%s", serial.Stdout)
	}
}

// With stdout and stderr on one descriptor (2>&1), a pipelined script
// interleaves the two streams exactly as the serial run does, though it
// writes finished lines' output in batches.
func TestScriptPipelinedKeepsStreamOrder(t *testing.T) {
	addr := server(t)
	c := libClient(t, addr)
	var b strings.Builder
	b.WriteString("create /o\n")
	// Five lines a node: both streams, in turns.
	for i := 0; i < 600; i++ {
		p := fmt.Sprintf("/o/n%d", i/5%40)
		switch i % 5 {
		case 0, 1:
			fmt.Fprintf(&b, "create %s v%d\n", p, i) // Created, or Node already exists: stderr
		case 2:
			fmt.Fprintf(&b, "get %s\n", p) // stdout
		case 3:
			fmt.Fprintf(&b, "ls %s\n", p)
		case 4:
			fmt.Fprintf(&b, "delete %s/x\n", p) // Node does not exist: stderr
		}
	}
	script := b.String()
	run := func(root string, extra ...string) string {
		if _, err := c.Create(root, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { zkc.Run("deleteall "+root+"\n", "-server", addr) })
		r := zkc.RunCombined(script, append([]string{"-server", addr + root}, extra...)...)
		if r.Code < 0 {
			t.Fatal(r.Stderr)
		}
		return zkharness.Normalize(r.Stdout)
	}
	serial := run("/soserial", "--no-pipeline")
	piped := run("/sopiped")
	if serial != piped {
		t.Errorf("the combined output differs:\n%s", firstDiff(serial, piped))
	}
	if !strings.Contains(serial, "Created /o/n1\nNode already exists: /o/n1\nv5\n[]\nNode does not exist: /o/n1/x\n") {
		t.Errorf("the script did not mix both streams:\n%.600s", serial)
	}
}

// A script fed through a pipe that stays open prints each line's result
// before the next line comes: batching finished lines' output never holds
// it back while zkc waits for input.
func TestScriptOpenPipeSeesEachResult(t *testing.T) {
	addr := server(t)
	cmd := exec.Command(zkc.Bin, "-server", addr)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for i := 0; i < 5; i++ {
		p := fmt.Sprintf("/openpipe%d", i)
		fmt.Fprintf(in, "create %s x\n", p)
		select {
		case l := <-lines:
			if l != "Created "+p {
				t.Fatalf("line %d: got %q", i, l)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no result for line %d before the next line was written", i)
		}
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("zkc: %v", err)
	}
	zkc.Run("deleteall /openpipe0\ndeleteall /openpipe1\ndeleteall /openpipe2\ndeleteall /openpipe3\ndeleteall /openpipe4\n", "-server", addr)
}

// firstDiff shows where two outputs part.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d:\nserial:    %q\npipelined: %q", i+1, al[lo:min(len(al), i+3)], bl[lo:min(len(bl), i+3)])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// With --stop-on-error nothing after the failing line takes effect, though
// the lines before it were pipelined; the output is the serial run's.
func TestScriptPipelinedStopOnError(t *testing.T) {
	addr := server(t)
	c := libClient(t, addr)
	var lines []string
	for i := 0; i < 300; i++ {
		lines = append(lines, fmt.Sprintf("create /s/n%d v%d", i, i), fmt.Sprintf("get /s/n%d", i))
	}
	failing := len(lines) + 2 // 1-based, after "create /s" below
	lines = append(lines, "create /s/n5 again")
	for i := 300; i < 600; i++ {
		lines = append(lines, fmt.Sprintf("get /s/n%d", i-300), fmt.Sprintf("create /s/n%d v%d", i, i), fmt.Sprintf("set /s/n%d w", i-300))
	}
	script := "create /s\n" + strings.Join(lines, "\n") + "\n"
	var outs []zkharness.Result
	for _, root := range []string{"/stserial", "/stpiped"} {
		if _, err := c.Create(root, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { zkc.Run("deleteall "+root+"\n", "-server", addr) })
		args := []string{"-server", addr + root, "--stop-on-error"}
		if root == "/stserial" {
			args = append(args, "--no-pipeline")
		}
		r := zkc.Run(script, args...)
		outs = append(outs, r)
		wantStop := fmt.Sprintf("zkc: stopped at stdin line %d: create /s/n5 again\n", failing)
		if r.Code == 0 || !strings.HasSuffix(r.Stderr, "Node already exists: /s/n5\n"+wantStop) {
			t.Errorf("%s: exit %d, stderr ends %q", root, r.Code, r.Stderr[max(0, len(r.Stderr)-120):])
		}
		tree := treeOf(t, c, root)
		if len(tree) != 302 { // root, /s and its 300 children
			t.Errorf("%s: %d nodes after the script, want 302", root, len(tree))
		}
		for p, v := range tree {
			if strings.HasPrefix(p, "/s/n") && !strings.HasPrefix(v, `"v`) {
				t.Errorf("%s: %s = %s was changed after the failing line", root, p, v)
			}
		}
	}
	if outs[0].Stdout != outs[1].Stdout || outs[0].Stderr != outs[1].Stderr || outs[0].Code != outs[1].Code {
		t.Errorf("pipelined run differs from the serial run:\nstdout %s\nstderr %s",
			firstDiff(outs[0].Stdout, outs[1].Stdout), firstDiff(outs[0].Stderr, outs[1].Stderr))
	}
}

type discardLog struct{}

func (discardLog) Printf(string, ...interface{}) {}
