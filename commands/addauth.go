package commands

import (
	"context"
)

func newAddAuth() *Command {
	c := &Command{
		Name:  "addauth",
		Usage: "addauth scheme auth",
		Short: "Add credentials to the session (digest user:password, ...)",
		Long: "The credentials last for the session and are sent again after reconnects. In one-shot mode use the " +
			"global --auth scheme:credential or $ZKC_AUTH instead.",
		Example: "addauth digest bob:secret",
		Args:    []ArgKind{ArgWord, ArgData},
		Words:   []string{"digest", "x509", "ip", "sasl"},
		MinArgs: 2, MaxArgs: 2,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runAddAuth(ctx, env, c, args)
	}
	return c
}

func runAddAuth(ctx context.Context, env *Env, c *Command, args []string) error {
	cred, err := NewCredential(args[0], args[1])
	if err != nil {
		return UsageError(c, err.Error())
	}
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	return ZKError(s.AddAuth(ctx, cred), "")
}
