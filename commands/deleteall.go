package commands

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
	"github.com/zkc-cli/zkc/zpath"
)

// deleteBatchesInFlight is how many multi batches run at once (zkCli: 10);
// deleteRetryInFlight how many single deletes retry a failed batch. The walk
// keeps the walker's defaults: a lookahead much shorter than its batches
// times the children they bring makes the walker fetch node by node.
const (
	deleteBatchesInFlight = 16
	deleteRetryInFlight   = 32
)

// deleteAllOptions are deleteAll's flags.
type deleteAllOptions struct{ batch string }

func newDeleteAll() *Command {
	o := &deleteAllOptions{}
	c := &Command{
		Name:  "deleteall",
		Usage: "deleteall path [-b batch size]",
		Short: "Delete a znode and its whole subtree, deepest first",
		Long: "Nodes are deleted while the subtree is listed, each once its children are gone, in multi batches " +
			"(-b). Every node that cannot be deleted is named on stderr, with a count of what was deleted, and zkc " +
			"exits non-zero (zkCli exits 0). After a lost connection the requests are re-sent once the session is " +
			"back, so the command finishes when the session survives. Ctrl-C stops it and says how far it got. " +
			"ZooKeeper's own nodes (/zookeeper, also through a chroot) are refused: delquota removes a quota.",
		Example: "zkc deleteall /app/old\nzkc deleteall /big -b 500",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.StringVarP(&o.batch, "batch", "b", "1000", "deletes per multi request (`batch size`)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runDeleteAll(ctx, env, c, o, args)
	}
	return c
}

func runDeleteAll(ctx context.Context, env *Env, c *Command, o *deleteAllOptions, args []string) error {
	p := args[0]
	batch, err := strconv.Atoi(o.batch)
	if err != nil {
		return UsageError(c, "-b argument must be an int value")
	}
	if batch < 1 {
		return UsageError(c, "-b argument must be a positive int value")
	}
	if err := checkPath(p, false); err != nil {
		return err
	}
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	// ZooKeeper's own nodes and the root, on the server path (a chroot
	// cannot hide them): refused, with the reason, before anything is
	// listed or deleted.
	if err := s.CheckDelete(ctx, p); err != nil {
		return ZKError(err, p)
	}
	if p == "/" {
		// With a chroot, "/" is the chroot node, which zkCli cannot
		// delete either: its answer, with the reason.
		return Errorf(ExitError, "Arguments are not valid : / (it is the chroot %s; deleteall its children instead)", s.Target().Chroot)
	}
	return deleteTree(ctx, env, s, p, batch)
}

// deleteTree deletes root's subtree while walking it. The walk visits nodes
// in pre-order; a visited leaf is queued for deletion, and a node is queued
// once all its children are gone. Memory is bounded by the walker's
// lookahead, the queue and the nodes waiting for their children (the open
// ancestors), never by the size of the tree.
func deleteTree(ctx context.Context, env *Env, s *session.Session, root string, batch int) error {
	rs := &resender{s: s}
	total, err := subtreeSize(ctx, rs, root)
	if err != nil {
		return ZKError(err, root) // nothing was tried: missing, interrupted, or no connection
	}
	reqCtx, stopRequests := requestContext(rs.quiet(ctx))
	defer stopRequests()
	d := &deleter{
		s: s, env: env, rs: rs, root: root, batch: batch, reqCtx: reqCtx, total: total,
		open:  map[string]*delNode{},
		limit: batch * (deleteBatchesInFlight + 1),
	}
	d.workers, d.visitor = sync.NewCond(&d.mu), sync.NewCond(&d.mu)
	stopWake := context.AfterFunc(ctx, func() {
		d.mu.Lock()
		d.stopped = true
		d.workers.Broadcast()
		d.visitor.Broadcast()
		d.mu.Unlock()
	})
	defer stopWake()
	defer clearProgress(env)

	var wg sync.WaitGroup
	for i := 0; i < deleteBatchesInFlight; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work()
		}()
	}
	walkErr := walk.Nodes(ctx, resendingReader{rs}, root, walk.Options{KeepGoing: true}, d.visit)
	d.mu.Lock()
	d.walkDone = true
	d.workers.Broadcast()
	d.mu.Unlock()
	wg.Wait()

	switch {
	case ctx.Err() != nil:
		return deleteStopped(env, s, d, nil, true)
	case walkErr != nil:
		return deleteStopped(env, s, d, walkErrAt(walkErr, root), false)
	case d.failed > 0 || d.unknown > 0 || !d.rootDeleted:
		return deleteStopped(env, s, d, nil, false)
	}
	rs.note(env, "deleteall")
	gone := false
	return env.Print(d.summary(&gone, ""))
}

