package walk

import (
	"context"
	"strings"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// walkNode is a znode whose children are to be fetched. Its fields after
// path are guarded by walker.mu. A walk allocates one per node, so it is
// kept small (56 bytes): what only a node with children needs is in its
// family, and a node's children are one block of nodes that the visitor
// and the scheduler share.
type walkNode struct {
	path   string
	parent *walkNode
	// fam is set when the node is fetched with children (most nodes of a
	// tree are leaves and never need one).
	fam *family
	// content is what a data or ACL walk fetched, or why the fetch failed
	// (rare, so kept out of the node).
	content  *content
	depth    int32 // levels below the walk's root
	expect   int32 // the children it was expected to have when launched
	launched bool
	fetched  bool
	done     bool // fetched, and every node below it launched and fetched
}

// family is a fetched node's children, as the visitor and the scheduler
// see them.
type family struct {
	// kids are the children, sorted by name: the visitor's, dropped once
	// it has visited the node.
	kids []walkNode
	// The scheduler's view of the same children (schedule): sched[:open]
	// are done (launched, fetched, their subtrees too); sched[open:next]
	// are launched; sched[next:] wait to be. Dropped once all are done.
	sched      []walkNode
	open, next int32
	// active counts the children fetched with children of their own and
	// not done: the only ones the schedule must look into. Without it,
	// every search passed over every launched leaf still in flight, a fifth
	// of a walk's CPU.
	active int32
	// Of these children fetched so far: how many, and their children, for
	// guessing the others' (siblings are alike more often than a whole
	// level is).
	kidsFetched, grandkids int32
}

// kids are n's children for the visitor (nil for a leaf).
func (n *walkNode) kids() []walkNode {
	if n.fam == nil {
		return nil
	}
	return n.fam.kids
}

// levelCount is what fetching one depth's nodes has shown: in all, and
// lately (counts that decay with each node fetched, following the part of
// the tree being walked).
type levelCount struct {
	nodes, kids             int
	recentNodes, recentKids float64
}

// levelMemory is about how many of a depth's latest nodes its recent
// average reflects.
const levelMemory = 64

func (c *levelCount) add(kids int) {
	const keep = 1 - 1.0/levelMemory
	c.nodes++
	c.kids += kids
	c.recentNodes = c.recentNodes*keep + 1
	c.recentKids = c.recentKids*keep + float64(kids)
}

// expect is the larger of the level's averages, in all and lately.
func (c levelCount) expect() int32 {
	return max(int32((c.kids+c.nodes-1)/c.nodes), int32(c.recentKids/c.recentNodes+0.5))
}

// expectKids guesses the children of a child of parent: its siblings'
// average so far. With none fetched yet: once its depth has shown
// levelEvidence nodes, the depth's recent average; before, the largest of
// 1, its depth's averages (levelCount.expect) and the shallower depths',
// down to the first that has shown levelEvidence nodes (its recent one).
// A guess too high only delays the next batches until their replies tell;
// once one sibling is fetched, the others are judged by it. A guess of 0
// for a node no sibling vouches for would let it in for free: the walk
// fetches ahead of the visit, and the leaves of a far part of a level,
// fetched first, once made its average 0 and let the whole tree in.
func (w *walker) expectKids(parent *walkNode, depth int32) int32 {
	if parent != nil && parent.fam != nil && parent.fam.kidsFetched > 0 {
		f := parent.fam
		return (f.grandkids + f.kidsFetched - 1) / f.kidsFetched
	}
	e := int32(1)
	for d := min(int(depth), len(w.seen)-1); d >= 0; d-- {
		c := w.seen[d]
		if c.nodes >= levelEvidence {
			recent := int32(c.recentKids/c.recentNodes + 0.5)
			if d == int(depth) {
				return recent
			}
			return max(e, recent)
		}
		if c.nodes > 0 {
			e = max(e, c.expect())
		}
	}
	return e
}

// levelEvidence is how many of a depth's nodes must be fetched before its
// averages alone judge its unknown nodes.
const levelEvidence = 1024

// lookaheadFull reports whether launching more would exceed the lookahead.
func (w *walker) lookaheadFull() bool { return w.buffered+w.expected >= w.o.Lookahead }

// roomless reports whether a worker may be waiting for a visit: the
// lookahead is full, or past the cap where nothing is launched.
func (w *walker) roomless() bool { return w.lookaheadFull() || w.buffered >= 2*w.o.Lookahead }

// content is what a data or ACL walk fetched of a node (kept apart, so a
// plain walk's nodes stay small).
type content struct {
	data   []byte
	stat   *zk.Stat
	acl    []zk.ACL
	weight int // what it counts in walker.buffered, besides 1 + kids
	err    error
}

// fetchErr is why n could not be fetched, or nil.
func (n *walkNode) fetchErr() error {
	if n.content == nil {
		return nil
	}
	return n.content.err
}

// weight is what n counts in walker.buffered besides 1 + its children.
func (n *walkNode) weight() int {
	if n.content == nil {
		return 0
	}
	return n.content.weight
}

// walker is one walk's shared state. Workers take the next pending nodes in
// visiting order while the lookahead has room (and leaves even when it has
// none; see scheduler.take); the visitor fetches a node itself when it
// needs one no worker has taken, so a full lookahead can never stall it.
type walker struct {
	r   Reader
	o   Options
	ctx context.Context

	mu      sync.Mutex
	work    *sync.Cond // workers: pending nodes or lookahead room
	ready   *sync.Cond // visitor: a node was fetched
	top     *walkNode  // a fetched parent of the root: the schedule's start
	pending int        // nodes not launched whose parent is fetched
	// buffered counts the nodes known and not yet visited, each from its
	// parent's reply to its own visit (a node once: counting it again
	// when launched halved the lookahead for leaves), plus their data's
	// weight.
	buffered int
	// expected is how many children the launched nodes not yet fetched
	// will bring, judged by the nodes fetched so far at their depth: the
	// lookahead counts them before they arrive, so batches in flight
	// cannot overshoot it by their whole fan-out.
	expected int
	seen     []levelCount // per depth: nodes fetched and their children
	stopped  bool
	noMulti  bool // the server lacks multiRead
	// dataBatch is how many getData go in one multiRead: it starts small
	// and follows the data sizes seen, so a batch of big nodes never makes
	// the server build (nor the client hold) a huge response.
	dataBatch int
	// visitBatch and visitScratch are the visitor's, for the batches it
	// fetches itself.
	visitBatch   []*walkNode
	visitScratch scratch
}

func (w *walker) stop() {
	w.mu.Lock()
	w.stopped = true
	w.work.Broadcast()
	w.ready.Broadcast()
	w.mu.Unlock()
}

// await returns once n is fetched, and how many of n's first children are
// fetched too: the visitor visits those without taking the lock (a lock
// per node was a twentieth of a walk's CPU). If no worker has taken n (the
// lookahead is full of nodes further ahead, fetched while the visit was
// elsewhere), the visitor fetches it itself with the nodes that follow it,
// past the lookahead: as many as keep the children expected of them within
// a quarter of the lookahead, so memory stays bounded and the walk never
// degrades to one request per node. (Judging that by n's own expectation
// let a batch that starts with leaves run on into their parents' siblings:
// a 200,000-node walk then held 130,000 nodes at times instead of 16,384.)
func (w *walker) await(n *walkNode) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !n.launched {
		// Every node before n is visited, so n is the first pending node
		// and the batch starts with it.
		batch := w.popBatchLocked(w.visitBatch[:0], false, w.o.Batch)
		w.visitBatch = batch
		if !n.launched {
			// Not reached while the schedule holds; n is then passed
			// over when the schedule reaches it.
			n.launched = true
			batch = append([]*walkNode{n}, batch...)
		}
		w.mu.Unlock()
		w.fetch(batch, &w.visitScratch)
		clear(batch) // stale pointers would keep their siblings' blocks alive
		w.mu.Lock()
	}
	for !n.fetched && !w.stopped {
		w.ready.Wait()
	}
	w.visitedLocked(1 + n.weight())
	if !n.fetched {
		return 0, w.ctx.Err()
	}
	ready := 0
	kids := n.kids()
	for ready < len(kids) && kids[ready].fetched {
		ready++
	}
	return ready, nil
}

