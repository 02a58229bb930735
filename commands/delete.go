package commands

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
)

// deleteOptions are delete's flags.
type deleteOptions struct{ version string }

func newDelete() *Command {
	o := &deleteOptions{}
	c := &Command{
		Name:    "delete",
		Usage:   "delete [-v version] path",
		Short:   "Delete a znode that has no children (-v only if its version matches)",
		Example: "zkc delete /app/old\nzkc delete -v 4 /app/old",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.StringVarP(&o.version, "version", "v", "-1", "expected data version (-1: any)")
		},
	}
	c.Pipeline = func([]string) Pipelining { return PipelinedWrite }
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runDelete(ctx, env, c, o, args)
	}
	return c
}

func runDelete(ctx context.Context, env *Env, c *Command, o *deleteOptions, args []string) error {
	p, given := args[0], o.version
	if len(args) == 2 {
		// zkCli's deprecated form ignores the version and deletes
		// unconditionally; zkc honours it, which is what it says.
		fmt.Fprintln(env.Err, "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.")
		given = args[1]
	}
	version, err := parseVersion(c, given)
	if err != nil {
		return err
	}
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	return ZKError(s.Delete(ctx, p, version), p)
}
