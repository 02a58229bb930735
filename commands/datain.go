package commands

import (
	"context"
	"errors"
	"os"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
)

// JuteMaxBuffer is the largest request a ZooKeeper server accepts by default;
// zkc refuses bigger data before sending it.
const JuteMaxBuffer = session.JuteMaxBuffer

// Request sizes on the wire, without the 4-byte length prefix: a request
// header (xid, opcode) and the jute encoding of the request, where a string
// or buffer is a 4-byte length and its bytes.
const (
	requestHeaderSize = 4 + 4
	juteLen           = 4
)

// createRequestOverhead is the size of a create request without its data.
// CreateTTLRequest adds an 8-byte TTL.
func createRequestOverhead(absPath string, acl []zk.ACL, ttl bool) int {
	n := requestHeaderSize + juteLen + len(absPath) + juteLen + juteLen + 4 // path, data length, acl count, flags
	for _, a := range acl {
		n += 4 + juteLen + len(a.Scheme) + juteLen + len(a.ID)
	}
	if ttl {
		n += 8
	}
	return n
}

// setRequestOverhead is the size of a setData request without its data.
func setRequestOverhead(absPath string) int {
	return requestHeaderSize + juteLen + len(absPath) + juteLen + 4 // path, data length, version
}

// checkDataSize refuses data that would make the request larger than
// JuteMaxBuffer. overhead is the request's size without the data.
func checkDataSize(data []byte, overhead int, path string) error {
	max := JuteMaxBuffer - overhead
	if len(data) <= max {
		return nil
	}
	if max < 0 {
		return Errorf(ExitUsage, "request too large: the path and ACL of %s take %d bytes, more than fit in one request (ZooKeeper's default jute.maxbuffer is %d bytes); nothing was sent",
			path, overhead, JuteMaxBuffer)
	}
	return Errorf(ExitUsage, "data too large: %d bytes, but at most %d fit in one request for %s (ZooKeeper's default jute.maxbuffer is %d bytes per request); nothing was sent",
		len(data), max, path, JuteMaxBuffer)
}

// readDataFile reads the data of `create -f` / `set -f` byte for byte: a file,
// or stdin for "-". It reads at most one byte more than a request can carry,
// so a huge or endless input is refused without being held in memory, and
// a read that waits (a FIFO, a pipe, a terminal) ends on Ctrl-C or SIGTERM.
func readDataFile(ctx context.Context, env *Env, name string) ([]byte, error) {
	var data []byte
	var err error
	what := name
	if name == "-" {
		if env.In == nil {
			return nil, Errorf(ExitUsage, "-f -: no standard input")
		}
		what = "standard input"
		data, err = safeio.ReadAll(ctx, env.In, JuteMaxBuffer, what)
	} else {
		data, err = safeio.ReadFile(ctx, name, JuteMaxBuffer)
	}
	return data, dataFileError(ctx, what, err)
}

// dataFileError words a failed read of a data or configuration file.
func dataFileError(ctx context.Context, what string, err error) error {
	var tl *safeio.TooLargeError
	var pe *os.PathError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tl):
		return Errorf(ExitUsage, "data too large: %s has more than %d bytes (ZooKeeper's default jute.maxbuffer per request); nothing was sent", what, tl.Limit)
	case ctx.Err() != nil:
		return ZKError(ctx.Err(), "")
	case errors.As(err, &pe) && pe.Op == "open":
		return Errorf(ExitUsage, "cannot read data file: %v", err)
	}
	return Errorf(ExitUsage, "cannot read data from %s: %v", what, err)
}

// msgDataAndFile is the usage message for a data argument given with -f.
const msgDataAndFile = "a data argument cannot be combined with -f (the data comes from the file)"
