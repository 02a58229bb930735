package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/transfer"
)

func newMv() *Command {
	c := &Command{
		Name:      "mv",
		GCPercent: transferGCPercent,
		Usage:     "mv src dst",
		Short:     "Move a subtree to a new path on the same ensemble (copy, check, then delete)",
		Long: "ZooKeeper has no rename: mv copies src to dst (which must not exist) with data and ACLs, " +
			"compares the copy with src, and only then deletes src. Until that last step src is untouched: " +
			"if the copy cannot be made whole (an ephemeral node, which belongs to its session; src changing " +
			"meanwhile; a failure), the partial copy is removed and nothing has moved. Sequential names are kept.",
		Example: "zkc mv /app/config-new /app/config",
		Args:    []ArgKind{ArgPath, ArgPath},
		MinArgs: 2, MaxArgs: 2,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		src, dst := args[0], args[1]
		for _, p := range args {
			if strings.HasPrefix(p, "zk://") {
				return UsageError(c, "mv works within one ensemble; use cp to copy to another")
			}
			if err := checkPath(p, false); err != nil {
				return err
			}
		}
		if src == "/" || dst == src || strings.HasPrefix(dst, src+"/") {
			return UsageError(c, "cannot move "+src+" to "+dst)
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		if err := s.CheckDelete(ctx, src); err != nil {
			return ZKError(err, src)
		}
		if ok, _, err := s.Exists(ctx, dst, false); err != nil {
			return ZKError(err, dst)
		} else if ok {
			return Errorf(ExitNodeExists, "mv: %s exists", dst)
		}
		moved, err := copyForMove(ctx, env, s, src, dst)
		if err != nil {
			return err
		}
		// The copy is whole: only now is src deleted. deleteall's reports
		// (per node, on stderr) say what could not be; its summary record
		// is mv's business, not the user's.
		quiet := *env
		quiet.Printer = format.NewJSON(io.Discard)
		if err := deleteTree(ctx, &quiet, s, src, 1000); err != nil {
			e, _ := ZKError(err, src).(*Error)
			return &Error{Code: e.Code, Msg: fmt.Sprintf("mv: %s is a complete copy, but %s was not fully deleted: %s", dst, src, e.Msg)}
		}
		return env.Print(format.Moved{From: src, To: dst, Nodes: moved})
	}
	return c
}

// copyForMove copies src to dst and checks the copy against src. On any
// trouble it removes the partial copy, so that nothing has moved.
func copyForMove(ctx context.Context, env *Env, s *session.Session, src, dst string) (int64, error) {
	undo := func(why string, code int) error {
		// Ctrl-C may be why: the removal gets a moment of its own.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.Timeout())
		defer cancel()
		quiet := *env
		quiet.Printer = format.NewJSON(io.Discard)
		quiet.Err = io.Discard
		quiet.Progress = nil
		if err := deleteTree(rctx, &quiet, s, dst, 1000); err != nil {
			if ok, _, _ := s.Exists(rctx, dst, false); ok {
				return Errorf(code, "mv: %s; nothing moved, %s is untouched, but the partial copy %s could not be removed", why, src, dst)
			}
		}
		return Errorf(code, "mv: %s; nothing moved (%s is untouched, the partial copy was removed)", why, src)
	}
	next, stop := transfer.Pull(ctx, func(ctx context.Context, emit func(*transfer.Node) error) error {
		return transfer.ReadTree(ctx, s, src, transfer.TreeOptions{ACL: true}, emit)
	})
	im := transfer.NewImporter(ctx, s, dst, transfer.ImportOptions{
		OnExists: transfer.ExistsFail,
		Note: func(p, msg string) {
			clearProgress(env)
			fmt.Fprintf(env.Err, "mv: %s: %s\n", p, msg)
		},
		Progress: func(done int64) { reportProgress(env, int(done), 0, "nodes copied") },
	})
	err := im.Run(ctx, next)
	stop()
	clearProgress(env)
	c := im.Counts()
	switch {
	case errors.Is(err, context.Canceled):
		return 0, undo("interrupted while copying", ExitInterrupted)
	case err != nil:
		e, _ := sourceError(err, transfer.Endpoint{Path: src}).(*Error)
		if c.Total() == 0 {
			return 0, e // nothing was written
		}
		return 0, undo(e.Msg, e.Code)
	case c.Ephemeral > 0:
		return 0, undo(fmt.Sprintf("%s holds %d ephemeral node(s), which belong to their sessions and cannot be moved", src, c.Ephemeral), ExitError)
	case c.Failed > 0:
		return 0, undo(fmt.Sprintf("%d node(s) could not be copied", c.Failed), ExitError)
	}
	// src may have changed while it was read: compare before deleting it.
	differ, err := countDifferences(ctx, s, src, dst)
	switch {
	case errors.Is(err, context.Canceled):
		return 0, undo("interrupted while checking the copy", ExitInterrupted)
	case err != nil:
		return 0, undo("the copy could not be checked: "+err.Error(), ExitCode(ZKError(err, src)))
	case differ > 0:
		return 0, undo(fmt.Sprintf("%s changed while it was copied (%d difference(s))", src, differ), ExitError)
	}
	return c.Created, nil
}

// countDifferences compares two live subtrees of one session.
func countDifferences(ctx context.Context, s *session.Session, a, b string) (int, error) {
	read := func(root string) (transfer.Next, func()) {
		return transfer.Pull(ctx, func(ctx context.Context, emit func(*transfer.Node) error) error {
			return transfer.ReadTree(ctx, s, root, transfer.TreeOptions{ACL: true}, emit)
		})
	}
	na, stopA := read(a)
	defer stopA()
	nb, stopB := read(b)
	defer stopB()
	n := 0
	err := transfer.Diff(ctx, na, nb, transfer.DiffOptions{Ephemeral: true}, func(transfer.Change) error {
		n++
		return nil
	})
	return n, err
}
