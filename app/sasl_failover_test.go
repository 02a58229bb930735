package app_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

func digestUsers() map[string]string {
	return map[string]string{zkharness.DigestAlice: zkharness.DigestAlicePassword}
}

// The member zkc is connected to is killed during a piped script, on an
// ensemble that closes the session of any unauthenticated request: zkc must
// authenticate the new connection before it sends anything (the library
// re-sends addauth credentials and one-shot watches, opcodes 100 and 101, as
// soon as a connection is up), so every write after the failover succeeds
// and the watch survives.
func TestSASLFailover(t *testing.T) {
	t.Run("DIGEST-MD5", func(t *testing.T) {
		e := pool.Ensemble(t, "sasl-failover", zkharness.Config{SASL: &zkharness.SASL{DigestUsers: digestUsers()}})
		t.Setenv("ZKC_SASL_PASSWORD", zkharness.DigestAlicePassword)
		saslFailover(t, e, "alice", "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice")
	})
	t.Run("GSSAPI", func(t *testing.T) {
		k := pool.Kerberos(t)
		e := pool.Ensemble(t, "sasl-failover-krb", zkharness.Config{SASL: &zkharness.SASL{KDC: k.KDC}})
		saslFailover(t, e, "bob@"+zkharness.KerberosRealm, "--sasl-mech", "GSSAPI", "--krb5-keytab", k.BobKeytab,
			"--krb5-principal", "bob", "--krb5-conf", k.KDC.Krb5Conf)
	})
}

func saslFailover(t *testing.T, e *zkharness.Ensemble, user string, login ...string) {
	hosts := e.ConnectString()
	p := startPiped(t, append([]string{"-server", hosts}, login...)...)
	p.send("create /sasl-fo v sasl:"+user+":cdrwa", "addauth digest carol:pw", "get -w /sasl-fo")
	p.send(createLines("/sasl-fo", 0, 200)...)
	p.waitStderr(201, isCreated, time.Minute)
	victim := connectedMember(t, e)
	victim.Stop()
	defer func() {
		if err := victim.Start(); err != nil {
			t.Error(err)
		}
	}()
	p.waitOut(regexp.MustCompile(`state:Disconnected`), 30*time.Second)
	p.send(createLines("/sasl-fo", 200, 400)...)
	p.send("whoami", "getAcl /sasl-fo", "set /sasl-fo changed")
	code := p.finish(time.Minute)
	if code != 0 || p.countStderr(isCreated) != 401 {
		t.Fatalf("exit %d, %d Created lines (want 0 and 401); stderr:\n%s", code, p.countStderr(isCreated), strings.Join(p.lines(), "\n"))
	}
	out := p.out()
	if !strings.Contains(out, "sasl: "+user+"\n") || !strings.Contains(out, "digest: carol\n") ||
		!strings.Contains(out, "'sasl,'"+user+"\n: cdrwa\n") || !strings.Contains(out, "type:NodeDataChanged path:/sasl-fo") {
		t.Fatalf("after the failover: stdout %q", p.out())
	}
}

// After an expiry the library opens a new session: zkc authenticates it
// before the waiting line runs.
func TestSASLSessionExpiry(t *testing.T) {
	srv := pool.Standalone(t, "sasl-expiry", zkharness.Config{TickTime: 200, SASL: &zkharness.SASL{DigestUsers: digestUsers()}})
	t.Setenv("ZKC_SASL_PASSWORD", zkharness.DigestAlicePassword)
	p := startPiped(t, "-server", srv.Addr(), "-timeout", "2000", "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice")
	p.send("create -e /sasl-exp x")
	p.waitStderr(1, isCreated, 30*time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	p.waitOut(regexp.MustCompile(`(?s)state:Expired.*state:SyncConnected`), 30*time.Second)
	p.send("create /sasl-exp-after y", "whoami")
	code := p.finish(time.Minute)
	if code != 0 || p.countStderr(isCreated) != 2 || !strings.Contains(p.out(), "sasl: alice\n") {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, p.out(), strings.Join(p.lines(), "\n"))
	}
}
