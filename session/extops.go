package session

// This file is the single place where zkc adds the ZooKeeper operations that
// github.com/go-zookeeper/zk v1.0.4 lacks (addWatch, removeWatches,
// getEphemerals, getAllChildrenNumber, whoAmI, multiRead) or cripples
// (reconfig, whose answer it drops).
//
// Why linkname: the library's unexported (*Conn).request sends any opcode on the
// session and encodes/decodes request and response structs by reflection in
// jute field order, so each missing operation needs only the two structs below
// (transcribed from ZooKeeper's zookeeper.jute). Upstream PRs adding these have
// sat unmerged for years; a fork or a replace directive would break
// `go install ...@latest`. A changed private signature would still link, so
// every operation here is covered by an integration test against a real server
// (session/extops_test.go).

import (
	"errors"
	"fmt"
	"strings"
	_ "unsafe" // for go:linkname

	"github.com/go-zookeeper/zk"
)

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

// isUnknownCode reports whether err is the library's text for an unmapped code.
func isUnknownCode(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "unknown error: ")
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
