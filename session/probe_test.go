package session

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// fakeServer closes every session handshake; on a four-letter word it
// answers srvr (when set) first, as a ZooKeeper server that refuses
// sessions does.
func fakeServer(t *testing.T, srvr string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var word [4]byte
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := io.ReadFull(c, word[:]); err == nil && string(word[:]) == "srvr" && srvr != "" {
					_, _ = io.WriteString(c, srvr)
					return
				}
				// Read the whole request before closing, as ZooKeeper does
				// (closing with unread input would reset the connection).
				_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// TestClosedHandshakeExplained: a plain server that closes the session
// handshake is explained only by what it shows: srvr's mode, or nothing. A
// TLS-only port is never guessed without a TLS answer (TestTLS covers the
// real TLS port, the read-only transcript the real read-only member).
func TestClosedHandshakeExplained(t *testing.T) {
	cases := []struct {
		name     string
		srvr     string
		readOnly bool
		want     string
	}{
		{"says nothing", "", false, "the server closed the connection during the session handshake (EOF)"},
		{"not serving yet", "This ZooKeeper instance is not currently serving requests\n", false,
			"the server closed the connection during the session handshake (EOF): the server is not serving requests (still starting, or without a quorum)"},
		{"read-only, no -r", "Zookeeper version: 3.8.0\nMode: read-only\n", false,
			"the server closed the connection during the session handshake (EOF): the server is read-only (-r accepts a read-only server)"},
		{"read-only, with -r", "Zookeeper version: 3.8.0\nMode: read-only\n", true,
			"the server closed the connection during the session handshake (EOF)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := fakeServer(t, tc.srvr)
			target, err := ParseConnectString(addr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(context.Background(), Options{Target: target, Timeout: 3 * time.Second, ReadOnly: tc.readOnly})
			if !errors.Is(err, ErrConnect) {
				t.Fatalf("Open: %v, want a connect error", err)
			}
			if got := strings.TrimPrefix(err.Error(), "zkc: cannot connect to "+addr+": "); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
