package session

import (
	"context"

	"github.com/go-zookeeper/zk"
)

// ACLResult is one node's ACL, or why it could not be read.
type ACLResult struct {
	ACL []zk.ACL
	Err error
}

const opGetACL = 6

type getACLRequest struct{ Path string }

type getACLResponse struct {
	ACL  []zk.ACL
	Stat zk.Stat
}

// GetACLs reads the ACLs of many nodes with all their requests in flight at
// once: ZooKeeper has no batched getACL (a multiRead holds only getChildren
// and getData), so an export pays one request per node. The requests are
// queued straight into the library (pipeline.go's queueRequest) rather than
// from a goroutine each, and the session's checks run once for all of them.
// A connection lost under any request fails the whole call (read it again);
// other errors are per node.
func (s *Session) GetACLs(ctx context.Context, paths []string) ([]ACLResult, error) {
	return call(s, ctx, "getAcl", false, func() ([]ACLResult, error) {
		replies := make([]<-chan libResponse, len(paths))
		resps := make([]*getACLResponse, len(paths))
		for i, p := range paths {
			resps[i] = &getACLResponse{}
			replies[i] = connQueueRequest(s.conn, opGetACL, &getACLRequest{Path: s.abs(p)}, resps[i], nil)
		}
		res := make([]ACLResult, len(paths))
		for i, ch := range replies {
			select {
			case r := <-ch:
				res[i] = ACLResult{Err: mapUnknown(r.err)}
				if r.err == nil {
					res[i].ACL = resps[i].ACL
				}
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		for _, r := range res {
			if connLost(r.Err) || r.Err == zk.ErrNoServer {
				return nil, r.Err
			}
		}
		return res, nil
	})
}
