package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/ensemble"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// reconfigOptions are reconfig's flags.
type reconfigOptions struct {
	stat                   bool
	version, file, members string
	add, remove            []string
}

func newReconfig() *Command {
	o := &reconfigOptions{}
	c := &Command{
		Name: "reconfig",
		Usage: "reconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | " +
			"[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
		Short: "Change the ensemble's membership (needs reconfigEnabled=true and a super user or skipACL on the servers)",
		Long: "Incremental: -add server.N=host:quorumPort:electionPort[:participant|observer];[clientHost:]clientPort " +
			"and -remove N (each repeatable, entries comma-separated). Whole membership: -members with the full list, " +
			"or -file with a configuration file's server.N lines. -v makes the change conditional on the current " +
			"configuration version (hex, as `config` prints it). Member strings are checked before anything is sent.",
		Example: "zkc reconfig -remove 3\nzkc reconfig -add 'server.3=10.0.0.3:2888:3888;2181'\nzkc reconfig -file new.cfg",
		MinArgs: 0, MaxArgs: 0,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the new configuration")
			fs.StringVarP(&o.version, "version", "v", "", "required current configuration version (hex)")
			fs.StringVar(&o.file, "file", "", "configuration file whose server.N lines are the new membership")
			fs.StringVar(&o.members, "members", "", "the new membership: server.N=spec[,...]")
			fs.StringArrayVar(&o.add, "add", nil, "servers to add: server.N=spec[,...] (repeatable)")
			fs.StringArrayVar(&o.remove, "remove", nil, "server ids to remove: N[,...] (repeatable)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runReconfig(ctx, env, c, o, args)
	}
	return c
}

func runReconfig(ctx context.Context, env *Env, c *Command, o *reconfigOptions, args []string) error {
	whole := o.file != "" || o.members != ""
	incremental := len(o.add) > 0 || len(o.remove) > 0
	if !whole && !incremental {
		return UsageError(c, "")
	}
	version := int64(-1)
	if o.version != "" {
		v, err := strconv.ParseInt(o.version, 16, 64)
		if err != nil {
			return UsageError(c, "-v must be followed by a long (configuration version)")
		}
		version = v
	}
	if whole && incremental {
		return UsageError(c, "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)")
	}
	if o.file != "" && o.members != "" {
		return UsageError(c, "Can't use -file and -members together (conflicting non-incremental modes)")
	}
	var joining, leaving, members string
	var err error
	switch {
	case o.file != "":
		if members, err = ensemble.MembersFromFile(ctx, o.file); err != nil {
			if ctx.Err() != nil {
				return ZKError(ctx.Err(), "")
			}
			return UsageError(c, err.Error())
		}
	case o.members != "":
		if members, err = ensemble.CheckServerList(strings.ToLower(o.members), true); err != nil {
			return UsageError(c, err.Error())
		}
	}
	if len(o.add) > 0 {
		if joining, err = ensemble.CheckServerList(strings.ToLower(strings.Join(o.add, ",")), false); err != nil {
			return UsageError(c, err.Error())
		}
	}
	if len(o.remove) > 0 {
		if leaving, err = ensemble.CheckServerIDs(strings.Join(o.remove, ",")); err != nil {
			return UsageError(c, err.Error())
		}
	}
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	data, st, err := s.Reconfig(ctx, joining, leaving, members, version)
	if err != nil {
		return ZKError(err, session.ConfigNode)
	}
	return env.Print(format.Config{Text: string(data), Doc: configJSON(data), Stat: st, WithStat: o.stat, Committed: true})
}
