// Package scripts holds the tests of the helper scripts the Makefile runs.
package scripts

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// zkStart runs zk-start.sh as `make zk-start` does, on port, with extra
// environment; it returns the exit code, stdout and stderr.
func zkStart(t *testing.T, dir string, port int, env ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command("bash", "zk-start.sh")
	cmd.Env = append(os.Environ(), append([]string{"ZK_DIR=" + dir, "ZK_PORT=" + strconv.Itoa(port), "ZK_START_WAIT=60"}, env...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	p, err := zkharness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A port held by something that is no answering ZooKeeper: exit 1, naming
// the port and the holder, and no server started.
func TestZkStartPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	code, out, errs := zkStart(t, dir, port)
	if code != 1 || out != "" || !strings.Contains(errs, "port "+strconv.Itoa(port)+" on 127.0.0.1 is taken") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.pid")); err == nil {
		t.Error("a server was started on a taken port")
	}
}

// java that dies at once: exit 1 with its exit code and the end of its log.
func TestZkStartJavaDies(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "java")
	script := "#!/bin/sh\necho 'Error: Could not find or load main class org.apache.zookeeper.server.ZooKeeperServerMain' >&2\nexit 3\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs := zkStart(t, dir, freePort(t), "JAVA="+fake)
	if code != 1 || out != "" || !strings.Contains(errs, "java exited with code 3 before ZooKeeper answered") ||
		!strings.Contains(errs, "  Error: Could not find or load main class") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = zkStart(t, dir, freePort(t), "JAVA="+filepath.Join(dir, "nojava"))
	if code != 1 || !strings.Contains(errs, "not found: install a JRE") {
		t.Errorf("missing java: exit %d, stderr %q", code, errs)
	}
}

// A real start says "started" only once the server answers ruok; a second
// run finds it answering.
func TestZkStartRealServer(t *testing.T) {
	if _, err := os.Stat("/usr/share/java/zookeeper.jar"); err != nil {
		if zkharness.InCI() {
			t.Fatal("ZooKeeper is not installed")
		}
		t.Skip("ZooKeeper is not installed")
	}
	dir := t.TempDir()
	port := freePort(t)
	code, out, errs := zkStart(t, dir, port)
	pidText, _ := os.ReadFile(filepath.Join(dir, "server.pid"))
	if pid, err := strconv.Atoi(strings.TrimSpace(string(pidText))); err == nil {
		defer func() {
			_ = syscall.Kill(pid, syscall.SIGTERM)
			time.Sleep(200 * time.Millisecond)
		}()
	}
	if code != 0 || !strings.HasPrefix(out, "ZooKeeper started on 127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 2*time.Second)
	if err != nil {
		t.Fatalf("reported started, but: %v", err)
	}
	c.Close()
	if code, out, _ := zkStart(t, dir, port); code != 0 || !strings.HasPrefix(out, "ZooKeeper already answers") {
		t.Errorf("second start: exit %d, stdout %q", code, out)
	}
}
