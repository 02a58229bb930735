package shell_test

import (
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

// On a terminal zkc asks for the SASL password without echo, and the prompt
// shows who the session is authenticated as.
func TestSASLPasswordPromptAndIdentity(t *testing.T) {
	srv := pool.DigestServer(t)
	tm := startTerm(t, []string{"ZKC_SASL_PASSWORD=", "CLIENT_JVMFLAGS=", "JVMFLAGS="},
		"-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice")
	off := tm.waitFor(0, "DIGEST-MD5 password for alice: ")
	tm.send(zkharness.DigestAlicePassword + "\r")
	off = tm.waitFor(off, "[zk: "+srv.Addr()+"(CONNECTED) sasl:alice 0] ")
	tm.send("whoami\r")
	off = tm.waitFor(off, "sasl: alice")
	tm.send("quit\r")
	if code := tm.wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(tm.screen(0), zkharness.DigestAlicePassword) {
		t.Fatalf("the password was echoed:\n%s", tm.screen(0))
	}
}

// Ctrl-C at the SASL password prompt ends zkc at once (exit 130) with the
// terminal's echo back on, rather than waiting for Enter.
func TestSASLPasswordPromptInterrupted(t *testing.T) {
	srv := pool.DigestServer(t)
	tm := startTerm(t, []string{"ZKC_SASL_PASSWORD=", "CLIENT_JVMFLAGS=", "JVMFLAGS="},
		"-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice")
	tm.waitFor(0, "DIGEST-MD5 password for alice: ")
	tm.send("half")
	tm.send("\x03")
	if code := tm.wait(); code != 130 {
		t.Fatalf("exit %d after Ctrl-C at the password prompt, want 130", code)
	}
	if after := tm.stty(); after != tm.before {
		t.Errorf("terminal modes changed:\nbefore: %s\nafter:  %s", tm.before, after)
	}
}
