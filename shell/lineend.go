package shell

import (
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
