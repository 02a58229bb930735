package app_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// TestFrozenMember: a member that accepts TCP but never answers (the java
// process under SIGSTOP) costs zkc at most its share of the session timeout
// (timeout / hosts), never the command or the session.
func TestFrozenMember(t *testing.T) {
	e := pool.Ensemble(t, "failover", zkharness.Config{})
	hosts := e.ConnectString()
	// Unique names: the pool's ensemble outlives one run (-count=2).
	run := fmt.Sprintf("%x", time.Now().UnixNano())

	// One-shot runs against A(frozen),B,C all succeed; the library's random
	// host order puts A first in about a third of them, which then take one
	// host's share (6 s / 3) more.
	t.Run("one-shot", func(t *testing.T) {
		var frozen *zkharness.Server
		for _, s := range e.Servers {
			if s.Mode() == "follower" {
				frozen = s
				break
			}
		}
		if frozen == nil {
			t.Fatal("no follower to freeze")
		}
		if err := frozen.Pause(); err != nil {
			t.Fatal(err)
		}
		defer frozen.Resume()
		var slowest time.Duration
		for i := 0; i < 8; i++ {
			start := time.Now()
			r := zkc.Run("", "-server", hosts, "-timeout", "6000", "ls", "/")
			took := time.Since(start)
			slowest = max(slowest, took)
			if r.Code != 0 || !strings.HasPrefix(r.Stdout, "[") {
				t.Fatalf("run %d: exit %d after %v, stdout %q, stderr %q", i, r.Code, took, r.Stdout, r.Stderr)
			}
			if took > 4500*time.Millisecond {
				t.Fatalf("run %d took %v: more than the frozen member's share (2 s) and a handshake", i, took)
			}
		}
		t.Logf("8 runs with member %d frozen, slowest %v", frozen.ID, slowest)
	})

	// Failover with a frozen host and the connected member killed: the
	// frozen host is a paused standalone server listed with the members (in
	// a 3-node ensemble one frozen and one killed member leave no quorum).
	// The session moves on within its timeout: no expiry, its ephemeral node
	// stays, every line succeeds.
	t.Run("failover", func(t *testing.T) {
		x := pool.Standalone(t, "frozen-host", zkharness.Config{})
		if err := x.Pause(); err != nil {
			t.Fatal(err)
		}
		defer x.Resume()
		p := startPiped(t, "-server", x.Addr()+","+hosts, "-timeout", "6000")
		p.send("create -e /fz-eph-"+run+" x", "create /fz-"+run)
		p.waitStderr(2, isCreated, time.Minute)
		victim := connectedMember(t, e)
		victim.Stop()
		defer func() {
			if err := victim.Start(); err != nil {
				t.Error(err)
			}
		}()
		start := time.Now()
		p.send(createLines("/fz-"+run, 0, 50)...)
		p.send("get /fz-eph-" + run)
		p.waitOut(regexp.MustCompile(`x\n$`), 30*time.Second)
		t.Logf("back after %v", time.Since(start))
		code := p.finish(time.Minute)
		if code != 0 || p.countStderr(isCreated) != 52 {
			t.Fatalf("exit %d, %d Created lines (want 0 and 52); stderr:\n%s", code, p.countStderr(isCreated), strings.Join(p.lines(), "\n"))
		}
		for _, l := range p.lines() {
			if strings.Contains(l, "expired") {
				t.Fatalf("the session expired: %s", l)
			}
		}
	})

	// The connected member itself freezes: the library notices the silence
	// after two thirds of the session timeout and moves to the other
	// follower in time (only followers are listed, so freezing one leaves
	// the leader its quorum).
	t.Run("connected member frozen", func(t *testing.T) {
		var followers []string
		for _, s := range e.Servers {
			if s.Mode() == "follower" {
				followers = append(followers, s.Addr())
			}
		}
		if len(followers) != 2 {
			t.Fatalf("followers %v, want 2", followers)
		}
		p := startPiped(t, "-server", strings.Join(followers, ","), "-timeout", "6000")
		p.send("create -e /fz-eph2-" + run + " x")
		p.waitStderr(1, isCreated, time.Minute)
		victim := connectedMember(t, e)
		if err := victim.Pause(); err != nil {
			t.Fatal(err)
		}
		defer victim.Resume()
		start := time.Now()
		p.send("create /fz2-"+run+" y", "get /fz-eph2-"+run)
		p.waitOut(regexp.MustCompile(`x\n$`), 30*time.Second)
		t.Logf("back after %v", time.Since(start))
		if code := p.finish(time.Minute); code != 0 || p.countStderr(isCreated) != 2 {
			t.Fatalf("exit %d; stderr:\n%s", code, strings.Join(p.lines(), "\n"))
		}
	})
}
