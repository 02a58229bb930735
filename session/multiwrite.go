package session

// Atomic multi writes (opcode 14) with every create flavour, and ordered
// pipelining of them. go-zookeeper's Multi knows only plain create, setData,
// delete and check, and its calls block until the reply, so a caller cannot
// keep several in flight while knowing they reach the server in order. Both
// gaps are filled here on top of extops.go's connRequest (the one place that
// reaches the library's private request function).

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

// Opcodes of the write ops a multi may hold (ZooDefs.OpCode).
const (
	opCreate          = 1
	opDelete          = 2
	opSetData         = 5
	opCheck           = 13
	opMulti           = 14
	opCreate2         = 15
	opCreateContainer = 19
	opCreateTTL       = 21
)

// WriteKind is what one op of a multi does.
type WriteKind int

const (
	WriteCreate WriteKind = iota
	WriteSetData
	WriteDelete
	WriteCheck
)

// WriteOp is one op of a multi. Data nil is ZooKeeper's null data, distinct
// from empty data ([]byte{}).
type WriteOp struct {
	Kind    WriteKind
	Path    string
	Data    []byte
	ACL     []zk.ACL   // create
	Mode    CreateMode // create
	Version int32      // setData, delete, check (-1: any)
}

// WriteResult is one op's outcome. When a multi fails, the op that failed
// carries its own error and every other op ErrRolledBack.
type WriteResult struct {
	Path string   // create: the node created (sequential names resolved)
	Stat *zk.Stat // setData and the create flavours that return one
	Err  error
}

// ErrRolledBack marks the ops of a failed multi that did not fail themselves:
// nothing of the multi was applied.
var ErrRolledBack = errors.New("zk: rolled back with the rest of the multi")

// ErrRequestTooLarge is a request zkc refused to send: it would not fit the
// server's jute.maxbuffer.
var ErrRequestTooLarge = errors.New("request too large")

// WriteSize is the bytes op takes in a multi request, to keep batches (and
// single nodes) within JuteMaxBuffer.
func WriteSize(op WriteOp) int {
	return (&multiWriteRequest{ops: []WriteOp{op}}).size()
}

// errRuntimeInconsistency is the server's code (-2) for those ops.
var errRuntimeInconsistency = errors.New("zk: runtime inconsistency")

// MultiReply is the answer to a multi sent with SendMulti.
type MultiReply struct {
	Results []WriteResult // one per op when the server answered
	Err     error         // the first failing op's error, or the request's
}

type multiWriteRequest struct {
	ops  []WriteOp
	once sync.Once
	sent chan struct{} // closed when the library's send loop encodes the packet
}

func (r *multiWriteRequest) markSent() { r.once.Do(func() { close(r.sent) }) }

func opcodeOf(op WriteOp) int32 {
	switch op.Kind {
	case WriteSetData:
		return opSetData
	case WriteDelete:
		return opDelete
	case WriteCheck:
		return opCheck
	}
	switch {
	case op.Mode.TTL > 0:
		return opCreateTTL
	case op.Mode.Container:
		return opCreateContainer
	}
	return opCreate2
}

func (r *multiWriteRequest) size() int {
	n := 9
	for _, op := range r.ops {
		n += 9 + 4 + len(op.Path) + 4 + len(op.Data) + 4 + 4 + 8
		for _, a := range op.ACL {
			n += 4 + 4 + len(a.Scheme) + 4 + len(a.ID)
		}
	}
	return n
}

// Encode writes the MultiOperationRecord. The library's send loop calls it
// in send order, which is what tells SendMulti that the request is on its
// way.
func (r *multiWriteRequest) Encode(buf []byte) (int, error) {
	defer r.markSent()
	if r.size() > len(buf) {
		return 0, zk.ErrShortBuffer
	}
	n := 0
	i32 := func(v int32) { binary.BigEndian.PutUint32(buf[n:], uint32(v)); n += 4 }
	i64 := func(v int64) { binary.BigEndian.PutUint64(buf[n:], uint64(v)); n += 8 }
	str := func(s string) { i32(int32(len(s))); n += copy(buf[n:], s) }
	byt := func(b []byte) {
		if b == nil {
			i32(-1)
			return
		}
		i32(int32(len(b)))
		n += copy(buf[n:], b)
	}
	header := func(typ int32, done bool) {
		i32(typ)
		buf[n] = 0
		if done {
			buf[n] = 1
		}
		n++
		i32(-1)
	}
	for _, op := range r.ops {
		typ := opcodeOf(op)
		header(typ, false)
		str(op.Path)
		switch op.Kind {
		case WriteCreate:
			byt(op.Data)
			i32(int32(len(op.ACL)))
			for _, a := range op.ACL {
				i32(a.Perms)
				str(a.Scheme)
				str(a.ID)
			}
			i32(op.Mode.flags())
			if typ == opCreateTTL {
				i64(op.Mode.TTL.Milliseconds())
			}
		case WriteSetData:
			byt(op.Data)
			i32(op.Version)
		case WriteDelete, WriteCheck:
			i32(op.Version)
		}
	}
	header(-1, true)
	return n, nil
}

type multiWriteResponse struct{ results []WriteResult }

