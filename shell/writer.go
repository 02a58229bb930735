package shell

import (
	"strings"
	"sync"

	prompt "github.com/c-bata/go-prompt"
)

// termWriter is zkc's go-prompt ConsoleWriter. go-prompt's renderer lays
// out with a column count (cursor%cols) that is wrong for wide characters
// at the wrap point, gives up on narrow terminals ("too small", or no
// candidates at 40 columns), never hears of a resize while reading a line,
// and sets the window title. So the writer does not pass go-prompt's bytes
// on: it reads from each drawing what go-prompt means — prompt, line,
// cursor, whether candidates are shown and which is selected — and the
// screen draws that for the terminal's real size. go-prompt is told the
// window is huge (ttyParser.GetWinSize) so that it never wraps or
// truncates itself.
//
// A drawing, as go-prompt's Render writes it: the prefix, the line, an
// erase, a move back over the text after the cursor (its width), then per
// candidate row a move down, a colour (bold for the selected row) and the
// row's text, description and scrollbar cells. BreakLine writes the prefix
// and the line ending in "\n". Every flush holds the shell's terminal lock,
// so event output never lands inside a drawing.
type termWriter struct {
	mu *sync.Mutex
	sc *screen
	// frameDone is called after each drawing of a line being edited (not
	// after BreakLine), with the selected candidate's row or -1.
	frameDone func()

	fr frameCapture
}

// frameCapture is what one drawing says.
type frameCapture struct {
	stage    int // 0 nothing, 1 prefix, 2 line, 3 erased (cursor move next), 4 rows
	prompt   string
	text     string
	back     int // display columns after the cursor
	haveBack bool
	rows     int
	inRow    bool
	selTag   string // description cell of the bold (selected) row
	selRow   bool
	cells    int
}

var _ prompt.ConsoleWriter = (*termWriter)(nil)

func (w *termWriter) WriteRaw(data []byte)    { w.WriteStr(string(data)) }
func (w *termWriter) Write(data []byte)       { w.WriteStr(string(data)) }
func (w *termWriter) WriteRawStr(data string) { w.WriteStr(data) }

func (w *termWriter) WriteStr(s string) {
	f := &w.fr
	switch f.stage {
	case 0:
		f.prompt, f.stage = s, 1
	case 1:
		f.text, f.stage = s, 2
	default:
		if f.inRow {
			f.cells++
			if f.cells == 2 && f.selRow {
				f.selTag = strings.TrimSpace(s)
			}
		}
	}
}

func (w *termWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := w.fr
	w.fr = frameCapture{}
	if f.stage < 2 {
		return nil
	}
	if strings.HasSuffix(f.text, "\n") {
		w.sc.finish(f.prompt, strings.TrimSuffix(f.text, "\n"))
		return nil
	}
	w.sc.drawFrame(f)
	if w.frameDone != nil {
		w.frameDone()
	}
	return nil
}

func (w *termWriter) EraseDown() {
	if w.fr.stage == 2 {
		w.fr.stage = 3
	}
}

func (w *termWriter) CursorBackward(n int) {
	if w.fr.stage == 3 && !w.fr.haveBack {
		w.fr.back, w.fr.haveBack = n, true
	}
}

func (w *termWriter) CursorDown(n int) {
	if w.fr.stage >= 3 && n > 0 {
		w.fr.stage = 4
		w.fr.rows++
		w.fr.inRow, w.fr.selRow, w.fr.cells = true, false, 0
	}
}

func (w *termWriter) CursorUp(n int) {
	if w.fr.stage == 4 && n > 0 {
		w.fr.inRow = false
	}
}

func (w *termWriter) SetColor(fg, bg prompt.Color, bold bool) {
	if w.fr.inRow && bold && w.fr.cells == 0 {
		w.fr.selRow = true
	}
}

// The rest of go-prompt's drawing vocabulary carries nothing the screen
// needs; the title is never touched.
func (w *termWriter) EraseScreen()            {}
func (w *termWriter) EraseUp()                {}
func (w *termWriter) EraseStartOfLine()       {}
func (w *termWriter) EraseEndOfLine()         {}
func (w *termWriter) EraseLine()              {}
func (w *termWriter) ShowCursor()             {}
func (w *termWriter) HideCursor()             {}
func (w *termWriter) CursorGoTo(row, col int) {}
func (w *termWriter) CursorForward(n int)     {}
func (w *termWriter) AskForCPR()              {}
func (w *termWriter) SaveCursor()             {}
func (w *termWriter) UnSaveCursor()           {}
func (w *termWriter) ScrollDown()             {}
func (w *termWriter) ScrollUp()               {}
func (w *termWriter) SetTitle(string)         {}
func (w *termWriter) ClearTitle()             {}
