package shell_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/zkc-cli/zkc/zkharness"
)

var (
	pool zkharness.Pool
	zkc  *zkharness.Zkc
)

func TestMain(m *testing.M) { os.Exit(zkharness.MainWithZkc(m, &pool, &zkc)) }

func server(t *testing.T) string {
	return pool.Standalone(t, "default", zkharness.Config{}).Addr()
}

// deadline is generous: the machine is shared and slow at times. Tests wait
// for output, never for a fixed time.
const deadline = 30 * time.Second

// term is zkc running in a pseudo-terminal, as a user runs it.
type term struct {
	t         *testing.T
	ptmx, tty *os.File
	cmd       *exec.Cmd
	mu        sync.Mutex
	out       bytes.Buffer
	exited    chan struct{}
	waitErr   error
	home      string
	before    string // stty -a before zkc started
}

var reANSI = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b\][^\x07]*\x07|\x1b[DM78]`)

func startTerm(t *testing.T, env []string, args ...string) *term {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 160}); err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, ptmx: ptmx, tty: tty, exited: make(chan struct{}), home: t.TempDir()}
	tm.before = tm.stty()
	cmd := exec.Command(zkc.Bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "TERM=xterm", "ZKC_SERVER=", "ZKC_AUTH=",
		"HOME="+tm.home, "XDG_STATE_HOME="+filepath.Join(tm.home, "state"))
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tm.cmd = cmd
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			tm.mu.Lock()
			tm.out.Write(buf[:n])
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		tm.waitErr = cmd.Wait()
		close(tm.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-tm.exited:
		default:
			cmd.Process.Kill()
			<-tm.exited
		}
		ptmx.Close()
		tty.Close()
		if t.Failed() {
			t.Logf("terminal output:\n%s", tm.screen(0))
		}
	})
	return tm
}

// screen is the output from offset on, without escape sequences.
func (tm *term) screen(from int) string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	b := tm.out.Bytes()
	if from > len(b) {
		from = len(b)
	}
	return reANSI.ReplaceAllString(string(b[from:]), "")
}

// waitFor waits until the output after from contains want and returns the
// offset just after it.
func (tm *term) waitFor(from int, want string) int {
	tm.t.Helper()
	end := time.Now().Add(deadline)
	for time.Now().Before(end) {
		tm.mu.Lock()
		raw := tm.out.Bytes()
		if from > len(raw) {
			from = len(raw)
		}
		s := string(raw[from:])
		tm.mu.Unlock()
		// Find want in the stripped text, then map back to a raw offset
		// by stripping growing prefixes (outputs are small).
		if strings.Contains(reANSI.ReplaceAllString(s, ""), want) {
			for i := len(want); i <= len(s); i++ {
				if strings.Contains(reANSI.ReplaceAllString(s[:i], ""), want) {
					return from + i
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for %q; output since mark:\n%q", want, tm.screen(from))
	return 0
}

func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.ptmx.Write([]byte(s)); err != nil {
		tm.t.Fatal(err)
	}
}

// wait waits for zkc to exit and returns its exit code.
func (tm *term) wait() int {
	tm.t.Helper()
	select {
	case <-tm.exited:
	case <-time.After(deadline):
		tm.t.Fatalf("zkc did not exit; output:\n%s", tm.screen(0))
	}
	var ee *exec.ExitError
	if errors.As(tm.waitErr, &ee) {
		return ee.ExitCode()
	}
	if tm.waitErr != nil {
		tm.t.Fatal(tm.waitErr)
	}
	return 0
}

// stty is `stty -a` of the terminal zkc runs in.
func (tm *term) stty() string {
	tm.t.Helper()
	cmd := exec.Command("stty", "-a")
	cmd.Stdin = tm.tty
	out, err := cmd.Output()
	if err != nil {
		tm.t.Fatalf("stty -a: %v", err)
	}
	return string(out)
}

// oneShot runs a one-shot zkc command as another client would.
func oneShot(t *testing.T, args ...string) {
	t.Helper()
	if r := zkc.Run("", args...); r.Code != 0 {
		t.Fatalf("zkc %v: exit %d: %s", args, r.Code, r.Stderr)
	}
}
