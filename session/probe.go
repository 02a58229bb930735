package session

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"time"
)

// explainClosedHandshake asks a server that closed a plain session
// handshake why, and words only what it shows: a TLS handshake answered on
// the port (a TLS-only port), or srvr's mode (read-only; not serving, as a
// member still starting or without a quorum). Nothing shown, no guess.
func explainClosedHandshake(address string, readOnly bool, timeout time.Duration) string {
	tlsc := make(chan bool, 1)
	go func() { tlsc <- speaksTLS(address, timeout) }()
	srvr := fourLetter(address, "srvr", timeout)
	switch {
	case <-tlsc:
		return "the port speaks TLS (a TLS-only port needs -client-configuration or --tls-ca)"
	case strings.Contains(srvr, "Mode: read-only") && !readOnly:
		return "the server is read-only (-r accepts a read-only server)"
	case strings.Contains(srvr, "not currently serving requests"):
		return "the server is not serving requests (still starting, or without a quorum)"
	}
	return ""
}

// speaksTLS reports whether address answers a TLS ClientHello with TLS: a
// completed handshake or a TLS alert. The certificate is not checked, as
// nothing is sent over the connection.
func speaksTLS(address string, timeout time.Duration) bool {
	d := &net.Dialer{Timeout: timeout}
	c, err := tls.DialWithDialer(d, "tcp", address, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // only probes whether the port speaks TLS
	if err == nil {
		c.Close()
		return true
	}
	var alert tls.AlertError
	return errors.As(err, &alert) || strings.Contains(err.Error(), "remote error: tls:")
}

// fourLetter sends a four-letter word and returns the answer ("" on failure).
func fourLetter(address, word string, timeout time.Duration) string {
	c, err := net.DialTimeout("tcp", address, timeout)
	if err != nil {
		return ""
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte(word)); err != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(c, 64<<10))
	return string(b)
}
