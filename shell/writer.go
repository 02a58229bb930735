package shell

import (
	"sync"

	prompt "github.com/c-bata/go-prompt"
)

// termWriter is go-prompt's ConsoleWriter with two changes: every flush to
// the terminal holds the shell's terminal lock, so async event output never
// lands in the middle of a redraw; and colour follows zkc's decision
// (NO_COLOR, --color): go-prompt's own colours are dropped when it is off,
// and the prompt's state word is painted when it is on.
type termWriter struct {
	prompt.ConsoleWriter
	mu    *sync.Mutex
	color bool
	// prefix returns the plain prompt and its coloured form.
	prefix func() (plain, colored string)
}

func (w *termWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ConsoleWriter.Flush()
}

func (w *termWriter) SetColor(fg, bg prompt.Color, bold bool) {
	if w.color {
		w.ConsoleWriter.SetColor(fg, bg, bold)
	}
}

// WriteStr strips control sequences (go-prompt's safety) except for the
// prompt, which zkc colours itself.
func (w *termWriter) WriteStr(s string) {
	if w.color && w.prefix != nil {
		if plain, colored := w.prefix(); s == plain {
			w.ConsoleWriter.WriteRawStr(colored)
			return
		}
	}
	w.ConsoleWriter.WriteStr(s)
}
