package commands

import (
	"context"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/session"
)

// removeWatchesOptions are removeWatches's flags.
type removeWatchesOptions struct{ child, data, any, persistent, recursive, local bool }

func newRemoveWatches() *Command {
	o := &removeWatchesOptions{}
	c := &Command{
		Name:  "removewatches",
		Usage: "removewatches path [-c|-d|-a|-p|-r] [-l]",
		Short: "Remove this session's watches on a path (fires the *WatchRemoved events)",
		Long: "-c child watches (ls -w), -d data watches (get -w, stat -w), -a any (the default),\n" +
			"-p the persistent watch, -r the persistent recursive watch (addWatch); -l removes\n" +
			"them locally only, without asking the server (events the server still sends are dropped).\n" +
			"A removed persistent watch is not re-added after reconnects. In one-shot mode there is\n" +
			"never a watch to remove.",
		Example: "removewatches /app -r\nremovewatches /app/config -d",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.child, "children", "c", false, "child watches")
			fs.BoolVarP(&o.data, "data", "d", false, "data watches")
			fs.BoolVarP(&o.any, "any", "a", false, "watches of any kind (the default)")
			fs.BoolVarP(&o.persistent, "persistent", "p", false, "the persistent watch")
			fs.BoolVarP(&o.recursive, "recursive", "r", false, "the persistent recursive watch")
			fs.BoolVarP(&o.local, "local", "l", false, "remove locally, without the server")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runRemoveWatches(ctx, env, c, o, args)
	}
	return c
}

func runRemoveWatches(ctx context.Context, env *Env, c *Command, o *removeWatchesOptions, args []string) error {
	p := args[0]
	typ, n := session.WatcherAny, 0
	for _, f := range []struct {
		on  bool
		typ int32
	}{
		{o.child, session.WatcherChildren}, {o.data, session.WatcherData}, {o.any, session.WatcherAny},
		{o.persistent, session.WatcherPersistent}, {o.recursive, session.WatcherPersistentRecursive},
	} {
		if f.on {
			typ, n = f.typ, n+1
		}
	}
	if n > 1 {
		return UsageError(c, "only one of -c, -d, -a, -p and -r may be given")
	}
	s, err := pathSession(ctx, env, p)
	if err != nil {
		return err
	}
	return ZKError(s.RemoveWatches(ctx, p, typ, o.local), p)
}
