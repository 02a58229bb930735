// Package session owns zkc's ZooKeeper connection: the connect string and its
// chroot, waiting for a session, timeouts and cancellation, the event queue,
// credentials, persistent watches, and the operations go-zookeeper lacks.
// Commands see it through the methods in ops.go.
package session

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/sasl"
)

// Options configure a session.
type Options struct {
	Target            Target
	Timeout           time.Duration // session timeout
	WaitForConnection bool          // keep retrying until Timeout instead of failing after one pass
	ReadOnly          bool          // -r: a read-only server is acceptable
	Dialer            zk.Dialer     // nil: plain TCP
	Debug             io.Writer     // nil: the library's log lines are discarded
	Auth              []Credential
	SASL              sasl.Client // nil: no SASL; else every connection authenticates first (sasl.go)
	// Auxiliary marks a helper session of another (ACLPool's), which sends
	// small requests and gets small replies: its connection has 64 KB
	// buffers instead of the library's 1.5 MB each way (8 of them add 25 MB
	// of RSS), so a larger reply drops it, and a read lost with its
	// connection fails at once instead of being sent again, for the caller
	// to read it on the main session.
	Auxiliary bool
	// Notice tells the user how a write lost with its connection was
	// settled ("… was applied"); nil: nobody is told.
	Notice func(msg string)
}

// Credential is one addauth scheme and its secret. String never shows the secret.
type Credential struct {
	Scheme string
	Auth   []byte
}

func (c Credential) String() string { return c.Scheme + ":<hidden>" }

// State is the session state as zkCli's prompt names it.
type State string

const (
	StateConnecting        State = "CONNECTING"
	StateConnected         State = "CONNECTED"
	StateConnectedReadOnly State = "CONNECTEDREADONLY"
	StateClosed            State = "CLOSED"
	StateExpired           State = "EXPIRED" // until the library's new session is up
	StateAuthFailed        State = "AUTH_FAILED"
	StateNotConnected      State = "NOT_CONNECTED"
)

// ErrConnect is wrapped by every failure to reach a server.
var ErrConnect = errors.New("cannot connect")

// Session is one ZooKeeper session (re-established by the library after
// expiry, which zkc reports).
type Session struct {
	opts    Options
	conn    *zk.Conn
	connSet chan struct{} // closed once conn is set (events wait for it)
	chroot  string

	mu          sync.Mutex
	cond        *sync.Cond
	zkState     zk.State
	hasSession  bool
	everSession bool
	expired     bool // the session expired and no new one is up yet
	closed      bool
	readOnly    bool
	sessionID   int64
	dialFails   int
	lastDialErr error
	lastDialTo  string
	negotiated  time.Duration // the session timeout the server granted
	seenZxid    atomic.Int64  // the highest zxid in any reply so far (no lock: every reply sets it)
	// readOps keeps the op arrays of finished multiRead requests (*[]ReadOp)
	// for the next: allocated per request they were a seventh of a walk's
	// allocations.
	readOps sync.Pool

	rearmed <-chan struct{} // closed when the current connection's re-add is done
	// connGen counts established connections; lostGen is the one a request
	// was lost on. The library fails a lost request before it reports the
	// disconnection, so "connected" alone cannot tell the old connection
	// from the next one.
	connGen uint64
	lostGen uint64
	// continueAfterExpiry decides whether a request that waited while its
	// session expired runs on the library's new session (nil: it fails).
	continueAfterExpiry func(oldID int64) bool
	authMu              sync.Mutex // guards the four below
	authSent            int        // --auth credentials the server has taken
	authDone            bool
	authErr             error
	added               []Credential // taken by AddAuth (addauth in the shell or a script)
	// saslErr is the last connection's SASL failure when it is final (the
	// credentials were refused or the mechanism cannot go on);
	// saslIdentity who the connection is authenticated as.
	saslErr      error
	saslIdentity string

	events     *eventQueue
	persistent *watchRegistry
}

