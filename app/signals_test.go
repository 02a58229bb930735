package app_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/commands"
)

// signalScript starts a script reading from a pipe with a 30 s session
// timeout: an ephemeral node left by a session that was not closed would
// stay that long.
func signalScript(t *testing.T, addr string, stdout io.Writer) (*exec.Cmd, io.WriteCloser, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(zkc.Bin, "-server", addr, "-timeout", "30000")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, stdin, &stderr
}

// waitGone waits (briefly) for an ephemeral node to vanish: a closed session
// removes it at once, an abandoned one only after its 30 s timeout.
func waitGone(t *testing.T, c *zk.Conn, p string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if ok, _, err := c.Exists(p); err == nil && !ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s still exists 3 s after zkc exited: its session was not closed", p)
}

func waitExists(t *testing.T, c *zk.Conn, p string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ok, _, err := c.Exists(p); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s was never created", p)
}

func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				t.Fatalf("zkc was killed by %v: it did not close its session", ws.Signal())
			}
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("zkc did not exit")
	}
	return -1
}

// TestSignalsCloseTheSession: a script whose output reader goes away
// (`zkc … | head -c1`, SIGPIPE) or whose terminal hangs up (SIGHUP) closes
// its session before it exits, as on SIGTERM and SIGINT, so its ephemeral
// nodes are gone at once.
func TestSignalsCloseTheSession(t *testing.T) {
	addr := server(t)
	c := client(t, addr)
	cases := []struct {
		name string
		sig  syscall.Signal // sent to zkc; 0: its stdout reader closes instead
		want int
	}{
		{"stdout closed by its reader", 0, commands.ExitBrokenPipe},
		{"SIGHUP", syscall.SIGHUP, commands.ExitInterrupted},
		{"SIGTERM", syscall.SIGTERM, commands.ExitInterrupted},
		{"SIGINT", syscall.SIGINT, commands.ExitInterrupted},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			node := fmt.Sprintf("/sig-eph-%d", i)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd, stdin, stderr := signalScript(t, addr, pw)
			pw.Close()
			defer stdin.Close()
			fmt.Fprintf(stdin, "create -e %s x\nget %s\n", node, node)
			waitExists(t, c, node)
			// The reader sees the data, as head -c1 would.
			out := bufio.NewReader(pr)
			if b, err := out.ReadByte(); err != nil || b != 'x' {
				t.Fatalf("first byte %q, %v", b, err)
			}
			if tc.sig == 0 {
				pr.Close()
				// The next output meets the closed pipe.
				fmt.Fprintf(stdin, "get %s\nget %s\n", node, node)
			} else {
				defer pr.Close()
				if err := cmd.Process.Signal(tc.sig); err != nil {
					t.Fatal(err)
				}
			}
			if code := exitCode(t, cmd); code != tc.want {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.want, stderr.String())
			}
			waitGone(t, c, node)
			if want := "Created " + node + "\n"; tc.sig == 0 && stderr.String() != want {
				t.Errorf("stderr %q, want only %q: the reader left, nothing failed", stderr.String(), want)
			}
		})
	}
}

// TestOneShotIntoClosedPipe: a one-shot command whose stdout reader has
// already gone exits 141 without a word, after closing its session.
func TestOneShotIntoClosedPipe(t *testing.T) {
	addr := server(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	defer pw.Close()
	cmd := exec.Command(zkc.Bin, "-server", addr, "ls", "/")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = pw, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, cmd); code != commands.ExitBrokenPipe || stderr.String() != "" {
		t.Fatalf("exit %d, stderr %q; want %d and nothing", code, stderr.String(), commands.ExitBrokenPipe)
	}
}
