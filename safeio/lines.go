package safeio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// LineLimit bounds one script line: a command with the largest node data
// zkc can send (jute.maxbuffer, 1 MiB) fits with room for quoting.
const LineLimit = 4 << 20

// LineTooLongError is a line over the limit: which line, and the limit.
type LineTooLongError struct {
	Line  int // 1-based
	Limit int
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes (the line limit)", e.Line, e.Limit)
}

// LineReader reads lines ("\n" or "\r\n" ended, the last one maybe not) of
// at most a limit each, counting them; it holds one line at a time.
type LineReader struct {
	r     *bufio.Reader
	limit int
	n     int
}

// NewLineReader reads lines of at most limit bytes from r.
func NewLineReader(r io.Reader, limit int) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10), limit: limit}
}

// Line is the number of the line Next returned last.
func (l *LineReader) Line() int { return l.n }

// Next returns the next line without its end of line, io.EOF after the last
// one, or a *LineTooLongError (after which reading stops).
func (l *LineReader) Next() (string, error) {
	var line []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		if len(line)+len(chunk) > l.limit+2 { // +2: the "\r\n" is not counted
			l.n++
			return "", &LineTooLongError{Line: l.n, Limit: l.limit}
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if len(line) == 0 && err != nil {
			return "", io.EOF
		}
		l.n++
		line = trimEOL(line)
		if len(line) > l.limit {
			return "", &LineTooLongError{Line: l.n, Limit: l.limit}
		}
		return string(line), nil
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// LineBounded passes r through unchanged but fails with a *LineTooLongError
// as soon as a line runs past limit bytes, so a stream copied somewhere
// before it is parsed (stdin spooled to a file) cannot be endless and
// newline-free (/dev/zero).
func LineBounded(r io.Reader, limit int) io.Reader {
	return &lineBounded{r: r, limit: limit, line: 1}
}

type lineBounded struct {
	r     io.Reader
	limit int
	run   int // bytes since the last newline
	line  int
}

func (l *lineBounded) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
			continue
		}
		l.run++
		if l.run > l.limit {
			return 0, &LineTooLongError{Line: l.line, Limit: l.limit}
		}
	}
	return n, err
}
