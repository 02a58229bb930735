package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

// Quotas live under /zookeeper/quota/<path>/ in two nodes: zookeeper_limits
// (what setquota sets) and zookeeper_stats (the server's count of nodes and
// bytes under path). This follows ZooKeeper 3.8's SetQuotaCommand,
// DelQuotaCommand and ListQuotaCommand.
const (
	quotaRoot      = "/zookeeper/quota"
	quotaLimitNode = "zookeeper_limits"
	quotaStatNode  = "zookeeper_stats"
)

func quotaPath(p string) string {
	if p == "/" {
		return quotaRoot
	}
	return quotaRoot + p
}
func quotaLimitPath(p string) string { return quotaPath(p) + "/" + quotaLimitNode }
func quotaStatPath(p string) string  { return quotaPath(p) + "/" + quotaStatNode }

// quotaFlag is one of setquota's/delquota's -n -b -N -B.
type quotaFlag struct {
	short, long, key, help string
	count                  bool // a node count (else bytes)
}

var quotaFlags = []quotaFlag{
	{"n", "count", format.QuotaCount, "soft limit on the number of nodes (logged only)", true},
	{"b", "bytes", format.QuotaBytes, "soft limit on the bytes of data (logged only)", false},
	{"N", "count-hard", format.QuotaCountHardLimit, "hard limit on the number of nodes (enforceQuota=true on the server)", true},
	{"B", "bytes-hard", format.QuotaByteHardLimit, "hard limit on the bytes of data (enforceQuota=true on the server)", false},
}

const quotaFlagList = "-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota"

func newSetQuota() *Command {
	vals := make([]string, len(quotaFlags))
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
				fs.StringVarP(&vals[i], f.long, f.short, "", f.help)
			}
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		limits := format.StatsTrack{}
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
		if strings.HasPrefix(p, quotaRoot) {
			return UsageError(c, "cannot set a quota under the path: "+quotaRoot)
		}
		s, err := pathSession(ctx, env, p)
		if err != nil {
			return err
		}
		return createQuota(ctx, env, s, p, limits)
	}
	return c
}

// createQuota is SetQuotaCommand.createQuota: check the node and that no
// ancestor or descendant has a quota, create the quota nodes (or merge the
// new limit into the existing ones), and warn when usage already exceeds it.
func createQuota(ctx context.Context, env *Env, s *session.Session, p string, limits format.StatsTrack) error {
	ok, _, err := s.Exists(ctx, p, false)
	if err != nil {
		return ZKError(err, p)
	}
	if !ok {
		return Errorf(ExitNoNode, "%s does not exist.", p)
	}
	// A descendant with a quota (zkCli reports the first in its walk order).
	var nested error
	err = walk.Walk(ctx, s, quotaPath(p), walk.Options{}, func(qp string, kids []string) error {
		if qp == quotaPath(p) {
			return nil
		}
		for _, k := range kids {
			if strings.HasSuffix(k, "/"+quotaLimitNode) {
				nested = Errorf(ExitError, "%s has a child %s which has a quota", p, strings.TrimPrefix(qp, quotaRoot))
				return nested
			}
		}
		return nil
	})
	if nested != nil {
		return nested
	}
	if err != nil && !errors.Is(err, zk.ErrNoNode) {
		return walkErr(err, quotaPath(p))
	}
	// An ancestor with a quota.
	parts := strings.Split(p, "/")
	qp := quotaRoot
	for _, part := range parts[1 : len(parts)-1] {
		qp += "/" + part
		kids, _, err := s.Children(ctx, qp, false)
		if errors.Is(err, zk.ErrNoNode) {
			break
		}
		if err != nil {
			return ZKError(err, qp)
		}
		for _, k := range kids {
			if k == quotaLimitNode {
				return Errorf(ExitError, "%s has a parent %s which has a quota", p, strings.TrimPrefix(qp, quotaRoot))
			}
		}
	}
	// The quota node's ancestors under /zookeeper/quota.
	qp = quotaRoot
	for _, part := range parts[1:] {
		if part == "" {
			continue
		}
		qp += "/" + part
		if _, err := s.Create(ctx, qp, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return ZKError(err, qp)
		}
	}
	limitPath, statPath := quotaLimitPath(p), quotaStatPath(p)
	data, _, err := s.Get(ctx, limitPath, false)
	switch {
	case errors.Is(err, zk.ErrNoNode):
		if _, err := s.Create(ctx, limitPath, []byte(limits.String()), session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
			return ZKError(err, limitPath)
		}
		stats := format.StatsTrack{format.QuotaCount: 0, format.QuotaBytes: 0}
		if _, err := s.Create(ctx, statPath, []byte(stats.String()), session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return ZKError(err, statPath)
		}
		return quotaWarnings(ctx, env, s, p, limits)
	case err != nil:
		return ZKError(err, limitPath)
	}
	cur, err := format.ParseStatsTrack(string(data))
	if err != nil {
		return Errorf(ExitError, "%s holds a malformed quota record %q", limitPath, string(data))
	}
	for k, v := range limits {
		if v > -1 {
			cur[k] = v
		}
	}
	if err := quotaWarnings(ctx, env, s, p, cur); err != nil {
		return err
	}
	if _, err := s.Set(ctx, limitPath, []byte(cur.String()), -1); err != nil {
		return ZKError(err, limitPath)
	}
	return nil
}

