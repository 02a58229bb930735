package commands

import (
	"context"
	"fmt"
)

// newLs2 is zkCli 3.4's `ls2 path [watch]` (the children, then the stat),
// which zkCli removed in 3.6: old runbooks still use it, so zkc runs it as
// `ls -s path` (`ls -s -w path` with the watch word) and says so.
func newLs2() *Command {
	ls := newLs()
	c := &Command{
		Name:       "ls2",
		Usage:      "ls2 path [watch]",
		Short:      "Removed from zkCli in 3.6: runs as ls -s path",
		Example:    "zkc ls2 /app         # runs ls -s /app\nzkc ls2 /app watch   # runs ls -s -w /app",
		Args:       []ArgKind{ArgPath, ArgWord},
		Words:      []string{"watch"},
		MinArgs:    1,
		MaxArgs:    2,
		ReplacedBy: "ls -s",
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		o := &lsOptions{stat: true, watch: len(args) == 2}
		modern := "ls -s " + args[0]
		if o.watch {
			modern = "ls -s -w " + args[0]
		}
		replacedNotice(env, c.Name, modern)
		return runLs(ctx, env, ls, o, args[:1])
	}
	return c
}

// replacedNotice is the one stderr line a command zkCli removed prints
// before it runs as its replacement.
func replacedNotice(env *Env, old, modern string) {
	fmt.Fprintf(env.Err, "'%s' was removed from zkCli in 3.6; running '%s' instead.\n", old, modern)
}