// Open connects and, unless the caller asks otherwise, waits until a session
// is established or every host has failed once (or, with WaitForConnection,
// until the timeout).
func Open(ctx context.Context, opts Options) (*Session, error) {
	s := newSession(opts)
	if err := s.connect(); err != nil {
		return nil, err
	}
	if err := s.waitFirstSession(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenAsync connects without waiting: the shell and scripts use it so the
// prompt shows CONNECTING and requests queue until the session is up.
func OpenAsync(opts Options) (*Session, error) {
	s := newSession(opts)
	if err := s.connect(); err != nil {
		return nil, err
	}
	return s, nil
}

func newSession(opts Options) *Session {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	s := &Session{opts: opts, chroot: opts.Target.Chroot, zkState: zk.StateDisconnected, connSet: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	s.events = newEventQueue()
	s.persistent = newWatchRegistry()
	return s
}

func (s *Session) connect() error {
	if err := s.prepareSASL(); err != nil {
		close(s.connSet)
		return err
	}
	logger := log.New(io.Discard, "", 0)
	if s.opts.Debug != nil {
		logger = log.New(s.opts.Debug, "zk: ", log.LstdFlags|log.Lmicroseconds)
	}
	base := s.opts.Dialer
	if base == nil {
		base = net.DialTimeout
	}
	var conn *zk.Conn
	var err error
	// Two calls: the options' type is not exported, so they cannot be
	// gathered in a slice.
	if s.opts.Auxiliary {
		conn, _, err = zk.Connect(s.opts.Target.Hosts, s.opts.Timeout,
			zk.WithLogger(logger),
			zk.WithEventCallback(s.onEvent),
			zk.WithDialer(s.dialer(base)),
			zk.WithMaxBufferSize(smallBuffer),
			zk.WithMaxConnBufferSize(smallBuffer),
		)
	} else {
		conn, _, err = zk.Connect(s.opts.Target.Hosts, s.opts.Timeout,
			zk.WithLogger(logger),
			zk.WithEventCallback(s.onEvent),
			zk.WithDialer(s.dialer(base)),
		)
	}
	if err != nil {
		close(s.connSet)
		return fmt.Errorf("%w: %v", ErrConnect, err)
	}
	s.conn = conn
	close(s.connSet)
	return nil
}

// dialer wraps the real dialer to remember why hosts failed, so that zkc can
// name the host and the reason ("connection refused") instead of the
// library's generic "could not connect to a server".
func (s *Session) dialer(base zk.Dialer) zk.Dialer {
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		if err := s.saslRefused(); err != nil {
			// Never try refused credentials again (a server may lock the
			// account); the library keeps calling the dialer until Close.
			return nil, err
		}
		// Each host gets the Java client's connect timeout, session timeout
		// / number of hosts, for the dial and the session handshake
		// together; then the library moves on to the next host.
		budget := s.hostBudget()
		start := time.Now()
		c, err := base(network, address, min(timeout, budget))
		if err != nil {
			s.mu.Lock()
			s.dialFails++
			s.lastDialErr = err
			s.lastDialTo = address
			s.cond.Broadcast()
			s.mu.Unlock()
			return nil, err
		}
		_, isTLS := c.(*tls.Conn)
		c = newFrameConn(c, start.Add(budget), s.setNegotiated, s.noteZxid)
		// Remember why a connection died before the server answered (TLS
		// client-certificate refusals, plaintext on a TLS port): tlsdial.go.
		c = &firstReadConn{Conn: c, onError: func(err error) {
			s.mu.Lock()
			if !s.closed {
				s.lastDialErr, s.lastDialTo = handshakeReadError(err, isTLS), address
			}
			s.mu.Unlock()
		}}
		if s.opts.SASL != nil {
			c = s.newSASLConn(c, address)
		}
		if s.opts.ReadOnly {
			c = newReadOnlyConn(c, s.setReadOnly, func() { s.readOnlyRefused(address) })
		}
		return c, nil
	}
}

// hostBudget is the time one host gets to dial and answer the session
// handshake: the negotiated (else the requested) session timeout divided by
// the number of hosts, as the Java client's connectTimeout.
func (s *Session) hostBudget() time.Duration {
	s.mu.Lock()
	t := s.negotiated
	s.mu.Unlock()
	if t <= 0 {
		t = s.opts.Timeout
	}
	return t / time.Duration(max(1, len(s.opts.Target.Hosts)))
}

func (s *Session) setNegotiated(t time.Duration) {
	s.mu.Lock()
	s.negotiated = t
	s.mu.Unlock()
}

// noteZxid keeps the highest zxid any reply carried (resolve.go).
func (s *Session) noteZxid(zxid int64) {
	for {
		seen := s.seenZxid.Load()
		if zxid <= seen || s.seenZxid.CompareAndSwap(seen, zxid) {
			return
		}
	}
}

// readOnlyRefused records why a read-only server dropped the handshake.
func (s *Session) readOnlyRefused(address string) {
	s.mu.Lock()
	s.lastDialErr = errors.New("the server is read-only and refuses new sessions (it needs localSessionsEnabled=true)")
	s.lastDialTo = address
	s.mu.Unlock()
}

func (s *Session) setReadOnly(ro bool) {
	s.mu.Lock()
	s.readOnly = ro
	s.mu.Unlock()
}

// onEvent runs on the library's receive goroutine: it must never block.
func (s *Session) onEvent(ev zk.Event) {
	// The library starts connecting inside zk.Connect, so the first events
	// can come before s.conn is set; Connect returns at once, so this wait
	// is short.
	<-s.connSet
	s.mu.Lock()
	wasSession := s.hasSession
	var rearm chan struct{}
	if ev.Type == zk.EventSession {
		s.zkState = ev.State
		switch ev.State {
		case zk.StateHasSession:
			s.hasSession, s.everSession, s.expired = true, true, false
			s.dialFails = 0
			s.sessionID = s.conn.SessionID()
			s.connGen++
			// Set before any waiting command can run (it holds s.mu now).
			rearm = make(chan struct{})
			s.rearmed = rearm
		case zk.StateConnected:
			// TCP is up; the handshake follows.
		case zk.StateDisconnected, zk.StateConnecting:
			if s.hasSession {
				s.hasSession = false
			} else if ev.State == zk.StateDisconnected && !s.closed {
				// The handshake failed on an open TCP connection (wrong
				// protocol, a TLS port, a server not serving yet).
				s.dialFails++
				if s.lastDialErr == nil || s.lastDialTo != ev.Server {
					s.lastDialErr = errors.New("connection closed during the handshake")
					s.lastDialTo = ev.Server
				}
			}
		case zk.StateExpired:
			s.hasSession, s.expired = false, true
		case zk.StateAuthFailed:
			s.hasSession = false
		}
		s.cond.Broadcast()
	}
	// Queue the event before releasing s.mu: a command woken by this state
	// change then runs after its event is queued, so scripts print events in
	// a deterministic place (the queue's own lock never takes s.mu).
	if out, ok := s.translate(ev, wasSession); ok {
		s.events.push(out)
	}
	s.mu.Unlock()
	if rearm != nil {
		// Persistent watches are forgotten by the library on every reconnect
		// (and are gone with an expired session): re-add them. Commands wait
		// for this (do), so none runs before its watches are back.
		go func() {
			defer close(rearm)
			s.rearmPersistent()
		}()
	}
}

func (s *Session) waitFirstSession(ctx context.Context) error {
	deadline := time.Now().Add(s.opts.Timeout)
	defer s.wakeWaiters(ctx, s.opts.Timeout)()

	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.hasSession {
			return nil
		}
		if s.zkState == zk.StateAuthFailed {
			return fmt.Errorf("%w: authentication failed", ErrAuthFailed)
		}
		if s.saslErr != nil {
			return s.saslErr
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		onePass := s.dialFails >= len(s.opts.Target.Hosts)
		if (!s.opts.WaitForConnection && onePass) || time.Now().After(deadline) {
			s.explainLocked()
			return s.connectErrorLocked(time.Now().After(deadline))
		}
		s.cond.Wait()
	}
}

// explainLocked asks a server that closed the session handshake why
// (probe.go), with s.mu released meanwhile: the library's callbacks need it.
func (s *Session) explainLocked() {
	var hc *handshakeClosedError
	if !errors.As(s.lastDialErr, &hc) || hc.hint != "" {
		return
	}
	addr := s.lastDialTo
	s.mu.Unlock()
	hint := explainClosedHandshake(addr, s.opts.ReadOnly, time.Second)
	s.mu.Lock()
	if errors.As(s.lastDialErr, &hc) && hc.hint == "" && s.lastDialTo == addr {
		hc.hint = hint
	}
}

func (s *Session) connectErrorLocked(timedOut bool) error {
	target := s.opts.Target.HostList()
	if len(s.opts.Target.Hosts) > 1 {
		target = "any of " + target
	}
	switch {
	case s.lastDialErr != nil && len(s.opts.Target.Hosts) == 1:
		return fmt.Errorf("zkc: %w to %s: %s", ErrConnect, s.lastDialTo, describeDialError(s.lastDialErr))
	case s.lastDialErr != nil:
		return fmt.Errorf("zkc: %w to %s (last: %s: %s)", ErrConnect, target, s.lastDialTo, describeDialError(s.lastDialErr))
	case timedOut:
		return fmt.Errorf("zkc: %w to %s: no session within %v", ErrConnect, target, s.opts.Timeout)
	}
	return fmt.Errorf("zkc: %w to %s", ErrConnect, target)
}

func describeDialError(err error) string {
	if d := describeTLSError(err); d != "" {
		return d
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
		var sys interface{ Unwrap() error }
		if errors.As(err, &sys) && sys.Unwrap() != nil {
			err = sys.Unwrap()
		}
	}
	return err.Error()
}

// ErrAuthFailed is returned when the server rejects a credential.
var ErrAuthFailed = errors.New("authentication failed")

// waitReady blocks until the session is connected, for at most the session
// timeout: commands issued while the connection is being re-established wait
// for it instead of failing, as zkCli's do. After a request was lost, only a
// newer connection counts: the library fails the request before it reports
// the disconnection, and a command sent in between would be lost too.
func (s *Session) waitReady(ctx context.Context) error {
	return s.waitUntil(ctx, func() bool { return s.hasSession && s.connGen > s.lostGen })
}

// WaitConnected is waitReady for callers outside the package: after a lost
// connection, a script uses it to learn whether the session came back or
// expired before it reports.
func (s *Session) WaitConnected(ctx context.Context) error { return s.waitReady(ctx) }

// wakeWaiters makes s.cond's waiters check again when ctx ends or d has
// passed (sync.Cond has neither); call the returned func when done waiting.
func (s *Session) wakeWaiters(ctx context.Context, d time.Duration) (stop func()) {
	wake := func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	}
	timer := time.AfterFunc(d, wake)
	stopCtx := context.AfterFunc(ctx, wake)
	return func() {
		timer.Stop()
		stopCtx()
	}
}

// waitUntil waits for ready (called with s.mu held), the session's close,
// an authentication failure, ctx or the session timeout.
func (s *Session) waitUntil(ctx context.Context, ready func() bool) error {
	s.mu.Lock()
	if ready() || s.closed {
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	defer s.wakeWaiters(ctx, s.opts.Timeout)()
	defer s.noticeWaiting(ctx, ready)()
	deadline := time.Now().Add(s.opts.Timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for !ready() && !s.closed {
		if s.zkState == zk.StateAuthFailed {
			return zk.ErrAuthFailed
		}
		if s.saslErr != nil {
			return s.saslErr
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return zk.ErrNoServer
		}
		s.cond.Wait()
	}
	return nil
}

// State is the prompt's view of the session.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return StateClosed
	case s.zkState == zk.StateAuthFailed, s.saslErr != nil:
		return StateAuthFailed
	case s.hasSession && s.readOnly:
		return StateConnectedReadOnly
	case s.hasSession:
		return StateConnected
	case s.expired:
		return StateExpired
	}
	return StateConnecting
}

// SetContinueAfterExpiry sets what happens to a request that waited for the
// connection while its session expired: with fn returning true it runs on
// the new session (fn first tells the user of the expiry); otherwise, and
// by default, it fails with "Session expired". fn runs on the request's
// goroutine.
func (s *Session) SetContinueAfterExpiry(fn func(oldID int64) bool) {
	s.mu.Lock()
	s.continueAfterExpiry = fn
	s.mu.Unlock()
}

// SessionID is the current session's id (0 before the first session).
func (s *Session) SessionID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionID
}

