package shell

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	runewidth "github.com/mattn/go-runewidth"
)

// menuItem is one completion candidate as the shell shows it: the word as
// it will be inserted (quoted when needed), its description, and the whole
// text before the cursor once it is inserted (what go-prompt inserts).
type menuItem struct {
	word, desc, full string
}

// screen draws the prompt, the edited line and the candidates for the
// terminal's real width and height, and remembers where it left the cursor
// so that the next drawing (or an event printed above) starts from the
// prompt's first row. It lays wide characters out as terminals do (one
// that does not fit in the last column goes to the next row) and breaks
// rows itself, so the cursor is never off by a column.
type screen struct {
	out   io.Writer
	size  func() (cols, rows int)
	color bool
	// promptColor paints part of the prompt (its state word): the byte range
	// and the SGR sequence, or ok false.
	promptColor func(prompt string) (start, end int, sgr string, ok bool)
	// items is the candidate list behind the last completer call; doc the
	// line and cursor go-prompt holds; selected tells the editor whether a
	// candidate is selected.
	items    func() []menuItem
	doc      func() (string, int)
	selected func(bool)

	crlf      bool // the terminal does not turn "\n" into "\r\n"
	clearNext bool // Ctrl-L: the next drawing clears the screen first

	drawn     bool
	cursorRow int   // the cursor's row, counted from the prompt's first row
	cursorCol int   // its column
	rowWidths []int // widths of the rows above the cursor's
	cols      int   // the width the last drawing was made for
	menuTop   int   // first candidate shown
	last      lastDrawing
}

// lastDrawing is what the screen shows, to draw again after a resize or an
// event without asking go-prompt (whose redraw key would take a selected
// candidate into the line).
type lastDrawing struct {
	ok           bool
	prompt, text string
	cur          int
	items        []menuItem
	sel          int
}

// nl moves to the start of the next row: "\n" when the terminal adds the
// carriage return itself (ONLCR, as usual), so the output reads as plain
// lines.
func (s *screen) nl() string {
	if s.crlf {
		return "\r\n"
	}
	return "\n"
}

// maxMenuRows is how many candidates show at once.
const maxMenuRows = 8

type glyph struct {
	s     string
	w     int
	style string
}

type pos struct{ row, col int }

// glyphs turns text into cells: one per rune of width 1 or 2, zero-width
// runes (combining marks) joined to the one before, control characters
// shown as "?".
func glyphs(text string, style string, gs []glyph, runeGlyph []int) ([]glyph, []int) {
	for _, r := range text {
		w := runewidth.RuneWidth(r)
		s := string(r)
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			s, w = "?", 1
		}
		if w == 0 && len(gs) > 0 {
			gs[len(gs)-1].s += s
			runeGlyph = append(runeGlyph, -(len(gs)-1)-1) // inside the previous glyph
			continue
		}
		runeGlyph = append(runeGlyph, len(gs))
		gs = append(gs, glyph{s: s, w: w, style: style})
	}
	return gs, runeGlyph
}

// layout places glyphs on rows of width cols; ps[i] is where glyph i
// starts, ps[len(gs)] where the cursor is after the last one.
func layout(gs []glyph, cols int) []pos {
	ps := make([]pos, len(gs)+1)
	row, col := 0, 0
	for i, g := range gs {
		if col >= cols || col+g.w > cols {
			row, col = row+1, 0
		}
		ps[i] = pos{row, col}
		col += g.w
	}
	if col >= cols {
		row, col = row+1, 0
	}
	ps[len(gs)] = pos{row, col}
	return ps
}

