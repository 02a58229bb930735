package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/sasl"
	"github.com/zkc-cli/zkc/session"
)

// Exit codes. This table is the single place errors become exit codes; the
// README's table is copied from it.
const (
	ExitOK             = 0
	ExitError          = 1 // any other error
	ExitUsage          = 2 // bad flags, arguments, paths, numbers, ACLs
	ExitNoNode         = 3
	ExitNodeExists     = 4
	ExitBadVersion     = 5
	ExitNotEmpty       = 6
	ExitAuth           = 7 // NoAuth (insufficient permission) or AuthFailed
	ExitConnection     = 8 // unreachable, connection loss, session expired, not connected
	ExitInterrupted    = 130
	ExitTerminated     = 143 // the shell ended by SIGTERM or SIGHUP
	ExitBrokenPipe     = 141 // stdout or stderr closed by its reader (SIGPIPE)
	ExitUnknownCommand = 127
)

// ErrOutputClosed is the cause of a run cancelled because the reader of its
// stdout or stderr went away (`zkc … | head -c1`, SIGPIPE): nothing failed,
// so nothing more is printed, and zkc exits ExitBrokenPipe once its session
// is closed.
var ErrOutputClosed = errors.New("output closed by its reader")

// Error is an error with zkCli's wording and zkc's exit code. Usage, when set,
// is printed on the line after the message (usage errors).
type Error struct {
	Code  int
	Msg   string
	Usage string
}

func (e *Error) Error() string { return e.Msg }

// Errorf makes an Error with a code.
func Errorf(code int, format string, args ...interface{}) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// UsageError reports bad invocation of cmd; msg may be empty (zkCli prints only the usage line).
func UsageError(cmd *Command, msg string) *Error {
	return &Error{Code: ExitUsage, Msg: msg, Usage: cmd.Usage}
}

// ExitCode maps any error to zkc's exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ExitCode(ZKError(err, ""))
}

