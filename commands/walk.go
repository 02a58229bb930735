package commands

import (
	"container/heap"
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// Walk limits: requests in flight on the one connection, and nodes whose
// children are fetched but not yet consumed (this bounds memory on huge trees).
const (
	walkInFlight   = 128
	walkLookahead  = 4096
	walkRootPathID = "/"
)

// walkNode is a znode whose children are being (or have been) fetched.
type walkNode struct {
	path     string
	launched bool
	done     chan struct{}
	kids     []*walkNode // sorted by name
	err      error
}

// Walk visits every node under root in zkCli's `ls -R` order (a node's sorted
// children are listed before recursing into each): visit gets the node's path
// and its sorted children's full paths. getChildren requests run many at a
// time, scheduled in visiting order so output streams as soon as order
// allows, and at most walkLookahead fetched lists wait in memory.
// With watch, a child watch is left on every node visited (ls -R -w).
// A node deleted during the walk is treated as having no children.
func Walk(ctx context.Context, s *session.Session, root string, watch bool, visit func(path string, kids []string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	w := &walker{s: s, watch: watch, ctx: ctx, sem: make(chan struct{}, walkInFlight)}
	w.cond = sync.NewCond(&w.mu)
	defer func() {
		cancel()
		w.mu.Lock()
		w.stopped = true
		w.cond.Broadcast()
		w.mu.Unlock()
		w.wg.Wait() // no goroutine outlives the walk
	}()
	w.wg.Add(1)
	go w.dispatch()

	rootNode := &walkNode{path: root, done: make(chan struct{})}
	w.mu.Lock()
	w.launchLocked(rootNode)
	w.mu.Unlock()

	stack := []*walkNode{rootNode}
	first := true
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		w.mu.Lock()
		if !n.launched {
			w.launchLocked(n) // the consumer needs it now: skip the queue
		}
		w.mu.Unlock()
		select {
		case <-n.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		w.mu.Lock()
		w.buffered--
		w.cond.Broadcast()
		w.mu.Unlock()
		if n.err != nil {
			if first || !errors.Is(n.err, zk.ErrNoNode) {
				return &walkError{path: n.path, err: n.err}
			}
		}
		first = false
		kidPaths := make([]string, len(n.kids))
		for i, k := range n.kids {
			kidPaths[i] = k.path
		}
		if err := visit(n.path, kidPaths); err != nil {
			return err
		}
		for i := len(n.kids) - 1; i >= 0; i-- {
			stack = append(stack, n.kids[i])
		}
		n.kids = nil
	}
	return nil
}

// walkError carries the path a walk failed on, for zkCli's message.
type walkError struct {
	path string
	err  error
}

func (e *walkError) Error() string { return e.path + ": " + e.err.Error() }
func (e *walkError) Unwrap() error { return e.err }

// walkErr words a Walk error with the node it failed on.
func walkErr(err error, root string) error {
	var we *walkError
	if errors.As(err, &we) {
		return ZKError(we.err, we.path)
	}
	return ZKError(err, root)
}

type walker struct {
	s     *session.Session
	watch bool
	ctx   context.Context
	sem   chan struct{}
	wg    sync.WaitGroup

	mu       sync.Mutex
	cond     *sync.Cond
	pending  nodeHeap
	buffered int
	stopped  bool
}

func (w *walker) launchLocked(n *walkNode) {
	n.launched = true
	w.buffered++
	w.wg.Add(1)
	go w.fetch(n)
}

// dispatch launches discovered nodes in visiting order while the lookahead allows.
func (w *walker) dispatch() {
	defer w.wg.Done()
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for !w.stopped && (w.pending.Len() == 0 || w.buffered >= walkLookahead) {
			w.cond.Wait()
		}
		if w.stopped {
			return
		}
		n := heap.Pop(&w.pending).(*walkNode)
		if !n.launched {
			w.launchLocked(n)
		}
	}
}

func (w *walker) fetch(n *walkNode) {
	defer w.wg.Done()
	select {
	case w.sem <- struct{}{}:
	case <-w.ctx.Done():
		n.err = w.ctx.Err()
		close(n.done)
		return
	}
	names, _, err := w.s.Children(w.ctx, n.path, w.watch)
	<-w.sem
	if err == nil {
		sort.Strings(names)
		n.kids = make([]*walkNode, len(names))
		for i, name := range names {
			n.kids[i] = &walkNode{path: childPath(n.path, name), done: make(chan struct{})}
		}
	}
	n.err = err
	w.mu.Lock()
	for _, k := range n.kids {
		heap.Push(&w.pending, k)
	}
	w.cond.Broadcast()
	w.mu.Unlock()
	close(n.done)
}

func childPath(parent, name string) string {
	if parent == walkRootPathID {
		return "/" + name
	}
	return parent + "/" + name
}

// treeLess orders paths as the walk visits them: component by component,
// which is byte order with '/' ranked below every other character.
func treeLess(a, b string) bool {
	n := len(a)
	if len(b) < n {
		n = len(b)
	}
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca == '/' {
			ca = 0
		}
		if cb == '/' {
			cb = 0
		}
		return ca < cb
	}
	return len(a) < len(b)
}

type nodeHeap []*walkNode

func (h nodeHeap) Len() int            { return len(h) }
func (h nodeHeap) Less(i, j int) bool  { return treeLess(h[i].path, h[j].path) }
func (h nodeHeap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x interface{}) { *h = append(*h, x.(*walkNode)) }
func (h *nodeHeap) Pop() interface{} {
	old := *h
	n := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return n
}
