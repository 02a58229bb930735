package app_test

import (
	"bufio"
	"bytes"
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
	"github.com/zkc-cli/zkc/zkharness"
)

// proc is a zkc running in the background whose stdout lines are read as they come.
type proc struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *syncBuf
	done   chan struct{}
	code   int
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(zkc.Bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, lines: make(chan string, 100000), stderr: &syncBuf{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		err := cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		_ = err
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// line returns the next stdout line, failing after a generous deadline
// (a deadline against hangs, not a speed assertion).
func (p *proc) line(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		if !ok {
			<-p.done
			t.Fatalf("zkc exited (%d) early; stderr:\n%s", p.code, p.stderr)
		}
		return l
	case <-time.After(60 * time.Second):
		t.Fatalf("no output within 60s; stderr:\n%s", p.stderr)
	}
	return ""
}

func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(60 * time.Second):
		t.Fatalf("zkc did not exit within 60s; stderr:\n%s", p.stderr)
	}
	return -1
}

// waitWatch waits until the server at addr holds a watch on path (4lw wchp),
// so a test changes nodes only once the watch is in place.
func waitWatch(t *testing.T, addr, path string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		out, err := zkharness.FourLetter(addr, "wchp", 2*time.Second)
		if err == nil && strings.Contains(out, path+"\n") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no watch on %s at %s", path, addr)
}

