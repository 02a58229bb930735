package transfer

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

// Source is what reading a live tree needs of a session; *session.Session
// has it.
type Source interface {
	walk.Reader
	GetACLs(ctx context.Context, paths []string) ([]session.ACLResult, error)
}

// ACLReader reads many nodes' ACLs.
type ACLReader interface {
	GetACLs(ctx context.Context, paths []string) ([]session.ACLResult, error)
}

// aclPooler is a Source that can spread its ACL reads over more sessions
// (*session.Session: see session.ACLPool for why).
type aclPooler interface {
	ACLPool(size int) *session.ACLPool
}

// TreeOptions tune ReadTree.
type TreeOptions struct {
	ACL bool // fetch each node's ACL (one getACL per node: multiRead has none)
	// NoStat leaves Node.Stat out (the type and ephemeral owner are kept):
	// diff compares no stats, and formatting two timestamps per node was a
	// tenth of its time.
	NoStat bool
}

// Batching of the data reads: a multiRead asks for up to fetchMaxBatch
// nodes' data, fewer when the nodes seen so far are large, so that one
// answer stays near fetchBatchBytes.
const (
	fetchFetchers   = 8
	fetchMinBatch   = 4
	fetchMaxBatch   = 512
	fetchBatchBytes = 1 << 20
	fetchQueue      = 8
)

type fetchBatch struct {
	paths []string
	nodes []*Node // nil entries: deleted during the read
	err   error
	done  chan struct{}
}

