package session

// This file is the single place where zkc adds the ZooKeeper operations that
// github.com/go-zookeeper/zk v1.0.4 lacks (addWatch, removeWatches,
// getEphemerals, getAllChildrenNumber, whoAmI, multiRead) or cripples
// (reconfig, whose answer it drops); multiwrite.go adds multi writes with
// every create flavour and ordered pipelining on the same connRequest.
//
// Why linkname: the library's unexported (*Conn).request sends any opcode on the
// session and encodes/decodes request and response structs by reflection in
// jute field order, so each missing operation needs only the two structs below
// (transcribed from ZooKeeper's zookeeper.jute). Upstream PRs adding these have
// sat unmerged for years. A replace directive would break
// `go install ...@latest` (it is ignored outside the main module); a fork under
// its own module path would not, but zkc would then own a copy of the whole
// client (its connection, reconnect and auth code) and have to follow every
// upstream fix by hand, and users who audit or patch go-zookeeper would find
// zkc on a different module. Reaching one private method keeps that copy out.
//
// The price is that the method's signature is private: a changed one would
// still link and fail at run time. So linknameCheckedVersion records the
// go-zookeeper version this declaration was checked against, a test
// (extops_version_test.go) fails when go.mod names another, and every
// operation here is covered by an integration test against a real server
// (session/extops_test.go).

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe" // go:linkname, and unsafe.String for decoded names

	"github.com/go-zookeeper/zk"
)

// linknameCheckedVersion is the github.com/go-zookeeper/zk version whose
// (*Conn).request connRequest was checked against (see the file comment).
const linknameCheckedVersion = "v1.0.4"

// connRequest is (*zk.Conn).request. Its last parameter is really a
// func(*zk.request, *zk.responseHeader, error); zkc always passes nil, so the
// parameter types never matter at run time.
//
//go:linkname connRequest github.com/go-zookeeper/zk.(*Conn).request
func connRequest(c *zk.Conn, opcode int32, req interface{}, res interface{}, recvFunc func(struct{}, struct{}, error)) (int64, error)

// Opcodes from ZooKeeper's ZooDefs.OpCode.
const (
	opCheckWatches         = 17
	opRemoveWatches        = 18
	opMultiRead            = 22
	opReconfig             = 16
	opGetEphemerals        = 103
	opGetAllChildrenNumber = 104
	opAddWatch             = 106
	opWhoAmI               = 107
)

// Watcher types for removeWatches (ZooDefs/WatcherType).
const (
	WatcherChildren            int32 = 1
	WatcherData                int32 = 2
	WatcherAny                 int32 = 3
	WatcherPersistent          int32 = 4
	WatcherPersistentRecursive int32 = 5
)

// AddWatch modes (AddWatchMode).
const (
	AddWatchPersistent          int32 = 0
	AddWatchPersistentRecursive int32 = 1
)

type pathRequest struct{ Path string }

type addWatchRequest struct {
	Path string
	Mode int32
}

type removeWatchesRequest struct {
	Path string
	Type int32
}

type emptyResponse struct{}

type getEphemeralsResponse struct{ Ephemerals []string }

type getAllChildrenNumberResponse struct{ TotalNumber int32 }

// ClientInfo is one authenticated identity of the connection (whoAmI).
type ClientInfo struct {
	AuthScheme string
	User       string
}

type whoAmIResponse struct{ ClientInfo []ClientInfo }

// Error codes the library does not map; it reports them as "unknown error: N".
var (
	ErrUnimplemented      = errors.New("zk: operation not implemented by the server")
	ErrNoWatcher          = errors.New("zk: no such watcher")
	ErrQuotaExceeded      = errors.New("zk: quota has exceeded")
	ErrThrottled          = errors.New("zk: op throttled due to high load")
	ErrTimeout            = errors.New("zk: operation timeout")
	ErrNotReadOnly        = errors.New("zk: not a read-only call")
	ErrReconfigInProgress = errors.New("zk: reconfig in progress")
	ErrNewConfigNoQuorum  = errors.New("zk: new config has no quorum")
	// ErrSASLRequired: the server requires SASL (sessionRequireClientSASLAuth)
	// and closed the session of a client that had not authenticated.
	ErrSASLRequired = errors.New("zk: session closed because client failed to authenticate")
)

