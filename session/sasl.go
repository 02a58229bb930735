package session

// The SASL exchange (opcode 102, zookeeper.jute's GetSASLRequest /
// SetSASLResponse) is the third thing go-zookeeper lacks that zkc adds at the
// wire, next to readonly.go, rather than through extops.go's (*Conn).request:
// a server with sessionRequireClientSASLAuth=true closes the session (code
// -124) on the first request of any other opcode, and the library sends
// such requests on its own the moment a connection is up: SetWatches (101),
// the re-sent addauth credentials (100) and pings (11). No request through
// the library's queue can come first. So the exchange runs inside the
// connection itself: when the library reads the server's connect response,
// saslConn first completes SASL on the socket, then hands the response on.
// The library therefore reports StateHasSession, and the connection
// generation that commands wait for (waitReady) counts, only once the
// connection is authenticated: on the first connection, after every
// reconnect and on the new session after an expiry.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/zkc-cli/zkc/sasl"
)

const opSASL = 102

// Server error codes an exchange can end with.
const (
	codeAuthFailed             = -115
	codeSessionClosedNeedsSASL = -124
)

// SASLError is a SASL failure on a connection. Rejected ones (the server or
// the mechanism refused the credentials) are final: zkc stops dialling and
// exits with its auth code.
type SASLError struct {
	Server string
	Err    error
	// Local: the failure came before the server saw a token (a KDC
	// refusal, a missing keytab), so naming the server would mislead.
	Local bool
}

func (e *SASLError) Error() string {
	msg := e.Err.Error()
	if !strings.HasPrefix(msg, "SASL") {
		msg = "SASL: " + msg
	}
	if e.Local {
		return msg
	}
	return msg + " (server " + e.Server + ")"
}

func (e *SASLError) Unwrap() error { return e.Err }

// Rejected reports whether the credentials themselves were refused.
func (e *SASLError) Rejected() bool { return errors.Is(e.Err, sasl.ErrRejected) }

// saslConn runs the exchange when the library reads the connect response.
type saslConn struct {
	net.Conn
	client  sasl.Client
	host    string
	address string
	timeout time.Duration
	debugf  func(format string, args ...interface{})
	done    func(err error) // nil: authenticated

	mu      sync.Mutex
	started bool
	pending []byte
}

func (s *Session) newSASLConn(c net.Conn, address string) net.Conn {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	timeout := s.opts.Timeout
	if timeout > 15*time.Second {
		timeout = 15 * time.Second
	}
	return &saslConn{
		Conn: c, client: s.opts.SASL, host: host, address: address, timeout: timeout,
		debugf: s.debugf,
		done:   func(err error) { s.saslFinished(address, err) },
	}
}

func (c *saslConn) Read(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		c.started = true
		frame, err := readFrame(c.Conn, 1<<20)
		if err != nil {
			return 0, err
		}
		// connect response: protocolVersion, timeOut, sessionId, passwd...
		// A zero session id means the session expired; the library opens a
		// new one on its next connection, which authenticates then.
		// (A shorter frame is a refusal, such as a read-only server's bare
		// reply header: the library deals with it.)
		if len(frame) >= 4+connectResponseLen && binary.BigEndian.Uint64(frame[12:20]) != 0 {
			if err := c.exchange(); err != nil {
				c.done(err)
				return 0, err
			}
			c.done(nil)
		}
		c.pending = frame
	}
	if len(c.pending) > 0 {
		n := copy(b, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// readFrame reads one length-prefixed packet, returning it with its prefix.
func readFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr[:]))
	if n < 0 || n > max {
		return nil, fmt.Errorf("packet of %d bytes", n)
	}
	frame := make([]byte, 4+n)
	copy(frame, hdr[:])
	if _, err := io.ReadFull(r, frame[4:]); err != nil {
		return nil, err
	}
	return frame, nil
}

