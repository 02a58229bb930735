package commands

import (
	"context"
	"errors"
	"strconv"

	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/transfer"
	"github.com/zkc-cli/zkc/walk"
)

// checkPath validates a znode path on the client, so nothing malformed is sent.
func checkPath(p string, sequential bool) error {
	if err := session.ValidatePath(p, sequential); err != nil {
		return ZKError(err, p)
	}
	return nil
}

// parseVersion reads a -v value; zkCli dies with a NumberFormatException here.
func parseVersion(c *Command, s string) (int32, error) {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, UsageError(c, "-v argument must be an int value: "+strconv.Quote(s))
	}
	return int32(v), nil
}

// pathSession validates a (non-sequential) path, then opens or reuses the
// session: the start of most commands, in this order so that a bad path is
// refused before anything is sent.
func pathSession(ctx context.Context, env *Env, p string) (*session.Session, error) {
	if err := checkPath(p, false); err != nil {
		return nil, err
	}
	return sessionFor(ctx, env)
}

// sessionFor opens (or reuses) the session.
func sessionFor(ctx context.Context, env *Env) (*session.Session, error) {
	s, err := env.Session(ctx)
	if err != nil {
		return nil, ZKError(err, "")
	}
	return s, nil
}

// walkErr words a walk's error with the node it failed on.
func walkErr(err error, root string) error {
	var we *walk.Error
	if errors.As(err, &we) {
		return ZKError(we.Err, we.Path)
	}
	return ZKError(err, root)
}

// endpointSessions gives cp, mv and diff the session of each side: the
// current one, or a session of its own to another ensemble, with the same
// settings or (otherConfig) those of a client-configuration file.
func endpointSessions(env *Env, otherConfig string) transfer.Sessions {
	return func(ctx context.Context, server string) (*session.Session, func(), error) {
		if server == "" {
			s, err := sessionFor(ctx, env)
			return s, func() {}, err
		}
		open := env.Conn.OpenOther
		if otherConfig != "" && env.OpenConfigured != nil {
			open = func(ctx context.Context, server string) (*session.Session, error) {
				return env.OpenConfigured(ctx, server, otherConfig)
			}
		}
		s, err := open(ctx, server)
		if err != nil {
			return nil, nil, ZKError(err, "")
		}
		return s, s.Close, nil
	}
}

// endpoint reads one side of cp, mv or diff, resolving a relative path.
func endpoint(c *Command, env *Env, arg string) (transfer.Endpoint, error) {
	e, err := transfer.ParseEndpoint(arg)
	if err != nil {
		return e, UsageError(c, err.Error())
	}
	if e.Path != "" && e.Server == "" {
		e.Path = env.Resolve(e.Path)
		if err := checkPath(e.Path, false); err != nil {
			return e, err
		}
	}
	return e, nil
}
