package commands

import (
	"fmt"
	"io/fs"
	"net"
	"syscall"
	"testing"
)

// TestBrokenOutputExitCode: only a write into zkc's own closed output is the
// quiet exit 141; a server's socket broken under a write is an error to
// report.
func TestBrokenOutputExitCode(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		code   int
		silent bool
	}{
		{"stdout closed", &fs.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}, ExitBrokenPipe, true},
		{"run cancelled for it", fmt.Errorf("stopped: %w", ErrOutputClosed), ExitBrokenPipe, true},
		{"server socket", &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}, ExitError, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := ZKError(tc.err, "").(*Error)
			if e == nil || e.Code != tc.code || (e.Msg == "") != tc.silent {
				t.Fatalf("ZKError = %+v, want code %d, silent %v", e, tc.code, tc.silent)
			}
		})
	}
}
