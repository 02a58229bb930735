package commands

import (
	"context"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

// getOptions are get's flags.
type getOptions struct{ stat, watch, b64, hexdump, raw bool }

const msgRawAlone = "--raw cannot be combined with -s, -b, -x or -o json"

func newGet() *Command {
	o := &getOptions{}
	c := &Command{
		Name:  "get",
		Usage: "get [-s] [-w] [-b] [-x] path",
		Short: "Print a znode's data (-s adds its stat, -w leaves a data watch)",
		Long: "-b and -x print as zkCli 3.8.5+: base64, or Netty's hex dump table (-x wins over -b; a node\n" +
			"without data is dumped as the text \"null\", as zkCli does). --raw writes exactly the node's bytes,\n" +
			"with no newline, for redirections and pipes. With -o json: {\"path\",\"data\",\"encoding\",\"stat\"}\n" +
			"(-b forces base64).",
		Example:  "zkc get -s /config\nzkc get -b /binary-node\nzkc get --raw /assets/logo > logo.png\nzkc -o json get /config | jq -r .data",
		Args:     []ArgKind{ArgPath},
		TextOnly: []TextOnlyFlag{{"raw", msgRawAlone}, {"hexdump", "-x cannot be combined with -o json"}},
		MinArgs:  1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the data")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a data watch (one-shot: wait for its event)")
			fs.BoolVarP(&o.b64, "base64", "b", false, "print the data base64-encoded")
			fs.BoolVarP(&o.hexdump, "hexdump", "x", false, "print the data as a hex dump")
			fs.BoolVar(&o.raw, "raw", false, "write the node's bytes exactly, without a newline")
		},
	}
	// The deprecated "get path watch" leaves a watch too.
	c.Pipeline = func(args []string) Pipelining { return pipelinedUnless(o.watch || len(args) == 2, PipelinedRead) }
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runGet(ctx, env, c, o, args)
	}
	return c
}

func runGet(ctx context.Context, env *Env, c *Command, o *getOptions, args []string) error {
	p := args[0]
	deprecatedWatch(env, c, args, &o.watch, "get [-s] [-w] path")
	if o.raw && (o.stat || o.b64 || o.hexdump) {
		return UsageError(c, msgRawAlone)
	}
	s, wait, err := watchedClient(ctx, env, p, o.watch)
	if err != nil {
		return err
	}
	defer wait.stop()
	data, st, err := s.Get(ctx, p, o.watch)
	if err != nil {
		return ZKError(err, p)
	}
	rec := format.Node{Path: p, Data: data, Stat: st, WithStat: o.stat}
	switch {
	case o.raw:
		rec.Encoding = format.EncodingRaw
	case o.hexdump:
		rec.Encoding = format.EncodingHexDump
	case o.b64:
		rec.Encoding = format.EncodingBase64
	}
	if err := env.Print(rec); err != nil {
		return err
	}
	return wait.await(ctx)
}
