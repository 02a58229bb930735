package commands

import (
	"context"

	"github.com/zkc-cli/zkc/format"
)

func newWhoAmI() *Command {
	c := &Command{
		Name:    "whoami",
		Usage:   "whoami",
		Short:   "List the identities the server gives this session (scheme: user)",
		Example: "zkc --auth digest:bob:pw whoami",
		MinArgs: 0, MaxArgs: -1, // zkCli ignores extra arguments
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runWhoAmI(ctx, env, c, args)
	}
	return c
}

func runWhoAmI(ctx context.Context, env *Env, c *Command, args []string) error {
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	ids, err := s.WhoAmI(ctx)
	if err != nil {
		return ZKError(err, "")
	}
	rec := format.Identities{IDs: make([]format.IdentityJSON, len(ids))}
	if mech, user := s.SASLLogin(); user != "" {
		rec.SASL = &format.SASLJSON{Mechanism: mech, User: user}
	}
	for i, id := range ids {
		rec.IDs[i] = format.IdentityJSON{Scheme: id.AuthScheme, User: id.User}
	}
	return env.Print(rec)
}
