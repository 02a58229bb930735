package shell

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/zkc-cli/zkc/commands"
)

// state is what the shell and the script loop share: the numbered history
// that history and redo use, printwatches, and a pending quit. It implements
// commands.ShellHooks.
type state struct {
	env *commands.Env
	reg *commands.Registry // built once: lines look up their command here

	mu           sync.Mutex
	hist         []string // the kept entries: hist[i] is command number histBase+i
	histBase     int
	histBytes    int
	printWatches bool
	lastCode     int // the previous line's exit code
	quit         bool
	quitCode     int
}

// The numbered history keeps at least the last historyKeep lines (up to
// historyKeepBytes of them) and never more than twice that, so a long script
// runs in bounded memory; redo of a dropped line is out of range. (zkCli
// keeps every line.)
const (
	historyKeep      = 1000
	historyKeepBytes = 8 << 20
)

func newState(env *commands.Env) *state {
	return &state{env: env, reg: commands.NewRegistry(), printWatches: true}
}

var _ commands.ShellHooks = (*state)(nil)

// count is the number of non-empty lines entered so far (the prompt's N).
func (s *state) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.histBase + len(s.hist)
}

// History returns every entry, oldest first.
func (s *state) History() []commands.HistoryEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]commands.HistoryEntry, len(s.hist))
	for i, l := range s.hist {
		out[i] = commands.HistoryEntry{N: s.histBase + i, Line: l}
	}
	return out
}

// Redo runs history entry n again with zkCli's rules: n must be below the
// current line's number, a redo cannot be redone, and the current line's
// history slot becomes the re-executed line.
func (s *state) Redo(ctx context.Context, n int) error {
	s.mu.Lock()
	cur := len(s.hist) - 1
	if n < s.histBase || n-s.histBase >= cur {
		s.mu.Unlock()
		return commands.Errorf(commands.ExitUsage, "Command index out of range")
	}
	line := s.hist[n-s.histBase]
	argv := Tokenize(line)
	if len(argv) > 0 && argv[0] == "redo" {
		s.mu.Unlock()
		return commands.Errorf(commands.ExitUsage, "No redoing redos")
	}
	s.histBytes += len(line) - len(s.hist[cur])
	s.hist[cur] = line
	s.mu.Unlock()
	if len(argv) > 0 && (argv[0] == "quit" || argv[0] == "exit") {
		s.Quit(commands.QuitLastCode)
		return nil
	}
	return s.reg.Execute(ctx, s.env, s.reg.Parse(s.env.Mode, argv))
}

// PrintWatches reports whether events are printed.
func (s *state) PrintWatches() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.printWatches
}

// SetPrintWatches turns event printing on or off.
func (s *state) SetPrintWatches(on bool) {
	s.mu.Lock()
	s.printWatches = on
	s.mu.Unlock()
}

// Quit asks the loop to stop after this line; commands.QuitLastCode means the
// previous command's exit code.
func (s *state) Quit(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == commands.QuitLastCode {
		code = s.lastCode
	}
	s.quit, s.quitCode = true, code
}

func (s *state) lastCodeValue() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastCode
}

func (s *state) quitting() (bool, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quit, s.quitCode
}

// run records line in history and executes it.
func (s *state) run(ctx context.Context, line string) int {
	return s.runParsed(ctx, line, s.parse(line))
}

// parse tokenizes line and parses its command's flags.
func (s *state) parse(line string) *commands.Line {
	return s.reg.Parse(s.env.Mode, Tokenize(line))
}

// runParsed records line in history and executes it.
func (s *state) runParsed(ctx context.Context, line string, l *commands.Line) int {
	s.record(line)
	code := s.execute(ctx, s.env, l)
	s.setLastCode(code)
	return code
}

// setLastCode remembers a finished line's exit code (for quit).
func (s *state) setLastCode(code int) {
	s.mu.Lock()
	if !s.quit {
		s.lastCode = code
	}
	s.mu.Unlock()
}

// execute runs a parsed line against env and reports its error on env.Err.
// A panic inside a command is reported on one line and the shell carries on.
func (s *state) execute(ctx context.Context, env *commands.Env, l *commands.Line) (code int) {
	defer func() {
		if r := recover(); r != nil {
			name := ""
			if len(l.Argv) > 0 {
				name = l.Argv[0]
			}
			fmt.Fprintf(env.Err, "zkc: internal error in %s: %v\n", name, r)
			code = commands.ExitError
		}
	}()
	err := s.reg.Execute(ctx, env, l)
	if errors.Is(context.Cause(ctx), commands.ErrOutputClosed) {
		// The reader of zkc's output left mid-line: nothing to report.
		return commands.ExitBrokenPipe
	}
	commands.PrintError(env.Err, err, env.Colors.Error)
	return commands.ExitCode(err)
}

// record appends line to the history. Past twice the limits the oldest
// entries are dropped in one go (amortised: a long script does not copy the
// history on every line); the newest line is always kept.
func (s *state) record(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hist = append(s.hist, line)
	s.histBytes += len(line)
	if len(s.hist) <= 2*historyKeep && s.histBytes <= 2*historyKeepBytes {
		return
	}
	drop := 0
	for len(s.hist)-drop > 1 && (len(s.hist)-drop > historyKeep || s.histBytes > historyKeepBytes) {
		s.histBytes -= len(s.hist[drop])
		drop++
	}
	// Copy rather than reslice, so the dropped lines can be freed.
	s.hist = append(make([]string, 0, 2*historyKeep+1), s.hist[drop:]...)
	s.histBase += drop
}

// isComment reports whether a script line is skipped.
func isComment(line string) bool {
	return line == "" || strings.HasPrefix(line, "#")
}
