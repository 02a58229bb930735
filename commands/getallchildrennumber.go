package commands

import (
	"context"

	"github.com/zkc-cli/zkc/format"
)

func newGetAllChildrenNumber() *Command {
	c := &Command{
		Name:    "getAllChildrenNumber",
		Usage:   "getAllChildrenNumber path",
		Short:   "Count all descendants of a znode (not the node itself)",
		Long:    "With -o json: {\"path\",\"count\"}.",
		Example: "zkc getAllChildrenNumber /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runGetAllChildrenNumber(ctx, env, c, args)
	}
	return c
}

func runGetAllChildrenNumber(ctx context.Context, env *Env, c *Command, args []string) error {
	p := args[0]
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	n, err := s.GetAllChildrenNumber(ctx, p)
	if err != nil {
		return ZKError(err, p)
	}
	return env.Print(format.Count{Path: p, Count: int64(n)})
}