// visitedLocked takes visited nodes (counted with their data's weight) out
// of the lookahead. Their children count until their own visits. A worker
// is woken only when this makes room where there was none: once a visit, it
// scanned the schedule 200,000 times in a 200,000-node walk, mostly for
// nothing.
func (w *walker) visitedLocked(count int) {
	blocked := w.roomless()
	w.buffered -= count
	if blocked && !w.roomless() {
		w.work.Signal()
	}
}

// visitedBatch is how many nodes the visitor visits without the lock before
// it takes them out of the lookahead: little against the lookahead, and a
// lock per batch costs nothing.
const visitedBatch = 256

// visited takes count visited nodes out of the lookahead.
func (w *walker) visited(count int) {
	w.mu.Lock()
	w.visitedLocked(count)
	w.mu.Unlock()
}

// batchBytes caps the path bytes of one multiRead, far below the server's
// 1 MB jute.maxbuffer.
const batchBytes = 256 << 10

// popBatchLocked adds the next pending nodes in visiting order to batch, up
// to the batch size or limit if smaller. Capped, it takes only nodes
// expected to have no children once the lookahead is full, and none once
// twice the lookahead is known and not visited (guesses can be wrong: this
// bounds what they cost); uncapped (the visitor's own fetches), only as
// many as expect a quarter of the lookahead in children.
func (w *walker) popBatchLocked(batch []*walkNode, capped bool, limit int) []*walkNode {
	f := scheduler{w: w, batch: batch, limit: min(w.o.Batch, limit), capped: capped, budget: w.o.Lookahead / 4}
	if w.o.Data && w.dataBatch < f.limit {
		f.limit = w.dataBatch
	}
	if w.noMulti {
		f.limit = 1
	}
	for _, n := range batch {
		f.size += len(n.path)
	}
	if w.pending > 0 {
		f.take(w.top)
	}
	return f.batch
}

