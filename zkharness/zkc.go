package zkharness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Zkc is a zkc binary built for the tests, run as a user would run it.
type Zkc struct {
	Bin string
	Env []string // extra KEY=VALUE entries
}

// BuildZkc builds ./cmd/zkc of this module into dir.
func BuildZkc(dir string) (*Zkc, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return nil, err
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "zkc")
	args := []string{"build", "-o", bin}
	if os.Getenv("ZKC_TEST_RACE") == "1" {
		// make test: the zkc the tests run reports data races too.
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/zkc")...)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, b)
	}
	return &Zkc{Bin: bin}, nil
}

// MainWithZkc builds zkc into a temporary folder, stores it in *bin, runs the
// tests with the pool (Main) and removes the build: a package's TestMain.
func MainWithZkc(m *testing.M, p *Pool, bin **Zkc) int {
	dir, err := os.MkdirTemp("", "zkc-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if *bin, err = BuildZkc(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return Main(m, p)
}

// Result is what one run printed and returned.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs zkc with args and stdin (TZ=UTC, no colour), for at most a minute.
func (z *Zkc) Run(stdin string, args ...string) Result {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := z.command(ctx, stdin, args)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	code, why := exitCode(cmd.Run())
	errb.WriteString(why)
	return Result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// RunCombined is Run with stdout and stderr on one file descriptor, as with
// 2>&1: Stdout holds both streams in the order zkc wrote them.
func (z *Zkc) RunCombined(stdin string, args ...string) Result {
	f, err := os.CreateTemp("", "zkc-combined-")
	if err != nil {
		return Result{Stderr: "temp file: " + err.Error(), Code: -1}
	}
	defer os.Remove(f.Name())
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := z.command(ctx, stdin, args)
	cmd.Stdout, cmd.Stderr = f, f
	code, why := exitCode(cmd.Run())
	if code < 0 {
		return Result{Stderr: why, Code: code}
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return Result{Stderr: "reading the output: " + err.Error(), Code: -1}
	}
	return Result{Stdout: string(b), Code: code}
}

// command is zkc with args and stdin, in the environment every run gets.
func (z *Zkc) command(ctx context.Context, stdin string, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, z.Bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+os.TempDir())
	cmd.Env = append(cmd.Env, z.Env...)
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

// exitCode is a finished run's exit code; -1, and why, when zkc could not
// be run.
func exitCode(err error) (int, string) {
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), ""
	case err != nil:
		return -1, "exec: " + err.Error()
	}
	return 0, ""
}

// Transcript renders a run for a golden file.
func (r Result) Transcript(args []string) string {
	var b strings.Builder
	b.WriteString("$ zkc " + strings.Join(args, " ") + "\n")
	b.WriteString("--- stdout\n" + r.Stdout)
	b.WriteString("--- stderr\n" + r.Stderr)
	fmt.Fprintf(&b, "--- exit %d\n", r.Code)
	return b.String()
}

var (
	reZxid = regexp.MustCompile(`(?m)^(cZxid|mZxid|pZxid|ephemeralOwner) = 0x[0-9a-f]+$`)
	reTime = regexp.MustCompile(`(?m)^(ctime|mtime) = .*$`)
	reSess = regexp.MustCompile(`0x[0-9a-f]{12,16}`)
	rePort = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// Normalize hides what differs between runs: zxids, times, session ids, ports.
// Versions are kept: tests control them.
func Normalize(s string) string {
	s = reZxid.ReplaceAllStringFunc(s, func(line string) string {
		if strings.HasSuffix(line, " = 0x0") {
			return line // "not ephemeral" and the root's zxids are meaningful
		}
		return line[:strings.Index(line, " = ")] + " = 0xZXID"
	})
	s = reTime.ReplaceAllString(s, "$1 = DATE")
	s = reSess.ReplaceAllString(s, "0xSESSION")
	s = rePort.ReplaceAllString(s, "127.0.0.1:PORT")
	return s
}

// CheckGolden compares got with testdata file path; UPDATE_GOLDEN=1 rewrites it.
func CheckGolden(t testing.TB, path, got string) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run with UPDATE_GOLDEN=1 to create it)", path, err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
