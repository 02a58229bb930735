package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
	"github.com/zkc-cli/zkc/zpath"
)

// OnExists is what import does with a node that already exists (and
// differs from the file: an identical node is always left alone).
type OnExists string

const (
	ExistsFail      OnExists = "fail"      // nothing is written if any node differs
	ExistsSkip      OnExists = "skip"      // keep the existing node
	ExistsOverwrite OnExists = "overwrite" // replace its data and ACL
)

// ParseOnExists reads --on-exists.
func ParseOnExists(s string) (OnExists, error) {
	switch OnExists(s) {
	case ExistsFail, ExistsSkip, ExistsOverwrite:
		return OnExists(s), nil
	}
	return "", fmt.Errorf("--on-exists takes fail, skip or overwrite, not %q", s)
}

// TTLRule recreates the nodes whose destination path matches Glob as TTL
// nodes.
type TTLRule struct {
	Glob string
	TTL  time.Duration
}

// ParseTTLRule reads --ttl GLOB=DURATION.
func ParseTTLRule(s string) (TTLRule, error) {
	glob, d, ok := strings.Cut(s, "=")
	if !ok || glob == "" {
		return TTLRule{}, fmt.Errorf("--ttl takes GLOB=DURATION (e.g. '/app/leases/*=1h'), not %q", s)
	}
	ttl, err := time.ParseDuration(d)
	if err != nil || ttl <= 0 {
		return TTLRule{}, fmt.Errorf("--ttl %s: %q is not a positive duration (e.g. 90s, 1h)", glob, d)
	}
	if err := CheckGlob(glob); err != nil {
		return TTLRule{}, err
	}
	return TTLRule{Glob: glob, TTL: ttl}, nil
}

// CheckGlob rejects a malformed glob up front.
func CheckGlob(glob string) error {
	if _, err := path.Match(glob, "/"); err != nil {
		return fmt.Errorf("bad glob %q", glob)
	}
	return nil
}

// ImportOptions tune an import.
type ImportOptions struct {
	OnExists   OnExists
	NoACL      bool     // create with world:anyone:cdrwa, leave existing ACLs alone
	DryRun     bool     // read the destination, write nothing; Plan gets each action
	Containers []string // destination globs recreated as container nodes
	TTLs       []TTLRule
	// Note reports a node that was not imported as the file has it.
	Note func(path, msg string)
	// Plan gets each action of a dry run: create, overwrite, skip, unchanged.
	Plan func(action, path string)
	// Progress gets the number of nodes handled so far.
	Progress func(done int64)
}

// Counts is what an import did.
type Counts struct {
	Created     int64 `json:"created"`
	Overwritten int64 `json:"overwritten"`
	Skipped     int64 `json:"skipped"`
	Unchanged   int64 `json:"unchanged"`
	Failed      int64 `json:"failed"`
	Ephemeral   int64 `json:"ephemeral"` // not imported: they belong to a session
}

// Total is the number of nodes accounted for.
func (c Counts) Total() int64 {
	return c.Created + c.Overwritten + c.Skipped + c.Unchanged + c.Failed + c.Ephemeral
}

// Dest is what an import needs of the destination session.
type Dest interface {
	walk.Reader
	SendMulti(ctx context.Context, ops []session.WriteOp) (<-chan session.MultiReply, error)
	SetACL(ctx context.Context, p string, acl []zk.ACL, version int32) (*zk.Stat, error)
	Sync(ctx context.Context, p string) error
	WhoAmI(ctx context.Context) ([]session.ClientInfo, error)
}

// ConflictError is a fail-mode import refused before writing.
type ConflictError struct {
	Count int64
	First string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d node(s) already exist and differ (first: %s); nothing was written (use --on-exists skip or overwrite)", e.Count, e.First)
}

// Size limits of one multi: the server refuses packets over its
// jute.maxbuffer (1 MB by default).
const (
	importChunk      = 1000
	importMultiBytes = 512 << 10
	importWindow     = 8
)

type action int

