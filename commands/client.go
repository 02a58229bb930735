package commands

import (
	"context"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

// Client is the part of a session the single-node verbs use. A
// *session.Session is one; the verbs' fast tests give them an in-memory fake
// (client_fake_test.go). Verbs that need the whole session (recursive
// writes, watch streams, transfers) keep using sessionFor.
type Client interface {
	walk.Reader // Children, MultiRead, Get, GetACL
	Exists(ctx context.Context, path string, watch bool) (bool, *zk.Stat, error)
	Create(ctx context.Context, path string, data []byte, mode session.CreateMode, acl []zk.ACL) (string, error)
	Set(ctx context.Context, path string, data []byte, version int32) (*zk.Stat, error)
	Delete(ctx context.Context, path string, version int32) error
	SetACL(ctx context.Context, path string, acl []zk.ACL, version int32) (*zk.Stat, error)
	Sync(ctx context.Context, path string) error
	GetAllChildrenNumber(ctx context.Context, path string) (int32, error)
	GetEphemerals(ctx context.Context, prefix string) ([]string, error)
	WhoAmI(ctx context.Context) ([]session.ClientInfo, error)
	GetConfig(ctx context.Context, watch bool) ([]byte, *zk.Stat, error)
	// Subscribe and Timeout serve -w (watchWaiter).
	Subscribe(fn func(session.Event)) func()
	Timeout() time.Duration
	// Target is the connect string (its chroot counts in request sizes).
	Target() session.Target
	// SASLLogin is the SASL mechanism and user the session logged in with.
	SASLLogin() (mechanism, user string)
}

var _ Client = (*session.Session)(nil)

// ClientConnector is a Connector that can hand out a Client other than a
// real session (the in-memory fake of the fast tests).
type ClientConnector interface {
	Client(ctx context.Context) (Client, error)
}

// clientFor opens (or reuses) the session, as a Client.
func clientFor(ctx context.Context, env *Env) (Client, error) {
	if cc, ok := env.Conn.(ClientConnector); ok {
		c, err := cc.Client(ctx)
		if err != nil {
			return nil, ZKError(err, "")
		}
		return c, nil
	}
	return sessionFor(ctx, env)
}

// pathClient validates a (non-sequential) path, then opens or reuses the
// session as a Client: a bad path is refused before anything is sent.
func pathClient(ctx context.Context, env *Env, p string) (Client, error) {
	if err := checkPath(p, false); err != nil {
		return nil, err
	}
	return clientFor(ctx, env)
}
