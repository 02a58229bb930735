package session

import (
	"context"
	"sync"
)

// Manager holds the current session and replaces it on connect/close. The
// session is opened on first use, so offline commands never dial.
type Manager struct {
	mu     sync.Mutex
	opts   Options
	cur    *Session
	closed bool           // close before any session: commands say Not connected until Reconnect
	async  bool           // shell/scripts: do not wait for the first connection
	onOpen func(*Session) // e.g. the shell subscribes its event printer
}

// NewManager prepares sessions with opts. With async, Session returns at once
// and requests wait for the connection (zkCli's interactive behaviour).
func NewManager(opts Options, async bool, onOpen func(*Session)) *Manager {
	return &Manager{opts: opts, async: async, onOpen: onOpen}
}

// Session returns the current session, opening one if there is none.
func (m *Manager) Session(ctx context.Context) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != nil {
		return m.cur, nil
	}
	if m.closed {
		return nil, ErrNotConnected
	}
	return m.openLocked(ctx)
}

func (m *Manager) openLocked(ctx context.Context) (*Session, error) {
	var s *Session
	var err error
	if m.async {
		s, err = OpenAsync(m.opts)
	} else {
		s = newSession(m.opts)
		if m.onOpen != nil {
			// Subscribe before connecting so the first events are seen.
			m.onOpen(s)
		}
		if err = s.connect(); err == nil {
			if err = s.waitFirstSession(ctx); err != nil {
				s.Close()
			}
		}
		if err != nil {
			return nil, err
		}
		m.cur = s
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if m.onOpen != nil {
		m.onOpen(s)
	}
	m.cur = s
	return s, nil
}

// Current is the open session, or nil.
func (m *Manager) Current() *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur
}

// Options returns the options new sessions get.
func (m *Manager) Options() Options {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.opts
}

// Reconnect closes the current session and opens one to server (or, when
// server is "", to the same connect string).
func (m *Manager) Reconnect(ctx context.Context, server string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if server != "" {
		t, err := ParseConnectString(server)
		if err != nil {
			return err
		}
		m.opts.Target = t
	}
	if m.cur != nil {
		m.cur.Close()
		m.cur = nil
	}
	m.closed = false
	_, err := m.openLocked(ctx)
	return err
}

// Close ends the current session; the next command opens a new one only
// after connect (Session keeps returning the closed one until then).
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	if m.cur != nil {
		m.cur.Close()
	}
}

// OpenOther opens a session of its own to another connect string with this
// manager's settings (TLS, credentials, timeouts), for commands that work on
// two ensembles at once (cp, diff). The caller closes it.
func (m *Manager) OpenOther(ctx context.Context, server string) (*Session, error) {
	t, err := ParseConnectString(server)
	if err != nil {
		return nil, err
	}
	opts := m.Options()
	opts.Target = t
	return Open(ctx, opts)
}
