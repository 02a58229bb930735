package commands

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

func newGet() *Command {
	var o struct{ stat, watch, b64, hexdump bool }
	c := &Command{
		Name:    "get",
		Usage:   "get [-s] [-w] [-b] [-x] path",
		Short:   "Print a znode's data (-s adds its stat, -w leaves a data watch)",
		Example: "zkc get -s /config\nzkc get -b /binary-node",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the data")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a data watch (one-shot: wait for its event)")
			fs.BoolVarP(&o.b64, "base64", "b", false, "print the data base64-encoded")
			fs.BoolVarP(&o.hexdump, "hexdump", "x", false, "print the data as a hex dump")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		if len(args) == 2 {
			fmt.Fprintln(env.Err, "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.")
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
			wait = newWatchWaiter(env, s, p)
			defer wait.stop()
		}
		data, st, err := s.Get(ctx, p, o.watch)
		if err != nil {
			return ZKError(err, p)
		}
		switch {
		case o.b64:
			_, err = fmt.Fprintln(env.Out, base64.StdEncoding.EncodeToString(data))
		case o.hexdump:
			_, err = fmt.Fprint(env.Out, hex.Dump(data))
		default:
			err = format.Data(env.Out, data)
		}
		if err != nil {
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
