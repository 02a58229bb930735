package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

// deleteBatchesInFlight is how many multi batches run at once (zkCli: 10);
// deleteRetryInFlight how many single deletes retry a failed batch.
const (
	deleteBatchesInFlight = 16
	deleteRetryInFlight   = 32
)

// deleteAllOptions are deleteAll's flags.
type deleteAllOptions struct{ batch string }

func newDeleteAll() *Command {
	o := &deleteAllOptions{}
	c := &Command{
		Name:    "deleteall",
		Usage:   "deleteall path [-b batch size]",
		Short:   "Delete a znode and its whole subtree, deepest first",
		Long:    "Every node that cannot be deleted is reported, and zkc exits non-zero (zkCli exits 0).",
		Example: "zkc deleteall /app/old\nzkc deleteall /big -b 500",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.StringVarP(&o.batch, "batch", "b", "1000", "deletes per multi request (`batch size`)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runDeleteAll(ctx, env, c, o, args)
	}
	return c
}

func runDeleteAll(ctx context.Context, env *Env, c *Command, o *deleteAllOptions, args []string) error {
	p := args[0]
	batch, err := strconv.Atoi(o.batch)
	if err != nil {
		return UsageError(c, "-b argument must be an int value")
	}
	if batch < 1 {
		return UsageError(c, "-b argument must be a positive int value")
	}
	if err := checkPath(p, false); err != nil {
		return err
	}
	if p == "/" {
		// zkCli's answer; with a chroot, "/" is the chroot node, which
		// zkCli cannot delete either.
		return ZKError(zk.ErrBadArguments, p)
	}
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	// ZooKeeper's own nodes, on the server path (a chroot cannot hide
	// them): refused before anything is listed or deleted.
	if err := s.CheckDelete(ctx, p); err != nil {
		return ZKError(err, p)
	}
	// List the subtree first, as zkCli: a node without READ stops it
	// before anything is deleted.
	var levels [][]string
	depth := map[string]int{p: 0}
	levels = append(levels, []string{p})
	defer clearProgress(env)
	listed := 1
	err = walk.Walk(ctx, s, p, walk.Options{}, func(node string, kids []string) error {
		d := depth[node] + 1
		delete(depth, node)
		for len(levels) <= d {
			levels = append(levels, nil)
		}
		for _, k := range kids {
			depth[k] = d
		}
		levels[d] = append(levels[d], kids...)
		listed += len(kids)
		reportProgress(env, listed, 0, "nodes listed")
		return nil
	})
	if err != nil {
		return walkErr(err, p)
	}
	return deleteLevels(ctx, env, s, levels, batch)
}

// deleteLevels deletes deepest level first; within a level, multi batches run
// in parallel. A batch that fails as a whole is retried node by node so that
// exactly the nodes that cannot be deleted are reported.
func deleteLevels(ctx context.Context, env *Env, s *session.Session, levels [][]string, batch int) error {
	total, done := 0, 0
	for _, l := range levels {
		total += len(l)
	}
	var failed []error
	for d := len(levels) - 1; d >= 0; d-- {
		nodes := levels[d]
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, deleteBatchesInFlight)
		for start := 0; start < len(nodes); start += batch {
			end := start + batch
			if end > len(nodes) {
				end = len(nodes)
			}
			chunk := nodes[start:end]
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return ZKError(ctx.Err(), "")
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				errs := deleteChunk(ctx, s, chunk)
				mu.Lock()
				failed = append(failed, errs...)
				done += len(chunk)
				reportProgress(env, done, total, "nodes deleted")
				mu.Unlock()
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return ZKError(ctx.Err(), "")
		}
	}
	if len(failed) == 0 {
		return nil
	}
	clearProgress(env)
	for _, e := range failed {
		fmt.Fprintln(env.Err, e.Error())
	}
	first := failed[0]
	return &Error{Code: ExitCode(first), Msg: fmt.Sprintf("Failed to delete some node(s) in the subtree! (%d not deleted)", len(failed))}
}

// deleteChunk deletes paths in one multi; on failure, one by one (many in
// flight). It returns the worded errors of the nodes it could not delete, in
// the chunk's order. A node already gone counts as deleted.
func deleteChunk(ctx context.Context, s *session.Session, paths []string) []error {
	if len(paths) > 1 {
		if _, err := s.DeleteMulti(ctx, paths); err == nil {
			return nil
		} else if isConnectionError(err) {
			return []error{ZKError(err, paths[0])}
		}
	}
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, deleteRetryInFlight)
	for i, p := range paths {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := s.Delete(ctx, p, -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
				errs[i] = ZKError(err, p)
			}
		}()
	}
	wg.Wait()
	failed := errs[:0]
	for _, e := range errs {
		if e != nil {
			failed = append(failed, e)
		}
	}
	return failed
}

func isConnectionError(err error) bool {
	return ExitCode(ZKError(err, "")) == ExitConnection || errors.Is(err, context.Canceled)
}