// scheduler takes pending nodes in visiting order without comparing paths:
// zkCli's order is known per parent (the node, its sorted children, then
// each child's subtree), so the schedule is the tree itself. Below a
// parent, the subtrees of its launched children come before its children
// not yet launched, in order; a launched child not yet fetched is passed
// over (its children, unknown yet, will come before the next siblings
// taken now, as they would with any ordering of what is known).
type scheduler struct {
	w      *walker
	batch  []*walkNode
	limit  int
	size   int
	capped bool
	budget int // uncapped: the children the batch may expect
}

func (f *scheduler) full() bool {
	return len(f.batch) >= f.limit || f.size >= batchBytes || f.w.pending == 0 ||
		(f.capped && f.w.buffered >= 2*f.w.o.Lookahead) // roomless
}

// take adds g's pending descendants in visiting order until the batch is
// full, and drops from g's schedule what is done.
func (f *scheduler) take(g *walkNode) {
	fam := g.fam
	for i, seen, active := fam.open, int32(0), fam.active; i < fam.next && seen < active && !f.full(); i++ {
		k := &fam.sched[i]
		if k.fetched && !k.done {
			seen++
			f.take(k)
		}
		if k.done && i == fam.open {
			fam.open++
		}
	}
	for int(fam.next) < len(fam.sched) && !f.full() {
		k := &fam.sched[fam.next]
		if k.launched {
			fam.next++
			f.w.pending--
			continue // the visitor took it
		}
		// A node is counted in the lookahead from its parent's reply, so
		// launching one expected to be a leaf adds nothing to it: only
		// the children expected of the others wait for room. Holding
		// back leaves too made the visitor fetch them itself, one round
		// trip at a time, whenever the lookahead was full. A guess of 0
		// comes from fetched siblings, or from a depth that has shown
		// levelEvidence nodes (expectKids).
		expect := f.w.expectKids(g, k.depth)
		if f.capped && expect > 0 && f.w.lookaheadFull() {
			break
		}
		if !f.capped && len(f.batch) > 0 && int(expect) > f.budget {
			break
		}
		f.budget -= int(expect)
		fam.next++
		f.w.pending--
		k.launched = true
		k.expect = expect
		f.w.expected += int(expect)
		f.size += len(k.path)
		f.batch = append(f.batch, k)
	}
	for fam.open < fam.next && fam.sched[fam.open].done {
		fam.open++
	}
	if g.fetched && int(fam.open) == len(fam.sched) {
		g.done, fam.sched = true, nil
		if g != f.w.top {
			f.w.parentOf(g).fam.active--
		}
	}
}

// parentOf is n's parent in the schedule: the walk's root hangs from top.
func (w *walker) parentOf(n *walkNode) *walkNode {
	if n.parent == nil {
		return w.top
	}
	return n.parent
}

