package shell_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// raw is everything zkc wrote to the terminal so far.
func (tm *term) raw() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// historyLines reads the shell's history file.
func historyLines(t *testing.T, stateDir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stateDir, "zkc", "history"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// noControlBytes fails when a history line holds a control byte.
func noControlBytes(t *testing.T, lines []string) {
	t.Helper()
	for _, l := range lines {
		for _, c := range []byte(l) {
			if c < 0x20 || c == 0x7f {
				t.Errorf("history line %q holds control byte %#x", l, c)
			}
		}
	}
}

// readline's keys edit the line; what reaches the server and the history
// file is the edited text, and no escape or control byte ever does.
func TestShellReadlineEditing(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/ed", "")
	oneShot(t, "-server", addr, "create", "/ed/alpha", "a-data")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/ed") })
	state := filepath.Join(t.TempDir(), "state")
	tm := startTerm(t, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")

	// Alt-b back over "beta", Alt-d kills it, unknown sequences (an
	// unknown CSI, Alt-z, bracketed-paste marks, F-keys) are swallowed.
	tm.send("get /ed/beta")
	at = tm.waitFor(at, "get /ed/beta")
	for _, k := range []string{"\x1bb", "\x1bd", "\x1b[1;9X", "\x1bz", "\x1b[200~", "\x1b[201~", "\x1b[24;2~", "alpha"} {
		tm.send(k)
		time.Sleep(30 * time.Millisecond)
	}
	tm.send("\r")
	at = tm.waitFor(at, "a-data")
	at = tm.waitFor(at, "(CONNECTED) 1] ")

	// The Esc-prefixed form: Esc, then b, as two keys.
	tm.send("create /ed/one valu")
	at = tm.waitFor(at, "create /ed/one valu")
	tm.send("\x1b")
	time.Sleep(100 * time.Millisecond)
	tm.send("b")
	time.Sleep(50 * time.Millisecond)
	tm.send("new\r")
	at = tm.waitFor(at, "Created /ed/one")
	at = tm.waitFor(at, "(CONNECTED) 2] ")
	if r := zkc.Run("", "-server", addr, "get", "/ed/one"); r.Stdout != "newvalu\n" {
		t.Errorf("the server has %q for /ed/one, want %q", r.Stdout, "newvalu\n")
	}

	// Ctrl-A Ctrl-K kills the line, Ctrl-Y yanks it back after "get ".
	tm.send("/ed/one")
	at = tm.waitFor(at, "/ed/one")
	tm.send("\x01")
	time.Sleep(30 * time.Millisecond)
	tm.send("\x0b")
	time.Sleep(30 * time.Millisecond)
	tm.send("get ")
	time.Sleep(30 * time.Millisecond)
	tm.send("\x19\r")
	at = tm.waitFor(at, "newvalu")
	at = tm.waitFor(at, "(CONNECTED) 3] ")

	// Ctrl-W rubs out to the blank; Alt-Backspace one word.
	tm.send("ls /zzz")
	at = tm.waitFor(at, "ls /zzz")
	tm.send("\x17")
	time.Sleep(30 * time.Millisecond)
	tm.send("/ed/alphaXX")
	time.Sleep(30 * time.Millisecond)
	tm.send("\x1b\x7f")
	time.Sleep(30 * time.Millisecond)
	tm.send("alpha\r")
	at = tm.waitFor(at, "[]")
	at = tm.waitFor(at, "(CONNECTED) 4] ")

	// Ctrl-L clears the screen and keeps the half-typed line.
	tm.send("get /ed/al")
	at = tm.waitFor(at, "get /ed/al")
	mark := len(tm.raw())
	tm.send("\x0c")
	at = tm.waitFor(at, "(CONNECTED) 4] get /ed/al")
	if !strings.Contains(tm.raw()[mark:], "\x1b[H\x1b[2J") {
		t.Errorf("Ctrl-L did not clear the screen: %q", tm.raw()[mark:])
	}
	tm.send("\x15") // Ctrl-U: the line goes

	// Ctrl-Left twice, then typing: the x lands before "ed".
	tm.send("get /ed/alpha")
	at = tm.waitFor(at, "get /ed/alpha")
	tm.send("\x1b[1;5D")
	time.Sleep(30 * time.Millisecond)
	tm.send("\x1b[1;5D")
	time.Sleep(30 * time.Millisecond)
	tm.send("x\r")
	at = tm.waitFor(at, "Node does not exist: /xed/alpha")
	at = tm.waitFor(at, "(CONNECTED) 5] ")

	tm.send("quit\r")
	tm.wait()
	got := historyLines(t, state)
	want := []string{"get /ed/alpha", "create /ed/one newvalu", "get /ed/one", "ls /ed/alpha", "get /xed/alpha", "quit"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history file:\n%q\nwant:\n%q", got, want)
	}
	noControlBytes(t, got)
	if strings.Contains(tm.raw(), "\x1b]") {
		t.Errorf("zkc wrote an OSC (window title) sequence: %q", tm.raw())
	}
}

// Ctrl-R searches the history file's lines backwards as in bash: typing
// narrows, Ctrl-R again goes older, Enter runs the match, Esc keeps it
// for editing, Ctrl-G restores the line.
func TestShellHistorySearch(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/rs", "rs-data")
	oneShot(t, "-server", addr, "create", "/rs/one", "one-data")
	oneShot(t, "-server", addr, "create", "/rs/two", "two-data")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/rs") })
	state := filepath.Join(t.TempDir(), "state")
	if err := os.MkdirAll(filepath.Join(state, "zkc"), 0o700); err != nil {
		t.Fatal(err)
	}
	seed := "get /rs/one\nls /rs\nget /rs/two\nstat /rs\n"
	if err := os.WriteFile(filepath.Join(state, "zkc", "history"), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")

	tm.send("\x12")
	at = tm.waitFor(at, "(reverse-i-search)`': ")
	tm.send("get")
	at = tm.waitFor(at, "(reverse-i-search)`get': get /rs/two")
	tm.send("\x12")
	at = tm.waitFor(at, "(reverse-i-search)`get': get /rs/one")
	tm.send("\x13") // Ctrl-S: forward again
	at = tm.waitFor(at, "(i-search)`get': get /rs/two")
	tm.send("\x12")
	at = tm.waitFor(at, "(reverse-i-search)`get': get /rs/one")
	tm.send("\r")
	at = tm.waitFor(at, "one-data")
	at = tm.waitFor(at, "(CONNECTED) 1] ")

	// Esc keeps the match to edit; the cursor is where the match is.
	tm.send("\x12ls")
	at = tm.waitFor(at, "(reverse-i-search)`ls': ls /rs")
	tm.send("\x1b")
	at = tm.waitFor(at, "(CONNECTED) 1] ls /rs")
	tm.send("\x05/two\r") // Ctrl-E, then more text
	at = tm.waitFor(at, "[]")
	at = tm.waitFor(at, "(CONNECTED) 2] ")

	// No match: the search says so; Ctrl-G gives the typed line back.
	tm.send("get /rs")
	at = tm.waitFor(at, "get /rs")
	tm.send("\x12zzz")
	at = tm.waitFor(at, "(failed reverse-i-search)`zzz': ")
	tm.send("\x07")
	at = tm.waitFor(at, "(CONNECTED) 2] get /rs")
	tm.send("\r")
	at = tm.waitFor(at, "rs-data")
	at = tm.waitFor(at, "(CONNECTED) 3] ")

	// The lines run this session are searched too, newest first.
	tm.send("\x12rs/two")
	at = tm.waitFor(at, "(reverse-i-search)`rs/two': ls /rs/two")
	tm.send("\x03")
	at = tm.waitFor(at, "(CONNECTED) 3] ")
	tm.send("quit\r")
	tm.wait()
	got := historyLines(t, state)
	want := strings.Split(seed+"get /rs/one\nls /rs/two\nget /rs\nquit", "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history file:\n%q\nwant:\n%q", got, want)
	}
	noControlBytes(t, got)
}

// Names with blanks and quotes complete to a form the tokenizer reads back,
// outside a quote and inside an open one; the selected candidate is marked
// without colour.
func TestShellCompletionQuoting(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/cq", "")
	oneShot(t, "-server", addr, "create", "/cq/sp ace", "spaced")
	oneShot(t, "-server", addr, "create", "/cq/it's", "quoted")
	oneShot(t, "-server", addr, "create", "/cq/naïve 节", "wide")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/cq") })
	state := filepath.Join(t.TempDir(), "state")
	tm := startTerm(t, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")

	tm.send("get /cq/sp")
	at = tm.waitFor(at, `"/cq/sp ace"`) // the candidate, quoted
	tm.send("\t")
	at = tm.waitFor(at, `> "/cq/sp ace"`) // selected, marked without colour
	if !strings.Contains(tm.raw(), "\x1b[7m> \"/cq/sp ace\"") {
		t.Errorf("the selected candidate is not in reverse video")
	}
	tm.send("\r")
	at = tm.waitFor(at, "spaced")
	at = tm.waitFor(at, "(CONNECTED) 1] ")

	tm.send(`get "/cq/sp`)
	at = tm.waitFor(at, `"/cq/sp ace"`)
	tm.send("\t\r")
	at = tm.waitFor(at, "spaced")
	at = tm.waitFor(at, "(CONNECTED) 2] ")

	// A quote inside a word is literal to the tokenizer: no quoting needed.
	tm.send("get /cq/it")
	at = tm.waitFor(at, "  /cq/it's")
	tm.send("\t\r")
	at = tm.waitFor(at, "quoted")
	at = tm.waitFor(at, "(CONNECTED) 3] ")

	tm.send("get '/cq/na")
	at = tm.waitFor(at, `'/cq/naïve 节'`)
	tm.send("\t\r")
	at = tm.waitFor(at, "wide")
	at = tm.waitFor(at, "(CONNECTED) 4] ")
	tm.send("quit\r")
	tm.wait()
	want := []string{`get "/cq/sp ace"`, `get "/cq/sp ace"`, "get /cq/it's", `get '/cq/naïve 节'`, "quit"}
	if got := historyLines(t, state); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history file:\n%q\nwant:\n%q", got, want)
	}
}

// TERM=dumb: a plain prompt and the terminal's own line editing, not one
// escape sequence; events, Ctrl-C and Ctrl-D still work; 4lw's answer
// ends its line.
func TestShellDumbTerminal(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/dumb", "d1")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/dumb") })
	tm := startTerm(t, []string{"TERM=dumb"}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	tm.send("get -w /dumb\r")
	at = tm.waitFor(at, "d1")
	at = tm.waitFor(at, "(CONNECTED) 1] ")
	oneShot(t, "-server", addr, "set", "/dumb", "d2")
	at = tm.waitFor(at, "WatchedEvent state:SyncConnected type:NodeDataChanged path:/dumb")
	at = tm.waitFor(at, "(CONNECTED) 1] ")
	tm.send("garbage\x03")
	at = tm.waitFor(at, "(CONNECTED) 1] ")
	tm.send("4lw ruok\r")
	at = tm.waitFor(at, "imok\r\n[zk: ")
	tm.send("\x04")
	tm.wait()
	if raw := tm.raw(); strings.Contains(raw, "\x1b") {
		t.Errorf("TERM=dumb output holds escape sequences: %q", raw)
	}
	if after := tm.stty(); after != tm.before {
		t.Errorf("terminal modes changed:\nbefore: %s\nafter:  %s", tm.before, after)
	}
}

