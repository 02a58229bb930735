package shell

import (
	"context"
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

	mu           sync.Mutex
	hist         []string // index = command number, as zkCli's
	printWatches bool
	lastCode     int // the previous line's exit code
	quit         bool
	quitCode     int
}

func newState(env *commands.Env) *state {
	return &state{env: env, printWatches: true}
}

var _ commands.ShellHooks = (*state)(nil)

// count is the number of non-empty lines entered so far (the prompt's N).
func (s *state) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hist)
}

// History returns every entry, oldest first.
func (s *state) History() []commands.HistoryEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]commands.HistoryEntry, len(s.hist))
	for i, l := range s.hist {
		out[i] = commands.HistoryEntry{N: i, Line: l}
	}
	return out
}

// Redo runs history entry n again with zkCli's rules: n must be below the
// current line's number, a redo cannot be redone, and the current line's
// history slot becomes the re-executed line.
func (s *state) Redo(ctx context.Context, n int) error {
	s.mu.Lock()
	cur := len(s.hist) - 1
	if n < 0 || n >= cur {
		s.mu.Unlock()
		return commands.Errorf(commands.ExitUsage, "Command index out of range")
	}
	line := s.hist[n]
	argv := Tokenize(line)
	if len(argv) > 0 && argv[0] == "redo" {
		s.mu.Unlock()
		return commands.Errorf(commands.ExitUsage, "No redoing redos")
	}
	s.hist[cur] = line
	s.mu.Unlock()
	if len(argv) > 0 && (argv[0] == "quit" || argv[0] == "exit") {
		s.Quit(commands.QuitLastCode)
		return nil
	}
	return commands.ExecuteLine(ctx, s.env, argv)
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

// run records line in history and executes it. A panic inside a command is
// reported on one line and the shell carries on.
func (s *state) run(ctx context.Context, line string) (code int) {
	s.mu.Lock()
	s.hist = append(s.hist, line)
	s.mu.Unlock()
	argv := Tokenize(line)
	defer func() {
		if r := recover(); r != nil {
			name := ""
			if len(argv) > 0 {
				name = argv[0]
			}
			fmt.Fprintf(s.env.Err, "zkc: internal error in %s: %v\n", name, r)
			code = commands.ExitError
		}
		s.mu.Lock()
		if !s.quit {
			s.lastCode = code
		}
		s.mu.Unlock()
	}()
	err := commands.ExecuteLine(ctx, s.env, argv)
	commands.PrintError(s.env.Err, err, s.env.Colors.Error)
	return commands.ExitCode(err)
}

// isComment reports whether a script line is skipped.
func isComment(line string) bool {
	return line == "" || strings.HasPrefix(line, "#")
}
