package session

import (
	"encoding/binary"
	"io"
	"net"
	"sync"
)

// readOnlyConn implements zkCli's -r, which go-zookeeper cannot express: the
// connect request must end with a readOnly=true byte, and the server's connect
// response ends with a byte saying whether it is a read-only server. It is
// kept next to extops.go as the other half of "what the library lacks".
//
// The wrapper appends the byte to the first frame the library writes (the
// connect request) and reads the flag from the first frame it receives; every
// later byte passes through untouched.
type readOnlyConn struct {
	net.Conn
	report  func(readOnly bool)
	refused func() // the server answered the connect with NotReadOnly

	wmu     sync.Mutex
	wrote   bool
	rmu     sync.Mutex
	read    bool
	pending []byte
}

func newReadOnlyConn(c net.Conn, report func(bool), refused func()) net.Conn {
	return &readOnlyConn{Conn: c, report: report, refused: refused}
}

func (c *readOnlyConn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wrote || len(b) < 4 {
		return c.Conn.Write(b)
	}
	c.wrote = true
	n := binary.BigEndian.Uint32(b[:4])
	if int(n)+4 != len(b) {
		return c.Conn.Write(b)
	}
	frame := make([]byte, len(b)+1)
	binary.BigEndian.PutUint32(frame[:4], n+1)
	copy(frame[4:], b[4:])
	frame[len(frame)-1] = 1
	if _, err := c.Conn.Write(frame); err != nil {
		return 0, err
	}
	return len(b), nil
}

// connectResponseLen is protocolVersion(4) + timeOut(4) + sessionId(8) +
// passwd(4 + 16): anything past it is the readOnly flag.
const connectResponseLen = 4 + 4 + 8 + 4 + 16

func (c *readOnlyConn) Read(b []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if !c.read {
		c.read = true
		var hdr [4]byte
		if _, err := io.ReadFull(c.Conn, hdr[:]); err != nil {
			return 0, err
		}
		body := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(c.Conn, body); err != nil {
			return 0, err
		}
		// A read-only 3.5+ server without localSessionsEnabled rejects the
		// createSession itself: it answers with a bare reply header
		// (xid, zxid, err) carrying NotReadOnly (-119).
		if len(body) == 16 && int32(binary.BigEndian.Uint32(body[12:])) == -119 && c.refused != nil {
			c.refused()
		}
		c.report(len(body) > connectResponseLen && body[len(body)-1] == 1)
		c.pending = append(hdr[:], body...)
	}
	if len(c.pending) > 0 {
		n := copy(b, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}
