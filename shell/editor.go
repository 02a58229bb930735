package shell

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
)

// lineEditor adds readline's editing to go-prompt without forking it. Every
// key read from the terminal passes through keys() before go-prompt sees
// it, in lockstep with go-prompt (the parser hands out the next key only
// after go-prompt has drawn the previous one), so the editor always knows
// the line as go-prompt holds it. It then
//   - turns readline's word and kill keys (Alt-b/f/d/Backspace, their
//     Esc-prefixed forms, Ctrl-Left/Right, Ctrl-W/K/U/Y) into a private key,
//     keySetLine, whose binding replaces go-prompt's line and cursor;
//   - runs Ctrl-R/Ctrl-S incremental history search (the prompt shows the
//     search; the line shows the match);
//   - swallows any key go-prompt does not know and would insert as text
//     (unknown escape sequences, stray control bytes, C1 controls), so no
//     control byte reaches a command or the history file.
type lineEditor struct {
	mu sync.Mutex
	// text and cur are go-prompt's line and cursor (a rune index) after the
	// last key, reported by the completer.
	text string
	cur  int
	// menuSelected: a completion candidate is selected (shown as preview);
	// go-prompt applies it on the next key other than Tab or arrows.
	menuSelected bool

	kill     string // the kill ring (one slot, as bash's default use)
	lastKill bool   // the previous key killed text: the next kill adds to it

	escPending bool       // a lone Esc was read: the next key is Meta-key
	edits      []lineEdit // queued for keySetLine, in key order
	onClear    func()     // Ctrl-L

	hist   []string // history for search, oldest first
	search *searchState
	// lastQuery is the previous search's text (Ctrl-R Ctrl-R reuses it).
	lastQuery string
}

// lineEdit is a line and cursor (rune index) for keySetLine to install.
type lineEdit struct {
	text string
	cur  int
}

// searchState is an incremental history search in progress.
type searchState struct {
	query   []rune
	reverse bool
	idx     int // history index of the match shown; len(hist) for none yet
	failed  bool
	orig    lineEdit // the line before the search (Ctrl-G restores it)
	match   lineEdit
}

// keySetLine is a private key: its binding installs the next queued
// lineEdit. Terminals do not send it; typed as is, it is swallowed.
var keySetLine = []byte("\x1b[99999~zkc")

func newLineEditor(hist []string) *lineEditor {
	return &lineEditor{hist: append([]string(nil), hist...)}
}

// addHistory records an entered line for search.
func (e *lineEditor) addHistory(line string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hist = append(e.hist, line)
}

// setLine is called by the completer with go-prompt's current line.
func (e *lineEditor) setLine(text string, cur int) {
	e.mu.Lock()
	e.text, e.cur = text, cur
	e.mu.Unlock()
}

func (e *lineEditor) searching() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.search != nil
}

// line is go-prompt's line and cursor after the last key.
func (e *lineEditor) line() (string, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.text, e.cur
}

func (e *lineEditor) setMenuSelected(on bool) {
	e.mu.Lock()
	e.menuSelected = on
	e.mu.Unlock()
}

// searchPrompt is the prompt shown while searching, "" otherwise.
func (e *lineEditor) searchPrompt() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.search
	if s == nil {
		return ""
	}
	var b strings.Builder
	b.WriteByte('(')
	if s.failed {
		b.WriteString("failed ")
	}
	if s.reverse {
		b.WriteString("reverse-")
	}
	b.WriteString("i-search)`")
	b.WriteString(string(s.query))
	b.WriteString("': ")
	return b.String()
}

// applyEdit is keySetLine's binding: it installs the next queued edit in
// go-prompt's buffer.
func (e *lineEditor) applyEdit(buf *prompt.Buffer) {
	e.mu.Lock()
	if len(e.edits) == 0 {
		e.mu.Unlock()
		return
	}
	ed := e.edits[0]
	e.edits = e.edits[1:]
	e.mu.Unlock()
	d := buf.Document()
	buf.DeleteBeforeCursor(utf8.RuneCountInString(d.TextBeforeCursor()))
	// Delete slices bytes by a rune count (a go-prompt quirk); with a count
	// of runes it still removes every rune after the cursor.
	buf.Delete(utf8.RuneCountInString(buf.Document().TextAfterCursor()))
	buf.InsertText(ed.text, false, true)
	buf.CursorLeft(utf8.RuneCountInString(ed.text) - ed.cur)
}

