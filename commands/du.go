package commands

import (
	"context"
	"strconv"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/treeops"
	"github.com/zkc-cli/zkc/walk"
)

// duOptions are du's flags.
type duOptions struct {
	depth   int
	summary bool
	top     int
	by      string
}

func newDu() *Command {
	o := &duOptions{}
	c := &Command{
		Name:  "du",
		Usage: "du [-d depth] [-s] [--top N] [--by bytes|nodes|children] [path]",
		Short: "Data bytes and node counts per subtree, as du(1)",
		Long: "Prints bytes<TAB>nodes<TAB>path for every node that has children (its whole subtree, the\n" +
			"node included), deepest first as du(1) does; -d N only down to N levels below path, -s the\n" +
			"path alone. --top N lists the N largest nodes instead, largest first, ranked --by bytes\n" +
			"(default) or nodes (subtree totals), or children (direct children: children<TAB>path),\n" +
			"to answer \"who filled my ensemble?\". Without a path du starts at the current znode.\n" +
			"Nodes the server refuses to read are reported on stderr and left out of the totals; du\n" +
			"then exits non-zero. With -o json: one {\"path\",\"bytes\",\"nodes\",\"children\"} per line.",
		Example: "du -s /app\ndu -d 1 /\ndu --top 10 /\ndu --top 5 --by children /app",
		Args:    []ArgKind{ArgPath},
		MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.IntVarP(&o.depth, "max-depth", "d", -1, "print totals only down to this many levels below path")
			fs.BoolVarP(&o.summary, "summarize", "s", false, "print only path's total")
			fs.IntVar(&o.top, "top", 0, "list the N largest nodes, largest first")
			fs.StringVar(&o.by, "by", "bytes", "what --top ranks by: bytes, nodes or children")
		},
		FlagValues: map[string][]string{"by": {"bytes", "nodes", "children"}},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runDu(ctx, env, c, o, args)
	}
	return c
}

func runDu(ctx context.Context, env *Env, c *Command, o *duOptions, args []string) error {
	key := treeops.DuKey(o.by)
	if key != treeops.ByBytes && key != treeops.ByNodes && key != treeops.ByChildren {
		return UsageError(c, "du: --by must be bytes, nodes or children, not "+strconv.Quote(o.by))
	}
	if o.top < 0 {
		return UsageError(c, "du: --top needs a number > 0")
	}
	if o.summary {
		o.depth = 0
	}
	root := env.Cwd()
	if len(args) == 1 {
		root = args[0]
	}
	run := newTreeRun(env, "nodes measured")
	top := &treeops.Top{N: o.top, Key: key}
	line := func(e treeops.DuEntry) error {
		return run.print(format.DuLine{Path: e.Path, Bytes: e.Bytes, Nodes: e.Nodes, Children: e.Children,
			ChildrenColumn: key == treeops.ByChildren && o.top > 0})
	}
	du := &treeops.Du{Done: func(e treeops.DuEntry) error {
		if o.depth >= 0 && e.Depth > o.depth {
			return nil
		}
		if o.top > 0 {
			top.Offer(e)
			return nil
		}
		if e.Children == 0 && e.Depth > 0 {
			return nil // du(1) lists directories, not files
		}
		return line(e)
	}}
	err := run.walk(ctx, root, walk.Options{Data: true}, func(n *walk.Node) error {
		return du.Add(n.Path, n.Depth, int64(n.Stat.DataLength), int64(n.Stat.NumChildren))
	})
	if !run.complete {
		return err
	}
	// Totals of what could be read are printed even when part of the
	// tree was refused.
	if ferr := du.Finish(); ferr != nil {
		return ferr
	}
	for _, e := range top.Sorted() {
		if ferr := line(e); ferr != nil {
			return ferr
		}
	}
	if ferr := run.flush(); ferr != nil {
		return ferr
	}
	return err
}
