package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

// Registry indexes the commands by name once, so that the shell and scripts
// find a line's command without building every command, and parse its flags
// with one FlagSet instead of a cobra tree.
type Registry struct {
	byName    map[string]func() *Command
	shellOnly map[string]bool
	// flagless holds, per command a script may pipeline, one instance
	// parsed without flags, shared by every line that gives none: building
	// a command and its FlagSet per line was a tenth of a piped script's
	// CPU. Those commands' Run and Pipeline only read their options.
	flaglessMu sync.Mutex
	flagless   map[string]*parsedCommand
}

// parsedCommand is a command instance with its flags parsed.
type parsedCommand struct {
	cmd *Command
	fs  *pflag.FlagSet
}

// NewRegistry builds the index (one instance of every command, once).
func NewRegistry() *Registry {
	r := &Registry{byName: map[string]func() *Command{}, shellOnly: map[string]bool{}}
	for _, mk := range constructors() {
		c := mk()
		r.byName[c.Name] = mk
		r.shellOnly[c.Name] = c.ShellOnly
	}
	return r
}

// IsCommand reports whether name is a zkc command usable in mode.
func (r *Registry) IsCommand(name string, mode Mode) bool {
	_, ok := r.byName[name]
	return ok && !(r.shellOnly[name] && mode == ModeOneShot)
}

// Line is one tokenized line with its command's flags parsed.
type Line struct {
	Argv []string
	cmd  *Command // a fresh instance holding the parsed flag values
	args []string // the positionals
	fs   *pflag.FlagSet
	// viaCobra: help, a flag error or a command without flag parsing; the
	// cobra tree runs it, for cobra's exact help and wording.
	viaCobra bool
	err      error // a flag error, worded with its suggestions
}

// Parse looks up argv's command and parses its flags. It never fails: a
// line it cannot parse is run through cobra, which reports the error.
func (r *Registry) Parse(mode Mode, argv []string) *Line {
	l := &Line{Argv: argv}
	if len(argv) == 0 {
		return l
	}
	name := argv[0]
	if name == "help" {
		l.viaCobra = true
		return l
	}
	if !r.IsCommand(name, mode) {
		return l
	}
	if pc := r.flaglessInstance(name); pc != nil && !anyDashed(argv[1:]) {
		l.cmd, l.args, l.fs = pc.cmd, argv[1:], pc.fs
		return l
	}
	c := r.byName[name]()
	if c.NoFlags {
		l.viaCobra = true
		return l
	}
	fs := newFlagSet(c)
	if err := fs.Parse(RewriteSingleDash(argv[1:], fs)); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			l.viaCobra = true // cobra's help
			return l
		}
		l.err = &Error{Code: ExitUsage, Msg: FlagErrorHint(err, fs), Usage: c.Usage}
		return l
	}
	l.cmd, l.args, l.fs = c, fs.Args(), fs
	return l
}

// newFlagSet is a quiet FlagSet holding c's flags at their defaults.
func newFlagSet(c *Command) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.Name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if c.Flags != nil {
		c.Flags(fs)
	}
	return fs
}

// flaglessInstance is name's shared instance for lines without flags, nil
// when name is not a command a script may pipeline.
func (r *Registry) flaglessInstance(name string) *parsedCommand {
	r.flaglessMu.Lock()
	defer r.flaglessMu.Unlock()
	if pc, ok := r.flagless[name]; ok {
		return pc
	}
	var pc *parsedCommand
	if c := r.byName[name](); c.Pipeline != nil && !c.NoFlags {
		fs := newFlagSet(c)
		if fs.Parse(nil) == nil {
			pc = &parsedCommand{cmd: c, fs: fs}
		}
	}
	if r.flagless == nil {
		r.flagless = map[string]*parsedCommand{}
	}
	r.flagless[name] = pc
	return pc
}

// anyDashed reports whether an argument could be a flag (or "--").
func anyDashed(args []string) bool {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return true
		}
	}
	return false
}

// Pipelining says whether a script may send this line without waiting for
// the previous line's reply.
func (l *Line) Pipelining() Pipelining {
	if l.cmd == nil || l.cmd.Pipeline == nil || !l.argsOK() {
		return NotPipelined
	}
	return l.cmd.Pipeline(l.args)
}

func (l *Line) argsOK() bool { return l.cmd.argCountOK(len(l.args)) }

// argCountOK reports whether n positionals are acceptable: within the
// bounds, or more when the command ignores surplus ones.
func (c *Command) argCountOK(n int) bool {
	return n >= c.MinArgs && (c.MaxArgs < 0 || n <= c.MaxArgs || c.IgnoresExtraArgs)
}

// Execute runs a parsed line.
func (r *Registry) Execute(ctx context.Context, env *Env, l *Line) error {
	switch {
	case len(l.Argv) == 0:
		return nil
	case l.err != nil:
		return l.err
	case l.viaCobra:
		return ExecuteLine(ctx, env, l.Argv)
	case l.cmd == nil:
		return UnknownCommand(l.Argv[0], env.Mode)
	case !l.argsOK():
		return UsageError(l.cmd, "")
	}
	return l.cmd.run(ctx, env, l.fs, l.args)
}

// run runs c with its flags parsed into fs: flags without a JSON form are
// refused with -o json, relative paths made absolute.
func (c *Command) run(ctx context.Context, env *Env, fs *pflag.FlagSet, args []string) error {
	if env.JSON() {
		for _, t := range c.TextOnly {
			if f := fs.Lookup(t.Flag); f != nil && f.Changed {
				return UsageError(c, t.Msg)
			}
		}
	}
	if c.IgnoresExtraArgs && c.MaxArgs >= 0 && len(args) > c.MaxArgs {
		fmt.Fprintf(env.Err, "%s: ignored extra arguments: %s\n", c.Name, quoteArgs(args[c.MaxArgs:]))
		args = args[:c.MaxArgs]
	}
	if c.GCPercent > 0 && env.SetGCPercent != nil {
		defer env.SetGCPercent(c.GCPercent)()
	}
	return c.Run(ctx, env, c.resolveArgs(env, args))
}

// quoteArgs joins args for a message, quoting the empty and those with spaces.
func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n'\"") {
			out[i] = strconv.Quote(a)
		}
	}
	return strings.Join(out, " ")
}

// pipelinedUnless is p, or NotPipelined when barrier holds.
func pipelinedUnless(barrier bool, p Pipelining) Pipelining {
	if barrier {
		return NotPipelined
	}
	return p
}

// WithOutput is a copy of e writing to out and errw instead, with a printer
// of the same format and colours (a pipelined script line keeps its output
// until the lines before it have printed).
func (e *Env) WithOutput(out, errw io.Writer) *Env {
	c := *e
	c.Out, c.Err = out, errw
	c.Printer = nil
	if p, err := format.New(e.printer().Name(), out, errw, e.Colors.Style()); err == nil {
		c.Printer = p
	}
	return &c
}
