package commands

import (
	"context"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/format"
)

func newSync() *Command {
	c := &Command{
		Name:    "sync",
		Usage:   "sync path",
		Short:   "Make the connected server catch up with the leader",
		Long:    "With -o json: {\"path\",\"synced\":true}.",
		Example: "zkc sync /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runSync(ctx, env, c, args)
	}
	return c
}

func runSync(ctx context.Context, env *Env, c *Command, args []string) error {
	p := args[0]
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	if err := s.Sync(ctx, p); err != nil {
		return ZKError(err, p)
	}
	// zkCli prints "Sync is OK" even for a path that does not exist; zkc
	// says so instead, since a sync of nothing is usually a typo.
	ok, _, err := s.Exists(ctx, p, false)
	if err != nil {
		return ZKError(err, p)
	}
	if !ok {
		return ZKError(zk.ErrNoNode, p)
	}
	return env.Print(format.Synced{Path: p})
}
