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

// WalkOptions tune Walk; the zero value is the default every recursive
// command uses.
type WalkOptions struct {
	// Watch leaves a child watch on every node visited (ls -R -w). multiRead
	// sets no watches, so a watching walk uses plain getChildren requests.
	Watch bool
	// InFlight is how many requests are outstanding at once (default
	// walkInFlight, or walkMultiInFlight with multiRead batches).
	InFlight int
	// Batch is how many getChildren go in one multiRead request (ZooKeeper
	// 3.6+; the walk falls back to plain requests on older servers). 0 means
	// walkBatch; 1 disables multiRead.
	Batch int
	// Lookahead bounds the work fetched ahead of the visit, counted in
	// nodes: a fetched node not yet visited counts 1 plus its children
	// (default walkLookahead). Memory is thus O(Lookahead + depth × fan-out),
	// the second term being the visit's own stack, which zkCli holds too.
	Lookahead int
}

// Walk defaults, chosen with `make bench` (README, Performance).
const (
	walkInFlight      = 128 // plain getChildren in flight
	walkMultiInFlight = 8   // multiRead requests in flight
	walkBatch         = 128 // getChildren per multiRead
	walkLookahead     = 65536
)

// Walk visits every node under root in zkCli's `ls -R` order: visit gets a
// node's path and its children's full paths, sorted, and the nodes are visited
// in pre-order (a node's sorted children are listed before recursing into
// each). Requests are pipelined on the session's one connection, batched
// into multiRead requests where the server has them, and scheduled in
// visiting order, so visit is called as soon as order allows and at most
// Lookahead fetched nodes wait in memory.
//
// A node deleted during the walk is treated as having no children (except
// the root: its NoNode is returned). Any other error stops the walk and is
// returned as *WalkError, after every node before it was visited. visit's own
// error stops the walk and is returned as is. When Walk returns, none of its
// goroutines is left running. visit runs on the caller's goroutine.
//
// watch is WalkOptions.Watch; WalkWith takes the other options.
func Walk(ctx context.Context, s *session.Session, root string, watch bool, visit func(path string, kids []string) error) error {
	return WalkWith(ctx, s, root, WalkOptions{Watch: watch}, visit)
}

// WalkWith is Walk with options.
func WalkWith(ctx context.Context, s *session.Session, root string, o WalkOptions, visit func(path string, kids []string) error) error {
	if o.Batch <= 0 {
		o.Batch = walkBatch
	}
	if o.Watch {
		o.Batch = 1
	}
	if o.InFlight <= 0 {
		o.InFlight = walkInFlight
		if o.Batch > 1 {
			o.InFlight = walkMultiInFlight
		}
	}
	if o.Lookahead <= 0 {
		o.Lookahead = walkLookahead
	}
	if o.Lookahead < o.Batch {
		o.Lookahead = o.Batch
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &walker{s: s, o: o, ctx: ctx}
	w.work = sync.NewCond(&w.mu)
	w.ready = sync.NewCond(&w.mu)
	stopWake := context.AfterFunc(ctx, w.stop)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		stopWake()
		w.stop()
		wg.Wait() // no goroutine outlives the walk
	}()
	rootNode := &walkNode{path: root}
	w.mu.Lock()
	heap.Push(&w.pending, rootNode)
	w.mu.Unlock()
	for i := 0; i < o.InFlight; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.worker()
		}()
	}

	stack := []*walkNode{rootNode}
	for len(stack) > 0 {
		// Fetched lists may be waiting in memory: Ctrl-C must still stop
		// the output at once.
		if err := ctx.Err(); err != nil {
			return err
		}
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := w.await(n); err != nil {
			return err
		}
		if n.err != nil && (n == rootNode || !errors.Is(n.err, zk.ErrNoNode)) {
			return &WalkError{Path: n.path, Err: n.err}
		}
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

// WalkError is a walk's failure on one node.
type WalkError struct {
	Path string
	Err  error
}

func (e *WalkError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *WalkError) Unwrap() error { return e.Err }

// walkErr words a Walk error with the node it failed on.
func walkErr(err error, root string) error {
	var we *WalkError
	if errors.As(err, &we) {
		return ZKError(we.Err, we.Path)
	}
	return ZKError(err, root)
}

// walkNode is a znode whose children are to be fetched. Its fields after
// path are guarded by walker.mu.
type walkNode struct {
	path     string
	launched bool
	fetched  bool
	kids     []*walkNode // sorted by name
	err      error
}

// walker is one walk's shared state. Workers pop the smallest pending nodes
// (in visiting order) while fewer than Lookahead fetched nodes await the
// visitor; the visitor fetches a node itself when it needs one no worker has
// taken, so a full lookahead can never stall it.
type walker struct {
	s   *session.Session
	o   WalkOptions
	ctx context.Context

	mu       sync.Mutex
	work     *sync.Cond // workers: pending nodes or lookahead room
	ready    *sync.Cond // visitor: a node was fetched
	pending  nodeHeap
	buffered int // launched, not yet visited: 1 + its children each
	stopped  bool
	noMulti  bool // the server lacks multiRead
}

func (w *walker) stop() {
	w.mu.Lock()
	w.stopped = true
	w.work.Broadcast()
	w.ready.Broadcast()
	w.mu.Unlock()
}

// await returns once n is fetched. If no worker has taken n (the lookahead is
// full of nodes further ahead), the visitor fetches it itself, with the nodes
// that follow it, past the lookahead: memory may then exceed Lookahead by
// one batch's children, but the walk never degrades to one request per node.
func (w *walker) await(n *walkNode) error {
	w.mu.Lock()
	if !n.launched {
		n.launched = true
		w.buffered++
		batch := w.popBatchLocked([]*walkNode{n}, false)
		w.mu.Unlock()
		w.fetch(batch)
		w.mu.Lock()
	}
	for !n.fetched && !w.stopped {
		w.ready.Wait()
	}
	w.buffered -= 1 + len(n.kids)
	w.work.Signal()
	w.mu.Unlock()
	if !n.fetched {
		return w.ctx.Err()
	}
	return nil
}

// walkBatchBytes caps the path bytes of one multiRead, far below the
// server's 1 MB jute.maxbuffer.
const walkBatchBytes = 256 << 10

// popBatchLocked adds the next pending nodes in visiting order to batch, up
// to the batch size (and, when capped, while the lookahead has room).
func (w *walker) popBatchLocked(batch []*walkNode, capped bool) []*walkNode {
	limit := w.o.Batch
	if w.noMulti {
		limit = 1
	}
	size := 0
	for _, n := range batch {
		size += len(n.path)
	}
	for len(batch) < limit && size < walkBatchBytes && w.pending.Len() > 0 && (!capped || w.buffered < w.o.Lookahead) {
		n := heap.Pop(&w.pending).(*walkNode)
		if n.launched {
			continue // the visitor took it
		}
		n.launched = true
		w.buffered++
		size += len(n.path)
		batch = append(batch, n)
	}
	return batch
}

func (w *walker) worker() {
	batch := make([]*walkNode, 0, w.o.Batch)
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for !w.stopped && (w.pending.Len() == 0 || w.buffered >= w.o.Lookahead) {
			w.work.Wait()
		}
		if w.stopped {
			return
		}
		batch = w.popBatchLocked(batch[:0], true)
		if len(batch) == 0 {
			continue
		}
		w.mu.Unlock()
		w.fetch(batch)
		w.mu.Lock()
	}
}