// walkErrAt words a walk's failure with the node it failed on.
func walkErrAt(err error, root string) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return walkErr(err, root)
}

// deleteStopped reports a deleteall that did not delete the whole subtree:
// why (cause, if the walk or the count failed), how many nodes it deleted of
// how many, and whether root still exists.
func deleteStopped(env *Env, s *session.Session, d *deleter, cause error, interrupted bool) error {
	clearProgress(env)
	where, exists := stillExists(s, d.root)
	d.rs.note(env, "deleteall")
	var msg string
	code := d.firstCode
	switch {
	case interrupted:
		msg = "deleteall: interrupted after deleting " + ofTotal(d.deleted, d.total)
		code = ExitInterrupted
	case cause != nil:
		PrintError(env.Err, cause, env.Colors.Error)
		msg = "deleteall: stopped after deleting " + ofTotal(d.deleted, d.total)
		code = ExitCode(cause)
	default:
		msg = "Failed to delete some node(s) in the subtree! (deleted " + ofTotal(d.deleted, d.total)
	}
	if d.failed > 0 {
		msg += "; " + count(d.failed) + " named above not deleted"
	}
	if d.unknown > 0 {
		msg += "; " + count(d.unknown) + " may or may not have been deleted"
		if code == 0 {
			code = ExitConnection
		}
	}
	if code == 0 {
		code = ExitError
	}
	if !interrupted && cause == nil {
		msg += ")"
	}
	msg += "; " + where
	sum := d.summary(&exists, "")
	sum.Interrupted = interrupted
	if cause != nil {
		sum.Error = cause.Error()
	}
	if err := env.Print(sum); err != nil {
		return err
	}
	return &Error{Code: code, Msg: msg}
}

// deleter is one deleteall's shared state.
type deleter struct {
	s      *session.Session
	env    *Env
	rs     *resender
	root   string
	batch  int
	reqCtx context.Context
	total  int // the subtree's size when we started; 0: unknown

	mu          sync.Mutex
	workers     *sync.Cond          // a batch is ready, or the end
	visitor     *sync.Cond          // the queue has room
	ready       []*delNode          // deletable now (children gone), FIFO
	open        map[string]*delNode // visited, waiting for their children
	limit       int                 // the visit waits while this many are ready
	inFlight    int                 // batches being deleted
	walkDone    bool
	stopped     bool // Ctrl-C: send nothing new
	rootDeleted bool
	deleted     int
	failed      int // named on stderr
	unknown     int // lost with the connection, named on stderr
	firstCode   int // the failures' exit code (noteCode)
}

// errChildUnknown is a node not tried because a child's delete has an
// unknown outcome.
var errChildUnknown = errors.New("the delete of a child may or may not have been applied")

// delNode is a visited node not yet deleted.
type delNode struct {
	path    string
	parent  *delNode
	pending int  // children not yet deleted or given up
	blocked bool // a child could not be deleted, so neither can this node
	// childUnknown: a child's delete may or may not have been applied, so
	// whether this node is empty is unknown.
	childUnknown bool
	listErr      error // why its children could not be listed (walk.Node.Err)
}

// visit runs on the walk's goroutine: a leaf is queued, an inner node waits
// for its children. It blocks while the queue is full, which stops the walk
// from running far ahead of the deletes.
func (d *deleter) visit(n *walk.Node) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.ready) >= d.limit && !d.stopped {
		d.visitor.Wait()
	}
	if d.stopped {
		return context.Canceled
	}
	dn := &delNode{path: n.Path, pending: len(n.Kids), listErr: n.Err}
	if n.Path != d.root {
		dn.parent = d.open[zpath.Parent(n.Path)]
	}
	switch {
	case n.Gone:
		d.resolveLocked(dn, nil)
	case len(n.Kids) == 0:
		d.ready = append(d.ready, dn)
		if len(d.ready) >= d.batch || d.inFlight == 0 {
			d.workers.Signal()
		}
	default:
		d.open[n.Path] = dn
	}
	return nil
}

