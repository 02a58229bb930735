// Package quota is ZooKeeper's quota bookkeeping as zkCli 3.8 does it
// (SetQuotaCommand, DelQuotaCommand, ListQuotaCommand): quotas live under
// /zookeeper/quota/<path>/ in two nodes, zookeeper_limits (what setquota sets)
// and zookeeper_stats (the server's count of nodes and bytes under path).
package quota

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

const (
	Root      = "/zookeeper/quota"
	LimitNode = "zookeeper_limits"
	StatNode  = "zookeeper_stats"
)

// Path is the quota node of p.
func Path(p string) string {
	if p == "/" {
		return Root
	}
	return Root + p
}

// LimitPath and StatPath are p's limits and usage records.
func LimitPath(p string) string { return Path(p) + "/" + LimitNode }
func StatPath(p string) string  { return Path(p) + "/" + StatNode }

// Client is what quota work needs of a session.
type Client interface {
	walk.Reader
	Exists(ctx context.Context, path string, watch bool) (bool, *zk.Stat, error)
	Create(ctx context.Context, path string, data []byte, mode session.CreateMode, acl []zk.ACL) (string, error)
	Set(ctx context.Context, path string, data []byte, version int32) (*zk.Stat, error)
	Delete(ctx context.Context, path string, version int32) error
}

// Error is a quota failure worded for the user (zkCli's words where it has
// them). Missing says the node or quota asked for does not exist.
type Error struct {
	Msg     string
	Missing bool
}

func (e *Error) Error() string { return e.Msg }

// OpError is a ZooKeeper request's failure on one node.
type OpError struct {
	Path string
	Err  error
}

func (e *OpError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err }

func malformed(p string, data []byte) error {
	return &Error{Msg: fmt.Sprintf("%s holds a malformed quota record %q", p, string(data))}
}

// Set is SetQuotaCommand.createQuota: check the node and that no ancestor or
// descendant has a quota, create the quota nodes (or merge the new limits,
// those > -1, into the existing ones). It returns zkCli's "[Warning]: ..."
// lines when the usage is already above a limit being set, even when it fails
// afterwards. Failures of a walk come back as *walk.Error.
func Set(ctx context.Context, c Client, p string, limits StatsTrack) (warnings []string, err error) {
	ctx = session.AllowQuotaWrites(ctx) // the session's guard lets well-formed records through
	ok, _, err := c.Exists(ctx, p, false)
	if err != nil {
		return nil, &OpError{p, err}
	}
	if !ok {
		return nil, &Error{Msg: p + " does not exist.", Missing: true}
	}
	// A descendant with a quota (zkCli reports the first in its walk order).
	var nested error
	err = walk.Walk(ctx, c, Path(p), walk.Options{}, func(qp string, kids []string) error {
		if qp == Path(p) {
			return nil
		}
		for _, k := range kids {
			if strings.HasSuffix(k, "/"+LimitNode) {
				nested = &Error{Msg: fmt.Sprintf("%s has a child %s which has a quota", p, strings.TrimPrefix(qp, Root))}
				return nested
			}
		}
		return nil
	})
	if nested != nil {
		return nil, nested
	}
	if err != nil && !errors.Is(err, zk.ErrNoNode) {
		var we *walk.Error
		if errors.As(err, &we) {
			return nil, err
		}
		return nil, &OpError{Path(p), err}
	}
	// An ancestor with a quota.
	parts := strings.Split(p, "/")
	qp := Root
	for _, part := range parts[1 : len(parts)-1] {
		qp += "/" + part
		kids, _, err := c.Children(ctx, qp, false)
		if errors.Is(err, zk.ErrNoNode) {
			break
		}
		if err != nil {
			return nil, &OpError{qp, err}
		}
		for _, k := range kids {
			if k == LimitNode {
				return nil, &Error{Msg: fmt.Sprintf("%s has a parent %s which has a quota", p, strings.TrimPrefix(qp, Root))}
			}
		}
	}
	// The quota node's ancestors under /zookeeper/quota.
	qp = Root
	for _, part := range parts[1:] {
		if part == "" {
			continue
		}
		qp += "/" + part
		if _, err := c.Create(ctx, qp, nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return nil, &OpError{qp, err}
		}
	}
	limitPath, statPath := LimitPath(p), StatPath(p)
	data, _, err := c.Get(ctx, limitPath, false)
	switch {
	case errors.Is(err, zk.ErrNoNode):
		if _, err := c.Create(ctx, limitPath, []byte(limits.String()), session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
			return nil, &OpError{limitPath, err}
		}
		stats := StatsTrack{Count: 0, Bytes: 0}
		if _, err := c.Create(ctx, statPath, []byte(stats.String()), session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return nil, &OpError{statPath, err}
		}
		return Warnings(ctx, c, p, limits)
	case err != nil:
		return nil, &OpError{limitPath, err}
	}
	cur, err := ParseStatsTrack(string(data))
	if err != nil {
		return nil, malformed(limitPath, data)
	}
	for k, v := range limits {
		if v > -1 {
			cur[k] = v
		}
	}
	warnings, err = Warnings(ctx, c, p, cur)
	if err != nil {
		return warnings, err
	}
	if _, err := c.Set(ctx, limitPath, []byte(cur.String()), -1); err != nil {
		return warnings, &OpError{limitPath, err}
	}
	return warnings, nil
}

