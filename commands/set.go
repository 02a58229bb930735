package commands

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
)

// setOptions are set's flags.
type setOptions struct {
	stat, b64     bool
	version, file string
}

func newSet() *Command {
	o := &setOptions{}
	c := &Command{
		Name:  "set",
		Usage: "set [-s] [-v version] [-b] path data",
		Short: "Replace a znode's data (-v only if its version matches)",
		Long: "With -f the data is read from a file (\"-\": stdin) byte for byte instead of the data argument.\n" +
			"Data that would make the request larger than ZooKeeper's default jute.maxbuffer (1048575 bytes)\n" +
			"is refused before sending (exit 2) and the node keeps its data.",
		Example: "zkc set /app '{\"v\":2}'\nzkc set -v 3 /app '{\"v\":2}'\nzkc set -b /bin AAEC\nzkc set -f app.json /app\n" +
			"jq .v=3 app.json | zkc set -f - /app",
		Args: []ArgKind{ArgPath, ArgData},
		// path and data, or only the path with -f (checked in Run); zkCli
		// 3.4's `set path data version` is still taken.
		MinArgs: 1, MaxArgs: 3,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the new stat block")
			fs.StringVarP(&o.version, "version", "v", "-1", "expected data `version` (-1: any)")
			fs.BoolVarP(&o.b64, "base64", "b", false, "the data argument is base64-encoded")
			fs.StringVarP(&o.file, "data-file", "f", "", "read the data from `file`, byte for byte (\"-\": stdin)")
		},
	}
	c.Pipeline = func([]string) Pipelining { return pipelinedUnless(o.file != "", PipelinedWrite) }
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runSet(ctx, env, c, o, args)
	}
	return c
}

func runSet(ctx context.Context, env *Env, c *Command, o *setOptions, args []string) error {
	p := args[0]
	if len(args) == 3 {
		// zkCli 3.4's form. zkCli 3.8 silently ignores the version and
		// overwrites; zkc honours it, as the runbook that wrote it meant.
		switch {
		case o.file != "":
			return UsageError(c, msgDataAndFile)
		case o.version != "-1":
			return UsageError(c, "the version is given twice (-v and after the data)")
		}
		fmt.Fprintln(env.Err, "'set path data [version]' has been deprecated. Please use 'set [-s] [-v version] path data' instead.")
		o.version, args = args[2], args[:2]
	}
	version, err := parseVersion(c, o.version)
	if err != nil {
		return err
	}
	var data []byte
	switch {
	case o.file != "" && len(args) > 1:
		return UsageError(c, msgDataAndFile)
	case o.file != "" && o.b64:
		return UsageError(c, "-b and -f cannot be combined (-f reads raw bytes)")
	case o.file == "" && len(args) < 2:
		return UsageError(c, "")
	case o.b64:
		if data, err = base64.StdEncoding.DecodeString(args[1]); err != nil {
			return UsageError(c, "the data is not valid base64: "+err.Error())
		}
	case o.file == "":
		data = []byte(args[1])
	}
	if err := checkPath(p, false); err != nil {
		return err
	}
	if o.file != "" {
		if data, err = readDataFile(ctx, env, o.file); err != nil {
			return err
		}
	}
	if err := checkDataSize(data, setRequestOverhead(p), p); err != nil {
		return err
	}
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	// The chroot is part of the path on the wire.
	if err := checkDataSize(data, setRequestOverhead(p)+len(s.Target().Chroot), p); err != nil {
		return err
	}
	st, err := s.Set(ctx, p, data, version)
	if err != nil {
		return ZKError(err, p)
	}
	if o.stat {
		return env.Print(format.PathStat{Path: p, Stat: st})
	}
	return nil
}