// Key sequences the editor handles itself.
var (
	seqAltB      = []byte("\x1bb")
	seqAltF      = []byte("\x1bf")
	seqAltD      = []byte("\x1bd")
	seqAltBS     = []byte("\x1b\x7f")
	seqAltCtrlH  = []byte("\x1b\x08")
	seqCtrlLeft  = [][]byte{[]byte("\x1b[1;5D"), []byte("\x1b[5D"), []byte("\x1bOd"), []byte("\x1b[1;3D"), []byte("\x1b\x1b[D")}
	seqCtrlRight = [][]byte{[]byte("\x1b[1;5C"), []byte("\x1b[5C"), []byte("\x1bOc"), []byte("\x1b[1;3C"), []byte("\x1b\x1b[C")}
	seqCtrlDel   = []byte("\x1b[3;5~")
	seqLeft      = [][]byte{[]byte("\x1b[D"), []byte("\x1bOD"), {0x02}}
	seqRight     = [][]byte{[]byte("\x1b[C"), []byte("\x1bOC"), {0x06}}
)

func isAny(k []byte, seqs [][]byte) bool {
	for _, s := range seqs {
		if bytes.Equal(k, s) {
			return true
		}
	}
	return false
}

// keys turns one key read from the terminal into the keys go-prompt gets
// (none, one or more). again is input to give to keys once more, before
// anything else, after go-prompt has drawn: the rest of an Esc-prefixed
// key, or the same key when go-prompt must first apply a selected
// completion (keyIgnore does that).
func (e *lineEditor) keys(raw []byte) (out [][]byte, again []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(raw) == 0 || bytes.Equal(raw, keyIgnore) {
		return [][]byte{raw}, nil // the shell's own redraw key
	}
	if bytes.Equal(raw, keySetLine) || (len(raw) == 1 && raw[0] == 0) {
		return nil, nil
	}
	// A lone Esc followed by a key is that key with Meta (Esc b = Alt-b).
	if e.escPending {
		e.escPending = false
		// Esc then a printable key, Backspace or an escape sequence's
		// rest; Esc then Enter, Tab or another control key is just that key.
		if raw[0] >= 0x20 || raw[0] == 0x08 {
			raw = append([]byte{0x1b}, raw...)
			if n := keyLen(raw); n > 0 && n < len(raw) {
				raw, again = raw[:n], raw[n:]
			}
		}
	}
	out, replay := e.keysLocked(raw)
	if replay {
		again = append(append([]byte(nil), raw...), again...)
	}
	return out, again
}

