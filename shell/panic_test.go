package shell

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
)

// panickyConn makes every command that needs a session panic, to check that
// a bug inside a command costs one line, not the shell (or the terminal).
type panickyConn struct{}

func (panickyConn) Session(context.Context) (*session.Session, error) { panic("boom") }
func (panickyConn) Current() *session.Session                         { return nil }
func (panickyConn) Reconnect(context.Context, string) error           { return nil }
func (panickyConn) OpenOther(context.Context, string) (*session.Session, error) {
	return nil, nil
}
func (panickyConn) Close() {}

func TestPanicInCommandIsOneLine(t *testing.T) {
	var out, errb bytes.Buffer
	env := &commands.Env{Out: &out, Err: &errb, Mode: commands.ModeScript, Output: "text",
		Colors: commands.PlainPalette(), Conn: panickyConn{}}
	code := RunScript(context.Background(), env, strings.NewReader("get /x\nversion\n"), ScriptOptions{})
	if code != commands.ExitOK {
		t.Errorf("exit %d: the script should go on after the panic and end with version's 0", code)
	}
	if got := errb.String(); got != "zkc: internal error in get: boom\n" {
		t.Errorf("stderr %q, want one line naming the command", got)
	}
	if !strings.HasPrefix(out.String(), "ZooKeeper CLI version: zkc ") {
		t.Errorf("stdout %q: the line after the panic did not run", out.String())
	}
}

// TestPanicAndStopHideCredentials: a line holding a credential that panics
// inside its command, and then stops the script, is reported by its command
// word only.
func TestPanicAndStopHideCredentials(t *testing.T) {
	for _, line := range []string{"addauth digest bob:S3CRETpw", "create /x d digest:bob:S3CRETpw:cdrwa", "get --auth=digest:bob:S3CRETpw /x"} {
		var out, errb bytes.Buffer
		env := &commands.Env{Out: &out, Err: &errb, Mode: commands.ModeScript, Output: "text",
			Colors: commands.PlainPalette(), Conn: panickyConn{}}
		code := RunScript(context.Background(), env, strings.NewReader(line+"\n"), ScriptOptions{StopOnError: true})
		if code == commands.ExitOK {
			t.Errorf("%s: exit 0", line)
		}
		if strings.Contains(errb.String()+out.String(), "S3CRET") {
			t.Errorf("%s: the credential shows:\n%s%s", line, out.String(), errb.String())
		}
		if !strings.Contains(errb.String(), "stopped at stdin line 1: ") {
			t.Errorf("%s: stderr %q", line, errb.String())
		}
	}
}
