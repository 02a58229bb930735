package shell_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// The main interactive session: prompt, output, Tab completion of a node
// another client created, an event arriving while a line is half typed,
// pasted lines, Ctrl-C at the prompt and during a command, history (file
// without the addauth secret), and the terminal modes after quit.
func TestShellInteractive(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/pty", "x")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/pty") })
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr)

	at := tm.waitFor(0, "[zk: "+addr+"(CONNECTED) 0] ")

	// A command and its output.
	tm.send("get /pty\r")
	at = tm.waitFor(at, "x\r\n")
	at = tm.waitFor(at, "(CONNECTED) 1] ")

	// Tab completes a path created by another client after the shell started.
	oneShot(t, "-server", addr, "create", "/pty/fromother", "other-data")
	tm.send("get /pty/fr")
	at = tm.waitFor(at, "/pty/fromother")
	tm.send("\t")
	tm.send("\r")
	at = tm.waitFor(at, "other-data")
	at = tm.waitFor(at, "(CONNECTED) 2] ")

	// An event arrives while a line is half typed: it is printed above the
	// prompt and the line survives (the command that runs is the whole line).
	tm.send("get -w /pty\r")
	at = tm.waitFor(at, "(CONNECTED) 3] ")
	tm.send("get /pt")
	at = tm.waitFor(at, "get /pt")
	oneShot(t, "-server", addr, "set", "/pty", "changed-data")
	at = tm.waitFor(at, "WatchedEvent state:SyncConnected type:NodeDataChanged path:/pty")
	at = tm.waitFor(at, "(CONNECTED) 3] get /pt") // redrawn with the half line
	tm.send("y\r")
	at = tm.waitFor(at, "changed-data")
	at = tm.waitFor(at, "(CONNECTED) 4] ")

	// Pasted lines run one by one.
	tm.send("create /pty/p1 one\rcreate /pty/p2 two\rls /pty\r")
	at = tm.waitFor(at, "[fromother, p1, p2]")
	at = tm.waitFor(at, "(CONNECTED) 7] ")

	// Ctrl-C while typing clears the line.
	tm.send("garbage")
	at = tm.waitFor(at, "garbage")
	tm.send("\x03")
	tm.send("get /pty/p1\r")
	at = tm.waitFor(at, "one\r\n")
	at = tm.waitFor(at, "(CONNECTED) 8] ")

	// Secrets stay out of the history file.
	tm.send("addauth digest bob:s3cretpw\r")
	at = tm.waitFor(at, "(CONNECTED) 9] ")
	tm.send("history\r")
	at = tm.waitFor(at, "8 - addauth digest bob:s3cretpw")
	at = tm.waitFor(at, "9 - history")

	// Ctrl-C during a command cancels it: with the server stopped (SIGSTOP)
	// a command would wait for the session's read timeout.
	srv := pool.Standalone(t, "default", zkharness.Config{})
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	resumed := false
	defer func() {
		if !resumed {
			srv.Resume()
		}
	}()
	tm.send("ls /\r")
	at = tm.waitFor(at, "ls /\r\n")
	tm.send("\x03")
	at = tm.waitFor(at, "interrupted")
	at = tm.waitFor(at, " 11] ")
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	resumed = true
	tm.send("connect\r")
	tm.waitFor(at, "(CONNECTED) 12] ")

	tm.send("quit\r")
	tm.wait()
	if after := tm.stty(); after != tm.before {
		t.Errorf("terminal modes changed by the shell:\nbefore: %s\nafter:  %s", tm.before, after)
	}

	hist, err := os.ReadFile(filepath.Join(tm.home, "state", "zkc", "history"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"get /pty\n", "get /pty/fromother\n", "history\n", "quit\n"} {
		if !strings.Contains(string(hist), want) {
			t.Errorf("history file lacks %q:\n%s", want, hist)
		}
	}
	if strings.Contains(string(hist), "s3cretpw") || strings.Contains(string(hist), "addauth") {
		t.Errorf("history file holds the addauth line:\n%s", hist)
	}
}

