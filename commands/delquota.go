package commands

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/quota"
)

// delQuotaOptions are delquota's flags: one per quotaFlags entry.
type delQuotaOptions struct{ sel []bool }

func newDelQuota() *Command {
	o := &delQuotaOptions{sel: make([]bool, len(quotaFlags))}
	c := &Command{
		Name:  "delquota",
		Usage: "delquota [-n|-b|-N|-B] path",
		Short: "Delete a znode's quota, or with a flag only that limit",
		Long: "Without a flag the whole quota goes (and the empty quota nodes above it); with one of -n -b -N -B only " +
			"that limit is reset to -1. A missing quota is an error (zkCli prints it and exits 0).",
		Example: "zkc delquota /app\nzkc delquota -N /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			for i, f := range quotaFlags {
				fs.BoolVarP(&o.sel[i], f.long, f.short, false, "reset only this limit: "+f.help)
			}
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error { return runDelQuota(ctx, env, c, o, args) }
	return c
}

func runDelQuota(ctx context.Context, env *Env, c *Command, o *delQuotaOptions, args []string) error {
	p := args[0]
	chosen := -1
	for i := range quotaFlags {
		if !o.sel[i] {
			continue
		}
		if chosen >= 0 {
			return UsageError(c, fmt.Sprintf("only one of -n, -b, -N, -B may be given (got -%s and -%s)", quotaFlags[chosen].short, quotaFlags[i].short))
		}
		chosen = i
	}
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	key := ""
	if chosen >= 0 {
		key = quotaFlags[chosen].key
	}
	return quotaErr(quota.Delete(ctx, s, p, key))
}