var unknownCodes = map[int]error{
	-6:   ErrUnimplemented,
	-7:   ErrTimeout,
	-119: ErrNotReadOnly,
	-121: ErrNoWatcher,
	-122: ErrReconfigInProgress,
	-120: ErrNewConfigNoQuorum,
	-125: ErrQuotaExceeded,
	-127: ErrThrottled,
	-124: ErrSASLRequired,
}

// mapUnknown turns the library's "unknown error: N" into a typed error.
func mapUnknown(err error) error {
	if err == nil {
		return nil
	}
	var code int
	if _, scanErr := fmt.Sscanf(err.Error(), "unknown error: %d", &code); scanErr == nil {
		if e, ok := unknownCodes[code]; ok {
			return e
		}
	}
	return err
}

func (s *Session) extRequest(opcode int32, req, res interface{}) error {
	_, err := connRequest(s.conn, opcode, req, res, nil)
	err = mapUnknown(err)
	if errors.Is(err, ErrUnimplemented) {
		return fmt.Errorf("%w: %s needs ZooKeeper 3.6 or newer", ErrUnimplemented, opName(opcode))
	}
	return err
}

func opName(op int32) string {
	switch op {
	case opAddWatch:
		return "addWatch"
	case opRemoveWatches, opCheckWatches:
		return "removewatches"
	case opGetEphemerals:
		return "getEphemerals"
	case opGetAllChildrenNumber:
		return "getAllChildrenNumber"
	case opWhoAmI:
		return "whoami"
	case opMultiRead:
		return "multiRead"
	case opReconfig:
		return "reconfig"
	}
	return fmt.Sprintf("opcode %d", op)
}

func (s *Session) rawAddWatch(path string, mode int32) error {
	return s.extRequest(opAddWatch, &addWatchRequest{Path: path, Mode: mode}, &emptyResponse{})
}

func (s *Session) rawRemoveWatches(path string, typ int32) error {
	return s.extRequest(opRemoveWatches, &removeWatchesRequest{Path: path, Type: typ}, &emptyResponse{})
}

func (s *Session) rawGetEphemerals(prefix string) ([]string, error) {
	res := &getEphemeralsResponse{}
	if err := s.extRequest(opGetEphemerals, &pathRequest{Path: prefix}, res); err != nil {
		return nil, err
	}
	return res.Ephemerals, nil
}

func (s *Session) rawGetAllChildrenNumber(path string) (int32, error) {
	res := &getAllChildrenNumberResponse{}
	if err := s.extRequest(opGetAllChildrenNumber, &pathRequest{Path: path}, res); err != nil {
		return 0, err
	}
	return res.TotalNumber, nil
}

func (s *Session) rawWhoAmI() ([]ClientInfo, error) {
	res := &whoAmIResponse{}
	if err := s.extRequest(opWhoAmI, &struct{}{}, res); err != nil {
		return nil, err
	}
	return res.ClientInfo, nil
}

// reconfigRequest is zookeeper.jute's ReconfigRequest; nil slices go out as
// jute's null string, which the server reads as "not given".
type reconfigRequest struct {
	JoiningServers []byte
	LeavingServers []byte
	NewMembers     []byte
	CurConfigID    int64
}

type reconfigResponse struct {
	Data []byte
	Stat zk.Stat
}

// rawReconfig is the library's reconfig without dropping the returned
// configuration text (zkCli prints it as "Committed new configuration:").
func (s *Session) rawReconfig(joining, leaving, members string, version int64) ([]byte, *zk.Stat, error) {
	opt := func(v string) []byte {
		if v == "" {
			return nil
		}
		return []byte(v)
	}
	req := &reconfigRequest{JoiningServers: opt(joining), LeavingServers: opt(leaving), NewMembers: opt(members), CurConfigID: version}
	res := &reconfigResponse{}
	if err := s.extRequest(opReconfig, req, res); err != nil {
		return nil, nil, err
	}
	return res.Data, &res.Stat, nil
}

