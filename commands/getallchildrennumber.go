package commands

import (
	"context"
	"fmt"

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
		p := args[0]
		s, err := pathSession(ctx, env, p)
		if err != nil {
			return err
		}
		n, err := s.GetAllChildrenNumber(ctx, p)
		if err != nil {
			return ZKError(err, p)
		}
		if env.JSON() {
			return format.WriteJSON(env.Out, format.CountJSON{Path: p, Count: int64(n)})
		}
		_, err = fmt.Fprintln(env.Out, n)
		return err
	}
	return c
}
