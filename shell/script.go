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
func RunScript(ctx context.Context, env *commands.Env, r io.Reader, opts ScriptOptions) int {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	code, lineNo := 0, 0
	expiry := &ExpiryReporter{W: env.Err}
	defer expiry.Close()
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if ctx.Err() != nil {
			return commands.ExitInterrupted
		}
		argv := Tokenize(line)
		if len(argv) > 0 && (argv[0] == "quit" || argv[0] == "exit") {
			return code
		}
		where := "stdin"
		if opts.Name != "" {
			where = opts.Name
		}
		// An expiry while the script was idle stops it before the next line.
		expiry.Attach(currentSession(env))
		if expiry.Take() && opts.StopOnError {
			fmt.Fprintf(env.Err, "zkc: stopped before %s line %d: the session expired\n", where, lineNo)
			return commands.ExitConnection
		}
		err := commands.ExecuteLine(ctx, env, argv)
		commands.PrintError(env.Err, err, env.Colors.Error)
		code = commands.ExitCode(err)
		expiry.Attach(currentSession(env))
		expired := expiry.Take()
		if expired && err == nil && opts.StopOnError {
			code = commands.ExitConnection // the line succeeded; the session did not survive it
		}
		if (err != nil || expired) && opts.StopOnError {
			fmt.Fprintf(env.Err, "zkc: stopped at %s line %d: %s\n", where, lineNo, line)
			return code
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(env.Err, "zkc: reading script: %v\n", err)
		return commands.ExitError
	}
	return code
}

// EventPrinter prints watch events and session changes the way zkCli does,
// "\nWATCHER::\n\nWatchedEvent state:... type:... path:...", unless turned off:
// node events, addWatch's persistent events and removewatches' *WatchRemoved
// events alike. After a session expiry it names the watches lost on Err
// (even with printwatches off: losing a watch is not an event but a failure).
type EventPrinter struct {
	W       io.Writer
	Err     io.Writer // nil: lost watches are not reported
	Enabled func() bool
}

// Print is a session subscriber.
func (p EventPrinter) Print(e session.Event) {
	if e.Type == session.EventNotWatching {
		return
	}
	if msg := format.LostWatches(e.Lost); msg != "" && p.Err != nil {
		fmt.Fprintf(p.Err, "zkc: session %s expired: %s\n", format.Hex(e.SessionID), msg)
	}
	if p.Enabled != nil && !p.Enabled() {
		return
	}
	fmt.Fprintf(p.W, "\nWATCHER::\n\n%s\n", format.EventLine(e))
}
