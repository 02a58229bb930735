package commands

import (
	"context"
	"fmt"
)

func newHistory() *Command {
	c := &Command{
		Name:      "history",
		Usage:     "history",
		Short:     "List the last 11 lines entered, numbered for redo",
		Example:   "history\nredo 3",
		MaxArgs:   0,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runHistory(ctx, env, c, args)
	}
	return c
}

func runHistory(ctx context.Context, env *Env, c *Command, args []string) error {
	if env.Shell == nil {
		return Errorf(ExitUsage, "history is only available in the shell")
	}
	// zkCli prints entries commandCount-10 .. commandCount, this line included.
	h := env.Shell.History()
	from := len(h) - 11
	if from < 0 {
		from = 0
	}
	for _, e := range h[from:] {
		if _, err := fmt.Fprintf(env.Out, "%d - %s\n", e.N, e.Line); err != nil {
			return err
		}
	}
	return nil
}