// With no server, a line says after a second that it waits, and why, once;
// it gives up at -timeout. 4lw's answer ends its line in the shell.
func TestShellWaitingFeedback(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now: connection refused
	addr := "127.0.0.1:" + strconv.Itoa(port)
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr, "-timeout", "3000")
	at := tm.waitFor(0, "(CONNECTING) 0] ")
	start := time.Now()
	tm.send("ls /\r")
	at = tm.waitFor(at, "waiting for "+addr+" (connection refused); Ctrl-C to cancel")
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("the notice came after %v, before a second", d)
	}
	at = tm.waitFor(at, "ConnectionLoss")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the line gave up after %v; -timeout is 3 s", d)
	}
	if n := strings.Count(tm.screen(0), "waiting for"); n != 1 {
		t.Errorf("the notice was said %d times, want once", n)
	}
	at = tm.waitFor(at, "(CONNECTING) 1] ")
	// Ctrl-C ends the wait at once.
	tm.send("get /x\r")
	at = tm.waitFor(at, "waiting for")
	tm.send("\x03")
	at = tm.waitFor(at, "interrupted")
	tm.waitFor(at, "(CONNECTING) 2] ")
	tm.send("quit\r")
	tm.wait()

	// One-shot mode still fails at once, without the notice.
	start = time.Now()
	r := zkc.Run("", "-server", addr, "ls", "/")
	if r.Code == 0 || strings.Contains(r.Stderr, "waiting for") || time.Since(start) > 5*time.Second {
		t.Errorf("one-shot ls: exit %d after %v, stderr %q; want a quick failure", r.Code, time.Since(start), r.Stderr)
	}
}

// Ctrl-C on a write the server has not answered: zkc cannot know whether it
// was applied, and says so (the server applies it once it wakes).
func TestShellCancelledWrite(t *testing.T) {
	srv := pool.Standalone(t, "cancelled-write", zkharness.Config{})
	addr := srv.Addr()
	oneShot(t, "-server", addr, "create", "/cw1", "before")
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	resumed := false
	defer func() {
		if !resumed {
			srv.Resume()
		}
	}()
	tm.send("set /cw1 after\r")
	at = tm.waitFor(at, "set /cw1 after\r\n")
	time.Sleep(300 * time.Millisecond)
	tm.send("\x03")
	at = tm.waitFor(at, "interrupted; the set may or may not have been applied")
	at = tm.waitFor(at, "] ")
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	resumed = true
	tm.send("get /cw1\r")
	tm.waitFor(at, "after")
	tm.send("quit\r")
	tm.wait()
}