// Target is the connect string this session was opened with.
func (s *Session) Target() Target { return s.opts.Target }

// Timeout is the requested session timeout.
func (s *Session) Timeout() time.Duration { return s.opts.Timeout }

// Server is the host:port currently (or last) connected to.
func (s *Session) Server() string { return s.conn.Server() }

// Close ends the session on the server, so its ephemeral nodes vanish at once.
func (s *Session) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.cond.Broadcast()
	connected := s.hasSession
	s.mu.Unlock()
	if connected {
		s.conn.Close() // sends closeSession: the ephemeral nodes go at once
	} else {
		// Nothing can reach the server now, and the library's Close waits
		// a second for a close request it cannot send: a command that
		// failed to connect would exit a second past its timeout.
		go s.conn.Close()
	}
	s.events.close()
}

// Closed reports whether Close was called.
func (s *Session) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// applyInitialAuth sends the --auth/ZKC_AUTH credentials once, before the
// first operation; the library re-sends them after every reconnect. One
// lost with its connection is sent again on the next (credentials belong to
// a connection), so a failover then cannot fail every later command.
func (s *Session) applyInitialAuth(ctx context.Context) error {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	for !s.authDone && s.authSent < len(s.opts.Auth) {
		if err := s.addAuth(s.opts.Auth[s.authSent]); err != nil {
			if connLost(err) {
				return err
			}
			s.authDone, s.authErr = true, err
			break
		}
		s.authSent++
	}
	s.authDone = true
	return s.authErr
}
