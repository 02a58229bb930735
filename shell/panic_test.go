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