// fetch gets the children of nodes (one request each, or one multiRead)
// and publishes them to the visitor and, as pending nodes, to the workers.
func (w *walker) fetch(nodes []*walkNode) {
	kids := make([][]string, len(nodes))
	errs := make([]error, len(nodes))
	w.mu.Lock()
	multi := len(nodes) > 1 && !w.noMulti
	w.mu.Unlock()
	if multi {
		ops := make([]session.ReadOp, len(nodes))
		for i, n := range nodes {
			ops[i].Path = n.path
		}
		res, err := w.s.MultiRead(w.ctx, ops)
		switch {
		case err != nil && !isConnectionError(err) && !errors.Is(err, context.DeadlineExceeded):
			// Unimplemented (a server before 3.6), or an answer we cannot
			// decode: use plain requests from now on.
			w.mu.Lock()
			w.noMulti = true
			w.mu.Unlock()
			multi = false
		case err != nil:
			for i := range errs {
				errs[i] = err
			}
		default:
			for i, r := range res {
				kids[i], errs[i] = r.Children, r.Err
			}
		}
	}
	if !multi {
		for i, n := range nodes {
			kids[i], _, errs[i] = w.s.Children(w.ctx, n.path, w.o.Watch)
		}
	}
	made := make([][]*walkNode, len(nodes))
	for i, n := range nodes {
		if errs[i] != nil {
			continue
		}
		// Byte order is zkCli's UTF-16 order here: they differ only for
		// characters above U+FFFF, which ZooKeeper rejects in paths.
		sort.Strings(kids[i])
		made[i] = make([]*walkNode, len(kids[i]))
		for j, name := range kids[i] {
			made[i][j] = &walkNode{path: childPath(n.path, name)}
		}
	}
	w.mu.Lock()
	pushed := 0
	for i, n := range nodes {
		n.kids, n.err, n.fetched = made[i], errs[i], true
		w.buffered += len(made[i])
		for _, k := range made[i] {
			heap.Push(&w.pending, k)
			pushed++
		}
	}
	for i := 0; i < pushed && i < w.o.InFlight; i++ {
		w.work.Signal()
	}
	w.ready.Broadcast()
	w.mu.Unlock()
}

func childPath(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// treeLess orders paths as the walk visits them (pre-order): component by
// component, which is byte order with '/' ranked below every other byte.
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