// drawFrame draws what go-prompt's Render meant.
func (s *screen) drawFrame(f frameCapture) {
	items := s.items()
	sel := -1
	if f.selTag != "" {
		if i, err := strconv.Atoi(strings.TrimPrefix(f.selTag, "#")); err == nil && i >= 0 && i < len(items) {
			sel = i
		}
	}
	text := f.text
	cur := cursorFromBack(text, f.back)
	if dt, dc := s.doc(); dt == text && dc >= 0 && dc <= utf8.RuneCountInString(text) {
		cur = dc
	}
	if sel >= 0 {
		// go-prompt previews the selected candidate in the line.
		after := string([]rune(text)[cur:])
		text = items[sel].full + after
		cur = utf8.RuneCountInString(items[sel].full)
	}
	var shown []menuItem
	if f.rows > 0 {
		shown = items
	}
	s.draw(f.prompt, text, cur, shown, sel)
	if s.selected != nil {
		s.selected(sel >= 0)
	}
}

// cursorFromBack finds the rune index that has back display columns after it.
func cursorFromBack(text string, back int) int {
	r := []rune(text)
	i, w := len(r), 0
	for i > 0 && w < back {
		i--
		w += runewidth.RuneWidth(r[i])
	}
	return i
}

// toTop moves from the cursor to the prompt's first row and erases from
// there down. After a resize the rows above the cursor may have been
// re-wrapped by the terminal to the new width (tmux, VTE, kitty do): they
// are counted at that width.
func (s *screen) toTop(b *strings.Builder, cols int) {
	if s.drawn {
		up := s.cursorRow
		if cols != s.cols && cols > 0 {
			up = 0
			for _, w := range s.rowWidths {
				up += max(1, (w+cols-1)/cols)
			}
			up += s.cursorCol / cols
		}
		if up > 0 {
			fmt.Fprintf(b, "\x1b[%dA", up)
		}
	}
	b.WriteString("\r\x1b[J")
	s.drawn = false
}

// erase clears the drawn prompt, line and candidates, leaving the cursor at
// the start of the prompt's row (events print there; the next drawing
// starts below them).
func (s *screen) erase() {
	if !s.drawn {
		return
	}
	cols, _ := s.size()
	var b strings.Builder
	s.toTop(&b, cols)
	io.WriteString(s.out, b.String())
}

// finish draws the entered line for good and moves to the next row.
func (s *screen) finish(prompt, text string) {
	s.draw(prompt, text, utf8.RuneCountInString(text), nil, -1)
	io.WriteString(s.out, s.nl())
	s.drawn, s.last = false, lastDrawing{}
	s.menuTop = 0
}

// redraw draws the last drawing again for the terminal's size now, with
// prompt as the prompt unless a search prompt is shown.
func (s *screen) redraw(prompt string) {
	l := s.last
	if !l.ok {
		return
	}
	if strings.HasPrefix(l.prompt, "[zk: ") && prompt != "" {
		l.prompt = prompt
	}
	s.draw(l.prompt, l.text, l.cur, l.items, l.sel)
}

