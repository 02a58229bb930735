// Package sasl holds the client side of the SASL mechanisms ZooKeeper
// servers accept: DIGEST-MD5 (RFC 2831, written here: no well-kept Go library
// implements it) and GSSAPI/Kerberos (RFC 4752, on github.com/jcmturner/gokrb5/v8).
// The session layer (session/sasl.go) carries the tokens in ZooKeeper's
// opcode-102 requests; this package only computes them.
package sasl

import (
	"errors"
	"fmt"
)

// Client makes one Exchange per connection: ZooKeeper authenticates each
// connection of a session again, after every reconnect.
type Client interface {
	// Mechanism is "DIGEST-MD5" or "GSSAPI".
	Mechanism() string
	// Identity is who the session is authenticated as, for the prompt and
	// JSON output ("alice", "alice@EXAMPLE.COM"). Never a secret.
	Identity() string
	// NewExchange starts an exchange with the server at host (as dialled,
	// without the port).
	NewExchange(host string) (Exchange, error)
}

// Exchange is one run of a mechanism.
type Exchange interface {
	// Next is given the server's last token (nil before the first request)
	// and returns the next token to send, or done when the exchange is
	// complete and nothing more is to be sent.
	Next(server []byte) (token []byte, done bool, err error)
}

// ErrRejected wraps every refusal of the credentials themselves (wrong
// password, unknown user or principal, expired key): zkc exits with its auth
// code.
var ErrRejected = errors.New("SASL authentication failed")

// Error is a failure worded for the operator; it never contains a secret.
type Error struct {
	Mech   string
	Reason string // one line naming the cause
	Err    error  // ErrRejected for credential refusals, else the cause
}

func (e *Error) Error() string { return fmt.Sprintf("SASL %s: %s", e.Mech, e.Reason) }
func (e *Error) Unwrap() error { return e.Err }
