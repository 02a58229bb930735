package session

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

// TLSDialer returns a dialer that completes the TLS handshake inside the
// dial, so that an untrusted certificate or a plaintext port counts as a
// failed dial (session.dialer then fails fast with the reason) instead of a
// connection that hangs until the session timeout.
func TLSDialer(cfg *tls.Config) zk.Dialer {
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		d := &net.Dialer{Timeout: timeout}
		c, err := tls.DialWithDialer(d, network, address, cfg)
		if err != nil {
			return nil, &tlsDialError{err: err}
		}
		return c, nil
	}
}

// tlsDialError marks a failure of the TLS dial for describeDialError.
type tlsDialError struct{ err error }

func (e *tlsDialError) Error() string { return "TLS handshake failed: " + e.err.Error() }
func (e *tlsDialError) Unwrap() error { return e.err }

// describeTLSError words a TLS failure for an operator, or returns "".
func describeTLSError(err error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var rec tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &unknown):
		return "TLS: the server's certificate is not trusted (signed by an unknown authority; check the trust store / --tls-ca)"
	case errors.As(err, &host):
		return "TLS: the server's certificate does not match the host: " + host.Error() +
			" (zookeeper.ssl.hostnameVerification=false turns this check off)"
	case errors.As(err, &invalid):
		return "TLS: the server's certificate is invalid: " + invalid.Error()
	case errors.As(err, &rec):
		return "TLS: the server did not answer with TLS (is this a plaintext port?)"
	case errors.As(err, &alert) || strings.Contains(err.Error(), "remote error: tls:"):
		msg := err.Error()
		if i := strings.Index(msg, "remote error: "); i >= 0 {
			msg = msg[i:]
		}
		return "TLS: the server refused the connection (" + msg + "; does it require a client certificate the key store does not provide?)"
	}
	var td *tlsDialError
	if errors.As(err, &td) {
		if errors.Is(err, io.EOF) || strings.Contains(err.Error(), "connection reset") {
			return "TLS: the server closed the connection during the handshake (is this a plaintext port?)"
		}
		return td.Error()
	}
	return ""
}

// firstReadConn remembers why a connection failed before the server said
// anything: with TLS 1.3 the server checks the client certificate after the
// client's handshake has completed, and a plaintext client on a TLS port sees
// only the connection closing. Without this the user would read "connection
// closed during the handshake" with no hint.
type firstReadConn struct {
	net.Conn
	once    sync.Once
	got     bool
	onError func(error)
}

func (c *firstReadConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.got = true
	}
	if err != nil && !c.got {
		c.once.Do(func() { c.onError(err) })
	}
	return n, err
}

// handshakeReadError words a read failure on a connection that never got an
// answer; tls says whether the connection was TLS.
func handshakeReadError(err error, isTLS bool) error {
	if d := describeTLSError(err); d != "" {
		return errors.New(d)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("no answer to the session handshake (%v)", err)
	}
	if isTLS {
		return fmt.Errorf("the server closed the TLS connection before the session handshake (%v); "+
			"does it require a client certificate?", describeDialError(err))
	}
	return &handshakeClosedError{err: err}
}

// handshakeClosedError is a plain connection the server closed without
// answering the session handshake. Many servers do that: a TLS-only port, a
// read-only server to a client without -r, a member still starting or
// without a quorum. explain asks the server which (probe.go) before zkc
// reports it; hint is empty when nothing showed.
type handshakeClosedError struct {
	err  error
	hint string
}

func (e *handshakeClosedError) Error() string {
	msg := fmt.Sprintf("the server closed the connection during the session handshake (%v)", describeDialError(e.err))
	if e.hint != "" {
		msg += ": " + e.hint
	}
	return msg
}

func (e *handshakeClosedError) Unwrap() error { return e.err }
