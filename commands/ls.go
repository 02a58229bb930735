package commands

import (
	"bufio"
	"context"
	"fmt"
	"sort"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

func newLs() *Command {
	var o struct{ stat, watch, recurse bool }
	c := &Command{
		Name:    "ls",
		Usage:   "ls [-s] [-w] [-R] path",
		Short:   "List a znode's children (-R: the whole subtree, one path per line)",
		Example: "zkc ls /\nzkc ls -s /app\nzkc ls -R /app | grep config",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the list")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a child watch (with -R: on every node)")
			fs.BoolVarP(&o.recurse, "recursive", "R", false, "list the subtree, one full path per line")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		if len(args) == 2 {
			fmt.Fprintln(env.Err, "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.")
			o.watch = true
		}
		if err := checkPath(p, false); err != nil {
			return err
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		var wait *watchWaiter
		if o.watch {
			// With -R the first event of any node visited ends the wait.
			wait = newWatchWaiter(env, s, p)
			defer wait.stop()
		}
		if o.recurse {
			if err := lsRecursive(ctx, env, c, p, o.watch); err != nil {
				return err
			}
			return wait.await(ctx)
		}
		kids, st, err := s.Children(ctx, p, o.watch)
		if err != nil {
			return ZKError(err, p)
		}
		sort.Strings(kids)
		if err := format.List(env.Out, kids); err != nil {
			return err
		}
		if o.stat {
			if err := printStat(env, st); err != nil {
				return err
			}
		}
		return wait.await(ctx)
	}
	return c
}

// lsRecursive streams the subtree in zkCli's order. Like zkCli it reads the
// root's data first, so a root without READ fails before anything is printed.
func lsRecursive(ctx context.Context, env *Env, c *Command, root string, watch bool) error {
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	if _, _, err := s.Get(ctx, root, false); err != nil {
		return ZKError(err, root)
	}
	out := bufio.NewWriterSize(env.Out, 64<<10)
	defer out.Flush()
	if _, err := fmt.Fprintln(out, root); err != nil {
		return err
	}
	visited := 0
	err = Walk(ctx, s, root, watch, func(_ string, kids []string) error {
		visited++
		if env.Progress != nil && visited%1000 == 0 {
			env.Progress(visited, 0, "nodes listed")
		}
		for _, k := range kids {
			out.WriteString(k)
			if err := out.WriteByte('\n'); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return walkErr(err, root)
	}
	return nil
}