// Warnings are zkCli's "[Warning]: ..." lines for limits that the current
// usage of p already exceeds.
func Warnings(ctx context.Context, c Client, p string, limits StatsTrack) ([]string, error) {
	data, _, err := c.Get(ctx, StatPath(p), false)
	if err != nil {
		return nil, &OpError{StatPath(p), err}
	}
	usage, err := ParseStatsTrack(string(data))
	if err != nil {
		return nil, malformed(StatPath(p), data)
	}
	over := func(limit, used int64) bool { return limit > -1 && limit < used }
	count, bytes := usage.Get(Count), usage.Get(Bytes)
	var out []string
	if over(limits.Get(Count), count) || over(limits.Get(CountHardLimit), count) {
		out = append(out, fmt.Sprintf("[Warning]: the count quota you create is less than the existing count:%d", count))
	}
	if over(limits.Get(Bytes), bytes) || over(limits.Get(ByteHardLimit), bytes) {
		out = append(out, fmt.Sprintf("[Warning]: the bytes quota you create is less than the existing bytes:%d", bytes))
	}
	return out, nil
}

// Read returns p's limits and usage.
func Read(ctx context.Context, c Client, p string) (limits, usage StatsTrack, err error) {
	var tracks [2]StatsTrack
	for i, qp := range []string{LimitPath(p), StatPath(p)} {
		data, _, err := c.Get(ctx, qp, false)
		if errors.Is(err, zk.ErrNoNode) {
			return nil, nil, &Error{Msg: fmt.Sprintf("quota for %s does not exist.", p), Missing: true}
		}
		if err != nil {
			return nil, nil, &OpError{qp, err}
		}
		if tracks[i], err = ParseStatsTrack(string(data)); err != nil {
			return nil, nil, malformed(qp, data)
		}
	}
	return tracks[0], tracks[1], nil
}

// Delete removes p's quota; with a key (Count, Bytes, ...) only that limit
// is reset to -1. A whole quota takes the quota nodes left empty above it.
func Delete(ctx context.Context, c Client, p, key string) error {
	ctx = session.AllowQuotaWrites(ctx)
	limitPath := LimitPath(p)
	data, _, err := c.Get(ctx, limitPath, false)
	if errors.Is(err, zk.ErrNoNode) {
		return &Error{Msg: "Quota does not exist for " + p, Missing: true}
	}
	if err != nil {
		return &OpError{limitPath, err}
	}
	if key != "" {
		cur, err := ParseStatsTrack(string(data))
		if err != nil {
			return malformed(limitPath, data)
		}
		cur[key] = -1
		if _, err := c.Set(ctx, limitPath, []byte(cur.String()), -1); err != nil {
			return &OpError{limitPath, err}
		}
		return nil
	}
	qp := Path(p)
	kids, _, err := c.Children(ctx, qp, false)
	if err != nil {
		return &OpError{qp, err}
	}
	for _, k := range kids {
		if err := c.Delete(ctx, qp+"/"+k, -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
			return &OpError{qp + "/" + k, err}
		}
	}
	// Trim the quota nodes left empty, up to /zookeeper/quota.
	for qp != Root {
		kids, _, err := c.Children(ctx, qp, false)
		if err != nil || len(kids) > 0 {
			break
		}
		if err := c.Delete(ctx, qp, -1); err != nil {
			break
		}
		qp = qp[:strings.LastIndexByte(qp, '/')]
	}
	return nil
}
