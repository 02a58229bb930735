// Package zkharness starts real ZooKeeper servers from Debian's `zookeeper`
// package for zkc's tests: standalone (ZooKeeperServerMain) or a 3-node
// ensemble (QuorumPeerMain), on free loopback ports with temporary data. It
// stops exactly the processes it started.
package zkharness

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Jar is where Debian's package puts ZooKeeper.
const Jar = "/usr/share/java/zookeeper.jar"

// Config describes a server (or every member of an ensemble).
type Config struct {
	TickTime int               // ms; 0 means 2000
	Extra    map[string]string // more zoo.cfg keys (enforceQuota, reconfigEnabled, 4lw.commands.whitelist, ...)
	JVMProps map[string]string // -D system properties (readonlymode.enabled, superDigest, ...)
	// TLS makes a standalone server TLS-only: its port is a secureClientPort
	// (Netty, client certificates required) with these certificates (tls.go).
	TLS *PKI
	// SASL makes the server (every member of an ensemble) require SASL
	// authentication (sasl.go).
	SASL *SASL
	// JVMArgs go after the defaults, which they override (a bigger -Xmx
	// and full JIT for benchmarks: -Xmx2g -XX:TieredStopAtLevel=4).
	JVMArgs []string
}

// Server is one running ZooKeeper process.
type Server struct {
	ID        int // myid; 0 for standalone
	Port      int // client port
	Dir       string
	cfgPath   string
	mainClass string
	cfg       Config
	cmd       *exec.Cmd
	exited    chan struct{}
	logPath   string
}

// Addr is 127.0.0.1:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// Available reports why servers cannot be started here, or nil.
func Available() error {
	if _, err := os.Stat(Jar); err != nil {
		return fmt.Errorf("ZooKeeper is not installed (%s missing; run `make deps` or apt-get install zookeeper)", Jar)
	}
	if _, err := exec.LookPath("java"); err != nil {
		return errors.New("java is not installed")
	}
	return nil
}

// FreePort asks the kernel for an unused loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c Config) zooCfg(dataDir string) []string {
	tick := c.TickTime
	if tick == 0 {
		tick = 2000
	}
	kv := map[string]string{
		"tickTime":                strconv.Itoa(tick),
		"dataDir":                 dataDir,
		"4lw.commands.whitelist":  "*",
		"admin.enableServer":      "false",
		"extendedTypesEnabled":    "true",
		"maxClientCnxns":          "0",
		"snapCount":               "1000000",
		"preAllocSize":            "1024",
		"autopurge.purgeInterval": "0",
	}
	for k, v := range c.Extra {
		kv[k] = v
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, 0, len(keys))
	for _, k := range keys {
		if kv[k] == "" {
			continue // an empty value removes a default
		}
		lines = append(lines, k+"="+kv[k])
	}
	return lines
}

