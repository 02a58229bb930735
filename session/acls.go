package session

import (
	"context"
	"sync"

	"github.com/go-zookeeper/zk"
)

// ACLResult is one node's ACL, or why it could not be read.
type ACLResult struct {
	ACL []zk.ACL
	Err error
}

// aclsInFlight bounds the getACL requests GetACLs keeps outstanding.
const aclsInFlight = 256

// GetACLs reads the ACLs of many nodes, all their requests in flight at
// once on the session's connection: ZooKeeper has no batched getACL (a
// multiRead holds only getChildren and getData), so an export pays one
// request per node, and here pays the session's checks only once for all
// of them. A connection lost under any request fails the whole call (read
// it again); other errors are per node.
func (s *Session) GetACLs(ctx context.Context, paths []string) ([]ACLResult, error) {
	return call(s, ctx, "getAcl", false, func() ([]ACLResult, error) {
		res := make([]ACLResult, len(paths))
		sem := make(chan struct{}, aclsInFlight)
		var wg sync.WaitGroup
		for i, p := range paths {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				acl, _, err := s.conn.GetACL(s.abs(p))
				res[i] = ACLResult{ACL: acl, Err: mapUnknown(err)}
			}()
		}
		wg.Wait()
		for _, r := range res {
			if connLost(r.Err) || r.Err == zk.ErrNoServer {
				return nil, r.Err
			}
		}
		return res, nil
	})
}
