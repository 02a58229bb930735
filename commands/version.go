package commands

import (
	"context"

	"github.com/zkc-cli/zkc/format"
)

// Version is zkc's release, printed by `zkc version`.
const Version = "0.1.0"

func newVersion() *Command {
	c := &Command{
		Name:    "version",
		Usage:   "version ",
		Short:   "Print zkc's version",
		Long:    "With -o json: {\"version\"}.",
		Example: "zkc version\nzkc -o json version",
		MinArgs: 0, MaxArgs: 0,
		Offline: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runVersion(ctx, env, c, args)
	}
	return c
}

func runVersion(ctx context.Context, env *Env, c *Command, args []string) error {
	return env.Print(format.Version{Version: Version})
}
