package commands

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

func newGet() *Command {
	var o struct{ stat, watch, b64, hexdump, raw bool }
	c := &Command{
		Name:  "get",
		Usage: "get [-s] [-w] [-b] [-x] path",
		Short: "Print a znode's data (-s adds its stat, -w leaves a data watch)",
		Long: "-b and -x print as zkCli 3.8.5+: base64, or Netty's hex dump table (-x wins over -b; a node\n" +
			"without data is dumped as the text \"null\", as zkCli does). --raw writes exactly the node's bytes,\n" +
			"with no newline, for redirections and pipes. With -o json: {\"path\",\"data\",\"encoding\",\"stat\"}\n" +
			"(-b forces base64).",
		Example: "zkc get -s /config\nzkc get -b /binary-node\nzkc get --raw /assets/logo > logo.png\nzkc -o json get /config | jq -r .data",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the data")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a data watch (one-shot: wait for its event)")
			fs.BoolVarP(&o.b64, "base64", "b", false, "print the data base64-encoded")
			fs.BoolVarP(&o.hexdump, "hexdump", "x", false, "print the data as a hex dump")
			fs.BoolVar(&o.raw, "raw", false, "write the node's bytes exactly, without a newline")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		if len(args) == 2 {
			fmt.Fprintln(env.Err, "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.")
			o.watch = true
		}
		if o.raw && (o.stat || o.b64 || o.hexdump || env.JSON()) {
			return UsageError(c, "--raw cannot be combined with -s, -b, -x or -o json")
		}
		if o.hexdump && env.JSON() {
			return UsageError(c, "-x cannot be combined with -o json")
		}
		s, err := pathSession(ctx, env, p)
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
		if env.JSON() {
			doc := format.NodeJSON{Path: p, DataJSON: format.NewDataJSON(data), Stat: format.NewStatJSON(st)}
			if o.b64 && data != nil {
				enc := base64.StdEncoding.EncodeToString(data)
				doc.DataJSON = format.DataJSON{Data: &enc, Encoding: "base64"}
			}
			if err := format.WriteJSON(env.Out, doc); err != nil {
				return err
			}
			return wait.await(ctx)
		}
		// zkCli 3.8.5+ encodes the text "null" for a node without data.
		shown := data
		if shown == nil {
			shown = []byte("null")
		}
		switch {
		case o.raw:
			_, err = env.Out.Write(data)
		case o.hexdump:
			_, err = fmt.Fprintln(env.Out, format.HexDump(shown))
		case o.b64:
			_, err = fmt.Fprintln(env.Out, base64.StdEncoding.EncodeToString(shown))
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