// multiRead (opcode 22, ZooKeeper 3.6+) sends many getChildren/getData in one
// request; each gets its own result or error. The request and response are a
// MultiOperationRecord/MultiResponse: per op a MultiHeader{type, done, err}
// and the op's record, ended by the header {-1, true, -1}. The library's
// reflection encoder cannot express that, so these types implement its
// Encode/Decode hooks (it calls them through an interface check).
const (
	opGetData     = 4
	opGetChildren = 8
	opError       = -1
)

// ReadOp is one read of a MultiRead: a node's children, or with Data its data and stat.
type ReadOp struct {
	Path string
	Data bool
}

// ReadResult is one op's result. multiRead sets no watches.
type ReadResult struct {
	Children []string // getChildren, as the server sends them (unsorted)
	Data     []byte   // getData
	Stat     *zk.Stat // getData
	Err      error    // this op's error (zk.ErrNoNode, zk.ErrNoAuth, ...)
}

type multiReadRequest struct{ ops []ReadOp }

type multiReadResponse struct{ results []ReadResult }

func (r *multiReadRequest) size() int {
	n := 9 // the done header
	for _, op := range r.ops {
		n += 9 + 4 + len(op.Path) + 1
	}
	return n
}

// Encode writes the ops; the library rejects (does not send) a packet that
// does not fit its buffer.
func (r *multiReadRequest) Encode(buf []byte) (int, error) {
	if r.size() > len(buf) {
		return 0, zk.ErrShortBuffer
	}
	n := 0
	header := func(typ int32, done bool, errc int32) {
		binary.BigEndian.PutUint32(buf[n:], uint32(typ))
		buf[n+4] = 0
		if done {
			buf[n+4] = 1
		}
		binary.BigEndian.PutUint32(buf[n+5:], uint32(errc))
		n += 9
	}
	for _, op := range r.ops {
		typ := int32(opGetChildren)
		if op.Data {
			typ = opGetData
		}
		header(typ, false, -1)
		binary.BigEndian.PutUint32(buf[n:], uint32(len(op.Path)))
		n += 4 + copy(buf[n+4:], op.Path)
		buf[n] = 0 // watch: the server ignores it in a multiRead anyway
		n++
	}
	header(-1, true, -1)
	return n, nil
}

// reader decodes jute's big-endian fields, failing instead of panicking on a short buffer.
type reader struct {
	buf []byte
	n   int
	err error
}

func (r *reader) take(k int) []byte {
	if r.err != nil || k < 0 || r.n+k > len(r.buf) {
		r.err = zk.ErrShortBuffer
		return nil
	}
	b := r.buf[r.n : r.n+k]
	r.n += k
	return b
}

func (r *reader) int32() int32 {
	if b := r.take(4); b != nil {
		return int32(binary.BigEndian.Uint32(b))
	}
	return 0
}

func (r *reader) int64() int64 {
	if b := r.take(8); b != nil {
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// bytes keeps jute's null buffer (length -1: nil) apart from an empty one.
func (r *reader) bytes() []byte {
	k := r.int32()
	if k < 0 || r.err != nil {
		return nil
	}
	b := r.take(int(k))
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, k), b...)
}

func (r *reader) string() string {
	k := r.int32()
	if k <= 0 || r.err != nil {
		return ""
	}
	return string(r.take(int(k)))
}

// strings reads k strings into one allocation (siblings' names live and
// die together): one per name was a quarter of a walk's allocations.
func (r *reader) strings(k int) []string {
	if k > (len(r.buf)-r.n)/4 { // each takes 4 bytes at least
		r.err = zk.ErrShortBuffer
		return nil
	}
	start, total := r.n, 0
	for i := 0; i < k && r.err == nil; i++ {
		if l := r.int32(); l > 0 {
			total += int(l)
			r.take(int(l))
		}
	}
	if r.err != nil || total == 0 {
		r.n = start
		out := make([]string, k)
		for i := range out {
			out[i] = r.string()
		}
		return out
	}
	r.n = start
	all := make([]byte, 0, total)
	out := make([]string, k)
	for i := range out {
		if l := r.int32(); l > 0 {
			from := len(all)
			all = append(all, r.take(int(l))...)
			out[i] = unsafe.String(&all[from], int(l)) // all is never written again
		}
	}
	return out
}

