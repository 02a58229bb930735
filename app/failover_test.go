package app_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/zkharness"
)

// piped is a zkc process reading a script from a pipe, so a test can act
// between lines (kill a server, pause one) while the session stays open.
type piped struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}

	mu     sync.Mutex
	stderr []string
	stdout strings.Builder
}

func startPiped(t *testing.T, args ...string) *piped {
	t.Helper()
	cmd := exec.Command(zkc.Bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &piped{t: t, cmd: cmd, stdin: stdin, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr = append(p.stderr, sc.Text())
			p.mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		buf := make([]byte, 4096)
		for {
			n, err := outPipe.Read(buf)
			p.mu.Lock()
			p.stdout.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { wg.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		_ = cmd.Wait()
	})
	return p
}

func (p *piped) send(lines ...string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, strings.Join(lines, "\n")+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

// waitStderr waits until at least n stderr lines satisfy match.
func (p *piped) waitStderr(n int, match func(string) bool, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if p.countStderr(match) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("waited %v for %d matching stderr lines; stderr so far:\n%s", timeout, n, strings.Join(p.lines(), "\n"))
}

// waitOut waits until stdout matches re.
func (p *piped) waitOut(re *regexp.Regexp, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for !re.MatchString(p.out()) {
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %v for stdout to match %q; stdout so far %q", timeout, re, p.out())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *piped) countStderr(match func(string) bool) int {
	n := 0
	for _, l := range p.lines() {
		if match(l) {
			n++
		}
	}
	return n
}

func (p *piped) out() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

func (p *piped) lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.stderr...)
}

// finish closes stdin and returns the exit code.
func (p *piped) finish(timeout time.Duration) int {
	p.t.Helper()
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("zkc did not exit within %v; stderr:\n%s", timeout, strings.Join(p.lines(), "\n"))
	}
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return 0
}

func isCreated(l string) bool { return strings.HasPrefix(l, "Created ") }

// connectedMember finds the ensemble member holding a client session, by
// asking each member for its connections (cons lists "sid=0x..." for
// sessions; the asking 4lw connection itself has none).
func connectedMember(t *testing.T, e *zkharness.Ensemble) *zkharness.Server {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var found []*zkharness.Server
		for _, s := range e.Servers {
			if !s.Running() {
				continue
			}
			out, err := s.FourLetter("cons", 2*time.Second)
			if err == nil && strings.Contains(out, "sid=0x") {
				found = append(found, s)
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no single ensemble member holds zkc's session")
	return nil
}

// libConn is a go-zookeeper connection for checking what zkc did.
func libConn(t *testing.T, hosts string) *zk.Conn {
	t.Helper()
	return client(t, strings.Split(hosts, ",")...)
}

func childCount(t *testing.T, c *zk.Conn, p string) int {
	t.Helper()
	var kids []string
	var err error
	for i := 0; i < 50; i++ {
		if kids, _, err = c.Children(p); err == nil {
			return len(kids)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("children of %s: %v", p, err)
	return 0
}

func createLines(parent string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("create %s/n%04d v%d", parent, i, i))
	}
	return out
}

// TestFailover kills the member zkc is connected to during a 600-line piped
// script: zkc must move the session to another member and finish the script.
func TestFailover(t *testing.T) {
	e := pool.Ensemble(t, "failover", zkharness.Config{})
	hosts := e.ConnectString()
	restart := func(s *zkharness.Server) {
		t.Helper()
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("between commands", func(t *testing.T) {
		p := startPiped(t, "-server", hosts)
		p.send("create /fo-between")
		p.send(createLines("/fo-between", 0, 300)...)
		p.waitStderr(301, isCreated, time.Minute)
		victim := connectedMember(t, e)
		victim.Stop()
		defer restart(victim)
		// The next lines must start after zkc saw the loss (a line sent
		// before that is lost with the connection, its outcome unknown).
		p.waitOut(regexp.MustCompile(`state:Disconnected`), 30*time.Second)
		p.send(createLines("/fo-between", 300, 600)...)
		code := p.finish(time.Minute)
		lines := p.lines()
		if code != 0 || p.countStderr(isCreated) != 601 {
			t.Fatalf("exit %d, %d Created lines (want 0 and 601); stderr:\n%s", code, p.countStderr(isCreated), strings.Join(lines, "\n"))
		}
		if n := childCount(t, libConn(t, hosts), "/fo-between"); n != 600 {
			t.Fatalf("%d children, want 600", n)
		}
	})

	// Killed mid-command, with each line waiting for its reply (as zkCli)
	// or pipelined (up to 1,000 lines in flight): a request caught on the
	// dying connection is settled by reading the server after the failover
	// (applied, or not applied and sent again). The lines touch distinct
	// nodes, so a pipelined one finished late reorders nothing that
	// matters. Every line succeeds, as with zkCli.
	for _, tc := range []struct {
		name, parent string
		total        int
		args         []string
	}{
		{"mid command", "/fo-mid", 600, []string{"--no-pipeline"}},
		{"mid command pipelined", "/fo-pipe", 20000, nil}, // enough that the kill lands mid-script
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startPiped(t, append([]string{"-server", hosts}, tc.args...)...)
			p.send("create " + tc.parent)
			written := make(chan struct{})
			go func() {
				defer close(written)
				_, _ = io.WriteString(p.stdin, strings.Join(createLines(tc.parent, 0, tc.total), "\n")+"\n")
			}()
			p.waitStderr(300, isCreated, time.Minute)
			victim := connectedMember(t, e)
			victim.Stop()
			defer restart(victim)
			<-written
			code := p.finish(2 * time.Minute)
			settled := regexp.MustCompile(`^connection lost during the create of ` + tc.parent + `/n\d+; it was (applied \(the node exists with its data\)|not applied \(the node does not exist\): sending it again)$`)
			notices := 0
			for _, l := range p.lines() {
				switch {
				case isCreated(l):
				case settled.MatchString(l):
					notices++
				default:
					t.Errorf("unexpected stderr line %q", l)
				}
			}
			if created := p.countStderr(isCreated) - 1; code != 0 || created != tc.total {
				t.Fatalf("exit %d, %d created (want 0 and %d)", code, created, tc.total)
			}
			if n := childCount(t, libConn(t, hosts), tc.parent); n != tc.total {
				t.Fatalf("%d children, want %d", n, tc.total)
			}
			t.Logf("all %d created; %d settled after the loss", tc.total, notices)
		})
	}
}

// TestSessionExpiry pauses the server past the session timeout: zkc reports
// the expiry once, goes on with a new session, and with
// --stop-on-error stops instead.
func TestSessionExpiry(t *testing.T) {
	// tickTime 200 allows session timeouts from 400 ms to 4 s.
	srv := pool.Standalone(t, "expiry", zkharness.Config{TickTime: 200})
	addr := srv.Addr()
	expired := func(l string) bool {
		return strings.HasPrefix(l, "session 0x") && strings.Contains(l, " expired: its ephemeral nodes and watches are gone")
	}
	// pausePastTimeout freezes zkc (SIGSTOP) for well over its 2 s session
	// timeout. Freezing the server instead races on resume: the client's
	// queued reconnect may reach the server before its session expirer runs,
	// reviving the session. A frozen client expires deterministically.
	pausePastTimeout := func(p *piped) {
		t.Helper()
		if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Second)
		if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("continues with a new session", func(t *testing.T) {
		p := startPiped(t, "-server", addr, "-timeout", "2000")
		p.send("create /exp-data s", "create -e /exp-eph x", "create /exp-w", "addWatch /exp-w", "get -w /exp-data")
		p.waitStderr(3, isCreated, 30*time.Second)
		// get -w is the last line: once its data is out, both watches are set.
		p.waitOut(regexp.MustCompile(`s\n$`), 30*time.Second)
		pausePastTimeout(p)
		// Wait for the report and the new session (zkCli's WATCHER lines on
		// stdout); a line issued before that would run under the lost session
		// and fail with "Session expired", as zkCli's would.
		p.waitStderr(1, expired, 30*time.Second)
		p.waitOut(regexp.MustCompile(`(?s)state:Expired.*state:SyncConnected`), 30*time.Second)
		p.send("ls /", "create /exp-after y", "create /exp-w/c", "get /exp-data")
		code := p.finish(time.Minute)
		if n := p.countStderr(expired); n != 1 {
			t.Fatalf("%d expiry reports, want 1; stderr:\n%s", n, strings.Join(p.lines(), "\n"))
		}
		// The one-shot watch is reported lost; the persistent one is re-added
		// on the new session and fires there.
		report := "watches lost with the session: /exp-data (data); persistent watches re-added on the new session: /exp-w (persistent_recursive)"
		if p.countStderr(func(l string) bool { return expired(l) && strings.HasSuffix(l, report) }) != 1 {
			t.Errorf("the expiry report does not say %q; stderr:\n%s", report, strings.Join(p.lines(), "\n"))
		}
		if !strings.Contains(p.out(), "type:NodeCreated path:/exp-w/c") {
			t.Errorf("the persistent watch did not fire on the new session; stdout %q", p.out())
		}
		if code != 0 || !strings.HasSuffix(p.out(), "s\n") {
			t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, p.out(), strings.Join(p.lines(), "\n"))
		}
		c := libConn(t, addr)
		if ok, _, _ := c.Exists("/exp-eph"); ok {
			t.Error("the expired session's ephemeral node still exists")
		}
		if ok, _, _ := c.Exists("/exp-after"); !ok {
			t.Errorf("/exp-after was not created on the new session; stderr:\n%s", strings.Join(p.lines(), "\n"))
		}
	})

	// The scenario this guards against: the server, not zkc, frozen past the session
	// timeout. On resume the server either expires the session or revives it
	// (zkc's queued reconnect may reach it before its expirer runs), so this
	// checks that zkc tells the truth about whichever happened: an expiry is
	// reported once, exactly when the session id changed, and the lines
	// after the pause all run.
	t.Run("server paused", func(t *testing.T) {
		// The longest timeout tickTime 200 allows: a line sent at the
		// resume waits for the new session within it, with the library's
		// pause of 1 s before it dials again after the expired handshake.
		p := startPiped(t, "-server", addr, "-timeout", "4000")
		p.send("create -e /exp-paused x")
		p.waitStderr(1, isCreated, 30*time.Second)
		if err := srv.Pause(); err != nil {
			t.Fatal(err)
		}
		p.waitOut(regexp.MustCompile(`state:Disconnected`), 30*time.Second)
		time.Sleep(7 * time.Second)
		if err := srv.Resume(); err != nil {
			t.Fatal(err)
		}
		// The ephemeral node is looked up by zkc itself: its session ends
		// with the script, and the node with it.
		p.send("create /exp-paused-after y", "ls /exp-paused-after", "get /exp-paused")
		code := p.finish(time.Minute)
		stderr := strings.Join(p.lines(), "\n")
		expiredOnStdout := strings.Contains(p.out(), "state:Expired")
		reports := p.countStderr(expired)
		if (expiredOnStdout && reports != 1) || (!expiredOnStdout && reports != 0) {
			t.Fatalf("state:Expired on stdout: %v, but %d expiry reports; stderr:\n%s", expiredOnStdout, reports, stderr)
		}
		if p.countStderr(isCreated) != 2 || !strings.Contains(p.out(), "[]\n") {
			t.Fatalf("the lines after the pause did not all run; stdout %q; stderr:\n%s", p.out(), stderr)
		}
		ephemeralGone := code == commands.ExitNoNode && strings.HasSuffix(stderr, "Node does not exist: /exp-paused")
		ephemeralKept := code == 0 && strings.HasSuffix(p.out(), "x\n")
		if (expiredOnStdout && !ephemeralGone) || (!expiredOnStdout && !ephemeralKept) {
			t.Fatalf("session expired: %v, but get /exp-paused exits %d; stdout %q; stderr:\n%s", expiredOnStdout, code, p.out(), stderr)
		}
		t.Logf("the server expired the session: %v", expiredOnStdout)
	})

	t.Run("stop-on-error stops", func(t *testing.T) {
		p := startPiped(t, "-server", addr, "-timeout", "2000", "--stop-on-error")
		p.send("create -e /exp-eph2 x")
		p.waitStderr(1, isCreated, 30*time.Second)
		pausePastTimeout(p)
		p.send("create /exp-stop1 y", "create /exp-stop2 z")
		code := p.finish(time.Minute)
		lines := strings.Join(p.lines(), "\n")
		if code != 8 || p.countStderr(expired) != 1 || !strings.Contains(lines, "zkc: stopped") {
			t.Fatalf("exit %d (want 8); stderr:\n%s", code, lines)
		}
		c := libConn(t, addr)
		for _, n := range []string{"/exp-stop1", "/exp-stop2", "/exp-eph2"} {
			if ok, _, _ := c.Exists(n); ok {
				t.Errorf("%s exists: the script went on after the expiry", n)
			}
		}
	})
}
