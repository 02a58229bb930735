package app

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/format"
)

// isTerminal reports whether a stream is a terminal: the one check zkc
// makes, for each of stdin, stdout and stderr (Env.InTTY, Env.OutTTY, the
// palette, progress). Streams without a file descriptor (buffers, pipes
// wrapped by tests) are not.
func isTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// colorDecision says, per stream, whether to colour. fatih/color decides
// once from stdout alone, so zkc decides itself: --color=never turns colour
// off, --color=always on (for `| less -R`); auto colours a stream only when
// it is a terminal, NO_COLOR is unset or empty and TERM is not "dumb".
func colorDecision(mode string, getenv func(string) string, outTTY, errTTY bool) (out, errs bool, err error) {
	switch mode {
	case "never":
		return false, false, nil
	case "always":
		return true, true, nil
	case "auto", "":
		if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
			return false, false, nil
		}
		return outTTY, errTTY, nil
	}
	return false, false, commands.Errorf(commands.ExitUsage, "--color must be auto, always or never, not %q", mode)
}

// paint returns a function colouring with attrs, on or off for its stream
// regardless of fatih/color's global (stdout-only) decision.
func paint(on bool, attrs ...color.Attribute) func(string) string {
	if !on {
		return func(s string) string { return s }
	}
	c := color.New(attrs...)
	c.EnableColor()
	return func(s string) string { return c.Sprint(s) }
}

// newPalette builds the palette from the per-stream decision: Error is for
// stderr, the rest for stdout.
func newPalette(out, errs bool) commands.Palette {
	return commands.Palette{
		Error:    paint(errs, color.FgRed),
		Key:      paint(out, color.FgCyan),
		Dir:      paint(out, color.FgBlue, color.Bold),
		Good:     paint(out, color.FgGreen),
		Warn:     paint(out, color.FgYellow),
		Bad:      paint(out, color.FgRed),
		Emphasis: paint(out, color.Bold),
		StdoutOn: out,
	}
}

// earlyColorFlag finds --color among the global options before the command,
// for errors printed before the flags are parsed (unknown command). global
// tells which options take a value.
func earlyColorFlag(args []string, global *pflag.FlagSet) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "color" {
			if hasValue {
				return value
			}
			if i+1 < len(args) {
				return args[i+1]
			}
		}
		f := global.Lookup(name)
		if f == nil && len(name) == 1 {
			f = global.ShorthandLookup(name)
		}
		if f != nil && f.NoOptDefVal == "" && !hasValue {
			i++ // skip the option's value
		}
	}
	return "auto"
}

// Progress line timing: nothing for work that ends within progressDelay,
// then at most one redraw per progressEvery.
const (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// progressLine is a single status line on a terminal stderr, redrawn in
// place with '\r' and blanked with spaces (no escape sequences, so it works
// on any terminal).
type progressLine struct {
	w     io.Writer
	now   func() time.Time
	mu    sync.Mutex
	start time.Time
	last  time.Time
	width int // characters currently shown; 0 when the line is clear
}

func newProgressLine(w io.Writer) *progressLine {
	return &progressLine{w: w, now: time.Now}
}

// Update is commands.Env.Progress: done < 0 clears the line.
func (p *progressLine) Update(done, total int, what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < 0 {
		p.clearLocked()
		return
	}
	now := p.now()
	if p.start.IsZero() {
		p.start = now
	}
	if now.Sub(p.start) < progressDelay || (p.width > 0 && now.Sub(p.last) < progressEvery) {
		return
	}
	p.last = now
	var s string
	if total > 0 {
		s = fmt.Sprintf("%d/%d %s (%d%%)", done, total, what, done*100/total)
	} else {
		s = fmt.Sprintf("%d %s", done, what)
	}
	pad := ""
	if n := p.width - len(s); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(p.w, "\r"+s+pad)
	p.width = len(s)
}

// Clear blanks the line.
func (p *progressLine) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progressLine) clearLocked() {
	if p.width > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
	}
	p.width = 0
}

// terminalSetup holds what zkc decided about the terminal for this run.
type terminalSetup struct {
	stdio          Stdio
	outTTY, errTTY bool
	progress       *progressLine
}

// setupTerminal decides colour (from the --color value found before
// parsing, for early errors) and progress, and sets them on env.
func setupTerminal(env *commands.Env, stdio Stdio, colorFlag string) *terminalSetup {
	t := &terminalSetup{stdio: stdio, outTTY: isTerminal(stdio.Out), errTTY: isTerminal(stdio.Err)}
	env.OutTTY = t.outTTY
	env.InTTY = isTerminal(stdio.In)
	if t.errTTY {
		t.progress = newProgressLine(stdio.Err)
		env.Progress = t.progress.Update
	}
	_ = t.configure(env, colorFlag, "text") // a bad value is reported once parsed
	return t
}

// configure applies the parsed --color and -o values: the palette per
// stream and the run's one printer.
func (t *terminalSetup) configure(env *commands.Env, colorFlag, output string) error {
	out, errs, err := colorDecision(colorFlag, t.stdio.Getenv, t.outTTY, t.errTTY)
	if err != nil {
		return err
	}
	env.Colors = newPalette(out, errs)
	p, err := format.New(output, env.Out, env.Err, env.Colors.Style())
	if err != nil {
		return commands.Errorf(commands.ExitUsage, "-o must be text or json, not %q", output)
	}
	env.Output, env.Printer = output, p
	return nil
}

// finish clears a progress line left by the last command.
func (t *terminalSetup) finish() {
	if t.progress != nil {
		t.progress.Clear()
	}
}
