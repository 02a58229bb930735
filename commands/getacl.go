package commands

import (
	"context"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

// getACLOptions are getACL's flags.
type getACLOptions struct{ stat bool }

func newGetACL() *Command {
	o := &getACLOptions{}
	c := &Command{
		Name:    "getAcl",
		Usage:   "getAcl [-s] path",
		Short:   "Print a znode's ACL (-s adds its stat)",
		Long:    "Two lines per entry, as zkCli: 'scheme,'id then : perms (letters in cdrwa order).",
		Example: "zkc getAcl /app\nzkc -o json getAcl /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the ACL")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runGetACL(ctx, env, c, o, args)
	}
	return c
}

func runGetACL(ctx context.Context, env *Env, c *Command, o *getACLOptions, args []string) error {
	p := args[0]
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	acl, st, err := s.GetACL(ctx, p)
	if err != nil {
		return ZKError(err, p)
	}
	return env.Print(format.ACL{Path: p, Entries: aclEntries(acl), Stat: st, WithStat: o.stat})
}

func aclEntries(acl []zk.ACL) []format.ACLEntryJSON {
	out := make([]format.ACLEntryJSON, 0, len(acl))
	for _, a := range acl {
		out = append(out, format.ACLEntryJSON{Scheme: a.Scheme, ID: a.ID, Perms: PermString(a.Perms)})
	}
	return out
}