// ReadTree reads root and every node below it, data, stat and (with
// o.ACL) ACL included, and hands them to emit in `ls -R` order with paths
// relative to root. The shared walker lists the children; a pool of
// fetchers reads the data in multiRead batches in that same order, so
// memory stays bounded by the queues, not the tree. A node that cannot be
// read (NoAuth) is emitted as an error node; one deleted meanwhile is left
// out. emit runs on the caller's goroutine.
func ReadTree(ctx context.Context, r Source, root string, o TreeOptions, emit func(*Node) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &fetcher{r: r, acls: r, root: root, o: o}
	if p, ok := r.(aclPooler); ok && o.ACL {
		pool := p.ACLPool(fetchFetchers) // one session per fetcher
		defer pool.Close()
		f.acls = pool
	}
	f.avgSize.Store(64)
	work := make(chan *fetchBatch, fetchQueue)
	ordered := make(chan *fetchBatch, fetchQueue)

	var wg sync.WaitGroup
	for i := 0; i < fetchFetchers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				f.fetch(ctx, b)
				close(b.done)
			}
		}()
	}
	var walkErr error
	walkDone := make(chan struct{})
	go func() {
		defer close(walkDone)
		defer close(ordered)
		defer close(work)
		var cur *fetchBatch
		submit := func() bool {
			if cur == nil {
				return true
			}
			b := cur
			cur = nil
			select {
			case work <- b:
			case <-ctx.Done():
				return false
			}
			select {
			case ordered <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		add := func(p string) bool {
			if cur == nil {
				cur = &fetchBatch{done: make(chan struct{})}
			}
			cur.paths = append(cur.paths, p)
			if len(cur.paths) >= f.batchSize() {
				return submit()
			}
			return true
		}
		if !add(root) || !submit() {
			return
		}
		// With ACLs, one getACL per node sets the pace: a walk far ahead
		// only holds memory (diff holds two), so it gets a quarter of the
		// lookahead (a 200,000-node diff: 48-50 MB instead of 53-54, as
		// fast). Without, the walk sets it and keeps the whole lookahead.
		wo := walk.Options{KeepGoing: true}
		if o.ACL {
			wo.Lookahead = walk.DefaultLookahead / 4
		}
		walkErr = walk.Walk(ctx, r, root, wo, func(_ string, kids []string) error {
			for _, k := range kids {
				if !add(k) {
					return ctx.Err()
				}
			}
			return nil
		})
		if walkErr == nil {
			submit()
		}
	}()
	// No goroutine outlives the read.
	defer func() {
		cancel()
		<-walkDone
		wg.Wait()
	}()

	first := true
	for b := range ordered {
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if b.err != nil {
			return b.err
		}
		for i, n := range b.nodes {
			if n == nil {
				if first && i == 0 {
					return &walk.Error{Path: root, Err: zk.ErrNoNode}
				}
				continue
			}
			first = false
			if err := emit(n); err != nil {
				return err
			}
		}
		first = false
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// ordered is closed only after the walk goroutine set walkErr.
	return walkErr
}

type fetcher struct {
	r       Source
	acls    ACLReader // r, or a pool of sessions reading ACLs for it
	root    string
	o       TreeOptions
	avgSize atomic.Int64 // running mean of the data sizes seen
	noMulti atomic.Bool
}

func (f *fetcher) batchSize() int {
	n := fetchBatchBytes / int(max(f.avgSize.Load(), 1))
	return min(max(n, fetchMinBatch), fetchMaxBatch)
}

func (f *fetcher) noteSize(n int) {
	old := f.avgSize.Load()
	f.avgSize.Store((old*7 + int64(n)) / 8)
}

// fetch reads one batch: data and stat in one multiRead (or one getData
// each on a server without it), then the ACLs, many in flight.
func (f *fetcher) fetch(ctx context.Context, b *fetchBatch) {
	b.nodes = make([]*Node, len(b.paths))
	data := make([][]byte, len(b.paths))
	stats := make([]*zk.Stat, len(b.paths))
	errs := make([]error, len(b.paths))
	multi := !f.noMulti.Load() && len(b.paths) > 1
	if multi {
		ops := make([]session.ReadOp, len(b.paths))
		for i, p := range b.paths {
			ops[i] = session.ReadOp{Path: p, Data: true}
		}
		res, err := f.r.MultiReadInto(ctx, ops, nil)
		switch {
		case errors.Is(err, session.ErrUnimplemented):
			f.noMulti.Store(true) // a server before 3.6
			multi = false
		case err != nil:
			b.err = err
			return
		default:
			for i, r := range res {
				data[i], stats[i], errs[i] = r.Data, r.Stat, r.Err
			}
		}
	}
	if !multi {
		for i, p := range b.paths {
			data[i], stats[i], errs[i] = f.r.Get(ctx, p, false)
			if errs[i] != nil && isFatal(errs[i]) {
				b.err = errs[i]
				return
			}
		}
	}
	acls := make([][]zk.ACL, len(b.paths))
	if f.o.ACL {
		var want []string
		var at []int
		for i, p := range b.paths {
			if errs[i] == nil {
				want, at = append(want, p), append(at, i)
			}
		}
		if len(want) > 0 {
			res, err := f.acls.GetACLs(ctx, want)
			if err != nil {
				b.err = err
				return
			}
			for k, r := range res {
				acls[at[k]], errs[at[k]] = r.ACL, r.Err
			}
		}
	}
	for i, p := range b.paths {
		rel := Rel(f.root, p)
		switch err := errs[i]; {
		case err == nil:
			if f.o.NoStat {
				b.nodes[i] = NewNode(rel, data[i], nil, acls[i])
				b.nodes[i].setOwner(stats[i].EphemeralOwner)
			} else {
				b.nodes[i] = NewNode(rel, data[i], stats[i], acls[i])
			}
			f.noteSize(len(data[i]))
		case errors.Is(err, zk.ErrNoNode):
			// deleted while the tree was read
		case errors.Is(err, zk.ErrNoAuth):
			b.nodes[i] = ErrorNode(rel, "NoAuth", "not authorized to read "+p)
		default:
			b.nodes[i] = ErrorNode(rel, "Error", p+": "+err.Error())
		}
	}
}

// isFatal reports errors that end the whole read rather than one node's.
func isFatal(err error) bool {
	return !errors.Is(err, zk.ErrNoNode) && !errors.Is(err, zk.ErrNoAuth)
}

// ReadNode reads one node (data, stat, and with o.ACL its ACL) as the root
// of a one-node tree.
func ReadNode(ctx context.Context, r walk.Reader, p string, o TreeOptions) (*Node, error) {
	data, st, err := r.Get(ctx, p, false)
	if err != nil {
		return nil, &walk.Error{Path: p, Err: err}
	}
	var acl []zk.ACL
	if o.ACL {
		if acl, _, err = r.GetACL(ctx, p); err != nil {
			return nil, &walk.Error{Path: p, Err: err}
		}
	}
	return NewNode("/", data, st, acl), nil
}

// Only yields n, then io.EOF.
func Only(n *Node) Next {
	return func() (*Node, error) {
		if n == nil {
			return nil, io.EOF
		}
		m := n
		n = nil
		return m, nil
	}
}
