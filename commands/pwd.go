package commands

import (
	"context"

	"github.com/zkc-cli/zkc/format"
)

func newPwd() *Command {
	c := &Command{
		Name:      "pwd",
		Usage:     "pwd",
		Short:     "Print the current znode (see cd)",
		Example:   "pwd",
		MaxArgs:   0,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runPwd(ctx, env, c, args)
	}
	return c
}

func runPwd(_ context.Context, env *Env, _ *Command, _ []string) error {
	return env.Print(format.PathLine{Path: env.Cwd()})
}
