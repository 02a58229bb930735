package commands

import (
	"context"
	"errors"
	"time"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/treeops"
	"github.com/zkc-cli/zkc/walk"
)

// findTests are find's tests, operators and actions, for completion.
var findTests = []string{
	"-name", "-iname", "-path", "-ipath", "-regex", "-iregex", "-type", "-mindepth", "-maxdepth",
	"-size", "-children", "-mtime", "-ctime", "-mmin", "-cmin", "-owner", "-empty",
	"-not", "-and", "-or", "-true", "-false", "-print", "-print0", "-exec", "--dry-run",
}

func newFind() *Command {
	c := &Command{
		Name:  "find",
		Usage: "find [path...] [tests] [-print0] [-exec CMD {} ;] [--dry-run]",
		Short: "Find znodes by name, path, type, size, children, age or owner, as find(1)",
		Long: "Tests (find(1) syntax, one dash; combined with -a (implied), -o, ! or -not, and parentheses):\n" +
			"  -name GLOB, -iname GLOB   the node's name (* ? [...])\n" +
			"  -path GLOB, -ipath GLOB   the whole path (* matches / too)\n" +
			"  -regex RE, -iregex RE     the whole path, an RE2 regular expression\n" +
			"  -type p|e                 persistent or ephemeral (ZooKeeper shows containers and TTL\n" +
			"                            nodes to clients as persistent: they match p)\n" +
			"  -mindepth N, -maxdepth N  levels below the starting point (-maxdepth also stops the walk)\n" +
			"  -size ±N                  data bytes: +N more than, -N less than, N exactly (k, M suffixes)\n" +
			"  -children ±N              number of children\n" +
			"  -mtime ±DUR, -ctime ±DUR  modified/created more (+) or less (-) than DUR ago: +2h, -30m, +7d\n" +
			"  -mmin ±N, -cmin ±N        the same in minutes\n" +
			"  -owner SESSIONID          ephemeral nodes of that session (0x... or decimal)\n" +
			"  -empty                    no data and no children\n" +
			"Actions: -print (the default: one path per line), -print0 (NUL after each path), and\n" +
			"-exec CMD ARGS {} ; which runs a zkc command for every match ({} is the path; quote the ;\n" +
			"in a Unix shell: \\;). --dry-run prints those commands instead of running them.\n" +
			"Without a path find starts at the current znode. Nodes the server refuses to read are\n" +
			"reported on stderr and skipped; the walk goes on and find then exits non-zero.\n" +
			"With -o json: one {\"path\"} object per match (NDJSON).",
		Example: "find /app -name 'lock-*'\n" +
			"find /locks -type e -mtime +1h -exec delete {} \\; --dry-run\n" +
			"find / -size +512k\n" +
			"find /app -maxdepth 2 -children +1000\n" +
			"find /app -owner 0x1000a2b3c4d0000 -print0 | xargs -0 -n1 zkc delete",
		Args:      []ArgKind{ArgPath},
		MaxArgs:   -1,
		NoFlags:   true,
		DashWords: findTests,
		FlagValues: map[string][]string{
			"-type": {"p", "e"},
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runFind(ctx, env, c, args)
	}
	return c
}

// runFind parses find's own arguments (find(1) syntax) and walks each
// starting point.
func runFind(ctx context.Context, env *Env, c *Command, args []string) error {
	f, err := treeops.ParseFind(args, env.Resolve)
	var fe *treeops.FindError
	if errors.As(err, &fe) {
		return UsageError(c, fe.Msg)
	}
	if err != nil {
		return err
	}
	if f.Exec != nil && f.Print0 {
		return UsageError(c, "find: -print0 prints paths; it cannot be combined with -exec")
	}
	run := newTreeRun(env, "nodes searched")
	// An unreadable node still has a name and a path to match, as
	// find(1) lists a directory it cannot open.
	run.visitRefused = true
	ex := &findExec{env: env, f: f}
	now := time.Now()
	var first error
	for _, root := range f.Paths {
		o := walk.Options{Data: f.NeedStat}
		if f.MaxDepth >= 0 {
			o.Levels = f.MaxDepth + 1
		}
		err := run.walk(ctx, root, o, func(n *walk.Node) error {
			if !f.Match(treeops.FindNode{Path: n.Path, Depth: n.Depth, Stat: n.Stat}, now) {
				return nil
			}
			if f.Exec != nil {
				if !f.DryRun {
					if err := run.flush(); err != nil {
						return err
					}
				}
				return ex.run(ctx, run, n.Path)
			}
			return run.print(format.FoundPath{Path: n.Path, NUL: f.Print0})
		})
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
		if err != nil && first == nil {
			first = err
		}
		if err != nil && len(f.Paths) > 1 {
			PrintError(env.Err, err, env.Colors.Error)
		}
	}
	if err := ex.result(); err != nil && first == nil {
		first = err
	}
	return first
}

// findExec runs find's -exec command per match, or prints it (--dry-run).
type findExec struct {
	env     *Env
	f       *treeops.Find
	failed  int
	failure error
}

func (x *findExec) run(ctx context.Context, run *treeRun, p string) error {
	argv := x.f.ExecArgs(p)
	if x.f.DryRun {
		return run.print(format.ExecLine{Path: p, Argv: argv})
	}
	if len(argv) > 0 && argv[0] == "find" {
		return Errorf(ExitUsage, "find: -exec cannot run find")
	}
	err := ExecuteLine(ctx, x.env, argv)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		PrintError(x.env.Err, err, x.env.Colors.Error)
		if x.failure == nil {
			x.failure = err
		}
		x.failed++
	}
	return nil
}

func (x *findExec) result() error {
	if x.failed == 0 {
		return nil
	}
	return Errorf(ExitCode(x.failure), "find: the command failed for %s", plural(x.failed, "node"))
}
