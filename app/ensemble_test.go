package app_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/zkharness"
)

var (
	reCfgVersion = regexp.MustCompile(`(?m)(version=|"version":"|^)[0-9a-f]{9,}\b`)
	reElection   = regexp.MustCompile(`:\d+:participant`)
	reServerID   = regexp.MustCompile(`server\.\d=`)
)

// TestEnsembleReconfigAndReadOnly runs against one 3-node ensemble started
// with reconfigEnabled, a super user and read-only mode: first reconfig
// removes and re-adds a member, then two members are stopped and the third,
// now read-only, serves reads to -r clients only.
func TestEnsembleReconfigAndReadOnly(t *testing.T) {
	e := pool.Ensemble(t, "reconfig", zkharness.Config{
		// A 3.5+ server in read-only mode creates only local sessions.
		Extra: map[string]string{"reconfigEnabled": "true", "localSessionsEnabled": "true"},
		JVMProps: map[string]string{
			"zookeeper.DigestAuthenticationProvider.superDigest": commands.DigestID("super:pw"),
			"readonlymode.enabled":                               "true",
		},
	})
	leader := e.Leader()
	if leader == nil {
		t.Fatal("no leader")
	}
	// Remove a follower (removing the leader forces an election the next
	// steps would have to wait for).
	var victim, other *zkharness.Server
	for _, s := range e.Servers {
		if s != leader {
			if victim == nil {
				victim = s
			} else {
				other = s
			}
		}
	}
	addr := leader.Addr() + "," + other.Addr()
	cfg := zkc.Run("", "-server", addr, "config")
	var spec string
	for _, line := range strings.Split(cfg.Stdout, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && k == "server."+strconv.Itoa(victim.ID) {
			spec = v
		}
	}
	if spec == "" {
		t.Fatalf("server.%d missing from config:\n%s", victim.ID, cfg.Stdout)
	}
	id := strconv.Itoa(victim.ID)
	norm := func(s string) string {
		s = reCfgVersion.ReplaceAllString(s, "${1}VERSION")
		s = reElection.ReplaceAllString(s, ":PORT:participant")
		return reServerID.ReplaceAllString(s, "server.N=")
	}
	zkc.RunTranscript(t, filepath.Join("..", "testdata", "transcripts", "ensemble", "reconfig.txtar"), addr,
		map[string]string{"ID": id, "SPEC": spec}, norm)

	// The config must really have lost and regained the member.
	after := zkc.Run("", "-server", addr, "config")
	if !strings.Contains(after.Stdout, "server."+id+"=") {
		t.Errorf("server.%d not back in config:\n%s", victim.ID, after.Stdout)
	}

	// The non-incremental forms, with the whole current membership: -members
	// and -file (read whole, never as -f ile) each commit a new configuration.
	var members []string
	for _, line := range strings.Split(after.Stdout, "\n") {
		if strings.HasPrefix(line, "server.") {
			members = append(members, line)
		}
	}
	cfgFile := filepath.Join(t.TempDir(), "members.cfg")
	if err := os.WriteFile(cfgFile, []byte(after.Stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"reconfig", "-members", strings.Join(members, ",")},
		{"reconfig", "-file", cfgFile},
	} {
		r := zkc.Run("", append([]string{"-server", addr, "--auth", "digest:super:pw"}, args...)...)
		if r.Code != 0 || !strings.HasPrefix(r.Stdout, "Committed new configuration:\n") || !strings.Contains(r.Stdout, "server."+id+"=") {
			t.Errorf("%v: exit %d\nstdout %s\nstderr %s", args, r.Code, r.Stdout, r.Stderr)
		}
	}

	t.Run("readonly", func(t *testing.T) { testReadOnly(t, e) })
}

func testReadOnly(t *testing.T, e *zkharness.Ensemble) {
	if r := zkc.Run("", "-server", e.ConnectString(), "create", "/i3ro", "data"); r.Code != 0 && r.Code != commands.ExitNodeExists {
		t.Fatalf("create: %+v", r)
	}
	ro := e.Servers[0]
	for _, s := range e.Servers[1:] {
		s.Stop()
	}
	// Bring the quorum back, so the pool's ensemble stays usable (-count=2).
	t.Cleanup(func() {
		for _, s := range e.Servers[1:] {
			if err := s.Launch(); err != nil {
				t.Error(err)
			}
		}
		if err := e.WaitServing(90 * time.Second); err != nil {
			t.Error(err)
		}
		for deadline := time.Now().Add(60 * time.Second); e.Leader() == nil && time.Now().Before(deadline); {
			time.Sleep(200 * time.Millisecond)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := zkharness.FourLetter(ro.Addr(), "isro", time.Second)
		if out == "ro" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %d never became read-only (isro=%q)", ro.ID, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	zkc.RunTranscript(t, filepath.Join("..", "testdata", "transcripts", "ensemble", "readonly.txtar"), ro.Addr(), nil, nil)

	// The session reports the read-only state the prompt shows.
	target, err := session.ParseConnectString(ro.Addr())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := session.Open(ctx, session.Options{Target: target, Timeout: 10 * time.Second, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer s.Close()
	if got := s.State(); got != session.StateConnectedReadOnly {
		t.Errorf("state = %s, want %s", got, session.StateConnectedReadOnly)
	}
}
