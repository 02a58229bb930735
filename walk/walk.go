// Package walk is zkc's concurrent tree walker, shared by every recursive
// command (ls -R, deleteall, setAcl -R, quota checks, and the tree tools):
// it visits a subtree in zkCli's `ls -R` order while keeping many requests in
// flight on the session's one connection.
package walk

import (
	"context"
	"errors"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// Reader is what the walker needs of a session; *session.Session has it, and
// tests may pass a fake.
type Reader interface {
	Children(ctx context.Context, path string, watch bool) ([]string, *zk.Stat, error)
	// MultiReadInto runs getChildren/getData ops in one request (ZooKeeper
	// 3.6+), decoding into into's memory when it has room; after an error
	// into is not used again (a late reply may still be decoded into it).
	MultiReadInto(ctx context.Context, ops []session.ReadOp, into []session.ReadResult) ([]session.ReadResult, error)
	Get(ctx context.Context, path string, watch bool) ([]byte, *zk.Stat, error)
	GetACL(ctx context.Context, path string) ([]zk.ACL, *zk.Stat, error)
}

// Options tune a walk; the zero value is the default every recursive
// command uses.
type Options struct {
	// Watch leaves a child watch on every node visited (ls -R -w). multiRead
	// sets no watches, so a watching walk uses plain getChildren requests.
	Watch bool
	// Data also fetches each node's data and stat (Node.Data, Node.Stat).
	// The data comes first; the children are asked for only where the stat
	// counts some, so a tree of mostly leaves costs about one request per
	// node, as a plain walk does.
	Data bool
	// KeepGoing visits a node the server refused to read (NoAuth, ...) with
	// Node.Err set and no children, and goes on with the rest of the tree,
	// instead of ending the walk there. Connection trouble still ends it.
	KeepGoing bool
	// Levels, when > 0, limits the walk to nodes fewer than Levels levels
	// below root: 1 visits root alone, 2 root and its children. Nodes at the
	// limit are visited (with Data, their stat still counts their children)
	// but not expanded.
	Levels int
	// ACL also fetches each node's ACL (Node.ACL, and Node.Stat when Data is
	// off), one getACL request per node (multiRead has no getACL).
	ACL bool
	// InFlight is how many requests are outstanding at once (default
	// DefaultInFlight, or DefaultMultiInFlight with multiRead batches).
	InFlight int
	// Batch is how many nodes go in one multiRead request (ZooKeeper 3.6+;
	// the walk falls back to plain requests on older servers). 0 means
	// DefaultBatch; 1 disables multiRead.
	Batch int
	// Lookahead bounds the work fetched ahead of the visit, counted in
	// nodes: every node known and not yet visited counts 1 (from its
	// parent's reply to its own visit), and a node being fetched also the
	// children expected of it (its siblings' or depth's average so far)
	// (default DefaultLookahead). Memory is thus O(Lookahead + depth ×
	// fan-out), the second term being the visit's own stack, which zkCli
	// holds too.
	Lookahead int
}

// Defaults, chosen with `make bench` and BenchmarkWalk on 200,000 nodes
// (README, Performance): big multiRead batches pay (fewer, larger requests
// for the server and the client alike), and the lookahead, which counts
// the children expected from requests in flight, keeps memory bounded.
const (
	DefaultInFlight      = 128 // plain getChildren in flight
	DefaultMultiInFlight = 16  // multiRead requests in flight with data or ACLs
	// DefaultListInFlight multiRead requests are in flight in a listing
	// walk (no data, no ACLs): the server answers a session's requests one
	// after the other, and 8 batches of names keep it as busy as 16 did,
	// with half the replies in memory (3 MB less at 200,000 nodes, 5 MB at
	// 1,000,000).
	DefaultListInFlight = 8
	DefaultBatch        = 1024 // nodes per multiRead
	DefaultLookahead    = 16384
)

// Node is one visited znode.
type Node struct {
	Path string
	Kids []string // the children's full paths, sorted
	// Gone: the node was deleted during the walk (never the root, whose
	// NoNode is the walk's error). Kids, Data, Stat and ACL are then empty.
	Gone bool
	Data []byte   // with Options.Data
	Stat *zk.Stat // with Options.Data or Options.ACL
	ACL  []zk.ACL // with Options.ACL
	// Depth is how many levels the node lies below root (root: 0).
	Depth int
	// Err, with Options.KeepGoing, is why the node could not be read
	// (zk.ErrNoAuth, ...); its subtree is then not visited.
	Err error
}

// Walk visits every node under root in zkCli's `ls -R` order: visit gets a
// node's path and its children's full paths, sorted, and the nodes are
// visited in pre-order (a node's sorted children are listed before recursing
// into each); kids is the visit's until it returns (the slice is reused).
// Requests are pipelined on the session's one connection, batched into
// multiRead requests where the server has them, and scheduled in visiting
// order, so visit is called as soon as order allows and about Lookahead
// nodes (never more than twice that, besides those in flight) wait in
// memory.
//
// A node deleted during the walk is treated as having no children (except
// the root: its NoNode is returned). Any other error stops the walk and is
// returned as *Error, after every node before it was visited. visit's own
// error stops the walk and is returned as is. When Walk returns, none of its
// goroutines is left running. visit runs on the caller's goroutine.
func Walk(ctx context.Context, r Reader, root string, o Options, visit func(path string, kids []string) error) error {
	return Nodes(ctx, r, root, o, func(n *Node) error { return visit(n.Path, n.Kids) })
}

// Nodes is Walk handing over each node whole: with Options.Data and
// Options.ACL, its data, stat and ACL too. The *Node and its Kids slice are
// the visit's until it returns (they are reused for the next node; the
// strings, Data, Stat and ACL are not).
func Nodes(ctx context.Context, r Reader, root string, o Options, visit func(n *Node) error) error {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.Watch {
		o.Batch = 1
	}
	if o.InFlight <= 0 {
		switch {
		case o.Batch > 1 && (o.Data || o.ACL):
			o.InFlight = DefaultMultiInFlight
		case o.Batch > 1:
			o.InFlight = DefaultListInFlight
		default:
			o.InFlight = DefaultInFlight
		}
	}
	if o.Lookahead <= 0 {
		o.Lookahead = DefaultLookahead
	}
	if o.Lookahead < o.Batch {
		o.Lookahead = o.Batch
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &walker{r: r, o: o, ctx: ctx, dataBatch: min(o.Batch, 16)}
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
	top := []walkNode{{path: root}}
	w.top = &walkNode{fetched: true, fam: &family{kids: top, sched: top}}
	rootNode := &top[0]
	w.pending = 1
	w.buffered = 1 // the root, as if its parent had been fetched
	for i := 0; i < o.InFlight; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.worker()
		}()
	}

	// ready marks stack entries known to be fetched: the visitor visits
	// them without the walker's lock, and takes them out of the lookahead
	// in batches (unsettled).
	type entry struct {
		n     *walkNode
		ready bool
	}
	stack := []entry{{n: rootNode}}
	unsettled := 0
	defer func() { w.visited(unsettled) }()
	// One Node for every visit (the visit's until it returns): a node
	// apiece was a fifth of a walk's allocations.
	node := &Node{}
	for len(stack) > 0 {
		// Fetched lists may be waiting in memory: Ctrl-C must still stop
		// the output at once.
		if err := ctx.Err(); err != nil {
			return err
		}
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, readyKids := e.n, 0
		if e.ready {
			unsettled += 1 + n.weight()
			if unsettled >= visitedBatch {
				w.visited(unsettled)
				unsettled = 0
			}
		} else {
			w.visited(unsettled)
			unsettled = 0
			var err error
			if readyKids, err = w.await(n); err != nil {
				return err
			}
		}
		nerr := n.fetchErr()
		gone := nerr != nil && errors.Is(nerr, zk.ErrNoNode)
		refused := nerr != nil && !gone && o.KeepGoing && !connectionTrouble(nerr)
		if nerr != nil && (n == rootNode && gone || !gone && !refused) {
			return &Error{Path: n.path, Err: nerr}
		}
		kids := node.Kids[:0]
		*node = Node{Path: n.path, Gone: gone, Depth: int(n.depth)}
		nkids := n.kids()
		for i := range nkids {
			kids = append(kids, nkids[i].path)
		}
		node.Kids = kids
		if c := n.content; c != nil {
			node.Data, node.Stat, node.ACL = c.data, c.stat, c.acl
		}
		if refused {
			node.Err = nerr
		}
		if err := visit(node); err != nil {
			return err
		}
		for i := len(nkids) - 1; i >= 0; i-- {
			stack = append(stack, entry{n: &nkids[i], ready: i < readyKids})
		}
		if n.fam != nil {
			n.fam.kids = nil
		}
		n.content = nil
	}
	return nil
}

// Error is a walk's failure on one node.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ChildPath joins a parent path and a child's name.
func ChildPath(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// Less orders paths as the walk visits them (pre-order): component by
// component, which is byte order with '/' ranked below every other byte.
// Two sorted walks can be merged with it (diff).
func Less(a, b string) bool {
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

// connectionTrouble reports errors that say nothing about multiRead support
// (the connection, the session or the caller gave up), after which the walk
// must not fall back to plain requests.
func connectionTrouble(err error) bool {
	var lost *session.LostError
	return errors.As(err, &lost) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, zk.ErrSessionExpired) || errors.Is(err, zk.ErrConnectionClosed) || errors.Is(err, zk.ErrNoServer) ||
		errors.Is(err, zk.ErrClosing) || errors.Is(err, zk.ErrSessionMoved) ||
		errors.Is(err, session.ErrNotConnected) || errors.Is(err, session.ErrConnect)
}
