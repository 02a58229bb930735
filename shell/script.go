package shell

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
)

// ScriptOptions control the line loop.
type ScriptOptions struct {
	StopOnError bool
	Name        string // file name for messages ("" for stdin)
	// NoPipeline waits for each line's reply before sending the next.
	NoPipeline bool
}

// RunScript runs commands line by line from r in one session: no prompt, no
// colour; blank lines and # comments are skipped. The exit code is the last
// command's, as zkCli's; with StopOnError the first failure stops the script.
// history, redo and printwatches work as in the shell.
func RunScript(ctx context.Context, env *commands.Env, r io.Reader, opts ScriptOptions) int {
	return New(env, Options{}).runScript(ctx, r, opts)
}

// lineReader yields trimmed lines of at most safeio.LineLimit bytes.
type lineReader struct {
	lr  *safeio.LineReader
	end error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{lr: safeio.NewLineReader(r, safeio.LineLimit)}
}

func (l *lineReader) next() (string, bool) {
	line, err := l.lr.Next()
	if err != nil {
		l.end = err
		return "", false
	}
	return strings.TrimSpace(line), true
}

// err is nil at the end of input, else what stopped the reading: a
// *safeio.LineTooLongError or a read error.
func (l *lineReader) err() error {
	if errors.Is(l.end, io.EOF) {
		return nil
	}
	return l.end
}

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
	io.WriteString(p.W, commands.WatcherBlock(e))
}