// SIGTERM with a half-typed line ends the shell cleanly, modes restored.
func TestShellSIGTERM(t *testing.T) {
	addr := server(t)
	tm := startTerm(t, nil, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	tm.send("get /zoo")
	tm.waitFor(at, "get /zoo")
	if err := tm.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := tm.wait(); code != 143 {
		t.Errorf("exit code after SIGTERM = %d, want 143", code)
	}
	if after := tm.stty(); after != tm.before {
		t.Errorf("terminal modes changed by SIGTERM:\nbefore: %s\nafter:  %s", tm.before, after)
	}
}

// Ctrl-D on an empty line exits with the last command's code; the prompt is
// coloured on a terminal unless NO_COLOR is set.
func TestShellCtrlDAndColour(t *testing.T) {
	addr := server(t)
	tm := startTerm(t, nil, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	tm.mu.Lock()
	raw := tm.out.String()
	tm.mu.Unlock()
	if !strings.Contains(raw, "(\x1b[32mCONNECTED\x1b[0m)") {
		t.Errorf("prompt state not green on a terminal: %q", raw)
	}
	tm.send("get /nosuch\r")
	tm.waitFor(at, "(CONNECTED) 1] ")
	tm.send("\x04")
	if code := tm.wait(); code != 3 {
		t.Errorf("exit code after Ctrl-D = %d, want 3 (the last command's)", code)
	}
	if after := tm.stty(); after != tm.before {
		t.Errorf("terminal modes changed:\nbefore: %s\nafter:  %s", tm.before, after)
	}
}

// The prompt follows the connection: CONNECTING while the server is down,
// CONNECTED again after it comes back (same session), without a keystroke.
func TestShellPromptFollowsConnection(t *testing.T) {
	srv := pool.Standalone(t, "prompt-state", zkharness.Config{})
	addr := srv.Addr()
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr)
	at := tm.waitFor(0, "[zk: "+addr+"(CONNECTED) 0] ")
	srv.Stop()
	t.Cleanup(func() {
		if !srv.Running() {
			_ = srv.Start()
		}
	})
	at = tm.waitFor(at, "WatchedEvent state:Disconnected type:None path:null")
	at = tm.waitFor(at, "[zk: "+addr+"(CONNECTING) 0] ")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	at = tm.waitFor(at, "WatchedEvent state:SyncConnected type:None path:null")
	at = tm.waitFor(at, "[zk: "+addr+"(CONNECTED) 0] ")
	tm.send("ls /\r")
	tm.waitFor(at, "[zookeeper]")
	tm.send("quit\r")
	if code := tm.wait(); code != 0 {
		t.Fatalf("quit: exit %d", code)
	}
}

// Completion's own child watch: a node another client creates under a parent
// already listed appears without a new line being run, and its event is not
// printed (it is zkc's watch, not the user's).
func TestShellCompletionWatch(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/cw", "x")
	oneShot(t, "-server", addr, "create", "/cw/alpha", "a")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/cw") })
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	tm.send("get /cw/")
	at = tm.waitFor(at, "/cw/alpha") // listed: the cache now holds /cw, watched
	oneShot(t, "-server", addr, "create", "/cw/beta", "b")
	tm.send("b")
	at = tm.waitFor(at, "/cw/beta")
	tm.send("\t\r")
	tm.waitFor(at, "(CONNECTED) 1] ")
	if strings.Contains(tm.screen(0), "NodeChildrenChanged") {
		t.Errorf("completion's watch event was printed:\n%s", tm.screen(0))
	}
	tm.send("quit\r")
	tm.wait()
}

// A session expiry in the shell: reported on stderr above the prompt, the
// prompt shows EXPIRED until the next line, and that line runs on the new
// session.
func TestShellExpiry(t *testing.T) {
	// tickTime 200 allows the 2 s session timeout.
	srv := pool.Standalone(t, "short-ticks", zkharness.Config{TickTime: 200})
	addr := srv.Addr()
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr, "-timeout", "2000")
	at := tm.waitFor(0, "[zk: "+addr+"(CONNECTED) 0] ")
	tm.send("create -e /ptyexp x\r")
	at = tm.waitFor(at, "(CONNECTED) 1] ")
	// zkc, not the server, is frozen past the timeout: the server then
	// expires the session for certain (app's TestSessionExpiry says why).
	if err := tm.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Second)
	if err := tm.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	at = tm.waitFor(at, "WatchedEvent state:Expired type:None path:null")
	at = tm.waitFor(at, " expired: its ephemeral nodes and watches are gone")
	at = tm.waitFor(at, "[zk: "+addr+"(EXPIRED) 1] ")
	tm.send("ls /\r")
	at = tm.waitFor(at, "[zookeeper]") // the ephemeral went with the old session
	tm.waitFor(at, "[zk: "+addr+"(CONNECTED) 2] ")
	tm.send("quit\r")
	if code := tm.wait(); code != 0 {
		t.Fatalf("quit: exit %d", code)
	}
}