func (c *saslConn) exchange() error {
	mech := c.client.Mechanism()
	_ = c.Conn.SetDeadline(time.Now().Add(c.timeout))
	defer c.Conn.SetDeadline(time.Time{}) // as the library leaves it after the handshake
	c.debugf("SASL %s: authenticating as %s to %s", mech, c.client.Identity(), c.address)
	x, err := c.client.NewExchange(c.host)
	if err != nil {
		return &localError{err}
	}
	var server []byte
	for xid := int32(1); ; xid++ {
		token, done, err := x.Next(server)
		if err != nil {
			return err
		}
		if done {
			c.debugf("SASL %s: authenticated to %s", mech, c.address)
			return nil
		}
		if xid > 10 {
			return &sasl.Error{Mech: mech, Reason: "the exchange did not end after 10 round trips", Err: errors.New("too many round trips")}
		}
		// RequestHeader{xid, type} + GetSASLRequest{token}
		pkt := make([]byte, 4+4+4+4+len(token))
		binary.BigEndian.PutUint32(pkt[0:], uint32(len(pkt)-4))
		binary.BigEndian.PutUint32(pkt[4:], uint32(xid))
		binary.BigEndian.PutUint32(pkt[8:], opSASL)
		binary.BigEndian.PutUint32(pkt[12:], uint32(len(token)))
		copy(pkt[16:], token)
		c.debugf("SASL %s: sending token %d (%d bytes)", mech, xid, len(token))
		if _, err := c.Conn.Write(pkt); err != nil {
			return err
		}
		frame, err := readFrame(c.Conn, 1<<20)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("the server closed the connection during SASL authentication")
			}
			return err
		}
		// ReplyHeader{xid, zxid, err} + SetSASLResponse{token}
		r := &reader{buf: frame[4:]}
		_, _, code := r.int32(), r.int64(), r.int32()
		if r.err != nil {
			return &sasl.Error{Mech: mech, Reason: "the server's answer is malformed", Err: r.err}
		}
		if code != 0 {
			c.debugf("SASL %s: the server answered error code %d", mech, code)
			return &sasl.Error{Mech: mech, Reason: rejectionReason(c.client, code), Err: sasl.ErrRejected}
		}
		if len(r.buf) > r.n {
			server = r.bytes()
		} else {
			server = nil
		}
		if r.err != nil {
			return &sasl.Error{Mech: mech, Reason: "the server's answer is malformed", Err: r.err}
		}
		c.debugf("SASL %s: received token %d (%d bytes)", mech, xid, len(server))
	}
}

// localError marks a failure of the mechanism before anything was sent.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

func rejectionReason(c sasl.Client, code int32) string {
	who := c.Identity()
	switch c.Mechanism() {
	case "DIGEST-MD5":
		if code == codeAuthFailed || code == codeSessionClosedNeedsSASL {
			return fmt.Sprintf("the server rejected the login of %s (wrong password or unknown user)", who)
		}
	case "GSSAPI":
		if code == codeAuthFailed || code == codeSessionClosedNeedsSASL {
			return fmt.Sprintf("the server rejected the Kerberos ticket of %s (check the server principal, its keytab and the clocks)", who)
		}
	}
	return fmt.Sprintf("the server rejected the login of %s (error code %d)", who, code)
}

// saslFinished records the outcome of a connection's exchange: the identity
// after a success, the error after a failure (commands waiting for the
// connection then fail with it; a rejection also stops further dials).
func (s *Session) saslFinished(address string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.saslErr = nil
		s.saslIdentity = s.opts.SASL.Identity()
		return
	}
	s.saslIdentity = ""
	se := &SASLError{Server: address, Err: err}
	var local *localError
	if errors.As(err, &local) {
		se.Err, se.Local = local.err, true
	}
	if se.Rejected() {
		s.saslErr = se
	} else {
		// A lost connection or a KDC hiccup: the library retries; say why
		// if it never succeeds.
		s.lastDialErr, s.lastDialTo = se, address
		s.dialFails++
		var e *sasl.Error
		if errors.As(err, &e) {
			s.saslErr = se
		}
	}
	s.cond.Broadcast()
}

// SASLIdentity is who the current connection is authenticated as with SASL
// ("" when it is not).
func (s *Session) SASLIdentity() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hasSession {
		return ""
	}
	return s.saslIdentity
}

// SASLLogin is the mechanism and identity of the current connection's SASL
// login (both "" without one).
func (s *Session) SASLLogin() (mechanism, user string) {
	if id := s.SASLIdentity(); id != "" {
		return s.opts.SASL.Mechanism(), id
	}
	return "", ""
}

// debugf writes a --debug line (never a secret: callers pass sizes and names).
func (s *Session) debugf(format string, args ...interface{}) {
	if s.opts.Debug != nil {
		fmt.Fprintf(s.opts.Debug, "zkc: "+format+"\n", args...)
	}
}

// saslPreparer is a mechanism with work to do once before any connection:
// Kerberos logs in to its KDC, so a wrong password, an unknown principal or
// a KDC that does not answer fails before a server sees a session.
type saslPreparer interface{ Prepare() error }

func (s *Session) prepareSASL() error {
	p, ok := s.opts.SASL.(saslPreparer)
	if !ok {
		return nil
	}
	if err := p.Prepare(); err != nil {
		return &SASLError{Err: err, Local: true}
	}
	return nil
}

// saslRefused is the final SASL failure when the credentials were refused.
func (s *Session) saslRefused() error {
	if s.opts.SASL == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var se *SASLError
	if errors.As(s.saslErr, &se) && se.Rejected() {
		return se
	}
	return nil
}
