package app_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/zkc-cli/zkc/zkharness"
)

// ptyRun runs zkc with stdout and/or stderr each on its own pseudo-terminal
// (otherwise a pipe) and returns what each stream received.
func ptyRun(t *testing.T, env []string, outTTY, errTTY bool, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, zkc.Bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "ZKC_SERVER=", "ZKC_AUTH=", "NO_COLOR=", "TERM=xterm")
	cmd.Env = append(cmd.Env, env...)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &errBuf
	var copies []chan struct{}
	attach := func(dst *io.Writer, buf *bytes.Buffer) {
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err) // a kernel feature, not ZooKeeper
		}
		t.Cleanup(func() { ptmx.Close() })
		*dst = tty
		done := make(chan struct{})
		copies = append(copies, done)
		// The copy ends with EIO once zkc exits and the tty side is closed.
		go func() { io.Copy(buf, ptmx); close(done) }()
		t.Cleanup(func() { tty.Close() })
	}
	if outTTY {
		attach(&cmd.Stdout, &outBuf)
	}
	if errTTY {
		attach(&cmd.Stderr, &errBuf)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Close our copies of the tty sides so the readers see EOF after exit.
	if f, ok := cmd.Stdout.(*os.File); ok {
		f.Close()
	}
	if f, ok := cmd.Stderr.(*os.File); ok {
		f.Close()
	}
	cmd.Wait()
	for _, c := range copies {
		<-c
	}
	return outBuf.String(), errBuf.String()
}

func TestColour(t *testing.T) {
	addr := server(t)
	zkc.Run("", "-server", addr, "deleteall", "/colour")
	zkc.Run("", "-server", addr, "create", "/colour")
	zkc.Run("", "-server", addr, "create", "/colour/parent")
	zkc.Run("", "-server", addr, "create", "/colour/parent/kid")
	zkc.Run("", "-server", addr, "create", "/colour/leaf")
	const esc = "\x1b["
	cases := []struct {
		name           string
		env            []string
		outTTY, errTTY bool
		args           []string
		outColour      bool // stdout has escapes
		errColour      bool // stderr has escapes
	}{
		{"stat keys on a terminal", nil, true, true, []string{"stat", "/colour"}, true, false},
		{"error in red on a terminal", nil, true, true, []string{"get", "/colour/missing"}, false, true},
		{"ls marks parents", nil, true, false, []string{"ls", "/colour"}, true, false},
		{"NO_COLOR", []string{"NO_COLOR=1"}, true, true, []string{"stat", "/colour/missing"}, false, false},
		{"NO_COLOR stat", []string{"NO_COLOR=1"}, true, false, []string{"stat", "/colour"}, false, false},
		{"TERM=dumb", []string{"TERM=dumb"}, true, true, []string{"stat", "/colour"}, false, false},
		{"--color=never", nil, true, true, []string{"--color=never", "stat", "/colour"}, false, false},
		{"stdout a pipe, stderr a terminal", nil, false, true, []string{"stat", "/colour/missing"}, false, true},
		{"stdout a pipe: stat plain", nil, false, true, []string{"stat", "/colour"}, false, false},
		{"stderr a pipe, stdout a terminal", nil, true, false, []string{"get", "/colour/missing"}, false, false},
		{"both pipes", nil, false, false, []string{"stat", "/colour"}, false, false},
		{"--color=always in a pipe", nil, false, false, []string{"--color", "always", "ls", "/colour"}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs := ptyRun(t, c.env, c.outTTY, c.errTTY, append([]string{"-server", addr}, c.args...)...)
			if got := strings.Contains(out, esc); got != c.outColour {
				t.Errorf("stdout coloured = %v, want %v: %q", got, c.outColour, out)
			}
			if got := strings.Contains(errs, esc); got != c.errColour {
				t.Errorf("stderr coloured = %v, want %v: %q", got, c.errColour, errs)
			}
			if strings.TrimSpace(out+errs) == "" {
				t.Errorf("no output at all")
			}
		})
	}
	// Only the child that has children is marked; zkCli's list shape stays.
	out, _ := ptyRun(t, nil, true, false, "-server", addr, "ls", "/colour")
	if !strings.Contains(out, "[leaf, "+esc) || !strings.Contains(out, "parent") {
		t.Errorf("ls on a terminal: %q", out)
	}
	if strings.Contains(out, "m"+"leaf") {
		t.Errorf("leaf was coloured: %q", out)
	}
}

// Help goldens: `zkc help`, and `zkc help CMD`, which must equal `zkc CMD --help`.
func TestHelpGolden(t *testing.T) {
	r := zkc.Run("", "help")
	if r.Code != 0 || r.Stderr != "" {
		t.Errorf("zkc help: exit %d, stderr %q", r.Code, r.Stderr)
	}
	zkharness.CheckGolden(t, filepath.Join("..", "testdata", "help", "zkc.golden"), r.Stdout)
	for _, name := range []string{"create", "delete", "deleteall", "get", "getAllChildrenNumber", "ls", "set", "stat", "sync", "version", "help", "ls2", "rmr"} {
		r := zkc.Run("", "help", name)
		if r.Code != 0 {
			t.Errorf("help %s: exit %d %s", name, r.Code, r.Stderr)
		}
		for _, want := range []string{"Usage: ", "Flags:", "Examples:"} {
			if want == "Flags:" && name == "version" {
				continue // version has no flags
			}
			if !strings.Contains(r.Stdout, want) {
				t.Errorf("help %s has no %q", name, want)
			}
		}
		zkharness.CheckGolden(t, filepath.Join("..", "testdata", "help", name+".golden"), r.Stdout)
		if name != "help" {
			if r2 := zkc.Run("", name, "--help"); r2.Stdout != r.Stdout {
				t.Errorf("%s --help differs from help %s:\n%s", name, name, r2.Stdout)
			}
		}
	}
	if r := zkc.Run("", "help", "bogus"); r.Code != 127 || r.Stdout != "" {
		t.Errorf("help bogus: exit %d, stdout %q", r.Code, r.Stdout)
	}
}
