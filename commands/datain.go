package commands

import (
	"io"
	"os"

	"github.com/go-zookeeper/zk"
)

// JuteMaxBuffer is the largest request a ZooKeeper server accepts by default
// (jute.maxbuffer = 0xfffff bytes). A bigger packet makes the server drop the
// connection, so zkc refuses such data before sending it.
const JuteMaxBuffer = 0xfffff

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
	return Errorf(ExitUsage, "data too large: %d bytes, but at most %d fit in one request for %s (ZooKeeper's default jute.maxbuffer is %d bytes per request); nothing was sent",
		len(data), max, path, JuteMaxBuffer)
}

// readDataFile reads the data of `create -f` / `set -f` byte for byte: a file,
// or stdin for "-". It reads at most one byte more than a request can carry,
// so a huge input is refused without being held in memory.
func readDataFile(env *Env, name string) ([]byte, error) {
	var r io.Reader
	what := name
	if name == "-" {
		if env.In == nil {
			return nil, Errorf(ExitUsage, "-f -: no standard input")
		}
		r, what = env.In, "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, Errorf(ExitUsage, "cannot read data file: %v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, JuteMaxBuffer+1))
	if err != nil {
		return nil, Errorf(ExitUsage, "cannot read data from %s: %v", what, err)
	}
	if len(data) > JuteMaxBuffer {
		return nil, Errorf(ExitUsage, "data too large: %s has more than %d bytes (ZooKeeper's default jute.maxbuffer per request); nothing was sent", what, JuteMaxBuffer)
	}
	if data == nil {
		data = []byte{} // an empty file is empty data, not null
	}
	return data, nil
}

// msgDataAndFile is the usage message for a data argument given with -f.
const msgDataAndFile = "a data argument cannot be combined with -f (the data comes from the file)"