// quotaWarnings prints zkCli's "[Warning]: ..." lines (stdout) when the
// current usage is already above a limit being set.
func quotaWarnings(ctx context.Context, env *Env, s *session.Session, p string, limits format.StatsTrack) error {
	data, _, err := s.Get(ctx, quotaStatPath(p), false)
	if err != nil {
		return ZKError(err, quotaStatPath(p))
	}
	usage, err := format.ParseStatsTrack(string(data))
	if err != nil {
		return Errorf(ExitError, "%s holds a malformed quota record %q", quotaStatPath(p), string(data))
	}
	over := func(limit, used int64) bool { return limit > -1 && limit < used }
	count, bytes := usage.Get(format.QuotaCount), usage.Get(format.QuotaBytes)
	if over(limits.Get(format.QuotaCount), count) || over(limits.Get(format.QuotaCountHardLimit), count) {
		fmt.Fprintf(env.Out, "[Warning]: the count quota you create is less than the existing count:%d\n", count)
	}
	if over(limits.Get(format.QuotaBytes), bytes) || over(limits.Get(format.QuotaByteHardLimit), bytes) {
		fmt.Fprintf(env.Out, "[Warning]: the bytes quota you create is less than the existing bytes:%d\n", bytes)
	}
	return nil
}

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
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		s, err := pathSession(ctx, env, p)
		if err != nil {
			return err
		}
		if !env.JSON() {
			fmt.Fprintf(env.Err, "absolute path is %s\n", quotaLimitPath(p))
		}
		var tracks [2]format.StatsTrack
		for i, qp := range []string{quotaLimitPath(p), quotaStatPath(p)} {
			data, _, err := s.Get(ctx, qp, false)
			if errors.Is(err, zk.ErrNoNode) {
				return Errorf(ExitNoNode, "quota for %s does not exist.", p)
			}
			if err != nil {
				return ZKError(err, qp)
			}
			if tracks[i], err = format.ParseStatsTrack(string(data)); err != nil {
				return Errorf(ExitError, "%s holds a malformed quota record %q", qp, string(data))
			}
		}
		if env.JSON() {
			return format.WriteJSON(env.Out, format.QuotaJSON{Path: p, Limits: tracks[0], Usage: tracks[1]})
		}
		_, err = fmt.Fprintf(env.Out, "Output quota for %s %s\nOutput stat for %s %s\n", p, tracks[0], p, tracks[1])
		return err
	}
	return c
}

func newDelQuota() *Command {
	sel := make([]bool, len(quotaFlags))
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
				fs.BoolVarP(&sel[i], f.long, f.short, false, "reset only this limit: "+f.help)
			}
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		chosen := -1
		for i := range quotaFlags {
			if !sel[i] {
				continue
			}
			if chosen >= 0 {
				return UsageError(c, fmt.Sprintf("only one of -n, -b, -N, -B may be given (got -%s and -%s)", quotaFlags[chosen].short, quotaFlags[i].short))
			}
			chosen = i
		}
		s, err := pathSession(ctx, env, p)
		if err != nil {
			return err
		}
		limitPath := quotaLimitPath(p)
		data, _, err := s.Get(ctx, limitPath, false)
		if errors.Is(err, zk.ErrNoNode) {
			return Errorf(ExitNoNode, "Quota does not exist for %s", p)
		}
		if err != nil {
			return ZKError(err, limitPath)
		}
		if chosen >= 0 {
			cur, err := format.ParseStatsTrack(string(data))
			if err != nil {
				return Errorf(ExitError, "%s holds a malformed quota record %q", limitPath, string(data))
			}
			cur[quotaFlags[chosen].key] = -1
			if _, err := s.Set(ctx, limitPath, []byte(cur.String()), -1); err != nil {
				return ZKError(err, limitPath)
			}
			return nil
		}
		qp := quotaPath(p)
		kids, _, err := s.Children(ctx, qp, false)
		if err != nil {
			return ZKError(err, qp)
		}
		for _, k := range kids {
			if err := s.Delete(ctx, qp+"/"+k, -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
				return ZKError(err, qp+"/"+k)
			}
		}
		// Trim the quota nodes left empty, up to /zookeeper/quota.
		for qp != quotaRoot {
			kids, _, err := s.Children(ctx, qp, false)
			if err != nil || len(kids) > 0 {
				break
			}
			if err := s.Delete(ctx, qp, -1); err != nil {
				break
			}
			qp = qp[:strings.LastIndexByte(qp, '/')]
		}
		return nil
	}
	return c
}
