package commands

import (
	"context"
	"io"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

func newGetACL() *Command {
	var o struct{ stat bool }
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
		p := args[0]
		s, err := pathSession(ctx, env, p)
		if err != nil {
			return err
		}
		acl, st, err := s.GetACL(ctx, p)
		if err != nil {
			return ZKError(err, p)
		}
		entries := aclEntries(acl)
		if env.JSON() {
			return format.WriteJSON(env.Out, format.ACLJSON{Path: p, ACL: entries, Stat: format.NewStatJSON(st)})
		}
		if _, err := io.WriteString(env.Out, format.ACLText(entries)); err != nil {
			return err
		}
		if o.stat {
			return printStat(env, st)
		}
		return nil
	}
	return c
}

func aclEntries(acl []zk.ACL) []format.ACLEntryJSON {
	out := make([]format.ACLEntryJSON, 0, len(acl))
	for _, a := range acl {
		out = append(out, format.ACLEntryJSON{Scheme: a.Scheme, ID: a.ID, Perms: PermString(a.Perms)})
	}
	return out
}
