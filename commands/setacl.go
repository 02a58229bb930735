package commands

import (
	"context"
	"fmt"
	"sort"
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
// every node from a bounded pool. Every failure is reported, sorted by path.
func setACLRecursive(ctx context.Context, env *Env, s *session.Session, root string, acl []zk.ACL, version int32) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failures = map[string]error{}
		total    int
	)
	sem := make(chan struct{}, setACLInFlight)
	wErr := walk.Walk(ctx, s, root, walk.Options{}, func(p string, _ []string) error {
		total++
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := s.SetACL(ctx, p, acl, version); err != nil {
				mu.Lock()
				failures[p] = ZKError(err, p)
				mu.Unlock()
			}
		}()
		return nil
	})
	wg.Wait()
	if wErr != nil && len(failures) == 0 {
		return walkErr(wErr, root)
	}
	paths := make([]string, 0, len(failures))
	for p := range failures {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool { return walk.Less(paths[i], paths[j]) })
	code := 0
	for _, p := range paths {
		err := failures[p]
		PrintError(env.Err, err, env.Colors.Error)
		if c := ExitCode(err); code == 0 || code == c {
			code = c
		} else {
			code = ExitError
		}
	}
	if wErr != nil {
		werr := walkErr(wErr, root)
		PrintError(env.Err, werr, env.Colors.Error)
		return &Error{Code: ExitCode(werr), Msg: fmt.Sprintf("setAcl -R stopped: %d of the %d nodes visited could not be changed", len(paths), total)}
	}
	if len(paths) > 0 {
		return &Error{Code: code, Msg: fmt.Sprintf("setAcl -R: %d of %d nodes could not be changed", len(paths), total)}
	}
	return nil
}
