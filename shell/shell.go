package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/completion"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
)

// Options configure the shell.
type Options struct {
	Server string              // the connect string as given, for the prompt
	Color  string              // --color: auto, always or never
	Getenv func(string) string // environment (NO_COLOR, TERM, XDG_STATE_HOME, HOME)
}

// Shell is zkc without a command: the interactive prompt on a terminal, the
// line loop for pipes and --file. Both run every line through
// commands.ExecuteLine and share history, redo and printwatches.
type Shell struct {
	env   *commands.Env
	st    *state
	opts  Options
	cache *completion.Cache
	eng   *completion.Engine

	// termMu serialises writes to the terminal while the prompt is shown:
	// go-prompt's redraws and async events.
	termMu       sync.Mutex
	tty          *ttyParser // set while interactive
	promptActive bool       // under termMu
	plainPrompt  bool       // the plain editor's prompt is shown; under termMu
	ed           *lineEditor
	scr          *screen // draws the prompt; under termMu
	menuMu       sync.Mutex
	menu         []menuItem // the candidates behind go-prompt's last completion

	// In scripts, events wait here and are printed between lines, so a
	// transcript's order does not depend on goroutine scheduling: an event
	// caused by a line prints after that line's output.
	evMu        sync.Mutex
	scripting   bool
	stopOnError bool // the script's --stop-on-error
	pending     []session.Event
	evWake      chan struct{}

	// expiredNotice keeps EXPIRED in the prompt from a session's expiry
	// until the next line is entered: the library's new session is up
	// within milliseconds, too soon for the state itself to be seen.
	expiredNotice atomic.Bool

	// inFlight counts a script's pipelined lines not yet printed: their
	// events are printed in line order, never from a request's goroutine.
	inFlight atomic.Int32
}

// New makes the shell for env and installs its hooks in env.Shell.
func New(env *commands.Env, opts Options) *Shell {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	sh := &Shell{env: env, st: newState(env), opts: opts, evWake: make(chan struct{}, 1)}
	env.Shell = sh.st
	if env.Dir == nil {
		env.Dir = commands.NewWorkDir()
	}
	sh.cache = completion.NewCache(sh.fetchChildren)
	// Lists are kept fresh by completion's child watches (and cleared after
	// every line); the age limit is only a safety net.
	sh.cache.MaxAge = 30 * time.Second
	sh.eng = &completion.Engine{Mode: commands.ModeShell, Children: sh.cache.Children, Cwd: env.Cwd}
	return sh
}

// OnOpen is the session manager's hook: the shell follows every session it
// opens (events printed, completion cache invalidated).
func (sh *Shell) OnOpen(s *session.Session) {
	s.SetContinueAfterExpiry(sh.continueAfterExpiry)
	connected := false
	s.Subscribe(func(e session.Event) {
		// A script prints no banners: the first SyncConnected of a session
		// is zkCli's connect banner; later ones are reconnections.
		if e.IsSession() && e.State == session.KeeperSyncConnected && !connected {
			connected = true
			if sh.deferring() {
				return
			}
		}
		sh.onEvent(e)
	})
}

// continueAfterExpiry lets a line that waited for the connection while its
// session expired run on the new session, as zkc goes on after an expiry:
// the expiry is printed first (a script prints it here, before the line's
// own output). With --stop-on-error the line fails and the script stops.
func (sh *Shell) continueAfterExpiry(int64) bool {
	sh.evMu.Lock()
	stop := sh.scripting && sh.stopOnError
	sh.evMu.Unlock()
	if stop {
		return false
	}
	if sh.inFlight.Load() == 0 {
		sh.flushEvents()
	}
	return true
}

func (sh *Shell) deferring() bool {
	sh.evMu.Lock()
	defer sh.evMu.Unlock()
	return sh.scripting
}

// flushEvents prints the events queued while a script line ran.
func (sh *Shell) flushEvents() {
	if s := currentSession(sh.env); s != nil {
		s.DrainEvents()
	}
	sh.evMu.Lock()
	batch := sh.pending
	sh.pending = nil
	sh.evMu.Unlock()
	for _, e := range batch {
		if sh.st.PrintWatches() {
			EventPrinter{W: sh.env.Out}.Print(e)
		}
	}
}

// Run runs the interactive shell when stdin and stdout are terminals and no
// script file was given, the line loop otherwise, and returns the exit code.
func (sh *Shell) Run(ctx context.Context, in io.Reader, opts ScriptOptions) int {
	if f, ok := in.(*os.File); ok && opts.Name == "" && sh.env.InTTY && sh.env.OutTTY {
		if !canPositionCursor(sh.opts.Getenv) || !hasControllingTerminal() {
			return sh.runPlain(ctx, f)
		}
		if code, ok := sh.runInteractive(ctx, f); ok {
			return code
		}
	}
	return sh.runScript(ctx, in, opts)
}

