package shell

import (
	"bytes"
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
	"golang.org/x/sys/unix"
)

// ttyParser is zkc's go-prompt ConsoleParser. It fixes go-prompt's terminal
// bugs without forking it (design-notes.md):
//   - it saves the terminal's modes once and restores exactly those in
//     TearDown (go-prompt calls it before running a line, so commands run in
//     cooked mode and Ctrl-C raises SIGINT) and in Restore at exit;
//   - it never sets O_NONBLOCK on stdin (go-prompt's parser does, and leaves
//     the login shell's stdin broken if killed): reads wait in poll(2) with
//     a timeout instead;
//   - it returns one key per Read (a run of text, one control byte or one
//     escape sequence), so pasted or fast input ("ls /\rget /x\r") is typed
//     key by key, and after Enter it holds further input until the next
//     Setup, so the following lines are not swallowed by a prompt that is
//     already returning;
//   - other goroutines can inject keys (Inject) to make go-prompt redraw or
//     leave its loop, waking the poll through a pipe.
type ttyParser struct {
	fd   int
	orig unix.Termios

	wakeR, wakeW int

	mu         sync.Mutex
	pending    []byte
	injected   [][]byte
	hold       bool
	active     bool
	lastKey    []byte
	lineEmpty  bool // the buffer was empty after the last key (from the completer)
	onActivate func(bool)

	// ed filters keys (readline editing, search, unknown sequences); out
	// holds the keys it produced that go-prompt has not had yet.
	ed  *lineEditor
	out [][]byte
	// After handing out a key the parser waits until go-prompt has drawn
	// (ack, from the writer) before the next, so the editor sees go-prompt's
	// line as it is; ackBy bounds the wait should a draw not come.
	awaitAck bool
	ackBy    time.Time
}

// ackTimeout bounds the wait for go-prompt to draw after a key.
const ackTimeout = 300 * time.Millisecond

// errNoInput tells go-prompt's reader that nothing was typed (it then sleeps
// 10ms and asks again).
var errNoInput = errors.New("no input")

// keyIgnore is a key go-prompt knows and binds to nothing; it still makes
// go-prompt render the line again.
var keyIgnore = []byte{0x1b, '[', 'E'}

// pollTimeout bounds a Read; it only matters if go-prompt stops its reader
// without an Enter, Ctrl-D or injected key before it.
const pollTimeout = 200 * time.Millisecond

func newTTYParser(fd int) (*ttyParser, error) {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return nil, err
	}
	return &ttyParser{fd: fd, orig: *t, wakeR: p[0], wakeW: p[1], lineEmpty: true}, nil
}

// Setup puts the terminal in raw mode for line editing (as go-prompt does:
// output processing stays on, so "\n" still moves to a new line).
func (t *ttyParser) Setup() error {
	raw := t.orig
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Lflag &^= unix.ECHO | unix.ICANON | unix.IEXTEN | unix.ISIG | unix.ECHONL
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN] = 1
	raw.Cc[unix.VTIME] = 0
	err := unix.IoctlSetTermios(t.fd, unix.TCSETS, &raw)
	t.mu.Lock()
	t.hold, t.active, t.lineEmpty, t.awaitAck = false, true, true, false
	cb := t.onActivate
	t.mu.Unlock()
	if cb != nil {
		cb(true)
	}
	return err
}

// TearDown restores the saved modes (before a command runs, and at exit).
// Keys typed since Enter are read first, while they are still plain bytes:
// a Ctrl-C among them is for the command about to run (takeInterrupt);
// after the switch the terminal turns Ctrl-C into SIGINT itself.
func (t *ttyParser) TearDown() error {
	t.drain()
	t.mu.Lock()
	t.active = false
	cb := t.onActivate
	t.mu.Unlock()
	if cb != nil {
		cb(false)
	}
	return t.Restore()
}

// Restore puts back the terminal modes zkc started with.
func (t *ttyParser) Restore() error {
	orig := t.orig
	return unix.IoctlSetTermios(t.fd, unix.TCSETSW, &orig)
}

// Close releases the wake-up pipe.
func (t *ttyParser) Close() {
	unix.Close(t.wakeR)
	unix.Close(t.wakeW)
}

// GetWinSize is the size go-prompt lays out for: as large as it goes, so
// that go-prompt never wraps, truncates candidates or declares the window
// too small. zkc's writer draws for the real size (winSize).
func (t *ttyParser) GetWinSize() *prompt.WinSize {
	return &prompt.WinSize{Row: 0xffff, Col: 0xffff}
}

// winSize reports the terminal size (80x24 if it cannot be read).
func (t *ttyParser) winSize() (cols, rows int) {
	return termSize(t.fd)
}

func termSize(fd int) (cols, rows int) {
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 || ws.Row == 0 {
		return 80, 24
	}
	return int(ws.Col), int(ws.Row)
}

// onlcr reports whether the terminal's output turns "\n" into "\r\n".
func (t *ttyParser) onlcr() bool {
	return t.orig.Oflag&unix.OPOST != 0 && t.orig.Oflag&unix.ONLCR != 0
}

// ack tells the parser go-prompt has drawn the last key.
func (t *ttyParser) ack() {
	t.mu.Lock()
	t.awaitAck = false
	t.mu.Unlock()
}

// Inject queues a key as if typed and wakes a waiting Read.
func (t *ttyParser) Inject(key []byte) {
	t.mu.Lock()
	t.injected = append(t.injected, key)
	t.mu.Unlock()
	unix.Write(t.wakeW, []byte{0})
}