func (s *screen) draw(prompt, text string, cur int, items []menuItem, sel int) {
	s.last = lastDrawing{ok: true, prompt: prompt, text: text, cur: cur, items: items, sel: sel}
	cols, rows := s.size()
	if cols < 2 {
		cols = 2
	}
	var b strings.Builder
	if s.clearNext {
		b.WriteString("\x1b[H\x1b[2J")
		s.drawn, s.clearNext = false, false
	}
	s.toTop(&b, cols)

	pstyle := ""
	var gs []glyph
	var runeGlyph []int
	if s.color && s.promptColor != nil {
		if st, en, sgr, ok := s.promptColor(prompt); ok {
			gs, _ = glyphs(prompt[:st], "", gs, nil)
			gs, _ = glyphs(prompt[st:en], sgr, gs, nil)
			gs, _ = glyphs(prompt[en:], "", gs, nil)
			pstyle = "set"
		}
	}
	if pstyle == "" {
		gs, _ = glyphs(prompt, "", gs, nil)
	}
	gs, runeGlyph = glyphs(text, "", gs, nil)
	ps := layout(gs, cols)

	// Where the cursor goes: before the glyph of rune cur (after it when
	// cur is a combining mark inside it); runeGlyph holds glyph indices.
	cp := ps[len(gs)]
	if cur < len(runeGlyph) {
		if g := runeGlyph[cur]; g >= 0 {
			cp = ps[g]
		} else {
			cp = ps[-g] // after glyph -g-1
		}
	}

	// A line taller than the screen shows in part, the rows up to the
	// cursor's: a terminal cannot move the cursor above its top row to
	// draw the rest again, and a long paste then costs a screenful per key,
	// not the whole line.
	end := ps[len(gs)]
	first, last := 0, end.row
	if h := max(rows-1, 1); end.row+1 > h {
		first = max(0, cp.row-h+1)
		last = first + h - 1
	}
	row, style := first, ""
	for i, g := range gs {
		if ps[i].row < first {
			continue
		}
		if ps[i].row > last {
			break
		}
		if ps[i].row > row {
			if style != "" {
				b.WriteString("\x1b[0m")
				style = ""
			}
			b.WriteString(s.nl())
			row = ps[i].row
		}
		if g.style != style {
			if g.style == "" {
				b.WriteString("\x1b[0m")
			} else {
				b.WriteString(g.style)
			}
			style = g.style
		}
		b.WriteString(g.s)
	}
	if style != "" {
		b.WriteString("\x1b[0m")
	}
	atEnd := end.row <= last
	if atEnd && end.row > row {
		b.WriteString(s.nl())
		row = end.row
	}

	// Candidates, below the line, as many as fit.
	n := min(len(items), maxMenuRows, rows-(row-first+1))
	if n < 0 {
		n = 0
	}
	if sel < 0 || n == 0 {
		s.menuTop = 0
	} else {
		if sel < s.menuTop {
			s.menuTop = sel
		}
		if sel >= s.menuTop+n {
			s.menuTop = sel - n + 1
		}
		s.menuTop = min(s.menuTop, max(0, len(items)-n))
	}
	if n > 0 {
		s.writeMenu(&b, items, sel, n, cols)
		row += n
	}

	// Back to the cursor, unless it is there already (the end of the line).
	if !atEnd || n > 0 || cp != end {
		if up := row - cp.row; up > 0 {
			fmt.Fprintf(&b, "\x1b[%dA", up)
		}
		b.WriteString("\r")
		if cp.col > 0 {
			fmt.Fprintf(&b, "\x1b[%dC", cp.col)
		}
	}
	io.WriteString(s.out, b.String())

	s.drawn, s.cols = true, cols
	s.cursorRow, s.cursorCol = cp.row-first, cp.col
	s.rowWidths = s.rowWidths[:0]
	for r := first; r < cp.row; r++ {
		s.rowWidths = append(s.rowWidths, 0)
	}
	for i, g := range gs {
		if r := ps[i].row; r >= first && r < cp.row {
			s.rowWidths[r-first] = ps[i].col + g.w
		}
	}
}

// writeMenu writes n candidate rows from menuTop: the selected one marked
// with ">" and in reverse video (visible without colour), descriptions
// when there is room, nothing wider than cols-1.
func (s *screen) writeMenu(b *strings.Builder, items []menuItem, sel, n, cols int) {
	textW := 0
	for _, it := range items {
		textW = max(textW, runewidth.StringWidth(sanitize(it.word)))
	}
	textW = min(textW, cols-3)
	descW := cols - 1 - 2 - textW - 2
	for i := s.menuTop; i < s.menuTop+n; i++ {
		it := items[i]
		mark := "  "
		if i == sel {
			mark = "> "
		}
		line := mark + fit(sanitize(it.word), textW)
		if d := sanitize(it.desc); d != "" && descW >= 8 {
			line += "  " + runewidth.Truncate(d, descW, "...")
		}
		line = strings.TrimRight(line, " ")
		b.WriteString(s.nl())
		if i == sel {
			b.WriteString("\x1b[7m" + line + "\x1b[27m")
		} else {
			b.WriteString(line)
		}
	}
}

// fit truncates or pads s to width w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if runewidth.StringWidth(s) > w {
		s = runewidth.Truncate(s, w, "...")
	}
	return runewidth.FillRight(s, w)
}

// sanitize replaces control characters with "?" for display.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}
