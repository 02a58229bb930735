package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// idleCPU runs the zkc shell in a pseudo-terminal, connected to addr, and
// measures the CPU it uses over d while nobody types (go-prompt polls its
// input: two loops wake every 10 ms). It returns the share of one core.
func idleCPU(bin, addr string, d time.Duration) (float64, error) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return 0, err
	}
	defer ptmx.Close()
	defer tty.Close()
	home, err := os.MkdirTemp("", "zkc-idle-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(home)
	cmd := exec.Command(bin, "-server", addr)
	cmd.Env = append(os.Environ(), "TERM=xterm", "HOME="+home, "XDG_STATE_HOME="+home, "ZKC_SERVER=", "ZKC_AUTH=")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var mu sync.Mutex
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		ok := bytes.Contains(out.Bytes(), []byte("CONNECTED"))
		mu.Unlock()
		if ok {
			break
		}
		if time.Now().After(end) {
			mu.Lock()
			defer mu.Unlock()
			return 0, fmt.Errorf("the shell did not connect: %q", out.String())
		}
	}
	time.Sleep(2 * time.Second) // past start-up
	t0, err := cpuTicks(cmd.Process.Pid)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	time.Sleep(d)
	t1, err := cpuTicks(cmd.Process.Pid)
	if err != nil {
		return 0, err
	}
	// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ).
	return float64(t1-t0) / 100 / time.Since(start).Seconds(), nil
}

// cpuTicks is utime+stime of a process, from /proc/PID/stat.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	k, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	return u + k, nil
}