const (
	actCreate action = iota
	actOverwrite
	actSkip
	actUnchanged
	actFail
	actEphemeral
)

type item struct {
	n       *Node
	path    string // destination path
	act     action
	acl     []zk.ACL // final ACL; nil with NoACL
	create  []zk.ACL // the ACL to create with (final, or temporary: see deferral)
	deferTo []zk.ACL // set after the import when create was temporary
	mode    session.CreateMode
	differs bool // exists and differs from the file (fail mode refuses it)
}

type pendingMulti struct {
	items []*item
	ops   []session.WriteOp
	reply <-chan session.MultiReply
	// lost: the connection dropped under it, so whether the server applied
	// it is not known until its nodes are read back.
	lost bool
}

// Importer writes export nodes under a destination path.
type Importer struct {
	s      Dest
	root   string // the destination of the file's "/"
	o      ImportOptions
	counts Counts

	tempACL  []zk.ACL
	deferred []*item
	failed   map[string]int64 // destination paths that failed: nodes under each left out
	window   []*pendingMulti
	settled  *pendingMulti // the multi settleNext found failed
	done     int64

	reqCtx       context.Context // requests: outlives Ctrl-C by settleGrace
	interrupted  bool            // Ctrl-C: settle what was sent, send nothing more
	unknown      int64           // nodes in multis that got no answer
	firstUnknown string

	// absent holds nodes this import found missing (and so will create):
	// their children cannot exist yet and need no read. `ls -R` order lists
	// a node's children together, so an entry is dropped once its children
	// are past; only nodes with children are entered.
	absent    map[string]bool
	curParent string
}

// NewImporter prepares an import under root on s.
func NewImporter(ctx context.Context, s Dest, root string, o ImportOptions) *Importer {
	if o.OnExists == "" {
		o.OnExists = ExistsFail
	}
	if o.Note == nil {
		o.Note = func(string, string) {}
	}
	im := &Importer{s: s, root: root, o: o, failed: map[string]int64{}, absent: map[string]bool{}}
	// A parent whose ACL would lock this session out of creating its
	// children is created with a temporary ACL for this session only
	// ("auth" when it has credentials), and gets its own ACL at the end.
	im.tempACL = zk.WorldACL(zk.PermAll)
	if ids, err := s.WhoAmI(ctx); err == nil {
		for _, id := range ids {
			if id.AuthScheme != "ip" && id.AuthScheme != "" {
				im.tempACL = []zk.ACL{{Perms: zk.PermAll, Scheme: "auth", ID: ""}}
				break
			}
		}
	}
	return im
}

// Counts returns what the import did so far.
func (im *Importer) Counts() Counts { return im.counts }

// Run imports every node next returns (io.EOF ends it). With fail mode the
// caller first runs CheckConflicts over the same file, so that a conflict
// writes nothing.
//
// Ctrl-C (ctx's end) stops sending, but the multis already sent are
// settled from their answers, which requests sent on a context of their
// own still get (for up to settleGrace): what was written is counted, and
// only a multi with no answer by then is left unknown.
func (im *Importer) Run(ctx context.Context, next func() (*Node, error)) error {
	reqCtx, stopRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRequests()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(settleGrace, stopRequests) })
	defer stopGrace()
	im.reqCtx = reqCtx
	err := im.run(ctx, next)
	im.interrupted = ctx.Err() != nil
	if werr := im.drain(reqCtx); err == nil {
		err = werr
	}
	if im.unknown > 0 {
		im.o.Note(im.firstUnknown, fmt.Sprintf("%d node(s) from here on were in requests that got no answer before zkc stopped: "+
			"they may or may not have been written (a re-run with --on-exists skip settles them)", im.unknown))
	}
	// Temporary ACLs are replaced even after a failure or Ctrl-C.
	im.finishACLs(ctx)
	return err
}

// settleGrace is how long an interrupted import waits for the answers to
// the multis it had sent.
const settleGrace = 5 * time.Second