func (w *walker) worker() {
	batch := make([]*walkNode, 0, w.o.Batch)
	var sc scratch
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for !w.stopped && w.pending == 0 {
			w.work.Wait()
		}
		if w.stopped {
			return
		}
		batch = w.popBatchLocked(batch[:0], true, w.o.Batch)
		if len(batch) == 0 {
			// Nothing may be launched before a reply or a visit makes
			// room; both signal.
			w.work.Wait()
			continue
		}
		w.mu.Unlock()
		w.fetch(batch, &sc)
		clear(batch) // stale pointers would keep their siblings' blocks alive
		w.mu.Lock()
	}
}

// scratch is one fetching goroutine's reusable slices: allocated per batch
// they were a quarter of a walk's allocations, and so of its collections.
type scratch struct {
	got  []fetched
	made [][]walkNode
	ops  []session.ReadOp
	res  []session.ReadResult
	idx  []int
	// sortNames's
	keys  []uint64
	names []string
}

// grow returns s resliced to n elements, reallocating only when too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// fetched is what one fetch learned about one node.
type fetched struct {
	kids []string
	data []byte
	stat *zk.Stat
	acl  []zk.ACL
	err  error
}

// dataBatchBytes is the data one multiRead should bring back, at most.
const dataBatchBytes = 1 << 20

// dataUnit is how many bytes of fetched data count as one node in the
// lookahead, so a walk through large nodes holds a bounded amount of data.
const dataUnit = 256

// expand reports whether n's children are to be fetched.
func (w *walker) expand(n *walkNode) bool {
	return w.o.Levels <= 0 || int(n.depth)+1 < w.o.Levels
}

// fetch gets the children (and with Options.Data/ACL the data, stat and
// ACL) of nodes (one request each, or multiRead batches) and publishes them
// to the visitor and, as pending nodes, to the workers.
func (w *walker) fetch(nodes []*walkNode, sc *scratch) {
	got := grow(sc.got, len(nodes))
	sc.got = got
	// What got refers to must not outlive the batch.
	defer clear(got)
	w.mu.Lock()
	multi := len(nodes) > 1 && !w.noMulti
	w.mu.Unlock()
	if multi {
		multi = w.fetchMulti(nodes, got, sc)
	}
	if !multi {
		for i, n := range nodes {
			g := &got[i]
			if w.o.Data {
				// The data first: a leaf then needs no getChildren.
				g.data, g.stat, g.err = w.r.Get(w.ctx, n.path, false)
				if g.err == nil && w.expand(n) && (g.stat.NumChildren > 0 || w.o.Watch) {
					var st *zk.Stat
					g.kids, st, g.err = w.r.Children(w.ctx, n.path, w.o.Watch)
					if g.stat == nil {
						g.stat = st
					}
				}
			} else if w.expand(n) || w.o.ACL {
				g.kids, g.stat, g.err = w.r.Children(w.ctx, n.path, w.o.Watch)
			}
		}
	}
	if w.o.ACL {
		for i, n := range nodes {
			if g := &got[i]; g.err == nil {
				var st *zk.Stat
				g.acl, st, g.err = w.r.GetACL(w.ctx, n.path)
				if !w.o.Data {
					g.stat = st
				}
			}
		}
	}
	made := grow(sc.made, len(nodes))
	sc.made = made
	defer clear(made)
	for i, n := range nodes {
		g := &got[i]
		if g.err != nil {
			g.kids, g.data, g.stat, g.acl = nil, nil, nil, nil
			continue
		}
		if !w.expand(n) {
			g.kids = nil
		}
		sortNames(g.kids, sc)
		made[i] = newChildren(n, g.kids)
	}
	w.mu.Lock()
	blocked := w.roomless()
	pushed := 0
	for i, n := range nodes {
		n.fetched, n.done = true, len(made[i]) == 0
		if !n.done {
			n.fam = &family{kids: made[i], sched: made[i]}
			w.parentOf(n).fam.active++
		}
		if w.o.Data || w.o.ACL || got[i].err != nil {
			n.content = &content{data: got[i].data, stat: got[i].stat, acl: got[i].acl, weight: len(got[i].data) / dataUnit, err: got[i].err}
		}
		w.buffered += len(made[i]) + n.weight()
		w.expected -= int(n.expect)
		n.expect = 0
		for len(w.seen) <= int(n.depth) {
			w.seen = append(w.seen, levelCount{})
		}
		if got[i].err == nil && w.expand(n) {
			w.seen[n.depth].add(len(made[i]))
			if p := n.parent; p != nil {
				p.fam.kidsFetched++
				p.fam.grandkids += int32(len(made[i]))
			}
		}
		pushed += len(made[i])
	}
	w.pending += pushed
	// A worker per batch the new nodes can fill: one apiece scanned the
	// schedule to find nothing left for most of them.
	for i := 0; i < (pushed+w.o.Batch-1)/w.o.Batch && i < w.o.InFlight; i++ {
		w.work.Signal()
	}
	// Fewer children than expected can make room too: a worker waiting
	// for it would otherwise wait for the next visit that does.
	if blocked && !w.roomless() {
		w.work.Signal()
	}
	w.ready.Broadcast()
	w.mu.Unlock()
}

