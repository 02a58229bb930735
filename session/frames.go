package session

import (
	"encoding/binary"
	"net"
	"sync"
	"time"
)

// frameConn bounds one connection's session handshake and watches the
// frames the server sends, below every other wrapper (TLS, -r).
//
// The handshake deadline is the Java client's per-host connect timeout
// (session timeout / number of hosts): go-zookeeper waits for the connect
// response for ten times its receive timeout, so a member that accepts TCP
// but never answers (kill -STOP) held zkc past its session timeout and the
// next host was never tried. Until the connect response has been read in
// full, every deadline the library sets is clamped to that moment.
//
// After the handshake it reads the zxid in each reply header: the highest
// zxid seen is a lower bound for any request sent later, which is how a lost
// create is told apart from a node that was already there (resolve.go).
type frameConn struct {
	net.Conn
	handshakeBy time.Time
	onConnect   func(negotiated time.Duration)
	onZxid      func(zxid int64)

	mu          sync.Mutex
	handshaking bool

	// The frame being read: its 4-byte length, then up to 16 bytes of its
	// head (a reply header is xid, zxid, err; the connect response begins
	// with protocolVersion, timeOut).
	head   [20]byte
	headN  int
	size   int
	got    int
	frames int
}

func newFrameConn(c net.Conn, handshakeBy time.Time, onConnect func(time.Duration), onZxid func(int64)) *frameConn {
	fc := &frameConn{Conn: c, handshakeBy: handshakeBy, onConnect: onConnect, onZxid: onZxid, handshaking: true}
	_ = c.SetDeadline(handshakeBy)
	return fc
}

// clamp moves a deadline the library asks for before the handshake's end.
func (c *frameConn) clamp(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handshaking && (t.IsZero() || t.After(c.handshakeBy)) {
		return c.handshakeBy
	}
	return t
}

func (c *frameConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.clamp(t)) }
func (c *frameConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.clamp(t)) }
func (c *frameConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.clamp(t)) }

// Read is called by one goroutine at a time (the library's handshake, then
// its receive loop), so the frame state needs no lock of its own.
func (c *frameConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.scan(p[:n])
	return n, err
}

func (c *frameConn) scan(b []byte) {
	for len(b) > 0 {
		if c.headN < 4 {
			k := copy(c.head[c.headN:4], b)
			c.headN += k
			b = b[k:]
			if c.headN == 4 {
				c.size = int(binary.BigEndian.Uint32(c.head[:4]))
				c.got = 0
				if c.size == 0 {
					c.frameDone()
				}
			}
			continue
		}
		k := min(len(b), c.size-c.got)
		if c.got < 16 {
			copy(c.head[4+c.got:], b[:min(k, 16-c.got)])
		}
		c.got += k
		b = b[k:]
		if c.got == c.size {
			c.frameDone()
		}
	}
}

func (c *frameConn) frameDone() {
	body := c.head[4 : 4+min(c.got, 16)]
	if c.frames == 0 {
		c.mu.Lock()
		c.handshaking = false
		c.mu.Unlock()
		// The library clears its deadlines once the response is in.
		_ = c.Conn.SetDeadline(time.Time{})
		if c.size >= connectResponseLen && c.onConnect != nil {
			ms := int32(binary.BigEndian.Uint32(body[4:8]))
			if ms > 0 {
				c.onConnect(time.Duration(ms) * time.Millisecond)
			}
		}
	} else if len(body) >= 12 && c.onZxid != nil {
		if zxid := int64(binary.BigEndian.Uint64(body[4:12])); zxid > 0 {
			c.onZxid(zxid)
		}
	}
	c.frames++
	c.headN, c.size, c.got = 0, 0, 0
}
