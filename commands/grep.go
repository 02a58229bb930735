package commands

import (
	"context"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/treeops"
	"github.com/zkc-cli/zkc/walk"
)

// grepOptions are grep's flags.
type grepOptions struct{ fold, invert, list, count, fixed, text bool }

func newGrep() *Command {
	o := &grepOptions{}
	c := &Command{
		Name:  "grep",
		Usage: "grep [-i] [-v] [-l] [-c] [-F] [-a] PATTERN [path]",
		Short: "Search the data of every node under path, as grep -r searches files",
		Long: "Prints /path:line for every matching line of a node's data (the pattern is an RE2 regular\n" +
			"expression, or with -F a plain string). Data with a NUL byte or invalid UTF-8 is binary and\n" +
			"skipped unless -a. Without a path grep starts at the current znode. As grep, the exit code is\n" +
			"1 when no line was selected. Nodes the server refuses to read are reported on stderr and\n" +
			"skipped; the walk goes on and grep then exits non-zero.\n" +
			"With -o json: one {\"path\",\"line\",\"text\"} per line (NDJSON); -l {\"path\"}; -c {\"path\",\"count\"}.",
		Example: "grep -i timeout /app/config\ngrep -l -F 10.0.0.7 /services\ngrep -c . /app",
		Args:    []ArgKind{ArgData, ArgPath},
		MinArgs: 1, MaxArgs: 2,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.fold, "ignore-case", "i", false, "ignore case")
			fs.BoolVarP(&o.invert, "invert-match", "v", false, "select the lines that do not match")
			fs.BoolVarP(&o.list, "files-with-matches", "l", false, "print only the paths of nodes with a selected line")
			fs.BoolVarP(&o.count, "count", "c", false, "print each searched node's count of selected lines")
			fs.BoolVarP(&o.fixed, "fixed-strings", "F", false, "the pattern is a plain string")
			fs.BoolVarP(&o.text, "text", "a", false, "search binary data too")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runGrep(ctx, env, c, o, args)
	}
	return c
}

func runGrep(ctx context.Context, env *Env, c *Command, o *grepOptions, args []string) error {
	g, err := treeops.NewGrep(args[0], o.fixed, o.fold)
	if err != nil {
		return UsageError(c, "grep: bad pattern: "+err.Error())
	}
	g.Invert, g.Text = o.invert, o.text
	root := env.Cwd()
	if len(args) == 2 {
		root = args[1]
	}
	run := newTreeRun(env, "nodes searched")
	selected := false
	err = run.walk(ctx, root, walk.Options{Data: true}, func(n *walk.Node) error {
		if !g.Searchable(n.Data) {
			return nil
		}
		switch {
		case o.count:
			k := g.Count(n.Data)
			selected = selected || k > 0
			return run.print(format.GrepCount{Path: n.Path, Count: k})
		case o.list:
			if g.Any(n.Data) {
				selected = true
				return run.print(format.FoundPath{Path: n.Path})
			}
			return nil
		}
		var werr error
		g.Lines(n.Data, func(k int, line []byte) bool {
			selected = true
			werr = run.print(format.GrepLine{Path: n.Path, Line: k, Text: line})
			return werr == nil
		})
		return werr
	})
	if err == nil && !selected {
		return &Error{Code: ExitError} // grep's "nothing selected": no message
	}
	return err
}
