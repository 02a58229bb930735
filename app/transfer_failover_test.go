package app_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/transfer"
	"github.com/zkc-cli/zkc/zkharness"
)

// writeExport writes an export of a generated tree (fan × fan nodes under
// the root) to a file, without a server.
func writeExport(t *testing.T, fan int) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "tree.ndjson")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := transfer.NewWriter(f, transfer.Header{Root: "/gen"})
	if err != nil {
		t.Fatal(err)
	}
	write := func(p string) {
		if err := w.Write(transfer.NewNode(p, []byte("v"+p), nil, nil)); err != nil {
			t.Fatal(err)
		}
	}
	// ls -R order: the root, its children, then each child's children.
	write("/")
	for i := 0; i < fan; i++ {
		write(fmt.Sprintf("/n%04d", i))
	}
	for i := 0; i < fan; i++ {
		for j := 0; j < fan; j++ {
			write(fmt.Sprintf("/n%04d/m%04d", i, j))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

var znodeCount = regexp.MustCompile(`zk_znode_count\s+(\d+)`)

// znodes asks a running member how many znodes it has.
func znodes(e *zkharness.Ensemble) int {
	for _, s := range e.Servers {
		if !s.Running() {
			continue
		}
		if out, err := s.FourLetter("mntr", 2*time.Second); err == nil {
			if m := znodeCount.FindStringSubmatch(out); m != nil {
				n, _ := strconv.Atoi(m[1])
				return n
			}
		}
	}
	return -1
}

// TestImportSurvivesFailover kills the member zkc is connected to in the
// middle of an import of 20,000 nodes: zkc must account for every node
// (a failure names its path), and a re-run with --on-exists skip completes
// the tree, which diff then finds identical to the file.
func TestImportSurvivesFailover(t *testing.T) {
	e := pool.Ensemble(t, "failover", zkharness.Config{})
	hosts := e.ConnectString()
	file := writeExport(t, 141) // 1 + 141 + 141² = 20,023 nodes
	zkc.Run("", "-server", hosts, "deleteall", "/imp")
	base := znodes(e)

	cmd := exec.Command(zkc.Bin, "-server", hosts, "import", file, "/imp")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for znodes(e) < base+2000 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	victim := connectedMember(t, e)
	victim.Stop()
	defer func() {
		if err := victim.Start(); err != nil {
			t.Fatal(err)
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("import did not finish; stderr:\n%s", errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	t.Logf("first run: exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	summary := regexp.MustCompile(`^import: (\d+) created, 0 overwritten, 0 skipped, 0 unchanged, (\d+) failed, 0 ephemeral left out\n$`).FindStringSubmatch(out.String())
	if summary == nil {
		t.Fatalf("no summary line: %q", out.String())
	}
	created, _ := strconv.Atoi(summary[1])
	failed, _ := strconv.Atoi(summary[2])
	if created+failed != 20023 {
		t.Fatalf("%d created + %d failed != 20,023 nodes: not every node accounted for", created, failed)
	}
	for _, l := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if l != "" && !strings.HasPrefix(l, "import: /imp") && l != fmt.Sprintf("import: %d node(s) failed", failed) {
			t.Errorf("a report line without its node: %q", l)
		}
	}
	if (failed == 0) != (code == 0) {
		t.Errorf("exit %d with %d failed", code, failed)
	}

	r := zkc.Run("", "-server", hosts, "import", "--on-exists", "skip", file, "/imp")
	if r.Code != 0 || !strings.Contains(r.Stdout, fmt.Sprintf("%d created", failed)) {
		t.Fatalf("re-run with skip: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if d := zkc.Run("", "-server", hosts, "diff", file, "/imp"); d.Code != 0 {
		t.Fatalf("diff after the re-run: exit %d\n%s%s", d.Code, d.Stdout, d.Stderr)
	}
	zkc.Run("", "-server", hosts, "deleteall", "/imp")
}

// TestImportFromAStalledFIFOStopsOnSignal: a FIFO whose writer never
// finishes (or never comes) must not hold import past Ctrl-C or SIGTERM.
func TestImportFromAStalledFIFOStopsOnSignal(t *testing.T) {
	addr := server(t)
	for _, c := range []struct {
		name   string
		writer bool
		sig    syscall.Signal
	}{{"stalled writer, SIGINT", true, syscall.SIGINT}, {"no writer, SIGTERM", false, syscall.SIGTERM}} {
		t.Run(c.name, func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			if c.writer {
				go func() {
					w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
					if err != nil {
						return
					}
					defer w.Close()
					fmt.Fprintln(w, `{"format":"zkc-export","version":1,"source":"x","root":"/f","zxid":"0x1","time":"t"}`)
					time.Sleep(20 * time.Second) // never finishes the file
				}()
			}
			cmd := exec.Command(zkc.Bin, "-server", addr, "import", fifo, "/fifo-import")
			cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=", "HOME="+t.TempDir())
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			cmd.Process.Signal(c.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				ee, ok := err.(*exec.ExitError)
				if !ok || ee.ExitCode() != 130 || errb.String() != "interrupted\n" {
					t.Fatalf("exit %v, stderr %q; want 130 and \"interrupted\"", err, errb.String())
				}
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("import ignored the signal; stderr %q", errb.String())
			}
		})
	}
}

// TestCopyToATLSEnsembleWithItsOwnConfig: cp and diff open the zk:// side
// with --other-config's settings (here TLS), not this session's (plain).
func TestCopyToATLSEnsembleWithItsOwnConfig(t *testing.T) {
	dir := t.TempDir()
	pki, err := zkharness.NewPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	secure := pool.Standalone(t, "tls-other", zkharness.Config{TLS: pki}).Addr()
	props := filepath.Join(dir, "secure.properties")
	if err := os.WriteFile(props, []byte("zookeeper.client.secure=true\n"+
		"zookeeper.ssl.keyStore.location="+pki.ClientPEM+"\nzookeeper.ssl.keyStore.type=PEM\n"+
		"zookeeper.ssl.trustStore.location="+pki.CAFile+"\nzookeeper.ssl.trustStore.type=PEM\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := server(t)
	zkc.Run("", "-server", plain, "deleteall", "/oc")
	for _, p := range []string{"/oc", "/oc/a", "/oc/a/b"} {
		if r := zkc.Run("", "-server", plain, "create", p, "v"+p); r.Code != 0 {
			t.Fatalf("create %s: %s", p, r.Stderr)
		}
	}
	steps := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"-server", plain, "cp", "-r", "--other-config", props, "/oc", "zk://" + secure + "/oc"}, 0,
			"cp: 3 created, 0 overwritten, 0 skipped, 0 unchanged, 0 failed, 0 ephemeral left out\n"},
		{[]string{"-server", secure, "-client-configuration", props, "get", "/oc/a/b"}, 0, "v/oc/a/b\n"},
		{[]string{"-server", plain, "diff", "--other-config", props, "/oc", "zk://" + secure + "/oc"}, 0, ""},
		{[]string{"-server", plain, "-timeout", "3000", "diff", "/oc", "zk://" + secure + "/oc"}, 8, ""},
		{[]string{"-server", plain, "cp", "--other-config", filepath.Join(dir, "missing.properties"), "/oc", "zk://" + secure + "/oc2"}, 2, ""},
	}
	for _, s := range steps {
		r := zkc.Run("", s.args...)
		if r.Code != s.code || r.Stdout != s.out {
			t.Errorf("zkc %s: exit %d, stdout %q, stderr %q; want exit %d, stdout %q", strings.Join(s.args, " "), r.Code, r.Stdout, r.Stderr, s.code, s.out)
		}
	}
}