// Decode reads the MultiResponse: per op a header and its result record.
func (m *multiWriteResponse) Decode(buf []byte) (int, error) {
	r := &reader{buf: buf}
	for r.err == nil {
		typ, done, _ := r.int32(), r.bool(), r.int32()
		if done || r.err != nil {
			break
		}
		var res WriteResult
		switch typ {
		case opCreate:
			res.Path = r.string()
		case opCreate2, opCreateContainer, opCreateTTL:
			res.Path = r.string()
			res.Stat = r.stat()
		case opSetData:
			res.Stat = r.stat()
		case opDelete, opCheck:
		case opError:
			res.Err = codeError(r.int32())
		default:
			return r.n, fmt.Errorf("multi: unexpected result type %d", typ)
		}
		m.results = append(m.results, res)
	}
	return r.n, r.err
}

// prepareMulti copies ops with their server paths.
func (s *Session) prepareMulti(ops []WriteOp) *multiWriteRequest {
	req := &multiWriteRequest{ops: make([]WriteOp, len(ops)), sent: make(chan struct{})}
	for i, op := range ops {
		op.Path = s.abs(op.Path)
		req.ops[i] = op
	}
	return req
}

// finishMulti turns the raw reply into per-op results with user paths, and
// the multi's error: the first op's own error (not the rollback marker).
func (s *Session) finishMulti(ops []WriteOp, res *multiWriteResponse, err error) MultiReply {
	if res == nil {
		res = &multiWriteResponse{}
	}
	if err != nil && len(res.results) != len(ops) {
		return MultiReply{Err: err}
	}
	if len(res.results) != len(ops) {
		return MultiReply{Err: fmt.Errorf("multi: %d results for %d ops", len(res.results), len(ops))}
	}
	// In a failed multi the server answers the ops before the failing one
	// with OK and those after it with "runtime inconsistency": all of them
	// were rolled back.
	var first error
	for i := range res.results {
		r := &res.results[i]
		r.Path = s.strip(r.Path)
		if r.Err != nil && first == nil && r.Err != errRuntimeInconsistency {
			first = r.Err
		}
	}
	if first != nil {
		for i := range res.results {
			if e := res.results[i].Err; e == nil || e == errRuntimeInconsistency {
				res.results[i].Err = ErrRolledBack
			}
		}
	}
	if first == nil && err != nil {
		first = err
	}
	return MultiReply{Results: res.results, Err: first}
}

// Multi applies ops atomically: all of them or none.
func (s *Session) Multi(ctx context.Context, ops []WriteOp) MultiReply {
	ch, err := s.SendMulti(ctx, ops)
	if err != nil {
		return MultiReply{Err: err}
	}
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return MultiReply{Err: ctx.Err()}
	}
}

// SendMulti sends ops as one atomic multi and returns once the request is on
// its way to the server (or has failed), so that a caller issuing multis one
// after another has them applied in that order while many are in flight: the
// server runs one session's requests in the order they arrive. The reply
// comes on the channel, which always receives exactly one value.
//
// It releases the caller when the library encodes the request for the wire,
// not when it queues it (as pipeline.go's turns do): a multi queued but
// flushed unsent by a connection loss is sent again by doOp before the
// caller's next multi exists, so even then they arrive in order.
func (s *Session) SendMulti(ctx context.Context, ops []WriteOp) (<-chan MultiReply, error) {
	for _, op := range ops {
		kind := map[WriteKind]writeKind{WriteCreate: writeCreate, WriteSetData: writeSet, WriteDelete: writeDelete}[op.Kind]
		if op.Kind == WriteCheck {
			if err := ValidatePath(op.Path, false); err != nil {
				return nil, err
			}
			continue
		}
		if err := checkWrite(ctx, kind, op.Path, s.abs(op.Path), op.Data, op.Mode.Sequential); err != nil {
			return nil, err
		}
	}
	req := s.prepareMulti(ops)
	// A packet over the server's jute.maxbuffer makes it drop the connection.
	if n := req.size() + 12; n > JuteMaxBuffer {
		return nil, fmt.Errorf("%w: a multi of %d ops takes %d bytes, more than fit in one request (ZooKeeper's default jute.maxbuffer is %d bytes); nothing was sent",
			ErrRequestTooLarge, len(ops), n, JuteMaxBuffer)
	}
	out := make(chan MultiReply, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		res, err := call(s, ctx, "multi", true, func() (*multiWriteResponse, error) {
			res := &multiWriteResponse{}
			return res, s.extRequest(opMulti, req, res)
		})
		out <- s.finishMulti(ops, res, err)
	}()
	// Order holds only once the library has taken the request; a request
	// that fails before that is answered on the channel just the same.
	select {
	case <-req.sent:
	case <-finished:
	case <-ctx.Done():
	case <-time.After(s.opts.Timeout + time.Second):
	}
	return out, nil
}

type existsRequest struct {
	Path  string
	Watch bool
}

type existsResponse struct{ Stat zk.Stat }

// ServerZxid returns the last zxid the connected server has applied: every
// reply carries it in its header, which the library's calls drop. Export
// records it (what the tree was at least as new as).
func (s *Session) ServerZxid(ctx context.Context) (int64, error) {
	return call(s, ctx, "exists", false, func() (int64, error) {
		zxid, err := connRequest(s.conn, 3, &existsRequest{Path: s.abs("/")}, &existsResponse{}, nil)
		return zxid, mapUnknown(err)
	})
}
