package commands

import (
	"context"
	"fmt"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/quota"
)

func newListQuota() *Command {
	c := &Command{
		Name:    "listquota",
		Usage:   "listquota path",
		Short:   "Print a znode's quota and its current usage",
		Long:    "Prints zkCli's \"absolute path is ...\" line on stderr, then the limits and the usage on stdout.",
		Example: "zkc listquota /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error { return runListQuota(ctx, env, args) }
	return c
}

func runListQuota(ctx context.Context, env *Env, args []string) error {
	p := args[0]
	s, err := pathSession(ctx, env, p)
	if err != nil {
		return err
	}
	if !env.JSON() {
		fmt.Fprintf(env.Err, "absolute path is %s\n", quota.LimitPath(p))
	}
	limits, usage, err := quota.Read(ctx, s, p)
	if err != nil {
		return quotaErr(err)
	}
	if env.JSON() {
		return format.WriteJSON(env.Out, format.QuotaJSON{Path: p, Limits: limits, Usage: usage})
	}
	_, err = fmt.Fprintf(env.Out, "Output quota for %s %s\nOutput stat for %s %s\n", p, limits, p, usage)
	return err
}
