package app_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// TestInputLimits: every file and line zkc reads has a size limit. Endless
// or oversized input is refused with one line naming the input and the
// limit, exit 2, nothing sent, never a Go stack dump.
func TestInputLimits(t *testing.T) {
	addr := server(t)
	dir := t.TempDir()
	pki, err := zkharness.NewPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	longLine := "ls /\ncreate /lim-long " + strings.Repeat("x", 5<<20) + "\nls /\n"
	script := filepath.Join(dir, "long.zk")
	if err := os.WriteFile(script, []byte(longLine), 0o600); err != nil {
		t.Fatal(err)
	}
	bigData := strings.Repeat("d", 2<<20)
	longPath := "/" + strings.Repeat("p", 2<<20)
	krb5Conf := filepath.Join(dir, "krb5.conf")
	if err := os.WriteFile(krb5Conf, []byte("[libdefaults]\n default_realm = EXAMPLE.COM\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	S := func(args ...string) []string { return append([]string{"-server", addr}, args...) }
	cases := []struct {
		name  string
		args  []string
		stdin string
		want  string // in stderr
		code  int    // 0: the usage error code, 2
	}{
		{"-client-configuration /dev/zero", S("-client-configuration", "/dev/zero", "ls", "/"), "", "-client-configuration file /dev/zero: larger than 4194304 bytes", 0},
		{"--tls-ca /dev/zero", S("--tls-ca", "/dev/zero", "ls", "/"), "", "trust store /dev/zero: larger than 4194304 bytes", 0},
		{"--tls-cert /dev/zero", S("--tls-cert", "/dev/zero", "ls", "/"), "", "key store /dev/zero: larger than 4194304 bytes", 0},
		{"--tls-key /dev/zero", S("--tls-ca", pki.CAFile, "--tls-cert", pki.ClientCert, "--tls-key", "/dev/zero", "ls", "/"), "", "private key /dev/zero: larger than 4194304 bytes", 0},
		{"reconfig -file /dev/zero", S("reconfig", "-file", "/dev/zero"), "", "/dev/zero: larger than 1048575 bytes", 0},
		{"create -f /dev/zero", S("create", "-f", "/dev/zero", "/lim-zero"), "", "/dev/zero has more than 1048575 bytes", 0},
		{"set -f /dev/zero", S("set", "-f", "/dev/zero", "/lim-zero"), "", "/dev/zero has more than 1048575 bytes", 0},
		{"set -f - of 2 MB", S("set", "-f", "-", "/lim-zero"), bigData, "standard input has more than 1048575 bytes", 0},
		{"script line over the limit", S(), longLine, "stopped at stdin line 2: the line is longer than 4194304 bytes (the line limit)", 0},
		{"--file line over the limit", S("--file", script), "", "stopped at " + script + " line 2: the line is longer than 4194304 bytes", 0},
		{"2 MB path", S(), "create " + longPath + " d\n", "Path too long: 2097153 bytes, but at most 1047552 fit in one request", 0},
		{"deleteall //", S("deleteall", "//"), "", `Invalid path string "//" caused by empty node name specified @1`, 0},
		// Kerberos files are read by zkc, not by the library's loaders; a
		// login that cannot start is an authentication failure (7).
		{"--krb5-conf /dev/zero", S("--sasl-mech", "GSSAPI", "--krb5-conf", "/dev/zero", "--krb5-principal", "a", "ls", "/"), "", "cannot read krb5.conf /dev/zero: /dev/zero is not a regular file", 7},
		{"--krb5-keytab /dev/zero", S("--sasl-mech", "GSSAPI", "--krb5-conf", krb5Conf, "--krb5-keytab", "/dev/zero", "--krb5-principal", "a", "ls", "/"), "", "cannot read the keytab /dev/zero: /dev/zero is not a regular file", 7},
	}
	c := libConn(t, addr)
	before := snapshotTree(t, c)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := zkc.Run(tc.stdin, tc.args...)
			want := tc.code
			if want == 0 {
				want = 2
			}
			if r.Code != want {
				t.Errorf("exit %d, want %d; stderr %.300q", r.Code, want, r.Stderr)
			}
			if !strings.Contains(r.Stderr, tc.want) {
				t.Errorf("stderr %.300q, want it to say %q", r.Stderr, tc.want)
			}
			if strings.Contains(r.Stderr, "goroutine") || strings.Contains(r.Stderr, "panic") {
				t.Errorf("stack dump: %.500s", r.Stderr)
			}
			for _, l := range strings.Split(strings.TrimSpace(r.Stderr), "\n") {
				if len(l) > 400 {
					t.Errorf("a stderr line of %d bytes: %.200q...", len(l), l)
				}
			}
		})
	}
	if after := snapshotTree(t, c); after != before {
		t.Errorf("the tree changed:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

// TestBlockingReadsEndOnSignal: a read that waits for input that never
// comes (a FIFO without a writer, a pipe that stays open) ends on SIGINT and
// on SIGTERM, promptly and with one line, and nothing is sent.
func TestBlockingReadsEndOnSignal(t *testing.T) {
	addr := server(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	S := func(args ...string) []string { return append([]string{"-server", addr}, args...) }
	cases := []struct {
		name  string
		args  []string
		stdin bool // an open pipe that never ends
	}{
		{"create -f FIFO", S("create", "-f", fifo, "/blocked"), false},
		{"set -f FIFO", S("set", "-f", fifo, "/"), false},
		{"set -f - open pipe", S("set", "-f", "-", "/"), true},
		{"create -f - open pipe", S("create", "-f", "-", "/blocked"), true},
		{"--file FIFO", S("--file", fifo), false},
		{"-client-configuration FIFO", S("-client-configuration", fifo, "ls", "/"), false},
		{"--tls-ca FIFO", S("--tls-ca", fifo, "ls", "/"), false},
		{"reconfig -file FIFO", S("reconfig", "-file", fifo), false},
		{"script waiting on stdin", S(), true},
	}
	c := libConn(t, addr)
	for _, tc := range cases {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(tc.name+" "+sig.String(), func(t *testing.T) {
				cmd := exec.Command(zkc.Bin, tc.args...)
				cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+dir)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if tc.stdin {
					pr, pw, err := os.Pipe()
					if err != nil {
						t.Fatal(err)
					}
					defer pw.Close()
					defer pr.Close()
					pw.Write([]byte("some data, never finished"))
					cmd.Stdin = pr
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					t.Fatalf("zkc ended before the signal: %v; stderr %q", err, stderr.String())
				case <-time.After(1500 * time.Millisecond):
				}
				cmd.Process.Signal(sig)
				select {
				case err := <-done:
					var ee *exec.ExitError
					if !errors.As(err, &ee) || ee.ExitCode() == 0 || ee.ExitCode() == -1 {
						t.Fatalf("exit %v, want a non-zero exit code; stderr %q", err, stderr.String())
					}
					if n := strings.Count(stderr.String(), "\n"); n > 2 || strings.Contains(stderr.String(), "goroutine") {
						t.Fatalf("stderr %q", stderr.String())
					}
				case <-time.After(10 * time.Second):
					cmd.Process.Kill()
					t.Fatalf("zkc ignored %v; stderr %q", sig, stderr.String())
				}
			})
		}
	}
	if ok, _, _ := c.Exists("/blocked"); ok {
		t.Error("/blocked was created")
	}
}

// TestFIFOAsInput: a FIFO is still good input when a writer comes, whether
// it was waiting before zkc started or comes later (`create -f <(cmd)`).
func TestFIFOAsInput(t *testing.T) {
	addr := server(t)
	c := libConn(t, addr)
	for i, early := range []bool{true, false} {
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("fifo data %d", i)
		go func() {
			if !early {
				time.Sleep(300 * time.Millisecond)
			}
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Write([]byte(want))
				w.Close()
			}
		}()
		if early {
			time.Sleep(100 * time.Millisecond)
		}
		p := fmt.Sprintf("/fifo-input-%d", i)
		r := zkc.Run("", "-server", addr, "create", "-f", fifo, p)
		if r.Code != 0 {
			t.Fatalf("writer early=%v: exit %d, stderr %q", early, r.Code, r.Stderr)
		}
		if got, _, err := c.Get(p); err != nil || string(got) != want {
			t.Fatalf("writer early=%v: %s holds %q, %v", early, p, got, err)
		}
	}
}

// TestImportFromEndlessStdin: `import -` spools stdin to a file before
// checking it; /dev/zero stops at the line limit instead of filling the disk.
func TestImportFromEndlessStdin(t *testing.T) {
	addr := server(t)
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	cmd := exec.Command(zkc.Bin, "-server", addr, "import", "-", "/from-zero")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
	cmd.Stdin = zero
	var stderr strings.Builder
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "longer than 33554432 bytes (the line limit)") {
			t.Fatalf("exit %v, stderr %q", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("import - < /dev/zero did not stop")
	}
	if ok, _, _ := libConn(t, addr).Exists("/from-zero"); ok {
		t.Error("/from-zero was created")
	}
}