// work takes batches of ready nodes and deletes them, until everything the
// walk found is done, or Ctrl-C.
func (d *deleter) work() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		// Full batches while the walk is feeding the queue; whatever is
		// ready once it is done or when nothing else is in flight.
		for !d.stopped && !(len(d.ready) >= d.batch || len(d.ready) > 0 && (d.walkDone || d.inFlight == 0)) &&
			!(d.walkDone && len(d.ready) == 0 && d.inFlight == 0) {
			d.workers.Wait()
		}
		if d.stopped || len(d.ready) == 0 {
			d.workers.Broadcast() // the end: every worker goes
			return
		}
		n := min(d.batch, len(d.ready))
		chunk := make([]*delNode, n)
		copy(chunk, d.ready)
		clear(d.ready[:n])
		d.ready = d.ready[n:]
		if len(d.ready) == 0 {
			d.ready = nil // let the backing array go
		}
		d.inFlight++
		d.visitor.Signal() // the queue has room
		if len(d.ready) >= d.batch {
			d.workers.Signal() // and another batch
		}
		d.mu.Unlock()
		errs := d.deleteChunk(chunk)
		d.mu.Lock()
		d.inFlight--
		for i, dn := range chunk {
			d.resolveLocked(dn, errs[i])
		}
		d.workers.Broadcast() // parents may be ready, or this was the last batch
	}
}

// resolveLocked records dn's outcome (nil: deleted or already gone) and
// passes it up: a parent whose children are all gone is queued, one with a
// child left behind is reported as not empty without being tried.
func (d *deleter) resolveLocked(dn *delNode, err error) {
	for dn != nil {
		delete(d.open, dn.path)
		switch {
		case err == nil:
			d.deleted++
			reportProgress(d.env, d.deleted, d.total, "nodes deleted")
		case outcomeUnknown(err) != "":
			d.unknown++
			d.reportLocked(dn.path + ": " + outcomeUnknown(err) + "; the delete may or may not have been applied")
			d.noteCode(ExitConnection)
		case errors.Is(err, errChildUnknown):
			d.failed++
			d.reportLocked(dn.path + ": not deleted: the delete of a child may or may not have been applied")
			d.noteCode(ExitConnection)
		default:
			if errors.Is(err, zk.ErrNotEmpty) && dn.listErr != nil {
				err = dn.listErr // its children could not be listed, so they are still there
			}
			werr := ZKError(err, dn.path)
			d.failed++
			d.reportLocked(werr.Error())
			d.noteCode(ExitCode(werr))
		}
		if dn.path == d.root {
			d.rootDeleted = err == nil
		}
		p := dn.parent
		if p == nil {
			return
		}
		if err != nil {
			p.blocked = true
			p.childUnknown = p.childUnknown || outcomeUnknown(err) != "" || errors.Is(err, errChildUnknown)
		}
		if p.pending--; p.pending > 0 {
			return
		}
		if !p.blocked {
			delete(d.open, p.path)
			d.ready = append(d.ready, p)
			return
		}
		dn, err = p, zk.ErrNotEmpty
		if p.childUnknown {
			err = errChildUnknown
		}
	}
}

// noteCode keeps the exit code: the failures' common code, or 1 when they
// differ (as setAcl -R).
func (d *deleter) noteCode(code int) {
	if d.firstCode == 0 {
		d.firstCode = code
	} else if d.firstCode != code {
		d.firstCode = ExitError
	}
}

func (d *deleter) reportLocked(line string) {
	clearProgress(d.env)
	PrintError(d.env.Err, &Error{Code: ExitError, Msg: line}, d.env.Colors.Error)
}

// deleteChunk deletes paths in one multi, re-sent after a reconnect; when
// the multi fails, one by one (many in flight), so that exactly the nodes
// that cannot be deleted are reported. A node already gone counts as
// deleted: after a lost connection, it is the lost request's doing.
func (d *deleter) deleteChunk(chunk []*delNode) []error {
	errs := make([]error, len(chunk))
	if len(chunk) > 1 {
		paths := make([]string, len(chunk))
		for i, dn := range chunk {
			paths[i] = dn.path
		}
		err := d.rs.do(d.reqCtx, func() error { _, err := d.s.DeleteMulti(d.reqCtx, paths); return err })
		if err == nil {
			return errs
		}
		if outcomeUnknown(err) != "" || d.reqCtx.Err() != nil {
			for i := range errs {
				errs[i] = err
			}
			return errs
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, deleteRetryInFlight)
	for i, dn := range chunk {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			err := d.rs.do(d.reqCtx, func() error { return d.s.Delete(d.reqCtx, dn.path, -1) })
			if !errors.Is(err, zk.ErrNoNode) {
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	return errs
}

// summary is the JSON report's counts.
func (d *deleter) summary(rootExists *bool, errText string) format.RecursiveSummary {
	total := d.total
	if total <= 0 {
		total = -1
	} else {
		total = max(total, d.deleted+d.failed+d.unknown)
	}
	return format.RecursiveSummary{
		Command: "deleteall", Path: d.root, Total: total, Done: d.deleted, Failed: d.failed, Unknown: d.unknown,
		RootExists: rootExists, Resent: int(d.rs.resent.Load()), Error: errText,
	}
}