// client is a go-zookeeper connection for driving or checking the server
// beside zkc. The logger is set at Connect: SetLogger afterwards races with
// the library's connect loop.
func client(t *testing.T, servers ...string) *zk.Conn {
	t.Helper()
	c, _, err := zk.Connect(servers, 30*time.Second, zk.WithLogger(discard{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

type discard struct{}

func (discard) Printf(string, ...interface{}) {}

var reEvent = regexp.MustCompile(`^WatchedEvent state:SyncConnected type:(NodeCreated|NodeDataChanged) path:(/\S+)$`)

// 500 creates and 500 sets, driven by 8 concurrent writers, reach a streaming
// recursive watch as exactly 1,000 lines, each node's creation before its change.
func TestWatchStreamThousandEventsInOrder(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	zkc.Run("", "-server", addr, "deleteall", "/stream1k")
	p := start(t, "-server", addr, "addWatch", "--count", "1000", "/stream1k")
	waitWatch(t, addr, "/stream1k")
	if _, err := c.Create("/stream1k", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	// The root's own creation is an event too: 999 nodes below it.
	const nodes = 499
	var wg sync.WaitGroup
	errs := make(chan error, nodes)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < nodes; i += 8 {
				path := fmt.Sprintf("/stream1k/n%03d", i)
				if _, err := c.Create(path, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
					errs <- err
					return
				}
				if _, err := c.Set(path, []byte("x"), -1); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := c.Set("/stream1k", []byte("done"), -1); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	var got []string
	for l := range p.lines {
		got = append(got, l)
	}
	if len(got) != 1000 {
		t.Fatalf("got %d lines, want 1000", len(got))
	}
	state := map[string]string{}
	for i, l := range got {
		m := reEvent.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("line %d: %q is not an event line", i, l)
		}
		switch prev := state[m[2]]; {
		case m[1] == "NodeCreated" && prev == "":
			state[m[2]] = "created"
		case m[1] == "NodeDataChanged" && prev == "created":
			state[m[2]] = "changed"
		default:
			t.Fatalf("line %d: %s after %q", i, l, prev)
		}
	}
	if len(state) != nodes+1 {
		t.Fatalf("%d nodes seen, want %d", len(state), nodes+1)
	}
	if got[len(got)-1] != "WatchedEvent state:SyncConnected type:NodeDataChanged path:/stream1k" {
		t.Fatalf("last line %q", got[len(got)-1])
	}
	if p.stderr.String() != "" {
		t.Errorf("stderr: %q", p.stderr)
	}
}

// -o json streams one object per line with the time zkc received the event;
// SIGTERM ends the stream with exit 0.
func TestWatchStreamJSONAndSignal(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	zkc.Run("", "-server", addr, "deleteall", "/streamjson")
	p := start(t, "-server", addr, "-o", "json", "addWatch", "-m", "Persistent", "/streamjson")
	waitWatch(t, addr, "/streamjson")
	before := time.Now()
	if _, err := c.Create("/streamjson", []byte("1"), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("/streamjson/kid", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	want := []struct{ typ, path string }{{"NodeCreated", "/streamjson"}, {"NodeChildrenChanged", "/streamjson"}}
	for _, w := range want {
		l := p.line(t)
		var ev struct {
			Type, Path, State, Received string
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		recv, err := time.Parse(time.RFC3339Nano, ev.Received)
		if err != nil {
			t.Fatalf("received %q: %v", ev.Received, err)
		}
		if ev.Type != w.typ || ev.Path != w.path || ev.State != "SyncConnected" || recv.Before(before.Add(-time.Second)) {
			t.Fatalf("event %q, want %s %s", l, w.typ, w.path)
		}
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("SIGTERM: exit %d; stderr:\n%s", code, p.stderr)
	}
}

// One-shot get -w / stat -w / ls -w / ls -R -w print their result, then the
// single event, and exit.
func TestWatchOneShotWaits(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	zkc.Run("", "-server", addr, "deleteall", "/oneshotw")
	zkc.Run("", "-server", addr, "create", "/oneshotw", "v")
	zkc.Run("", "-server", addr, "create", "/oneshotw/a")
	cases := []struct {
		args   []string
		result []string
		change func() error
		event  string
	}{
		{[]string{"get", "-w", "/oneshotw"}, []string{"v"},
			func() error { _, err := c.Set("/oneshotw", []byte("w"), -1); return err },
			"WatchedEvent state:SyncConnected type:NodeDataChanged path:/oneshotw"},
		{[]string{"ls", "-w", "/oneshotw"}, []string{"[a]"},
			func() error { _, err := c.Create("/oneshotw/b", nil, 0, zk.WorldACL(zk.PermAll)); return err },
			"WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/oneshotw"},
		{[]string{"ls", "-R", "-w", "/oneshotw"}, []string{"/oneshotw", "/oneshotw/a", "/oneshotw/b"},
			func() error { _, err := c.Create("/oneshotw/a/deep", nil, 0, zk.WorldACL(zk.PermAll)); return err },
			"WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/oneshotw/a"},
		{[]string{"stat", "-w", "/oneshotw/a/deep"}, []string{"cZxid = *"},
			func() error { return c.Delete("/oneshotw/a/deep", -1) },
			"WatchedEvent state:SyncConnected type:NodeDeleted path:/oneshotw/a/deep"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			p := start(t, append([]string{"-server", addr}, tc.args...)...)
			for _, want := range tc.result {
				if got := p.line(t); got != want && !(strings.HasSuffix(want, "*") && strings.HasPrefix(got, strings.TrimSuffix(want, "*"))) {
					t.Fatalf("got %q, want %q", got, want)
				}
			}
			if tc.args[0] == "stat" {
				for i := 0; i < 10; i++ {
					p.line(t) // the rest of the stat block
				}
			}
			if err := tc.change(); err != nil {
				t.Fatal(err)
			}
			if got := p.line(t); got != tc.event {
				t.Fatalf("event %q, want %q", got, tc.event)
			}
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
			}
			if rest, ok := <-p.lines; ok {
				t.Fatalf("more output after the event: %q", rest)
			}
		})
	}
}

// In a script, one-shot watches fire exactly once, removewatches fires the
// *WatchRemoved events (also on ZooKeeper 3.8, which lacks removal types -p
// and -r: zkc removes all and re-arms the rest), and a locally removed watch
// stays silent. Events are compared in order among themselves; command output
// may interleave with them.
func TestWatchScriptOneShot(t *testing.T) {
	addr := server(t)
	zkc.Run("", "-server", addr, "deleteall", "/script_oneshot")
	script := strings.Join([]string{
		"create /script_oneshot",
		"create /script_oneshot/a 1",
		"addWatch /script_oneshot",
		"addWatch -m persistent /script_oneshot/a",
		"get -w /script_oneshot/a",
		"ls -w /script_oneshot",
		"removewatches /script_oneshot/a -d",
		"removewatches /script_oneshot/a -d",
		"get -w /script_oneshot/a",
		"removewatches /script_oneshot -r",
		"removewatches /script_oneshot/a -p",
		"set /script_oneshot/a 3",
		"set /script_oneshot/a 4",
		"create /script_oneshot/b",
		"removewatches /script_oneshot -c",
		"ls -w /script_oneshot",
		"removewatches /script_oneshot -c -l",
		"create /script_oneshot/c",
		"stat -w /script_oneshot/none",
		"create /script_oneshot/none",
		"delete /script_oneshot/none",
		"deleteall /script_oneshot",
	}, "\n") + "\n"
	r := zkc.Run(script, "-server", addr)
	var events, other []string
	for _, l := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "WatchedEvent "):
			events = append(events, strings.TrimPrefix(l, "WatchedEvent state:SyncConnected "))
		case l != "" && l != "WATCHER::":
			other = append(other, l)
		}
	}
	wantEvents := []string{ // no connect banner: scripts print none
		"type:DataWatchRemoved path:/script_oneshot/a",
		"type:PersistentWatchRemoved path:/script_oneshot",
		"type:PersistentWatchRemoved path:/script_oneshot/a",
		"type:NodeDataChanged path:/script_oneshot/a", // once, for two sets
		"type:NodeChildrenChanged path:/script_oneshot",
		"type:ChildWatchRemoved path:/script_oneshot",
		"type:NodeCreated path:/script_oneshot/none",
	}
	wantOther := []string{"1", "[a]", "1", "[a, b]"}
	wantErr := strings.Join([]string{
		"Created /script_oneshot", "Created /script_oneshot/a",
		"KeeperErrorCode = No such watcher for /script_oneshot/a",
		"Created /script_oneshot/b",
		"KeeperErrorCode = No such watcher for /script_oneshot",
		"Created /script_oneshot/c",
		"Node does not exist: /script_oneshot/none",
		"Created /script_oneshot/none", "",
	}, "\n")
	if strings.Join(events, "\n") != strings.Join(wantEvents, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(wantEvents, "\n"))
	}
	if strings.Join(other, "\n") != strings.Join(wantOther, "\n") {
		t.Errorf("output %q, want %q", other, wantOther)
	}
	if r.Stderr != wantErr || r.Code != 0 {
		t.Errorf("stderr %q exit %d, want %q exit 0", r.Stderr, r.Code, wantErr)
	}
}

// untilLine repeats change until p prints a line (the watch is re-added
// asynchronously after a reconnect, so a single change could come too early).
func untilLine(t *testing.T, p *proc, change func(i int) error) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		if err := change(i); err != nil {
			t.Logf("change %d: %v", i, err)
		}
		select {
		case l, ok := <-p.lines:
			if !ok {
				<-p.done
				t.Fatalf("zkc exited (%d); stderr:\n%s", p.code, p.stderr)
			}
			return l
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("no event within 60s; stderr:\n%s", p.stderr)
	return ""
}

// A server restart (same port, within the session timeout) keeps a streaming
// persistent watch (re-added by zkc) and a one-shot get -w (re-sent by the
// library) alive; a server that stays away past the session timeout ends the
// stream with exit 8 and says the watch is lost.
func TestWatchServerRestartAndLoss(t *testing.T) {
	srv := pool.Standalone(t, "watch-restart", zkharness.Config{})
	addr := srv.Addr()
	c := client(t, addr)
	if _, err := c.Create("/restart", []byte("0"), 0, zk.WorldACL(zk.PermAll)); err != nil && err != zk.ErrNodeExists {
		t.Fatal(err)
	}
	stream := start(t, "-server", addr, "addWatch", "/restart")
	waitWatch(t, addr, "/restart")
	getw := start(t, "-server", addr, "get", "-w", "/restart")
	if got := getw.line(t); got != "0" {
		t.Fatalf("get -w printed %q", got)
	}
	if _, err := c.Create("/restart/before", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if got := stream.line(t); got != "WatchedEvent state:SyncConnected type:NodeCreated path:/restart/before" {
		t.Fatalf("before restart: %q", got)
	}

	srv.Stop()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	got := untilLine(t, stream, func(i int) error {
		_, err := c.Create(fmt.Sprintf("/restart/after%d", i), nil, 0, zk.WorldACL(zk.PermAll))
		return err
	})
	if !strings.HasPrefix(got, "WatchedEvent state:SyncConnected type:NodeCreated path:/restart/after") {
		t.Fatalf("after restart: %q", got)
	}
	if e := stream.stderr.String(); !strings.Contains(e, "zkc: disconnected from "+addr) || !strings.Contains(e, "zkc: reconnected to "+addr) {
		t.Errorf("stderr does not report the reconnect: %q", e)
	}
	if _, err := c.Set("/restart", []byte("1"), -1); err != nil {
		t.Fatal(err)
	}
	if got := getw.line(t); got != "WatchedEvent state:SyncConnected type:NodeDataChanged path:/restart" {
		t.Fatalf("get -w after restart: %q", got)
	}
	if code := getw.wait(t); code != 0 {
		t.Fatalf("get -w exit %d; stderr:\n%s", code, getw.stderr)
	}
	_ = stream.cmd.Process.Signal(os.Interrupt)
	if code := stream.wait(t); code != 0 {
		t.Fatalf("SIGINT: exit %d; stderr:\n%s", code, stream.stderr)
	}

	// Loss: the shortest session the server allows (2 ticks), then no server.
	// Both the stream and a waiting get -w give up after the session timeout.
	lost := start(t, "-server", addr, "-timeout", "4000", "addWatch", "-m", "persistent", "/restart")
	waitWatch(t, addr, "/restart")
	lostGet := start(t, "-server", addr, "-timeout", "4000", "get", "-w", "/restart")
	if got := lostGet.line(t); got != "1" {
		t.Fatalf("get -w printed %q", got)
	}
	srv.Stop()
	t.Cleanup(func() { _ = srv.Start() }) // leave the pool's server running
	if code := lost.wait(t); code != 8 {
		t.Fatalf("exit %d, want 8; stderr:\n%s", code, lost.stderr)
	}
	if e := lost.stderr.String(); !strings.Contains(e, "the session has expired and the watch on /restart is lost") {
		t.Errorf("stderr: %q", e)
	}
	if code := lostGet.wait(t); code != 8 {
		t.Fatalf("get -w: exit %d, want 8; stderr:\n%s", code, lostGet.stderr)
	}
	if e := lostGet.stderr.String(); !strings.Contains(e, "the watch on /restart is lost") {
		t.Errorf("get -w stderr: %q", e)
	}
}

// Killing the ensemble member a stream is connected to does not stop it: the
// library fails over and zkc re-adds the watch on the new member.
func TestWatchEnsembleFailover(t *testing.T) {
	ens := pool.Ensemble(t, "default", zkharness.Config{})
	cs := ens.ConnectString()
	c := client(t, strings.Split(cs, ",")...)
	zkc.Run("", "-server", cs, "deleteall", "/failover")
	p := start(t, "-server", cs, "addWatch", "/failover")
	// The member holding zkc's connection is the one that lists the watch.
	var victim *zkharness.Server
	deadline := time.Now().Add(60 * time.Second)
	for victim == nil && time.Now().Before(deadline) {
		for _, s := range ens.Servers {
			if out, err := zkharness.FourLetter(s.Addr(), "wchp", 2*time.Second); err == nil && strings.Contains(out, "/failover\n") {
				victim = s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if victim == nil {
		t.Fatal("no member holds the watch")
	}
	if _, err := c.Create("/failover", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if got := p.line(t); got != "WatchedEvent state:SyncConnected type:NodeCreated path:/failover" {
		t.Fatalf("before failover: %q", got)
	}
	victim.Stop()
	t.Cleanup(func() {
		if err := victim.Start(); err != nil {
			t.Logf("restarting member %d: %v", victim.ID, err)
		}
	})
	got := untilLine(t, p, func(i int) error {
		_, err := c.Set("/failover", []byte(fmt.Sprint(i)), -1)
		return err
	})
	if got != "WatchedEvent state:SyncConnected type:NodeDataChanged path:/failover" {
		t.Fatalf("after failover: %q", got)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
}
