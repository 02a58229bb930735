package safeio

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Open opens path for reading. A FIFO is opened at once but returned only
// once a writer has sent something or come and gone (what a blocking open
// and first read would wait for), and that wait ends with ctx.
func Open(ctx context.Context, path string) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// O_NONBLOCK: the open itself never waits, and a writer already waiting
	// on a FIFO is let through by it (closing this reader again would lose
	// what that writer sends, so it is the one returned).
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT == unix.S_IFIFO {
		// Linux reports no hang-up on a FIFO reader opened without a writer
		// until a writer has come, so poll waits for one.
		c, err := newCanceler(ctx)
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
		err = c.wait(ctx, fd)
		c.close()
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
	}
	// Blocking reads from here on, as os.Open gives (a FIFO's writer has
	// come, so a read now waits for data or end of file rather than
	// returning end of file at once); ReadAll waits with poll either way.
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// NotRegularError is a path that must be a regular file but is not (a FIFO
// at the history file's path would hang the shell).
type NotRegularError struct{ Path string }

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is not a regular file", e.Path)
}

// OpenRegular opens an existing regular file for reading without following
// a symlink and without ever waiting; anything else is a *NotRegularError.
func OpenRegular(path string) (*os.File, error) {
	return openRegular(path, unix.O_RDONLY)
}

// OpenAppend opens a regular file for appending, creating it with mode 0600;
// a symlink, FIFO or device at path is refused rather than followed or
// waited on.
func OpenAppend(path string) (*os.File, error) {
	return openRegular(path, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT)
}

func openRegular(path string, flags int) (*os.File, error) {
	fd, err := openRegularFD(path, flags|unix.O_NOFOLLOW)
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRegularFD opens path without waiting (O_NONBLOCK) and keeps it only if
// it is a regular file; a symlink refused by O_NOFOLLOW is a
// *NotRegularError too.
func openRegularFD(path string, flags int) (int, error) {
	fd, err := unix.Open(path, flags|unix.O_NONBLOCK|unix.O_CLOEXEC, 0o600)
	if err != nil {
		if errors.Is(err, unix.ELOOP) && flags&unix.O_NOFOLLOW != 0 {
			return -1, &NotRegularError{Path: path}
		}
		return -1, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		if err != nil {
			return -1, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return -1, &NotRegularError{Path: path}
	}
	return fd, nil
}

// ReadRegular reads a regular file of at most limit bytes, following
// symlinks (system files such as terminfo entries are often links) but never
// waiting on a FIFO or reading a device: those are a *NotRegularError.
func ReadRegular(path string, limit int64) ([]byte, error) {
	fd, err := openRegularFD(path, unix.O_RDONLY)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	return ReadAll(context.Background(), f, limit, path)
}

// Pollable returns f (a FIFO, a pipe, a device) as a non-blocking file
// the Go runtime polls, so that closing it wakes a read blocked on it: a
// read of a blocking descriptor sits in read(2), which close does not end.
// It is for streams read a line at a time (import's files); f is closed.
func Pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	raw, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	dup := -1
	var derr error
	if err := raw.Control(func(fd uintptr) { dup, derr = unix.Dup(int(fd)) }); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	if err := unix.SetNonblock(dup, true); err != nil {
		unix.Close(dup)
		return nil, err
	}
	unix.CloseOnExec(dup)
	return os.NewFile(uintptr(dup), f.Name()), nil
}
