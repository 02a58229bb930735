package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/quota"
)

// quotaFlag is one of setquota's/delquota's -n -b -N -B.
type quotaFlag struct {
	short, long, key, help string
	count                  bool // a node count (else bytes)
}

var quotaFlags = []quotaFlag{
	{"n", "count", quota.Count, "soft limit on the number of nodes (logged only)", true},
	{"b", "bytes", quota.Bytes, "soft limit on the bytes of data (logged only)", false},
	{"N", "count-hard", quota.CountHardLimit, "hard limit on the number of nodes (enforceQuota=true on the server)", true},
	{"B", "bytes-hard", quota.ByteHardLimit, "hard limit on the bytes of data (enforceQuota=true on the server)", false},
}

const quotaFlagList = "-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota"

// setQuotaOptions are setquota's flags: one value per quotaFlags entry.
type setQuotaOptions struct{ vals []string }

func newSetQuota() *Command {
	o := &setQuotaOptions{vals: make([]string, len(quotaFlags))}
	c := &Command{
		Name:  "setquota",
		Usage: "setquota -n|-b|-N|-B val path",
		Short: "Set a quota on a znode's subtree: -n/-N node count (the node itself included), -b/-B bytes",
		Long: "Exactly one limit per call; run it again to set another. Soft limits (-n, -b) are only logged by the " +
			"server; hard limits (-N, -B) make writes fail with \"Quota has exceeded\" when the server runs with " +
			"enforceQuota=true. Quotas cannot nest.",
		Example: "zkc setquota -n 100 /app\nzkc setquota -B 1048576 /app",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			for i, f := range quotaFlags {
				fs.StringVarP(&o.vals[i], f.long, f.short, "", f.help)
			}
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error { return runSetQuota(ctx, env, c, o, args) }
	return c
}

func runSetQuota(ctx context.Context, env *Env, c *Command, o *setQuotaOptions, args []string) error {
	p := args[0]
	vals := o.vals
	limits := quota.StatsTrack{}
	for _, f := range quotaFlags {
		limits[f.key] = -1
	}
	chosen := -1
	for i := range quotaFlags {
		if vals[i] == "" {
			continue
		}
		if chosen >= 0 {
			return UsageError(c, fmt.Sprintf("only one of -n, -b, -N, -B may be given (got -%s and -%s)", quotaFlags[chosen].short, quotaFlags[i].short))
		}
		chosen = i
	}
	if chosen < 0 {
		return UsageError(c, "Missing required option: ["+quotaFlagList+"]")
	}
	f := quotaFlags[chosen]
	bits := 64
	if f.count {
		bits = 32 // zkCli reads counts as a Java int
	}
	v, err := strconv.ParseInt(vals[chosen], 10, bits)
	switch {
	case err != nil && f.count:
		return UsageError(c, fmt.Sprintf("the -%s value must be a number up to 2147483647, not %q", f.short, vals[chosen]))
	case err != nil:
		return UsageError(c, fmt.Sprintf("the -%s value must be a number, not %q", f.short, vals[chosen]))
	case f.count && v <= 0:
		return UsageError(c, "the num quota must be greater than zero")
	case !f.count && v < 0:
		return UsageError(c, "the bytes quota must be greater than or equal to zero")
	}
	limits[f.key] = v
	if strings.HasPrefix(p, quota.Root) {
		return UsageError(c, "cannot set a quota under the path: "+quota.Root)
	}
	if p == "/" {
		return UsageError(c, "cannot set a quota on /: ZooKeeper 3.8 servers crash applying it")
	}
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	warnings, err := quota.Set(ctx, s, p, limits)
	for _, w := range warnings {
		fmt.Fprintln(env.Out, w)
	}
	return quotaErr(err)
}

// quotaErr words the quota package's errors with zkc's exit codes.
func quotaErr(err error) error {
	var qe *quota.Error
	if errors.As(err, &qe) {
		if qe.Missing {
			return Errorf(ExitNoNode, "%s", qe.Msg)
		}
		return Errorf(ExitError, "%s", qe.Msg)
	}
	var oe *quota.OpError
	if errors.As(err, &oe) {
		return ZKError(oe.Err, oe.Path)
	}
	return walkErr(err, "")
}