// ZKError words a ZooKeeper or session error as zkCli's CliWrapperException
// does, with the path the user gave. Already-worded errors pass through.
func ZKError(err error, path string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	// Output into a pipe whose reader left: not worth a message
	// (ErrOutputClosed). A file's write error, not a socket's: a server
	// that resets a connection is an error to report.
	var pathErr *fs.PathError
	if (errors.As(err, &pathErr) && errors.Is(err, syscall.EPIPE)) || errors.Is(err, ErrOutputClosed) {
		return &Error{Code: ExitBrokenPipe}
	}
	// A request lost with the connection: its outcome is unknown (lost.go).
	var lost *session.LostError
	if errors.As(err, &lost) {
		return &Error{Code: ExitConnection, Msg: lost.Error()}
	}
	// A pipelined request cancelled before it was sent: nothing was applied.
	var notSent *session.NotSentError
	if errors.As(err, &notSent) {
		return &Error{Code: ExitInterrupted, Msg: notSent.Error()}
	}
	// A write cancelled after it was sent: its outcome is unknown too.
	var intr *session.InterruptedError
	if errors.As(err, &intr) && intr.Write {
		return &Error{Code: ExitInterrupted, Msg: intr.Error()}
	}
	// A write the session refused to send because it would harm the server.
	var ge *session.GuardError
	if errors.As(err, &ge) {
		return Errorf(ExitError, "Arguments are not valid : %s (%s)", ge.Path, ge.Reason())
	}
	// A pipelined request that never went out: nothing was applied.
	if errors.Is(err, session.ErrNotSent) {
		return &Error{Code: ExitConnection, Msg: "connection lost before the request was sent; nothing was applied"}
	}
	var pe *session.PathError
	if errors.As(err, &pe) {
		return &Error{Code: ExitUsage, Msg: pe.Msg}
	}
	// SASL: refused credentials, a KDC that does not answer, a server that
	// requires a login zkc was not given. One line, never the secret.
	var saslErr *session.SASLError
	var mechErr *sasl.Error
	switch {
	case errors.As(err, &saslErr):
		return &Error{Code: ExitAuth, Msg: saslErr.Error()}
	case errors.As(err, &mechErr):
		return &Error{Code: ExitAuth, Msg: mechErr.Error()}
	case errors.Is(err, session.ErrSASLRequired):
		return &Error{Code: ExitAuth, Msg: "KeeperErrorCode = SessionClosedRequireAuth: the server requires SASL authentication and closed the session (log in with --sasl-mech, or zkCli's JAAS file in CLIENT_JVMFLAGS)"}
	}
	forPath := ""
	if path != "" {
		forPath = " for " + path
	}
	switch {
	case errors.Is(err, zk.ErrNoNode):
		return Errorf(ExitNoNode, "Node does not exist: %s", path)
	case errors.Is(err, zk.ErrNodeExists):
		return Errorf(ExitNodeExists, "Node already exists: %s", path)
	case errors.Is(err, zk.ErrNotEmpty):
		return Errorf(ExitNotEmpty, "Node not empty: %s", path)
	case errors.Is(err, zk.ErrBadVersion):
		return Errorf(ExitBadVersion, "version No is not valid : %s", path)
	case errors.Is(err, zk.ErrNoAuth):
		return Errorf(ExitAuth, "Insufficient permission : %s", path)
	case errors.Is(err, zk.ErrNoChildrenForEphemerals):
		return Errorf(ExitError, "Ephemerals cannot have children: %s", path)
	case errors.Is(err, zk.ErrInvalidACL):
		return Errorf(ExitError, "Acl is not valid : %s", path)
	case errors.Is(err, zk.ErrBadArguments):
		return Errorf(ExitError, "Arguments are not valid : %s", path)
	case errors.Is(err, session.ErrNotReadOnly):
		return Errorf(ExitError, "Not a read-only call: %s", path)
	case errors.Is(err, session.ErrQuotaExceeded):
		return Errorf(ExitError, "Quota has exceeded : %s", path)
	case errors.As(err, new(*session.AuthError)):
		var ae *session.AuthError
		errors.As(err, &ae)
		return Errorf(ExitAuth, "KeeperErrorCode = AuthFailed: the server rejected the %s", session.CredentialName(ae.Scheme))
	case errors.Is(err, zk.ErrAuthFailed), errors.Is(err, session.ErrAuthFailed):
		return Errorf(ExitAuth, "KeeperErrorCode = AuthFailed%s", forPath)
	case errors.Is(err, zk.ErrSessionExpired):
		return Errorf(ExitConnection, "KeeperErrorCode = Session expired%s", forPath)
	case errors.Is(err, zk.ErrConnectionClosed), errors.Is(err, zk.ErrNoServer),
		errors.Is(err, zk.ErrClosing), errors.Is(err, zk.ErrSessionMoved):
		return Errorf(ExitConnection, "KeeperErrorCode = ConnectionLoss%s", forPath)
	case errors.Is(err, session.ErrNotConnected):
		return Errorf(ExitConnection, "Not connected")
	case errors.Is(err, session.ErrConnect):
		return Errorf(ExitConnection, "%s", err.Error())
	case errors.Is(err, zk.ErrReconfigDisabled):
		return Errorf(ExitError, "KeeperErrorCode = Reconfig is disabled")
	case errors.Is(err, session.ErrReconfigInProgress):
		return Errorf(ExitError, "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)")
	case errors.Is(err, session.ErrNewConfigNoQuorum):
		return Errorf(ExitError, "No quorum of new config is connected and up-to-date with the leader of last commmitted config - try invoking reconfiguration after new servers are connected and synced")
	case errors.Is(err, session.ErrNoWatcher):
		return Errorf(ExitError, "KeeperErrorCode = No such watcher%s", forPath)
	case errors.Is(err, session.ErrThrottled):
		return Errorf(ExitError, "KeeperErrorCode = Op throttled due to high load%s", forPath)
	case errors.Is(err, session.ErrUnimplemented):
		return Errorf(ExitError, "%s", err.Error())
	case errors.Is(err, context.Canceled):
		return Errorf(ExitInterrupted, "interrupted")
	case errors.Is(err, context.DeadlineExceeded):
		return Errorf(ExitConnection, "timed out%s", forPath)
	case errors.Is(err, zk.ErrInvalidPath):
		return Errorf(ExitUsage, "Invalid path: %s", path)
	}
	return Errorf(ExitError, "%s", err.Error())
}
