package commands

import (
	"context"
	"encoding/base64"

	"github.com/spf13/pflag"
)

func newSet() *Command {
	var o struct {
		stat, b64 bool
		version   string
	}
	c := &Command{
		Name:    "set",
		Usage:   "set [-s] [-v version] [-b] path data",
		Short:   "Replace a znode's data (-v only if its version matches)",
		Example: "zkc set /app '{\"v\":2}'\nzkc set -v 3 /app '{\"v\":2}'\nzkc set -b /bin AAEC",
		Args:    []ArgKind{ArgPath, ArgData},
		MinArgs: 2, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the new stat block")
			fs.StringVarP(&o.version, "version", "v", "-1", "expected data version (-1: any)")
			fs.BoolVarP(&o.b64, "base64", "b", false, "the data argument is base64-encoded")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		version, err := parseVersion(c, o.version)
		if err != nil {
			return err
		}
		data := []byte(args[1])
		if o.b64 {
			if data, err = base64.StdEncoding.DecodeString(args[1]); err != nil {
				return UsageError(c, "the data is not valid base64: "+err.Error())
			}
		}
		if err := checkPath(p, false); err != nil {
			return err
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		st, err := s.Set(ctx, p, data, version)
		if err != nil {
			return ZKError(err, p)
		}
		if o.stat {
			return printStat(env, st)
		}
		return nil
	}
	return c
}
