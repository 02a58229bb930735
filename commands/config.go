package commands

import (
	"context"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/ensemble"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// configOptions are config's flags.
type configOptions struct{ client, watch, stat bool }

func newConfig() *Command {
	o := &configOptions{}
	c := &Command{
		Name:  "config",
		Usage: "config [-c] [-w] [-s]",
		Short: "Print the ensemble's dynamic configuration (/zookeeper/config)",
		Long: "-c prints only the version and the client addresses (\"<version> host:port,...\"), -s adds the stat " +
			"block, -w leaves a watch on the configuration (one-shot: waits for its change). The chroot does not apply.",
		Example: "zkc config\nzkc config -c",
		MinArgs: 0, MaxArgs: 0,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.client, "client", "c", false, "print the client connection string only")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a watch on the configuration")
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the configuration")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runConfig(ctx, env, c, o, args)
	}
	return c
}

func runConfig(ctx context.Context, env *Env, c *Command, o *configOptions, args []string) error {
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	var wait *watchWaiter
	if o.watch {
		wait = newWatchWaiter(env, s, session.ConfigNode)
		defer wait.stop()
	}
	data, st, err := s.GetConfig(ctx, o.watch)
	if err != nil {
		return ZKError(err, session.ConfigNode)
	}
	text := "null"
	if data != nil {
		text = string(data)
	}
	if o.client {
		text = ensemble.ClientString(text)
	}
	if err := env.Print(format.Config{Text: text, Doc: configJSON(data), Stat: st, WithStat: o.stat}); err != nil {
		return err
	}
	return wait.await(ctx)
}

// configJSON is config's and reconfig's JSON document.
func configJSON(data []byte) format.ConfigJSON {
	members, version := ensemble.Members(string(data))
	out := make([]format.ConfigMemberJSON, len(members))
	for i, m := range members {
		out[i] = format.ConfigMemberJSON{ID: m.ID, Spec: m.Spec, Client: m.Client}
	}
	return format.ConfigJSON{Config: string(data), Version: version, Members: out}
}
