package commands

import (
	"context"

	"github.com/zkc-cli/zkc/format"
)

func newGetEphemerals() *Command {
	c := &Command{
		Name:    "getEphemerals",
		Usage:   "getEphemerals path",
		Short:   "List this session's ephemeral nodes whose path starts with path (all when omitted)",
		Long:    "A string-prefix match as in zkCli: /e matches /e1 and /e/x. Useful in the shell and in scripts; a one-shot session owns none.",
		Example: "printf 'create -e /locks/me\\ngetEphemerals /locks\\n' | zkc",
		Args:    []ArgKind{ArgPath},
		MinArgs: 0, MaxArgs: 1,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runGetEphemerals(ctx, env, c, args)
	}
	return c
}

func runGetEphemerals(ctx context.Context, env *Env, c *Command, args []string) error {
	prefix := "/"
	if len(args) == 1 {
		prefix = args[0]
		if err := checkPath(prefix, false); err != nil {
			return err
		}
	}
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	paths, err := s.GetEphemerals(ctx, prefix)
	if err != nil {
		return ZKError(err, prefix)
	}
	// Unsorted: the server's order, as zkCli.
	return env.Print(format.Ephemerals{Prefix: prefix, Paths: paths})
}