func (e *lineEditor) keysLocked(raw []byte) (out [][]byte, replay bool) {
	if e.search != nil {
		return e.searchKey(raw)
	}
	if len(raw) == 1 && raw[0] == 0x1b {
		e.escPending = true
		return nil, false
	}
	wasKill := e.lastKill
	e.lastKill = false
	t := []rune(e.text)
	cur := min(max(e.cur, 0), len(t))
	edit := func(text []rune, c int) ([][]byte, bool) {
		if string(text) == e.text && c == cur {
			return nil, false
		}
		e.edits = append(e.edits, lineEdit{text: string(text), cur: c})
		e.text, e.cur = string(text), c
		return [][]byte{keySetLine}, false
	}
	killed := func(s string, before bool) {
		switch {
		case !wasKill:
			e.kill = s
		case before:
			e.kill = s + e.kill
		default:
			e.kill += s
		}
		e.lastKill = true
	}
	isEdit := true
	switch {
	case bytes.Equal(raw, seqAltB), isAny(raw, seqCtrlLeft),
		bytes.Equal(raw, seqAltF), isAny(raw, seqCtrlRight),
		bytes.Equal(raw, seqAltD), bytes.Equal(raw, seqCtrlDel),
		bytes.Equal(raw, seqAltBS), bytes.Equal(raw, seqAltCtrlH),
		len(raw) == 1 && (raw[0] == 0x17 || raw[0] == 0x0b || raw[0] == 0x15 || raw[0] == 0x19 || raw[0] == 0x12 || raw[0] == 0x13):
	default:
		isEdit = false
	}
	if isEdit && e.menuSelected {
		// Let go-prompt apply the shown candidate first, then edit that.
		e.lastKill = wasKill
		e.menuSelected = false
		return [][]byte{keyIgnore}, true
	}
	switch {
	case bytes.Equal(raw, seqAltB) || isAny(raw, seqCtrlLeft):
		return edit(t, wordLeft(t, cur))
	case bytes.Equal(raw, seqAltF) || isAny(raw, seqCtrlRight):
		return edit(t, wordRight(t, cur))
	case bytes.Equal(raw, seqAltD) || bytes.Equal(raw, seqCtrlDel):
		end := wordRight(t, cur)
		killed(string(t[cur:end]), false)
		return edit(cat(t[:cur], t[end:]), cur)
	case bytes.Equal(raw, seqAltBS) || bytes.Equal(raw, seqAltCtrlH):
		start := wordLeft(t, cur)
		killed(string(t[start:cur]), true)
		return edit(cat(t[:start], t[cur:]), start)
	}
	// Left and Right step over a character with its combining marks
	// (go-prompt's cursor would stop between them); elsewhere go-prompt
	// moves.
	if !e.menuSelected {
		switch {
		case isAny(raw, seqLeft) && cur > 0 && unicode.IsMark(t[cur-1]):
			c := cur - 1
			for c > 0 && unicode.IsMark(t[c]) {
				c--
			}
			return edit(t, c)
		case isAny(raw, seqRight) && cur+1 < len(t) && unicode.IsMark(t[cur+1]):
			c := cur + 1
			for c < len(t) && unicode.IsMark(t[c]) {
				c++
			}
			return edit(t, c)
		}
	}
	if len(raw) == 1 {
		switch raw[0] {
		case 0x17: // Ctrl-W: unix-word-rubout, back to whitespace
			start := spaceWordLeft(t, cur)
			killed(string(t[start:cur]), true)
			return edit(cat(t[:start], t[cur:]), start)
		case 0x0b: // Ctrl-K
			killed(string(t[cur:]), false)
			return edit(t[:cur:cur], cur)
		case 0x15: // Ctrl-U
			killed(string(t[:cur]), true)
			return edit(t[cur:], 0)
		case 0x19: // Ctrl-Y
			k := []rune(e.kill)
			return edit(cat(t[:cur], k, t[cur:]), cur+len(k))
		case 0x0c: // Ctrl-L: the screen clears and draws the line again
			if e.onClear != nil {
				go e.onClear() // it takes the terminal lock: not under e.mu
			}
			return nil, false
		case 0x12, 0x13: // Ctrl-R, Ctrl-S
			e.search = &searchState{reverse: raw[0] == 0x12, idx: len(e.hist),
				orig: lineEdit{e.text, cur}, match: lineEdit{e.text, cur}}
			return e.showSearch()
		}
	}
	return e.plainKey(raw), false
}

// plainKey passes a key go-prompt handles itself, or text, and swallows
// anything it would insert that is not printable text.
func (e *lineEditor) plainKey(raw []byte) [][]byte {
	if prompt.GetKey(raw) != prompt.NotDefined {
		return [][]byte{raw}
	}
	if raw[0] == 0x1b || raw[0] < 0x20 || raw[0] == 0x7f {
		return nil // an escape sequence or control byte go-prompt does not know
	}
	if s := printable(raw); s != "" {
		return [][]byte{[]byte(s)}
	}
	return nil
}