func (im *Importer) run(ctx context.Context, next func() (*Node, error)) error {
	var chunk []*item
	size := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := im.chunk(ctx, chunk)
		chunk, size = nil, 0
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := next()
		if err != nil {
			if isEOF(err) {
				return flush()
			}
			return err
		}
		chunk = append(chunk, &item{n: n, path: Join(im.root, n.Path)})
		size += len(n.data) + len(n.Path)
		if len(chunk) >= importChunk || size >= importMultiBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// CheckConflicts reads the destination for every node next returns and
// writes nothing: a *ConflictError when any exists and differs from the
// file, which fail mode must find before its first write.
func CheckConflicts(ctx context.Context, s Dest, root string, o ImportOptions, next func() (*Node, error)) error {
	o.OnExists, o.DryRun, o.Note, o.Plan = ExistsFail, true, nil, nil
	im := NewImporter(ctx, s, root, o)
	var conflicts int64
	first := ""
	var chunk []*item
	flush := func() error {
		if err := im.plan(ctx, chunk); err != nil {
			return err
		}
		for _, it := range chunk {
			if it.differs {
				conflicts++
				if first == "" {
					first = it.path
				}
			}
		}
		chunk = chunk[:0]
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := next()
		if isEOF(err) {
			break
		}
		if err != nil {
			return err
		}
		chunk = append(chunk, &item{n: n, path: Join(root, n.Path)})
		if len(chunk) >= importChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if conflicts > 0 {
		return &ConflictError{Count: conflicts, First: first}
	}
	return nil
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// underFailed reports whether p lies below a node that failed, counting it.
func (im *Importer) underFailed(p string) bool {
	if len(im.failed) == 0 {
		return false
	}
	for q := p; q != "/" && q != ""; {
		i := strings.LastIndexByte(q, '/')
		if i <= 0 {
			q = "/"
		} else {
			q = q[:i]
		}
		if _, ok := im.failed[q]; ok {
			im.failed[q]++
			return true
		}
		if q == "/" {
			break
		}
	}
	return false
}

func (im *Importer) fail(it *item, msg string) {
	it.act = actFail
	im.counts.Failed++
	im.failed[it.path] += 0
	im.o.Note(it.path, msg)
}

// plan decides each node's action from the file and the destination.
func (im *Importer) plan(ctx context.Context, chunk []*item) error {
	var look []*item
	for _, it := range chunk {
		n := it.n
		switch {
		case im.underFailed(it.path):
			it.act = actFail
			im.counts.Failed++
			continue
		case n.Error != "":
			im.fail(it, "not in the export ("+n.Error+": "+n.Message+")")
			continue
		case n.Ephemeral():
			it.act = actEphemeral
			im.counts.Ephemeral++
			continue
		}
		if !im.o.NoACL {
			acl, err := ZKACL(n.ACL)
			if err != nil {
				im.fail(it, err.Error())
				continue
			}
			if len(acl) == 0 {
				acl = zk.WorldACL(zk.PermAll)
			}
			it.acl = acl
		}
		it.mode = im.modeFor(it.path)
		if parent := zpath.Parent(it.path); parent != im.curParent {
			delete(im.absent, im.curParent)
			im.curParent = parent
		}
		if im.absent[im.curParent] && it.path != im.root {
			im.willCreate(it)
			continue
		}
		look = append(look, it)
	}
	if len(look) == 0 {
		return nil
	}
	ops := make([]session.ReadOp, len(look))
	for i, it := range look {
		ops[i] = session.ReadOp{Path: it.path, Data: true}
	}
	res, err := im.s.MultiReadInto(ctx, ops, nil)
	if err != nil {
		return fmt.Errorf("reading the destination: %w", err)
	}
	for i, it := range look {
		r := res[i]
		switch {
		case errors.Is(r.Err, zk.ErrNoNode):
			im.willCreate(it)
			continue
		case r.Err != nil:
			im.fail(it, "cannot read the existing node: "+r.Err.Error())
			continue
		}
		same := sameData(r.Data, it.n.data)
		if same && !im.o.NoACL {
			acl, _, err := im.s.GetACL(ctx, it.path)
			if err != nil {
				im.fail(it, "cannot read the existing ACL: "+err.Error())
				continue
			}
			same = sameACL(acl, it.acl)
		}
		switch {
		case same:
			it.act = actUnchanged
			im.counts.Unchanged++
		case im.o.OnExists == ExistsSkip:
			it.act = actSkip
			im.counts.Skipped++
		case im.o.OnExists == ExistsOverwrite:
			it.act = actOverwrite
		default:
			it.differs = true
			im.fail(it, "exists and differs")
		}
	}
	return nil
}

// willCreate plans a create; the node's children are then known absent.
func (im *Importer) willCreate(it *item) {
	it.act = actCreate
	if hasChildren(it.n) {
		im.absent[it.path] = true
	}
}

// sameData tells equal data apart, null from empty included.
func sameData(a, b []byte) bool { return bytes.Equal(a, b) && (a == nil) == (b == nil) }

func sameACL(a, b []zk.ACL) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (im *Importer) modeFor(p string) session.CreateMode {
	for _, r := range im.o.TTLs {
		if ok, _ := path.Match(r.Glob, p); ok {
			return session.CreateMode{TTL: r.TTL}
		}
	}
	for _, g := range im.o.Containers {
		if ok, _ := path.Match(g, p); ok {
			return session.CreateMode{Container: true}
		}
	}
	return session.CreateMode{}
}

// mayCreateIn reports whether an ACL surely lets any session create
// children; zkc cannot tell which other ids this session matches.
func mayCreateIn(acl []zk.ACL) bool {
	for _, a := range acl {
		if a.Scheme == "world" && a.ID == "anyone" && a.Perms&zk.PermCreate != 0 {
			return true
		}
	}
	return false
}

// chunk plans a chunk and sends its writes as pipelined multis.
func (im *Importer) chunk(ctx context.Context, chunk []*item) error {
	if err := im.plan(ctx, chunk); err != nil {
		return err
	}
	var items []*item
	var ops []session.WriteOp
	size := 0
	send := func() error {
		if len(ops) == 0 {
			return nil
		}
		err := im.send(ctx, items, ops)
		items, ops, size = nil, nil, 0
		return err
	}
	for _, it := range chunk {
		if im.o.DryRun {
			im.planned(it)
			continue
		}
		var op session.WriteOp
		switch it.act {
		case actCreate:
			it.create = it.acl
			if it.acl == nil {
				it.create = zk.WorldACL(zk.PermAll)
			} else if !mayCreateIn(it.acl) && it.mode.TTL <= 0 && hasChildren(it.n) {
				it.create, it.deferTo = im.tempACL, it.acl
			}
			op = session.WriteOp{Kind: session.WriteCreate, Path: it.path, Data: it.n.data, ACL: it.create, Mode: it.mode}
		case actOverwrite:
			op = session.WriteOp{Kind: session.WriteSetData, Path: it.path, Data: it.n.data, Version: -1}
		default:
			continue
		}
		if session.WriteSize(op)+64 > session.JuteMaxBuffer {
			im.fail(it, fmt.Sprintf("data too large: %d bytes do not fit in one request (ZooKeeper's default jute.maxbuffer is %d bytes); not sent",
				len(it.n.data), session.JuteMaxBuffer))
			continue
		}
		if len(ops) > 0 && size+len(it.n.data)+len(it.path) > importMultiBytes {
			if err := send(); err != nil {
				return err
			}
		}
		items = append(items, it)
		ops = append(ops, op)
		size += len(it.n.data) + len(it.path) + 64
	}
	if err := send(); err != nil {
		return err
	}
	im.progress(int64(len(chunk)))
	return nil
}

func hasChildren(n *Node) bool { return n.Stat == nil || n.Stat.NumChildren > 0 }

func (im *Importer) progress(k int64) {
	im.done += k
	if im.o.Progress != nil {
		im.o.Progress(im.done)
	}
}

func (im *Importer) planned(it *item) {
	if im.o.Plan == nil {
		return
	}
	switch it.act {
	case actCreate:
		im.counts.Created++
		im.o.Plan("create", it.path)
	case actOverwrite:
		im.counts.Overwritten++
		im.o.Plan("overwrite", it.path)
	case actSkip:
		im.o.Plan("skip", it.path)
	case actUnchanged:
		im.o.Plan("unchanged", it.path)
	}
}

// send queues one multi behind those in flight, settling the oldest when
// the window is full.
func (im *Importer) send(ctx context.Context, items []*item, ops []session.WriteOp) error {
	for len(im.window) >= importWindow {
		if err := im.settleOldest(ctx); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ch, err := im.s.SendMulti(im.requests(ctx), ops)
	if err != nil {
		return err
	}
	im.window = append(im.window, &pendingMulti{items: items, ops: ops, reply: ch})
	return nil
}

// requests is the context requests are sent on.
func (im *Importer) requests(ctx context.Context) context.Context {
	if im.reqCtx != nil {
		return im.reqCtx
	}
	return ctx
}

// drain settles every multi in flight.
func (im *Importer) drain(ctx context.Context) error {
	var first error
	for len(im.window) > 0 {
		if err := im.settleOldest(ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// settleOldest waits for the oldest multi. One that failed is redone op by
// op after every multi sent behind it has answered (those may have failed
// only because of it: their parents were in it).
func (im *Importer) settleOldest(ctx context.Context) error {
	ok, err := im.settleNext(ctx)
	if ok || err != nil {
		return err
	}
	redo := []*pendingMulti{im.settled}
	for len(im.window) > 0 {
		ok, err := im.settleNext(ctx)
		if err != nil {
			return err
		}
		if !ok {
			redo = append(redo, im.settled)
		}
	}
	for _, q := range redo {
		if q.lost {
			im.catchUp(ctx)
		}
		for i, it := range q.items {
			if im.interrupted || ctx.Err() != nil {
				// Not redone after Ctrl-C: a failed multi wrote nothing,
				// a lost one is unknown.
				if q.lost {
					im.abandonFrom(q.items[i:])
				}
				break
			}
			if err := im.redo(ctx, it, q.ops[i], q.lost); err != nil {
				return err
			}
		}
	}
	return nil
}

func (im *Importer) applied(ctx context.Context, items []*item, ops []session.WriteOp) {
	for i, it := range items {
		switch ops[i].Kind {
		case session.WriteCreate:
			im.counts.Created++
			if it.deferTo != nil {
				im.deferred = append(im.deferred, it)
			}
		case session.WriteSetData:
			im.overwritten(ctx, it)
		}
	}
}

// overwritten finishes an overwrite: the data is in, now the ACL.
func (im *Importer) overwritten(ctx context.Context, it *item) {
	if it.acl != nil {
		if _, err := im.s.SetACL(ctx, it.path, it.acl, -1); err != nil {
			im.fail(it, "data replaced, but not its ACL: "+err.Error())
			return
		}
	}
	im.counts.Overwritten++
}

// settleNext waits for the oldest multi in flight: applied (ok), or failed
// and left in im.settled for a redo.
func (im *Importer) settleNext(ctx context.Context) (ok bool, err error) {
	p := im.window[0]
	im.window = im.window[1:]
	var r session.MultiReply
	select {
	case r = <-p.reply:
	case <-ctx.Done():
		im.abandonFrom(p.items)
		return false, ctx.Err()
	}
	if r.Err == nil {
		im.applied(ctx, p.items, p.ops)
		return true, nil
	}
	p.lost = isLost(r.Err)
	im.settled = p
	return false, nil
}

// abandonFrom counts the writes whose answer never came (Run reports them
// in one line): may or may not have been applied.
func (im *Importer) abandonFrom(items []*item) {
	if len(items) == 0 {
		return
	}
	if im.unknown == 0 {
		im.firstUnknown = items[0].path
	}
	im.unknown += int64(len(items))
	im.counts.Failed += int64(len(items))
}

// redo applies one op on its own after its multi failed. When the multi
// was lost with the connection it may have been applied: an op whose
// result is already on the server counts as done (read back, not guessed).
func (im *Importer) redo(ctx context.Context, it *item, op session.WriteOp, lost bool) error {
	if im.underFailed(it.path) {
		im.counts.Failed++
		return nil
	}
	if lost && im.alreadyApplied(ctx, op) {
		im.applied(ctx, []*item{it}, []session.WriteOp{op})
		return nil
	}
	r := oneOp(ctx, im.s, op)
	switch {
	case r == nil:
		im.applied(ctx, []*item{it}, []session.WriteOp{op})
	case isLost(r):
		im.catchUp(ctx)
		if im.alreadyApplied(ctx, op) {
			im.applied(ctx, []*item{it}, []session.WriteOp{op})
			return nil
		}
		return im.redo(ctx, it, op, true)
	case errors.Is(r, zk.ErrNodeExists) && op.Kind == session.WriteCreate:
		// A lost create may have been applied after all and reached this
		// member only now: the node holding our data is ours.
		if lost {
			im.catchUp(ctx)
			if im.alreadyApplied(ctx, op) {
				im.applied(ctx, []*item{it}, []session.WriteOp{op})
				return nil
			}
		}
		switch im.o.OnExists {
		case ExistsSkip:
			im.counts.Skipped++
		case ExistsOverwrite:
			if err := oneOp(ctx, im.s, session.WriteOp{Kind: session.WriteSetData, Path: it.path, Data: op.Data, Version: -1}); err != nil {
				im.fail(it, err.Error())
			} else {
				im.overwritten(ctx, it)
			}
		default:
			im.fail(it, "exists (created by someone else during the import)")
		}
	case errors.Is(r, zk.ErrNoNode):
		im.fail(it, "its parent does not exist")
	case errors.Is(r, zk.ErrNoAuth):
		im.fail(it, "not authorized")
	case errors.Is(r, context.Canceled):
		im.abandonFrom([]*item{it})
		return r
	default:
		im.fail(it, r.Error())
	}
	return nil
}

// catchUp syncs the member zkc is now connected to with the leader: after
// a failover it may not have applied yet what the lost member forwarded.
// Best effort: without it a later NodeExists is read back again.
func (im *Importer) catchUp(ctx context.Context) { _ = im.s.Sync(ctx, im.root) }

// alreadyApplied reads back what op would have written: a create whose
// node exists with its data, or a setData whose node holds its data.
func (im *Importer) alreadyApplied(ctx context.Context, op session.WriteOp) bool {
	// A read lost with the connection is sent again by the session.
	data, _, err := im.s.Get(ctx, op.Path, false)
	return err == nil && sameData(data, op.Data)
}

func isLost(err error) bool {
	var lost *session.LostError
	return errors.As(err, &lost) || errors.Is(err, zk.ErrConnectionClosed)
}

func oneOp(ctx context.Context, s Dest, op session.WriteOp) error {
	ch, err := s.SendMulti(ctx, []session.WriteOp{op})
	if err != nil {
		return err
	}
	select {
	case r := <-ch:
		return r.Err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// finishACLs gives the nodes created with a temporary ACL their own, even
// when the import was interrupted (with a fresh deadline).
func (im *Importer) finishACLs(ctx context.Context) {
	if len(im.deferred) == 0 {
		return
	}
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, it := range im.deferred {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := im.s.SetACL(ctx, it.path, it.deferTo, -1); err != nil {
				mu.Lock()
				im.counts.Created--
				im.fail(it, "created with a temporary ACL that could not be replaced by its own: "+err.Error())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	im.deferred = nil
}

// LeftOut lists the failed nodes with nodes under them that were not
// imported, and how many.
func (im *Importer) LeftOut() map[string]int64 {
	out := map[string]int64{}
	for p, k := range im.failed {
		if k > 0 {
			out[p] = k
		}
	}
	return out
}