// StartStandalone starts one ZooKeeperServerMain and waits until it serves.
func StartStandalone(cfg Config) (*Server, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "zkc-zk-")
	if err != nil {
		return nil, err
	}
	lines := cfg.zooCfg(filepath.Join(dir, "data"))
	if cfg.TLS != nil {
		lines = append(lines, cfg.TLS.tlsLines(strconv.Itoa(port))...)
	} else {
		lines = append(lines, "clientPort="+strconv.Itoa(port), "clientPortAddress=127.0.0.1")
	}
	s := &Server{Port: port, Dir: dir, mainClass: "org.apache.zookeeper.server.ZooKeeperServerMain", cfg: cfg}
	if err := s.writeConfig(lines); err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		s.Stop()
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) writeConfig(lines []string) error {
	if err := os.MkdirAll(filepath.Join(s.Dir, "data"), 0o755); err != nil {
		return err
	}
	if s.cfg.SASL != nil {
		more, props, err := s.cfg.SASL.saslSetup(s.Dir)
		if err != nil {
			return err
		}
		lines = append(lines, more...)
		merged := map[string]string{}
		for k, v := range s.cfg.JVMProps {
			merged[k] = v
		}
		for k, v := range props {
			merged[k] = v
		}
		s.cfg.JVMProps = merged
	}
	s.cfgPath = filepath.Join(s.Dir, "zoo.cfg")
	s.logPath = filepath.Join(s.Dir, "server.log")
	return os.WriteFile(s.cfgPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// Start (re)starts the process with its existing data and waits until it
// serves. Restarting keeps the port, so clients reconnect to the same address.
func (s *Server) Start() error {
	if err := s.Launch(); err != nil {
		return err
	}
	return s.WaitServing(60 * time.Second)
}

// Launch starts the process without waiting (ensemble members need their
// peers before they serve).
func (s *Server) Launch() error {
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	args := []string{
		// A client-only JVM tuned for start-up time: tests start several.
		"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
		"-Dzookeeper.admin.enableServer=false",
		"-Dzookeeper.jmx.log4j.disable=true",
	}
	props := make([]string, 0, len(s.cfg.JVMProps))
	for k, v := range s.cfg.JVMProps {
		props = append(props, "-D"+k+"="+v)
	}
	sort.Strings(props)
	args = append(args, s.cfg.JVMArgs...)
	args = append(args, props...)
	args = append(args, "-cp", "/etc/zookeeper/conf:"+Jar+":/usr/share/java/*", s.mainClass, s.cfgPath)
	cmd := exec.Command("java", args...)
	cmd.Dir = s.Dir
	exited, err := startGroup(cmd, logf)
	if err != nil {
		return fmt.Errorf("starting java: %w", err)
	}
	s.cmd, s.exited = cmd, exited
	return nil
}

// startGroup starts cmd with its output appended to logf, in its own process
// group, so a stop reaches only what this harness started; and the process
// dies with the test binary if that is killed. The channel closes when it
// has exited (and logf is closed).
func startGroup(cmd *exec.Cmd, logf *os.File) (chan struct{}, error) {
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(exited)
	}()
	return exited, nil
}

// WaitServing waits until the server answers `srvr` with a Mode line.
func (s *Server) WaitServing(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("ZooKeeper on port %d exited during start-up; log:\n%s", s.Port, s.tailLog())
		default:
		}
		if out, err := s.FourLetter("srvr", time.Second); err == nil && strings.Contains(out, "Mode:") {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("ZooKeeper on port %d did not serve within %v; log:\n%s", s.Port, timeout, s.tailLog())
}

func (s *Server) tailLog() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// Running reports whether the process is alive.
func (s *Server) Running() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Stop kills the process (SIGKILL: tests want an abrupt loss) and waits for it.
func (s *Server) Stop() {
	if !s.Running() {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
}

// Pause freezes the process (SIGSTOP), as a hung server; Resume undoes it.
func (s *Server) Pause() error {
	if !s.Running() {
		return errors.New("not running")
	}
	return syscall.Kill(-s.cmd.Process.Pid, syscall.SIGSTOP)
}

// Resume continues a paused process.
func (s *Server) Resume() error {
	if !s.Running() {
		return errors.New("not running")
	}
	return syscall.Kill(-s.cmd.Process.Pid, syscall.SIGCONT)
}

// Close stops the process and removes its data.
func (s *Server) Close() {
	s.Stop()
	if s.Dir != "" {
		os.RemoveAll(s.Dir)
	}
}

// FourLetter sends a four-letter word to this server (over TLS for a TLS server).
func (s *Server) FourLetter(word string, timeout time.Duration) (string, error) {
	if s.cfg.TLS != nil {
		return FourLetterTLS(s.Addr(), word, s.cfg.TLS.ClientTLS, timeout)
	}
	return FourLetter(s.Addr(), word, timeout)
}

// FourLetter sends a four-letter word and returns the whole answer.
func FourLetter(addr, word string, timeout time.Duration) (string, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	return exchange(c, word, timeout)
}

// exchange sends word on c, reads until the server closes, and closes c.
func exchange(c net.Conn, word string, timeout time.Duration) (string, error) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte(word)); err != nil {
		return "", err
	}
	var sb strings.Builder
	_, err := bufio.NewReader(c).WriteTo(&sb)
	return sb.String(), err
}

// LogTail is the end of the server's log, for a failing test's message.
func (s *Server) LogTail() string { return s.tailLog() }
