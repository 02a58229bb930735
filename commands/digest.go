package commands

import (
	"context"
	"fmt"
	"strings"
)

func newDigest() *Command {
	c := &Command{
		Name:    "digest",
		Usage:   "digest user:password",
		Short:   "Print the digest ACL id for user:password (user:base64(sha1(user:password)))",
		Example: "zkc digest bob:secret\nzkc create /private data digest:$(zkc digest bob:secret):cdrwa",
		Args:    []ArgKind{ArgData},
		MinArgs: 1, MaxArgs: 1,
		Offline: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runDigest(ctx, env, c, args)
	}
	return c
}

func runDigest(ctx context.Context, env *Env, c *Command, args []string) error {
	if user, _, ok := strings.Cut(args[0], ":"); !ok || user == "" {
		return UsageError(c, "want user:password")
	}
	_, err := fmt.Fprintln(env.Out, DigestID(args[0]))
	return err
}