// hasControllingTerminal reports whether /dev/tty opens: go-prompt opens it
// (and panics without it) before zkc's own parser replaces its reader.
func hasControllingTerminal() bool {
	f, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// onEvent runs on the session's dispatcher goroutine, in event order.
func (sh *Shell) onEvent(e session.Event) {
	switch {
	case e.IsSession():
		sh.cache.InvalidateAll()
	case e.Type == "NodeChildrenChanged":
		sh.cache.Invalidate(e.Path)
	case e.Type == "NodeCreated" || e.Type == "NodeDeleted":
		sh.cache.Invalidate(path.Dir(e.Path))
		sh.cache.Invalidate(e.Path)
	}
	if e.Internal {
		return // completion's own watch: its work is done above
	}
	if e.Type == session.EventNotWatching {
		return
	}
	sh.evMu.Lock()
	if sh.scripting {
		sh.pending = append(sh.pending, e)
		sh.evMu.Unlock()
		select {
		case sh.evWake <- struct{}{}:
		default:
		}
		return
	}
	sh.evMu.Unlock()
	watcher := ""
	if sh.st.PrintWatches() {
		watcher = commands.WatcherBlock(e)
	}
	// In the shell the expiry is reported here, on stderr; a script's
	// ExpiryReporter does it between lines.
	report := ""
	if e.IsSession() && e.State == session.KeeperExpired && e.SessionID != 0 {
		sh.expiredNotice.Store(true)
		report = expiryMessage(e.SessionID, commands.LostWatches(e.Lost), commands.ReaddedWatches(e.Readded)) + "\n"
	}
	sh.termMu.Lock()
	defer sh.termMu.Unlock()
	if sh.tty != nil && sh.promptActive {
		if watcher != "" || report != "" {
			sh.printAbovePrompt(watcher, report)
		}
		if (watcher != "" || e.IsSession()) && sh.scr != nil {
			// Redraw: the half-typed line, and the prompt's new state.
			sh.scr.redraw(sh.prefix())
		}
		return
	}
	if sh.plainPrompt && (watcher != "" || report != "") {
		// Below the prompt and what was typed, then the prompt again (the
		// typed text stays in the terminal's line buffer).
		io.WriteString(sh.env.Out, "\n")
		io.WriteString(sh.env.Out, strings.TrimPrefix(watcher, "\n"))
		io.WriteString(sh.env.Err, report)
		io.WriteString(sh.env.Out, sh.plainPrefix())
		return
	}
	io.WriteString(sh.env.Out, watcher)
	io.WriteString(sh.env.Err, report)
}

// fetchChildren reads children for completion; it does not wait for a
// connection that is not there (the cache then answers from what it has).
func (sh *Shell) fetchChildren(ctx context.Context, p string) ([]string, error) {
	s := sh.env.Conn.Current()
	if s == nil || s.Closed() {
		return nil, session.ErrNotConnected
	}
	if st := s.State(); st != session.StateConnected && st != session.StateConnectedReadOnly {
		return nil, errors.New("not connected")
	}
	return s.CompletionChildren(ctx, p)
}

// runScript runs lines from r: no prompt, no colour, comments and blank
// lines skipped, exit code of the last command (zkCli's), or of the first
// failure with StopOnError. Lines are pipelined where that keeps their
// meaning (pipeline.go).
func (sh *Shell) runScript(ctx context.Context, r io.Reader, opts ScriptOptions) int {
	sh.evMu.Lock()
	sh.scripting, sh.stopOnError = true, opts.StopOnError
	sh.evMu.Unlock()
	defer sh.flushEvents()
	stop := make(chan struct{})
	defer close(stop)
	lines := readLines(newLineReader(r), stop)
	lineNo := 0
	sc := &scriptRun{opts: opts, where: "stdin", expiry: &ExpiryReporter{W: sh.env.Err}, pipe: &scriptPipeline{}}
	if opts.Name != "" {
		sc.where = opts.Name
	}
	// A session expiry is reported once; with StopOnError it stops the script.
	defer sc.expiry.Close()
	defer sc.pipe.close()
	// Finished lines' output is written in batches, and always before the
	// script waits (for input or for a line), so an open pipe still sees
	// each result promptly.
	defer sc.pipe.printed.flush()
	for {
		var in scriptLine
		if len(sc.pipe.window) > 0 {
			// Take the next line, or print the oldest line in flight as
			// soon as it is done.
			var oldest bool
			if in, oldest = sc.pipe.nextOrOldest(lines); oldest {
				if done, code := sh.finishLine(ctx, sc); done {
					return code
				}
				continue
			}
		} else {
			sc.pipe.printed.flush()
			select {
			case <-sh.evWake:
				// Events that arrive while the script waits for input print at once.
				sh.flushEvents()
				continue
			case in = <-lines:
			case <-ctx.Done():
				// Interrupted while waiting for input (a pipe or FIFO that
				// stays open).
				return commands.ExitInterrupted
			}
		}
		if in.eof {
			if done, code := sh.finishAll(ctx, sc); done {
				return code
			}
			sc.pipe.printed.flush()
			var tooLong *safeio.LineTooLongError
			if errors.As(in.err, &tooLong) {
				fmt.Fprintf(sh.env.Err, "zkc: stopped at %s line %d: the line is longer than %d bytes (the line limit)\n", sc.where, tooLong.Line, tooLong.Limit)
				return commands.ExitUsage
			}
			if in.err != nil {
				fmt.Fprintf(sh.env.Err, "zkc: reading script: %v\n", in.err)
				return commands.ExitError
			}
			return sc.code
		}
		lineNo++
		line := in.text
		if isComment(line) {
			continue
		}
		if ctx.Err() != nil {
			// Every line sent says what became of it before zkc stops.
			if done, code := sh.finishAll(ctx, sc); done {
				return code
			}
			return commands.ExitInterrupted
		}
		parsed := sh.st.parse(line)
		if kind := parsed.Pipelining(); !opts.NoPipeline && sh.canSend(sc.pipe, kind, opts.StopOnError) {
			if len(sc.pipe.window) >= pipelineWindow {
				if done, code := sh.finishLine(ctx, sc); done {
					return code
				}
			}
			sh.send(ctx, sc.pipe, lineNo, line, parsed)
			continue
		}
		// A barrier: everything before it finishes first.
		if done, code := sh.finishAll(ctx, sc); done {
			return code
		}
		sc.pipe.printed.flush()
		sh.flushEvents()
		// An expiry while the script was idle stops it before the next line.
		sc.expiry.Attach(currentSession(sh.env))
		if sc.expiry.Take() && opts.StopOnError {
			fmt.Fprintf(sh.env.Err, "zkc: stopped before %s line %d: the session expired\n", sc.where, lineNo)
			return commands.ExitConnection
		}
		code := sh.st.runParsed(ctx, line, parsed)
		sh.flushEvents()
		sh.cache.InvalidateAll()
		if quit, qc := sh.st.quitting(); quit {
			return qc
		}
		if done, code := sh.afterLine(ctx, sc, code, lineNo, line); done {
			return code
		}
	}
}

// scriptRun is one script's progress.
type scriptRun struct {
	opts   ScriptOptions
	where  string // "stdin" or the file name, for messages
	expiry *ExpiryReporter
	pipe   *scriptPipeline
	code   int // the last line's exit code
}

// finishLine prints the oldest pipelined line and applies the same checks
// as after a serial line; done means the script stops with code.
func (sh *Shell) finishLine(ctx context.Context, sc *scriptRun) (done bool, code int) {
	f := sh.finishOldest(sc.pipe)
	sh.cache.InvalidateAll()
	done, code = sh.afterLine(ctx, sc, f.code, f.lineNo, f.text)
	if done {
		sh.abandon(sc)
	}
	return done, code
}

// finishAll prints every pipelined line, in order.
func (sh *Shell) finishAll(ctx context.Context, sc *scriptRun) (done bool, code int) {
	for len(sc.pipe.window) > 0 {
		if done, code := sh.finishLine(ctx, sc); done {
			return true, code
		}
	}
	return false, sc.code
}

// abandon drops the lines in flight after the script stopped: with
// StopOnError they are reads (no write is sent ahead of an unfinished
// line), so dropping their output leaves the server as a serial run would.
func (sh *Shell) abandon(sc *scriptRun) {
	sh.inFlight.Add(-int32(len(sc.pipe.window)))
	sc.pipe.window = nil
}

// afterLine records a finished line's code and decides whether the script
// stops: with StopOnError, at a failure or an expiry; always when no one
// reads the output any more.
func (sh *Shell) afterLine(ctx context.Context, sc *scriptRun, code, lineNo int, line string) (done bool, _ int) {
	sc.code = code
	if code == commands.ExitBrokenPipe {
		return true, code
	}
	stopOnError := sc.opts.StopOnError
	if code == commands.ExitConnection && stopOnError {
		// Before stopping, learn whether the session came back or
		// expired (a frozen or partitioned client finds out only now),
		// so the report says which.
		if s := currentSession(sh.env); s != nil {
			_ = s.WaitConnected(ctx)
			s.DrainEvents()
		}
	}
	sc.expiry.Attach(currentSession(sh.env))
	expired := sc.expiry.Take()
	if expired && code == commands.ExitOK && stopOnError {
		code = commands.ExitConnection // the line succeeded; the session did not survive it
	}
	if (code != commands.ExitOK || expired) && stopOnError {
		sc.pipe.printed.flush()
		fmt.Fprintf(sh.env.Err, "zkc: stopped at %s line %d: %s\n", sc.where, lineNo, shownLine(line))
		return true, code
	}
	return false, code
}

// scriptLine is one line read by readLines, or the end of input.
type scriptLine struct {
	text string
	eof  bool
	err  error
}

// readLines reads on its own goroutine so the script loop can print events
// while it waits for input (a pipe that stays open). The reader stops after
// the end of input; one blocked on a terminal ends with the process.
func readLines(lr *lineReader, stop <-chan struct{}) <-chan scriptLine {
	// Buffered, so that a pipelined script finds its next lines ready.
	out := make(chan scriptLine, 256)
	go func() {
		for {
			text, ok := lr.next()
			l := scriptLine{text: text}
			if !ok {
				l = scriptLine{eof: true, err: lr.err()}
			}
			select {
			case out <- l:
			case <-stop:
				return
			}
			if !ok {
				return
			}
		}
	}()
	return out
}
