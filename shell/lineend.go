package shell

import (
	"context"
	"io"
	"os"
	"sync"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// endLines puts a lineEndWriter in front of the shell's stdout (and the
// printer, which holds its writer) when stdout is a file; restore undoes it.
func (sh *Shell) endLines() (w *lineEndWriter, restore func()) {
	f, ok := sh.env.Out.(*os.File)
	if !ok {
		return nil, func() {}
	}
	w = &lineEndWriter{f: f}
	printer := sh.env.Printer
	sh.env.Out = w
	if printer != nil {
		if p, err := format.New(sh.env.Output, w, sh.env.Err, sh.env.Colors.Style()); err == nil {
			sh.env.Printer = p
		}
	}
	return w, func() { sh.env.Out, sh.env.Printer = f, printer }
}

// lineEndWriter is the shell's stdout while it runs on a terminal: it
// remembers whether the last byte written was a newline, so that after a
// command whose output does not end with one (4lw ruok's "imok", a node's
// data) the shell adds it and the prompt starts on a line of its own.
// Fd keeps it a terminal to commands that ask.
type lineEndWriter struct {
	f     *os.File
	mu    sync.Mutex
	wrote bool
	last  byte
}

func (w *lineEndWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.f.Write(p)
	if n > 0 {
		w.wrote, w.last = true, p[n-1]
	}
	return n, err
}

// Fd is the terminal's descriptor.
func (w *lineEndWriter) Fd() uintptr { return w.f.Fd() }

// endLine ends a line left open since the last call.
func (w *lineEndWriter) endLine() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wrote && w.last != '\n' {
		w.f.Write([]byte{'\n'})
	}
	w.wrote = false
}

// waitNotice is the shell's notice for a line that waits for a connection:
// said once per line, on stderr.
func (sh *Shell) waitNotice() session.WaitNotice {
	var once sync.Once
	return func(target, reason string) {
		once.Do(func() {
			msg := "waiting for " + target
			if reason != "" {
				msg += " (" + reason + ")"
			}
			sh.termMu.Lock()
			defer sh.termMu.Unlock()
			io.WriteString(sh.env.Err, msg+"; Ctrl-C to cancel\n")
		})
	}
}

// runningLine is the line a terminal shell runs now: Ctrl-C (SIGINT)
// cancels it, and only it.
type runningLine struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// interrupt cancels the running line and reports whether there was one.
func (r *runningLine) interrupt() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel == nil {
		return false
	}
	r.cancel()
	return true
}

// runLine runs one entered line on a terminal: cancellable through r, with
// the waiting notice, its output ended with a newline. interrupted, when
// not nil, tells whether a Ctrl-C came before the line started.
func (sh *Shell) runLine(ctx context.Context, line string, r *runningLine, lineEnd *lineEndWriter, interrupted func() bool) int {
	cctx, cancel := context.WithCancel(session.WithWaitNotice(ctx, sh.waitNotice()))
	defer cancel()
	r.mu.Lock()
	r.cancel = cancel
	if interrupted != nil && interrupted() {
		cancel()
	}
	r.mu.Unlock()
	code := sh.st.run(cctx, line)
	if lineEnd != nil {
		lineEnd.endLine()
	}
	r.mu.Lock()
	r.cancel = nil
	r.mu.Unlock()
	sh.cache.InvalidateAll() // the line may have written anywhere
	return code
}