func (r *reader) bool() bool {
	b := r.take(1)
	return b != nil && b[0] != 0
}

func (r *reader) stat() *zk.Stat {
	return &zk.Stat{
		Czxid: r.int64(), Mzxid: r.int64(), Ctime: r.int64(), Mtime: r.int64(),
		Version: r.int32(), Cversion: r.int32(), Aversion: r.int32(),
		EphemeralOwner: r.int64(), DataLength: r.int32(), NumChildren: r.int32(), Pzxid: r.int64(),
	}
}

// Decode reads the per-op results.
func (m *multiReadResponse) Decode(buf []byte) (int, error) {
	r := &reader{buf: buf}
	for r.err == nil {
		typ, done, _ := r.int32(), r.bool(), r.int32()
		if done || r.err != nil {
			break
		}
		var res ReadResult
		switch typ {
		case opGetChildren:
			if k := r.int32(); k > 0 && r.err == nil {
				res.Children = r.strings(int(k))
			}
		case opGetData:
			res.Data = r.bytes()
			res.Stat = r.stat()
		case opError:
			res.Err = codeError(r.int32())
		default:
			return r.n, fmt.Errorf("multiRead: unexpected result type %d", typ)
		}
		m.results = append(m.results, res)
	}
	return r.n, r.err
}

// codeError maps a server error code to the library's error values.
func codeError(code int32) error {
	switch code {
	case 0:
		return nil
	case -101:
		return zk.ErrNoNode
	case -102:
		return zk.ErrNoAuth
	case -8:
		return zk.ErrBadArguments
	case -112:
		return zk.ErrSessionExpired
	case -2:
		return errRuntimeInconsistency
	case -103:
		return zk.ErrBadVersion
	case -108:
		return zk.ErrNoChildrenForEphemerals
	case -110:
		return zk.ErrNodeExists
	case -111:
		return zk.ErrNotEmpty
	case -114:
		return zk.ErrInvalidACL
	case -115:
		return zk.ErrAuthFailed
	case -118:
		return zk.ErrSessionMoved
	}
	return mapUnknown(fmt.Errorf("unknown error: %d", code))
}

// MultiRead runs ops in one multiRead request (opcode 22) and returns one
// result per op. It fails as a whole only when the request does (connection
// loss, a server older than 3.6: ErrUnimplemented).
func (s *Session) MultiRead(ctx context.Context, ops []ReadOp) ([]ReadResult, error) {
	return s.MultiReadInto(ctx, ops, nil)
}

// MultiReadInto is MultiRead decoding into into's memory when it has room
// for every result: a walk's result arrays, allocated per request, were a
// quarter of its allocations. A reply abandoned with ctx may still be
// decoded into it later, so after an error the caller must not use into
// again.
func (s *Session) MultiReadInto(ctx context.Context, ops []ReadOp, into []ReadResult) ([]ReadResult, error) {
	// The request keeps its own copy of the ops (with the chroot), as the
	// caller may reuse its array before the library has sent them.
	kept, _ := s.readOps.Get().(*[]ReadOp)
	if kept == nil || cap(*kept) < len(ops) {
		kept = &[]ReadOp{}
		*kept = make([]ReadOp, 0, len(ops))
	}
	req := &multiReadRequest{ops: (*kept)[:len(ops)]}
	for i, op := range ops {
		req.ops[i] = ReadOp{Path: s.abs(op.Path), Data: op.Data}
	}
	results, err := call(s, ctx, "multiRead", false, func() ([]ReadResult, error) {
		res := &multiReadResponse{results: into[:0]}
		if cap(into) < len(ops) {
			res.results = make([]ReadResult, 0, len(ops))
		}
		if err := s.extRequest(opMultiRead, req, res); err != nil {
			return nil, err
		}
		if len(res.results) != len(ops) {
			return nil, fmt.Errorf("multiRead: %d results for %d ops", len(res.results), len(ops))
		}
		return res.results, nil
	})
	// The request is sent again after a lost connection, so its ops go back
	// to the pool only once call is over; and not when ctx ended it, as the
	// request may then still be waiting for its turn in the library.
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		clear(req.ops)
		s.readOps.Put(kept)
	}
	return results, err
}
