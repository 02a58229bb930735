package commands

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
)

// setACLInFlight bounds the SetACL requests setAcl -R keeps in flight on the
// one connection (requests are pipelined, so many at once is far faster).
const setACLInFlight = 128

// setACLOptions are setACL's flags.
type setACLOptions struct {
	stat, recurse bool
	version       string
}

func newSetACL() *Command {
	o := &setACLOptions{}
	c := &Command{
		Name:  "setAcl",
		Usage: "setAcl [-s] [-v version] [-R] path acl",
		Short: "Replace a znode's ACL (-R: on the whole subtree)",
		Long: "The ACL is scheme:id:perms[,scheme:id:perms...] with schemes world, auth, digest, ip, x509 (sasl passes " +
			"through) and permissions from cdrwa. A malformed ACL is refused before anything is sent. With -R every " +
			"node of the subtree is changed, many at a time; each node that could not be changed is reported on " +
			"stderr and the exit code is non-zero.",
		Example: "zkc setAcl /app world:anyone:r,digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:cdrwa\nzkc setAcl -R /app ip:10.0.0.0/8:cdrwa",
		Args:    []ArgKind{ArgPath, ArgACL},
		MinArgs: 2, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the new stat block (ignored with -R)")
			fs.StringVarP(&o.version, "version", "v", "-1", "expected ACL version (-1: any; with -R: of every node)")
			fs.BoolVarP(&o.recurse, "recursive", "R", false, "apply to every node of the subtree")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runSetACL(ctx, env, c, o, args)
	}
	return c
}

func runSetACL(ctx context.Context, env *Env, c *Command, o *setACLOptions, args []string) error {
	p := args[0]
	version, err := parseVersion(c, o.version)
	if err != nil {
		return err
	}
	if err := checkPath(p, false); err != nil {
		return err
	}
	acl, err := ParseACL(args[1])
	if err != nil {
		return UsageError(c, err.Error())
	}
	s, err := sessionFor(ctx, env)
	if err != nil {
		return err
	}
	if o.recurse {
		return setACLRecursive(ctx, env, s, p, acl, version)
	}
	st, err := s.SetACL(ctx, p, acl, version)
	if err != nil {
		return ZKError(err, p)
	}
	if o.stat {
		return env.Print(format.PathStat{Path: p, Stat: st})
	}
	return nil
}

// setACLRecursive walks the subtree (children are listed before a node's ACL
// changes, so removing READ does not stop the walk) and issues SetACL for
// every node from a bounded pool. Each node that could not be changed is
// named on stderr as it happens. Reads, and setACL without -v, are re-sent
// after a reconnect; with -v, a request lost with its connection is resolved
// by reading the node's ACL before it is re-sent.
func setACLRecursive(ctx context.Context, env *Env, s *session.Session, root string, acl []zk.ACL, version int32) error {
	rs := &resender{s: s}
	total, err := subtreeSize(ctx, rs, root)
	if err != nil {
		return ZKError(err, root)
	}
	reqCtx, stopRequests := requestContext(rs.quiet(ctx))
	defer stopRequests()
	defer clearProgress(env)
	var changed, failed, unknown, firstCode int
	report := func(line string, code int) {
		clearProgress(env)
		PrintError(env.Err, &Error{Code: code, Msg: line}, env.Colors.Error)
		if firstCode == 0 {
			firstCode = code
		} else if firstCode != code {
			firstCode = ExitError
		}
	}
	// Requests run concurrently; their outcomes are taken in the walk's
	// order through a window of setACLInFlight slots, so the report reads
	// in tree order and memory stays bounded.
	type slot struct {
		path    string
		listErr error
		err     error
		done    chan struct{}
	}
	window := make(chan *slot, setACLInFlight)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for sl := range window {
			<-sl.done
			if sl.listErr != nil {
				failed++
				werr := ZKError(sl.listErr, sl.path)
				report(werr.Error()+" (its children could not be listed and were not changed)", ExitCode(werr))
			}
			switch err := sl.err; {
			case err == nil:
				changed++
				reportProgress(env, changed, total, "nodes changed")
			case errors.Is(err, zk.ErrNoNode):
				// deleted meanwhile: nothing to change
			case outcomeUnknown(err) != "":
				unknown++
				report(sl.path+": "+outcomeUnknown(err)+"; the setAcl may or may not have been applied", ExitConnection)
			default:
				failed++
				werr := ZKError(err, sl.path)
				report(werr.Error(), ExitCode(werr))
			}
		}
	}()
	wErr := walk.Nodes(ctx, resendingReader{rs}, root, walk.Options{KeepGoing: true}, func(n *walk.Node) error {
		if n.Gone {
			return nil // deleted meanwhile: nothing to change
		}
		sl := &slot{path: n.Path, listErr: n.Err, done: make(chan struct{})}
		select {
		case window <- sl:
		case <-ctx.Done():
			return ctx.Err()
		}
		go func() {
			defer close(sl.done)
			sl.err = setACLResending(reqCtx, rs, sl.path, acl, version)
		}()
		return nil
	})
	close(window)
	wg.Wait()
	clearProgress(env)
	interrupted := ctx.Err() != nil
	var cause error
	if wErr != nil && !interrupted {
		cause = walkErr(wErr, root)
		PrintError(env.Err, cause, env.Colors.Error)
	}
	t := total
	if t <= 0 {
		t = -1
	} else {
		t = max(t, changed+failed+unknown)
	}
	rs.note(env, "setAcl -R")
	sum := format.RecursiveSummary{Command: "setAcl -R", Path: root, Total: t, Done: changed, Failed: failed,
		Unknown: unknown, Interrupted: interrupted, Resent: int(rs.resent.Load())}
	if cause != nil {
		sum.Error = cause.Error()
	}
	if err := env.Print(sum); err != nil {
		return err
	}
	tail := ""
	if failed > 0 {
		tail += "; " + count(failed) + " named above not changed"
	}
	if unknown > 0 {
		tail += "; " + count(unknown) + " may or may not have been changed"
	}
	switch {
	case interrupted:
		return &Error{Code: ExitInterrupted, Msg: "setAcl -R: interrupted after changing " + ofTotal(changed, total) + tail}
	case cause != nil:
		return &Error{Code: ExitCode(cause), Msg: "setAcl -R: stopped after changing " + ofTotal(changed, total) + tail}
	case failed+unknown > 0:
		return &Error{Code: firstCode, Msg: "setAcl -R: changed " + ofTotal(changed, total) + tail}
	}
	return nil
}

// setACLResending sets one node's ACL. Without a version the request is
// simply re-sent after a reconnect. With one, a lost request may have been
// applied (and moved the version on), so the node's ACL is read first: the
// new ACL there means it was; otherwise it is re-sent, still conditional.
func setACLResending(ctx context.Context, rs *resender, p string, acl []zk.ACL, version int32) error {
	send := func() error { _, err := rs.s.SetACL(ctx, p, acl, version); return err }
	if version == -1 {
		return rs.do(ctx, send)
	}
	err := send()
	if !connectionDropped(err) {
		return err
	}
	var cur []zk.ACL
	if rerr := rs.do(ctx, func() (e error) { cur, _, e = rs.s.GetACL(ctx, p); return }); rerr != nil {
		return err
	}
	if slices.Equal(cur, acl) {
		return nil
	}
	return rs.do(ctx, send)
}
