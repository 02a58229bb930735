package commands

import (
	"context"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

// statOptions are stat's flags.
type statOptions struct{ watch bool }

func newStat() *Command {
	o := &statOptions{}
	c := &Command{
		Name:    "stat",
		Usage:   "stat [-w] path",
		Short:   "Print a znode's stat block (-w leaves an exists watch)",
		Long:    "With -o json: {\"path\",\"stat\"}.",
		Example: "zkc stat /app\nzkc stat -w /app/ready   # one-shot: waits until it changes\nzkc -o json stat /app | jq .stat.numChildren",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a watch (one-shot: wait for its event)")
		},
	}
	c.Pipeline = func(args []string) Pipelining { return pipelinedUnless(o.watch || len(args) == 2, PipelinedRead) }
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runStat(ctx, env, c, o, args)
	}
	return c
}

func runStat(ctx context.Context, env *Env, c *Command, o *statOptions, args []string) error {
	p := args[0]
	deprecatedWatch(env, c, args, &o.watch, "stat [-w] path")
	s, wait, err := watchedClient(ctx, env, p, o.watch)
	if err != nil {
		return err
	}
	defer wait.stop()
	ok, st, err := s.Exists(ctx, p, o.watch)
	if err != nil {
		return ZKError(err, p)
	}
	if !ok {
		// The exists watch stays armed on a missing node (it fires on
		// creation); the command still reports the node as missing.
		return ZKError(zk.ErrNoNode, p)
	}
	if err := env.Print(format.PathStat{Path: p, Stat: st}); err != nil {
		return err
	}
	return wait.await(ctx)
}