// fetchMulti fills got with multiRead requests: with Options.Data, one
// getData per node, then one getChildren per node whose stat counts
// children; otherwise one getChildren per node. It returns false when the
// server lacks multiRead (the caller then uses plain requests).
func (w *walker) fetchMulti(nodes []*walkNode, got []fetched, sc *scratch) bool {
	read := func(idx []int, data bool) bool {
		if len(idx) == 0 {
			return true
		}
		ops := grow(sc.ops, len(idx)) // MultiRead keeps no reference to it
		sc.ops = ops
		for j, i := range idx {
			ops[j] = session.ReadOp{Path: nodes[i].path, Data: data}
		}
		res, err := w.r.MultiReadInto(w.ctx, ops, sc.res)
		clear(ops) // its paths would keep their siblings' blocks alive
		sc.res = nil
		if err == nil {
			// What it refers to is copied out below, and cleared there.
			sc.res = res
			defer clear(res)
		}
		switch {
		case err != nil && !connectionTrouble(err):
			// Unimplemented (a server before 3.6), or an answer we cannot
			// decode: use plain requests from now on.
			w.mu.Lock()
			w.noMulti = true
			w.mu.Unlock()
			return false
		case err != nil:
			for _, i := range idx {
				got[i].err = err
			}
		default:
			for j, i := range idx {
				g := &got[i]
				if data {
					g.data, g.stat, g.err = res[j].Data, res[j].Stat, res[j].Err
				} else {
					g.kids, g.err = res[j].Children, res[j].Err
				}
			}
		}
		return true
	}
	all := sc.idx[:0]
	defer func() { sc.idx = all }()
	for i, n := range nodes {
		if !w.o.Data && !w.expand(n) && !w.o.ACL {
			continue // nothing to learn about it
		}
		all = append(all, i)
	}
	if !w.o.Data {
		return read(all, false)
	}
	if !read(all, true) {
		return false
	}
	bytes := 0
	for _, i := range all {
		bytes += len(got[i].data)
	}
	w.mu.Lock()
	switch {
	case bytes > dataBatchBytes && w.dataBatch > 1:
		w.dataBatch /= 2
	case bytes < dataBatchBytes/4 && len(all) >= w.dataBatch && w.dataBatch < w.o.Batch:
		w.dataBatch *= 2
	}
	w.mu.Unlock()
	var parents []int
	for _, i := range all {
		if got[i].err == nil && got[i].stat.NumChildren > 0 && w.expand(nodes[i]) {
			parents = append(parents, i)
		}
	}
	return read(parents, false)
}

// newChildren makes n's children's nodes (names sorted) with two
// allocations for them all, one for the nodes and one for their paths,
// instead of two per child: siblings are visited together, so one
// sibling's node keeping the others' memory alive costs little.
func newChildren(n *walkNode, names []string) []walkNode {
	if len(names) == 0 {
		return nil
	}
	prefix := n.path + "/"
	if n.path == "/" {
		prefix = "/"
	}
	size := 0
	for _, name := range names {
		size += len(prefix) + len(name)
	}
	var b strings.Builder
	b.Grow(size)
	for _, name := range names {
		b.WriteString(prefix)
		b.WriteString(name)
	}
	all := b.String()
	kids := make([]walkNode, len(names))
	at := 0
	for j, name := range names {
		end := at + len(prefix) + len(name)
		kids[j] = walkNode{path: all[at:end], depth: n.depth + 1, parent: n}
		at = end
	}
	return kids
}
