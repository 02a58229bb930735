package app

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/zkc-cli/zkc/commands"
	"golang.org/x/sys/unix"
)

// cancelOnSignal cancels the run on SIGINT, SIGTERM and SIGHUP, and on a
// SIGPIPE that comes from stdout or stderr, so every way out goes through
// the same return path that closes the session (its ephemeral nodes go at
// once). Left to the runtime, SIGPIPE on stdout and SIGHUP kill the process
// where it stands, leaving the session to time out.
//
// Once SIGPIPE is caught, a write to any broken pipe or socket raises it,
// the ZooKeeper connection's included (a server that died): only a closed
// stdout or stderr ends the run; the session layer deals with its sockets.
func cancelOnSignal(cancel context.CancelCauseFunc, stdio Stdio) (stop func()) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s != syscall.SIGPIPE {
					cancel(context.Canceled)
				} else if outputClosed(stdio.Out) || outputClosed(stdio.Err) {
					cancel(commands.ErrOutputClosed)
				}
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// outputClosed reports whether w is a pipe or socket whose reader is gone
// (poll says POLLERR) or a terminal that hung up (POLLHUP).
func outputClosed(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	fds := []unix.PollFd{{Fd: int32(f.Fd()), Events: unix.POLLOUT}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n > 0 && fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0
}
