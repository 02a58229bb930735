package commands

import (
	"context"

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
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	if err := env.Print(format.Notice{Line: "absolute path is " + quota.LimitPath(p)}); err != nil {
		return err
	}
	limits, usage, err := quota.Read(ctx, s, p)
	if err != nil {
		return quotaErr(err)
	}
	return env.Print(format.Quota{Path: p, Limits: limits, Usage: usage, LimitsText: limits.String(), UsageText: usage.String()})
}
