package shell

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// ScriptOptions control the line loop.
type ScriptOptions struct {
	StopOnError bool
	Name        string // file name for messages ("" for stdin)
}

// RunScript runs commands line by line from r in one session: no prompt, no
// colour; blank lines and # comments are skipped. The exit code is the last
// command's, as zkCli's; with StopOnError the first failure stops the script.
// history, redo and printwatches work as in the shell.
func RunScript(ctx context.Context, env *commands.Env, r io.Reader, opts ScriptOptions) int {
	return New(env, Options{}).runScript(ctx, r, opts)
}

// lineReader yields trimmed lines.
type lineReader struct{ sc *bufio.Scanner }

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &lineReader{sc: sc}
}

func (l *lineReader) next() (string, bool) {
	if !l.sc.Scan() {
		return "", false
	}
	return strings.TrimSpace(l.sc.Text()), true
}

func (l *lineReader) err() error { return l.sc.Err() }

// EventPrinter prints watch events and session changes the way zkCli does,
// "\nWATCHER::\n\nWatchedEvent state:... type:... path:...", unless turned off:
// node events, addWatch's persistent events and removewatches' *WatchRemoved
// events alike. (Expiry and the watches lost with it are reported on stderr
// by ExpiryReporter.)
type EventPrinter struct {
	W       io.Writer
	Enabled func() bool
}

// Print is a session subscriber.
func (p EventPrinter) Print(e session.Event) {
	if e.Type == session.EventNotWatching || e.Internal {
		return
	}
	if p.Enabled != nil && !p.Enabled() {
		return
	}
	fmt.Fprintf(p.W, "\nWATCHER::\n\n%s\n", format.EventLine(e))
}
