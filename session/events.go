package session

import (
	"sort"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

// Event is a watch event or a session change, named as zkCli prints them.
type Event struct {
	Type     string // None, NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged, ...
	State    string // SyncConnected, Disconnected, Expired, AuthFailed, Closed, ConnectedReadOnly
	Path     string // "" for session events (zkCli prints null)
	Received time.Time
	// SessionID is set on Expired events: the session that was lost.
	SessionID int64
	// Lost is set on Expired events: the one-shot watches the expiry ended.
	Lost []LostWatch
	// Readded is set on Expired events: the persistent watches zkc re-adds
	// on the library's new session (events in between are gone).
	Readded []LostWatch
	// Internal events come from completion's own child watches: they
	// refresh its cache and are never shown.
	Internal bool
	// Seq numbers the session's events from 1 in the order received
	// (pipelined scripts place each event after the line whose reply
	// followed it: Turn.EventMark).
	Seq uint64
}

// Keeper states and event types, as ZooKeeper's Java client names them.
const (
	KeeperSyncConnected     = "SyncConnected"
	KeeperDisconnected      = "Disconnected"
	KeeperExpired           = "Expired"
	KeeperAuthFailed        = "AuthFailed"
	KeeperClosed            = "Closed"
	KeeperConnectedReadOnly = "ConnectedReadOnly"

	EventNone = "None"
	// EventNotWatching is internal: the library dropped a one-shot watch
	// (session expired or closed). It is never printed as an event.
	EventNotWatching = "NotWatching"
)

var eventTypeNames = map[zk.EventType]string{
	zk.EventNodeCreated:         "NodeCreated",
	zk.EventNodeDeleted:         "NodeDeleted",
	zk.EventNodeDataChanged:     "NodeDataChanged",
	zk.EventNodeChildrenChanged: "NodeChildrenChanged",
	5:                           "DataWatchRemoved",
	6:                           "ChildWatchRemoved",
	7:                           "PersistentWatchRemoved",
	zk.EventNotWatching:         EventNotWatching,
}

// IsSession reports whether the event is a connection-state change.
func (e Event) IsSession() bool { return e.Type == EventNone }

// translate converts a library event. ok is false for the library's internal
// states (TCP connecting/connected) that zkCli never shows.
// It runs under s.mu with the state before this event in wasSession.
func (s *Session) translate(ev zk.Event, wasSession bool) (Event, bool) {
	out := Event{Received: time.Now()}
	if ev.Type != zk.EventSession {
		name, known := eventTypeNames[ev.Type]
		if !known {
			return out, false
		}
		out.Type, out.State, out.Path = name, KeeperSyncConnected, s.strip(ev.Path)
		// Drop only events of watches zkc removed (see watchRegistry).
		if name == EventNotWatching {
			return out, true
		}
		ok, internal := s.persistent.deliver(ev.Path, name)
		out.Internal = internal
		return out, ok
	}
	out.Type = EventNone
	switch ev.State {
	case zk.StateHasSession:
		out.State = KeeperSyncConnected
		if s.readOnly {
			out.State = KeeperConnectedReadOnly
		}
	case zk.StateDisconnected:
		if !wasSession || s.closed {
			return out, false
		}
		out.State = KeeperDisconnected
	case zk.StateExpired:
		out.State = KeeperExpired
		out.SessionID = s.sessionID
		out.Lost, out.Readded = s.persistent.expire(s.strip)
	case zk.StateAuthFailed:
		out.State = KeeperAuthFailed
	default:
		return out, false
	}
	return out, true
}

// DrainEvents waits (up to a second) until the events received so far have
// reached every subscriber: a script prints the events a line caused right
// after that line.
func (s *Session) DrainEvents() { s.events.drain(time.Second) }

// Subscribe registers fn to receive every event in order, on zkc's own
// dispatcher goroutine (never the library's). It returns the unsubscribe func.
func (s *Session) Subscribe(fn func(Event)) func() { return s.events.subscribe(fn) }

// eventQueue is unbounded: the library's callback only appends, so no event is
// ever dropped and the library's receive loop is never blocked.
type eventQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []Event
	subs   map[int]func(Event)
	nextID int
	closed bool
	done   chan struct{}
	// pushed and delivered count events, so Drain can wait for the ones
	// queued so far to reach every subscriber.
	pushed, delivered uint64
}

func newEventQueue() *eventQueue {
	q := &eventQueue{subs: map[int]func(Event){}, done: make(chan struct{})}
	q.cond = sync.NewCond(&q.mu)
	go q.dispatch()
	return q
}

func (q *eventQueue) push(e Event) {
	q.mu.Lock()
	if !q.closed {
		q.pushed++
		e.Seq = q.pushed
		q.items = append(q.items, e)
		q.cond.Broadcast()
	}
	q.mu.Unlock()
}

// drain waits until every event queued before the call has been delivered
// to the subscribers, for at most d. It must not run on the dispatcher.
func (q *eventQueue) drain(d time.Duration) { q.drainTo(q.count(), d) }

// drainTo is drain up to the event numbered target.
func (q *eventQueue) drainTo(target uint64, d time.Duration) {
	// Most calls (one per script line) find nothing to wait for: no timer.
	q.mu.Lock()
	delivered := q.delivered >= target || q.closed
	q.mu.Unlock()
	if delivered {
		return
	}
	timer := time.AfterFunc(d, func() {
		q.mu.Lock()
		q.cond.Broadcast()
		q.mu.Unlock()
	})
	defer timer.Stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.waitDelivered(target, time.Now().Add(d))
}

// waitDelivered waits, with q.mu held, until target events were delivered.
func (q *eventQueue) waitDelivered(target uint64, deadline time.Time) {
	for q.delivered < target && !q.closed && time.Now().Before(deadline) {
		q.cond.Wait()
	}
}

// count is the number of events queued so far.
func (q *eventQueue) count() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushed
}

// DrainEventsTo waits (up to a second) until events up to Seq mark have
// reached every subscriber.
func (s *Session) DrainEventsTo(mark uint64) { s.events.drainTo(mark, time.Second) }

func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
	<-q.done
}

func (q *eventQueue) subscribe(fn func(Event)) func() {
	q.mu.Lock()
	id := q.nextID
	q.nextID++
	q.subs[id] = fn
	q.mu.Unlock()
	return func() {
		q.mu.Lock()
		delete(q.subs, id)
		q.mu.Unlock()
	}
}

func (q *eventQueue) dispatch() {
	defer close(q.done)
	for {
		q.mu.Lock()
		for len(q.items) == 0 && !q.closed {
			q.cond.Wait()
		}
		if len(q.items) == 0 && q.closed {
			q.mu.Unlock()
			return
		}
		batch := q.items
		q.items = nil
		ids := make([]int, 0, len(q.subs))
		for id := range q.subs {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		subs := make([]func(Event), 0, len(ids))
		for _, id := range ids {
			subs = append(subs, q.subs[id])
		}
		q.mu.Unlock()
		for _, e := range batch {
			for _, fn := range subs {
				fn(e)
			}
		}
		q.mu.Lock()
		q.delivered += uint64(len(batch))
		q.cond.Broadcast()
		q.mu.Unlock()
	}
}
