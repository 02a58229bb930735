// Package safeio is the one way zkc reads and writes local files and
// streams: every read has a size limit, every read that can wait (a FIFO, a
// pipe, a terminal) ends when its context does, and files zkc writes are
// created exclusively without following symlinks. Callers choose a limit;
// nothing here reads "until the end" without one.
package safeio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// Limits for files that are not node data (node data is bounded by
// jute.maxbuffer, which its callers pass).
const (
	// ConfigLimit bounds a -client-configuration file, a PEM or PKCS12
	// store and a private key: real ones are kilobytes (a full public CA
	// bundle is about 220 KB).
	ConfigLimit = 4 << 20
)

// TooLargeError is input over its limit. Its text names the input and the
// limit, never the content.
type TooLargeError struct {
	What  string // "standard input", a file name
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes (the limit)", e.What, e.Limit)
}

// ReadAll reads r to its end, at most limit bytes: more is a *TooLargeError,
// found after reading limit+1 bytes, so a stream without end (/dev/zero)
// costs only the limit. A read that waits for input (a FIFO, a pipe, a
// terminal) returns ctx's error when ctx ends. what names r in errors.
func ReadAll(ctx context.Context, r io.Reader, limit int64, what string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var data []byte
	var err error
	if f, ok := r.(*os.File); ok {
		data, err = readFileCtx(ctx, f, limit+1)
	} else {
		data, err = readOther(ctx, r, limit+1)
	}
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return data, nil
}

// ReadFile opens path (a FIFO without a writer waits only as long as ctx)
// and reads at most limit bytes of it.
func ReadFile(ctx context.Context, path string, limit int64) ([]byte, error) {
	f, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(ctx, f, limit, path)
}

// readOther reads a reader that is not a file (tests, wrapped streams) on a
// goroutine, so that ctx still ends the wait; the goroutine finishes when
// the reader does.
func readOther(ctx context.Context, r io.Reader, max int64) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, max))
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return res.b, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readFileCtx reads at most max bytes of f, waiting with poll(2) on f and on
// a pipe that closes when ctx ends: a blocked read of a terminal or FIFO is
// thus cancelled without leaving a goroutine behind that would later steal
// input. f's blocking mode is left as it was.
func readFileCtx(ctx context.Context, f *os.File, max int64) ([]byte, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return readOther(ctx, f, max)
	}
	c, err := newCanceler(ctx)
	if err != nil {
		return nil, err
	}
	defer c.close()
	var data []byte
	var readErr error
	ctlErr := rc.Control(func(fd uintptr) {
		buf := make([]byte, 64<<10)
		for int64(len(data)) < max {
			if readErr = c.wait(ctx, int(fd)); readErr != nil {
				return
			}
			want := int64(len(buf))
			if rest := max - int64(len(data)); rest < want {
				want = rest
			}
			n, err := unix.Read(int(fd), buf[:want])
			switch {
			case errors.Is(err, unix.EAGAIN), errors.Is(err, unix.EINTR):
				continue
			case err != nil:
				readErr = &os.PathError{Op: "read", Path: f.Name(), Err: err}
				return
			case n == 0:
				return
			}
			data = append(data, buf[:n]...)
		}
	})
	if ctlErr != nil {
		return nil, ctlErr
	}
	if readErr != nil {
		return nil, readErr
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// canceler is a pipe whose write end closes when ctx ends, for poll(2) to
// watch beside the descriptor being waited on.
type canceler struct {
	r, w *os.File
	stop func() bool
}

func newCanceler(ctx context.Context) (*canceler, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c := &canceler{r: r, w: w}
	c.stop = context.AfterFunc(ctx, func() { w.Close() })
	return c, nil
}

func (c *canceler) close() {
	if c.stop() {
		c.w.Close()
	}
	c.r.Close()
}

// wait returns when fd has input or was hung up (or is invalid: the read
// that follows says what is wrong), or with ctx's error when ctx ends.
func (c *canceler) wait(ctx context.Context, fd int) error {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(c.r.Fd()), Events: unix.POLLIN}}
	for {
		fds[0].Revents, fds[1].Revents = 0, 0
		if _, err := unix.Poll(fds, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return err
		}
		if fds[1].Revents != 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			return context.Canceled
		}
		if fds[0].Revents != 0 {
			return nil
		}
	}
}

// ReadLine reads one line (without its end) from f, one byte at a time so
// that nothing after the newline is consumed, at most limit bytes; it ends
// with ctx. Meant for short answers typed on a terminal, such as a password.
func ReadLine(ctx context.Context, f *os.File, limit int) (string, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return "", err
	}
	c, err := newCanceler(ctx)
	if err != nil {
		return "", err
	}
	defer c.close()
	var line []byte
	var readErr error
	ctlErr := rc.Control(func(fd uintptr) {
		var b [1]byte
		for {
			if readErr = c.wait(ctx, int(fd)); readErr != nil {
				return
			}
			n, err := unix.Read(int(fd), b[:])
			switch {
			case errors.Is(err, unix.EAGAIN), errors.Is(err, unix.EINTR):
				continue
			case err != nil:
				readErr = &os.PathError{Op: "read", Path: f.Name(), Err: err}
				return
			case n == 0 || b[0] == '\n':
				return
			}
			if len(line) >= limit {
				readErr = &TooLargeError{What: f.Name(), Limit: int64(limit)}
				return
			}
			line = append(line, b[0])
		}
	})
	if ctlErr != nil {
		return "", ctlErr
	}
	if readErr != nil {
		return "", readErr
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}
