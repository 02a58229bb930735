package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sync"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/completion"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
	"golang.org/x/term"
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
	lineMu       sync.Mutex
	lineBefore   string // the edited text before the cursor
}

// New makes the shell for env and installs its hooks in env.Shell.
func New(env *commands.Env, opts Options) *Shell {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	sh := &Shell{env: env, st: newState(env), opts: opts}
	env.Shell = sh.st
	sh.cache = completion.NewCache(sh.fetchChildren)
	sh.eng = &completion.Engine{Mode: commands.ModeShell, Children: sh.cache.Children}
	return sh
}

// OnOpen is the session manager's hook: the shell follows every session it
// opens (events printed, completion cache invalidated).
func (sh *Shell) OnOpen(s *session.Session) {
	s.Subscribe(sh.onEvent)
}

// Run runs the interactive shell when stdin and stdout are terminals and no
// script file was given, the line loop otherwise, and returns the exit code.
func (sh *Shell) Run(ctx context.Context, in io.Reader, opts ScriptOptions) int {
	if f, ok := in.(*os.File); ok && opts.Name == "" && isTerminal(f) && isTerminal(sh.env.Out) {
		if code, ok := sh.runInteractive(ctx, f); ok {
			return code
		}
	}
	return sh.runScript(ctx, in, opts)
}

func isTerminal(v interface{}) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
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
	}
	if e.Type == session.EventNotWatching {
		return
	}
	show := sh.st.PrintWatches()
	sh.termMu.Lock()
	defer sh.termMu.Unlock()
	if sh.tty != nil && sh.promptActive {
		if show {
			sh.printAbovePrompt("\nWATCHER::\n\n" + format.EventLine(e) + "\n")
		}
		if show || e.IsSession() {
			// Redraw: the half-typed line, and the prompt's new state.
			sh.tty.Inject(keyIgnore)
		}
		return
	}
	if show {
		EventPrinter{W: sh.env.Out}.Print(e)
	}
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
	kids, _, err := s.Children(ctx, p, false)
	return kids, err
}

// runScript runs lines from r: no prompt, no colour, comments and blank
// lines skipped, exit code of the last command (zkCli's), or of the first
// failure with StopOnError.
func (sh *Shell) runScript(ctx context.Context, r io.Reader, opts ScriptOptions) int {
	lines := newLineReader(r)
	code, lineNo := 0, 0
	for {
		line, ok := lines.next()
		if !ok {
			break
		}
		lineNo++
		if isComment(line) {
			continue
		}
		if ctx.Err() != nil {
			return commands.ExitInterrupted
		}
		code = sh.st.run(ctx, line)
		sh.cache.InvalidateAll()
		if quit, qc := sh.st.quitting(); quit {
			return qc
		}
		if code != commands.ExitOK && opts.StopOnError {
			where := "stdin"
			if opts.Name != "" {
				where = opts.Name
			}
			fmt.Fprintf(sh.env.Err, "zkc: stopped at %s line %d: %s\n", where, lineNo, line)
			return code
		}
	}
	if err := lines.err(); err != nil {
		fmt.Fprintf(sh.env.Err, "zkc: reading script: %v\n", err)
		return commands.ExitError
	}
	return code
}