// printable keeps the printable runes of b: no C0/C1 controls, no invalid
// UTF-8.
func printable(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if r == utf8.RuneError && n <= 1 {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// searchKey handles a key during incremental search.
func (e *lineEditor) searchKey(raw []byte) ([][]byte, bool) {
	s := e.search
	if len(raw) == 1 {
		switch c := raw[0]; c {
		case 0x12, 0x13: // Ctrl-R older, Ctrl-S newer
			s.reverse = c == 0x12
			if len(s.query) == 0 && e.lastQuery != "" {
				s.query = []rune(e.lastQuery)
				e.find(s.idx, true)
			} else {
				e.find(s.idx, false)
			}
			return e.showSearch()
		case 0x7f, 0x08: // Backspace: shorten the query, search again
			if len(s.query) > 0 {
				s.query = s.query[:len(s.query)-1]
			}
			s.failed = false
			s.match = s.orig
			if len(s.query) > 0 {
				e.find(len(e.hist), true)
			}
			return e.showSearch()
		case '\r', '\n': // Enter: run the match
			out, _ := e.endSearch(s.match)
			return append(out, []byte{'\r'}), false
		case 0x07: // Ctrl-G: back to the line before the search
			return e.endSearch(s.orig)
		case 0x1b: // Esc: edit the match
			return e.endSearch(s.match)
		case 0x03: // Ctrl-C: as at the prompt, the line is dropped
			out, _ := e.endSearch(s.orig)
			return append(out, []byte{0x03}), false
		}
	}
	if raw[0] >= 0x20 && raw[0] != 0x7f {
		if q := printable(raw); q != "" {
			s.query = append(s.query, []rune(q)...)
			e.find(s.idx, true)
			return e.showSearch()
		}
		return nil, false
	}
	// Any other key ends the search on the match and then does its work.
	out, _ := e.endSearch(s.match)
	more, replay := e.keysLocked(raw)
	if replay {
		return out, true
	}
	return append(out, more...), false
}

// find looks for the query from history index from (inclusive when
// includeFrom) in the search's direction; on failure the match stays.
func (e *lineEditor) find(from int, includeFrom bool) {
	s := e.search
	q := string(s.query)
	if q == "" {
		return
	}
	step := -1
	if !s.reverse {
		step = 1
	}
	i := from
	if !includeFrom {
		i += step
	} else if i >= len(e.hist) && s.reverse {
		i = len(e.hist) - 1
	}
	for ; i >= 0 && i < len(e.hist); i += step {
		h := e.hist[i]
		// Skip a line equal to the one shown, as bash does not for
		// duplicates, which only makes Ctrl-R seem stuck.
		if j := strings.LastIndex(h, q); j >= 0 && (i == from && includeFrom || h != s.match.text) {
			s.idx, s.failed = i, false
			s.match = lineEdit{text: h, cur: utf8.RuneCountInString(h[:j])}
			return
		}
	}
	s.failed = true
}

// showSearch installs the match (or the original line) for go-prompt to
// draw under the search prompt.
func (e *lineEditor) showSearch() ([][]byte, bool) {
	m := e.search.match
	e.edits = append(e.edits, lineEdit{m.text, m.cur})
	e.text, e.cur = m.text, m.cur
	return [][]byte{keySetLine}, false
}

func (e *lineEditor) endSearch(l lineEdit) ([][]byte, bool) {
	if len(e.search.query) > 0 {
		e.lastQuery = string(e.search.query)
	}
	e.search = nil
	e.edits = append(e.edits, l)
	e.text, e.cur = l.text, l.cur
	return [][]byte{keySetLine}, false
}

func cat(parts ...[]rune) []rune {
	var out []rune
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Readline's words are letters and digits (with their combining marks):
// Alt-b in "get /deep/alpha" stops at "alpha", then "deep".
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func wordLeft(t []rune, c int) int {
	for c > 0 && !isWordRune(t[c-1]) {
		c--
	}
	for c > 0 && isWordRune(t[c-1]) {
		c--
	}
	return c
}

func wordRight(t []rune, c int) int {
	for c < len(t) && !isWordRune(t[c]) {
		c++
	}
	for c < len(t) && isWordRune(t[c]) {
		c++
	}
	return c
}

// spaceWordLeft is Ctrl-W's word: back over blanks, then non-blanks.
func spaceWordLeft(t []rune, c int) int {
	for c > 0 && unicode.IsSpace(t[c-1]) {
		c--
	}
	for c > 0 && !unicode.IsSpace(t[c-1]) {
		c--
	}
	return c
}
