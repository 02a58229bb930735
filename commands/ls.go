package commands

import (
	"bytes"
	"context"
	"sort"
	"sync"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/walk"
)

// lsOptions are ls's flags.
type lsOptions struct{ stat, watch, recurse bool }

// lsGCPercent is the collector's target while ls runs (Command.GCPercent).
// A listing walk keeps half the replies in flight it used to
// (walk.DefaultListInFlight), and ls -R spends that memory on fewer
// collections: 5 % faster at 200,000 and 1,000,000 nodes, at the same peak
// RSS (29-30 and 35 MB).
const lsGCPercent = 150

func newLs() *Command {
	o := &lsOptions{}
	c := &Command{
		Name:  "ls",
		Usage: "ls [-s] [-w] [-R] path",
		Short: "List a znode's children (-R: the whole subtree, one path per line)",
		Long: "With -o json: {\"path\",\"children\",\"stat\"}; with -R, one {\"path\"} object per line (NDJSON), streamed.\n" +
			"On a colour terminal, children that have children of their own are highlighted (not with -R).",
		Example: "zkc ls /\nzkc ls -s /app\nzkc ls -R /app | grep config\nzkc -o json ls /app | jq -r '.children[]'",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 2,
		GCPercent: lsGCPercent,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the list")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a child watch (with -R: on every node)")
			fs.BoolVarP(&o.recurse, "recursive", "R", false, "list the subtree, one full path per line")
		},
	}
	// -R walks (many requests); on a colour terminal ls reads the children's stats.
	c.Pipeline = func(args []string) Pipelining {
		return pipelinedUnless(o.watch || o.recurse || len(args) == 2, PipelinedRead)
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runLs(ctx, env, c, o, args)
	}
	return c
}

func runLs(ctx context.Context, env *Env, c *Command, o *lsOptions, args []string) error {
	p := args[0]
	deprecatedWatch(env, c, args, &o.watch, "ls [-w] path")
	// With -R the first event of any node visited ends the wait.
	s, wait, err := watchedClient(ctx, env, p, o.watch)
	if err != nil {
		return err
	}
	defer wait.stop()
	if o.recurse {
		if err := lsRecursive(ctx, env, c, p, o.watch); err != nil {
			return err
		}
		return wait.await(ctx)
	}
	kids, st, err := s.Children(ctx, p, o.watch)
	if err != nil {
		return ZKError(err, p)
	}
	sort.Strings(kids)
	rec := format.Children{Path: p, Kids: kids, Stat: st, WithStat: o.stat}
	if env.printer().Colored() {
		rec.Parents = markParents(ctx, s, p, kids)
	}
	if err := env.Print(rec); err != nil {
		return err
	}
	return wait.await(ctx)
}

// lsRecursive streams the subtree in zkCli's order. Like zkCli it reads the
// root's data first, so a root without READ fails before anything is printed.
func lsRecursive(ctx context.Context, env *Env, c *Command, root string, watch bool) error {
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	if _, _, err := s.Get(ctx, root, false); err != nil {
		return ZKError(err, root)
	}
	// Output is buffered and written in whole lines, so that the progress
	// line (on a terminal stderr) can be cleared before each write.
	var buf bytes.Buffer
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		clearProgress(env)
		_, err := env.Out.Write(buf.Bytes())
		buf.Reset()
		return err
	}
	defer clearProgress(env)
	// Text is one path per line; JSON is one {"path"} object per line, so
	// both stream with memory bounded by the walker's lookahead.
	write := format.PathLines(env.printer(), &buf)
	line := func(path string) error {
		if err := write(path); err != nil {
			return err
		}
		if buf.Len() >= 64<<10 {
			return flush()
		}
		return nil
	}
	if err := line(root); err != nil {
		return err
	}
	visited := 0
	err = walk.Walk(ctx, s, root, walk.Options{Watch: watch}, func(_ string, kids []string) error {
		visited++
		if visited%1000 == 0 {
			reportProgress(env, visited, 0, "nodes listed")
		}
		for _, k := range kids {
			if err := line(k); err != nil {
				return err
			}
		}
		return nil
	})
	// What was listed is written even when the walk failed part way.
	ferr := flush()
	if err != nil {
		return walkErr(err, root)
	}
	return ferr
}

// Marking parents costs one exists request per child, so it is done only for
// lists up to this size.
const markParentsMax = 1000

// markParents marks the children that have children of their own (painted
// with Palette.Dir). It runs only when stdout is coloured: zkCli's exact
// bytes are not at stake on a terminal. Lookups run in parallel; a child
// that vanished or cannot be read is left unmarked.
func markParents(ctx context.Context, s Client, parent string, kids []string) []bool {
	if len(kids) == 0 || len(kids) > markParentsMax {
		return nil
	}
	shown := make([]bool, len(kids))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i, k := range kids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ok, st, err := s.Exists(ctx, walk.ChildPath(parent, k), false)
			if err == nil && ok && st.NumChildren > 0 {
				shown[i] = true
			}
		}()
	}
	wg.Wait()
	return shown
}