// setLineEmpty records whether the edited line is empty, so that Ctrl-D is
// known to end the prompt (it deletes a character otherwise).
func (t *ttyParser) setLineEmpty(empty bool) {
	t.mu.Lock()
	t.lineEmpty = empty
	t.mu.Unlock()
}

// drain reads whatever the terminal holds, without waiting.
func (t *ttyParser) drain() {
	for {
		fds := []unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 0); err != nil || n == 0 || fds[0].Revents&unix.POLLIN == 0 {
			return
		}
		buf := make([]byte, 16<<10)
		n, err := unix.Read(t.fd, buf)
		if err != nil || n <= 0 {
			return
		}
		t.mu.Lock()
		t.pending = append(t.pending, buf[:n]...)
		t.mu.Unlock()
	}
}

// takeInterrupt reports whether a Ctrl-C was typed after Enter and drops it
// with everything typed before it, as a terminal's interrupt flushes input.
func (t *ttyParser) takeInterrupt() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := bytes.LastIndexByte(t.pending, 0x03)
	if i < 0 {
		return false
	}
	t.pending = append([]byte(nil), t.pending[i+1:]...)
	return true
}

// acceptingKeys reports whether go-prompt is reading keys now (the prompt is
// shown and no Enter is on its way).
func (t *ttyParser) acceptingKeys() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.active && !t.hold
}

// lastWasEOF reports whether the prompt ended on Ctrl-D.
func (t *ttyParser) lastWasEOF() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.lastKey) == 1 && t.lastKey[0] == 0x04
}

// Read returns the next key, or errNoInput.
func (t *ttyParser) Read() ([]byte, error) {
	if k, ok := t.next(); ok {
		return k, nil
	}
	t.mu.Lock()
	wait := t.hold || t.awaitAck && time.Now().Before(t.ackBy)
	t.mu.Unlock()
	if wait {
		return nil, errNoInput
	}
	fds := []unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLIN}, {Fd: int32(t.wakeR), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(pollTimeout/time.Millisecond))
	if err != nil || n == 0 {
		return nil, errNoInput
	}
	if fds[1].Revents != 0 {
		var b [64]byte
		for {
			if n, _ := unix.Read(t.wakeR, b[:]); n <= 0 {
				break
			}
		}
	}
	if fds[0].Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0 {
		buf := make([]byte, 16<<10)
		n, err := unix.Read(t.fd, buf)
		if err == nil && n > 0 {
			t.mu.Lock()
			t.pending = append(t.pending, buf[:n]...)
			t.mu.Unlock()
		}
	}
	if k, ok := t.next(); ok {
		return k, nil
	}
	return nil, errNoInput
}

// next takes one key from the injected or pending input, through the
// editor, unless held or waiting for go-prompt to draw.
func (t *ttyParser) next() ([]byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.hold || t.awaitAck && time.Now().Before(t.ackBy) {
		return nil, false
	}
	for len(t.out) == 0 {
		var raw []byte
		switch {
		case len(t.injected) > 0:
			raw = t.injected[0]
			t.injected = t.injected[1:]
		case len(t.pending) > 0:
			n := keyLen(t.pending)
			if n == 0 {
				return nil, false
			}
			raw = append([]byte(nil), t.pending[:n]...)
			t.pending = t.pending[n:]
		default:
			return nil, false
		}
		if t.ed == nil {
			t.out = append(t.out, raw)
			continue
		}
		out, again := t.ed.keys(raw)
		t.out = append(t.out, out...)
		if len(again) > 0 {
			t.pending = append(again, t.pending...)
		}
	}
	k := t.out[0]
	t.out = t.out[1:]
	t.lastKey = k
	// After Enter (and Ctrl-D on an empty line) go-prompt returns the line and
	// drops whatever its reader already fetched: keep the rest for the next
	// prompt. Injected Ignore keys may end the prompt too (exit checker).
	if len(k) == 1 && (k[0] == '\r' || k[0] == '\n' || (k[0] == 0x04 && t.lineEmpty)) {
		t.hold = true
	} else {
		t.awaitAck, t.ackBy = true, time.Now().Add(ackTimeout)
	}
	return k, true
}

// keyLen is the length of the first key in b: an escape sequence, one
// control byte, or a run of printable text ending on a whole UTF-8 rune
// (0 when b ends inside a rune, to wait for the rest).
func keyLen(b []byte) int {
	switch c := b[0]; {
	case c == 0x1b:
		if len(b) == 1 {
			return 1
		}
		switch b[1] {
		case '[':
			i := 2
			for i < len(b) && b[i] >= 0x30 && b[i] <= 0x3f {
				i++
			}
			for i < len(b) && b[i] >= 0x20 && b[i] <= 0x2f {
				i++
			}
			if i < len(b) && b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
			return len(b)
		case 'O':
			if len(b) >= 3 {
				return 3
			}
			return len(b)
		case 0x1b:
			return 1
		}
		if b[1] >= 0x80 { // Alt + a non-ASCII rune: the whole rune
			_, n := utf8.DecodeRune(b[1:])
			return 1 + n
		}
		return 2 // Alt+key
	case c < 0x20 || c == 0x7f:
		return 1
	}
	i := 0
	for i < len(b) && b[i] >= 0x20 && b[i] != 0x7f {
		i++
	}
	for i > 0 && !utf8.FullRune(b[lastRuneStart(b[:i]):i]) {
		i = lastRuneStart(b[:i])
	}
	return i
}

func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}
