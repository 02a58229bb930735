package shell_test

import (
	"strings"
	"testing"
	"time"
)

// TestStdinDataReadInterrupted: `set -f -` in the shell reads the terminal;
// Ctrl-C ends that read at once, nothing is sent, and the next line typed
// goes to the shell, not to a reader left behind.
func TestStdinDataReadInterrupted(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/stdin-read", "before")
	tm := startTerm(t, []string{"NO_COLOR=1"}, "-server", addr)
	at := tm.waitFor(0, "(CONNECTED) 0] ")
	tm.send("set -f - /stdin-read\r")
	at = tm.waitFor(at, "set -f - /stdin-read\r\n")
	time.Sleep(300 * time.Millisecond) // no output to wait for: the read is waiting
	tm.send("\x03")
	at = tm.waitFor(at, "interrupted")
	at = tm.waitFor(at, "(CONNECTED) 1] ")
	tm.send("get /stdin-read\r")
	at = tm.waitFor(at, "before\r\n")
	tm.waitFor(at, "(CONNECTED) 2] ")
	tm.send("\x04")
	tm.wait()
	if s := tm.screen(0); strings.Contains(s, "goroutine") {
		t.Fatalf("stack dump:\n%s", s)
	}
}
