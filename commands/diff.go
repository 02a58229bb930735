package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/transfer"
)

func newDiff() *Command {
	var o struct {
		dataOnly, noACL, verbose, ephemeral bool
		otherConfig                         string
	}
	c := &Command{
		Name:      "diff",
		GCPercent: transferGCPercent,
		Usage:     "diff [--data-only] [--no-acl] [--ephemeral] [-v] [--other-config file] a b",
		Short:     "Compare two trees: paths here, zk://host:port/path on another ensemble, or export files",
		Long: "Prints, in `ls -R` order, \"+ path\" for a node only in b, \"- path\" for one only in a, and " +
			"\"~ path (data, acl, type)\" for one whose data, ACL or type (persistent/ephemeral) differ; paths are " +
			"shown under a. -v adds the changed lines of text data. Both sides are streamed, so trees of any size " +
			"compare in bounded memory. Exit status as diff(1): 0 equal, 1 different, 2 or more on trouble " +
			"(a node that cannot be read is trouble). An export file is file:NAME or a name ending in .ndjson[.gz].",
		Example: "zkc diff /app zk://staging:2181/app\nzkc diff --data-only /app backup.ndjson.gz\nzkc diff -v /app/config /app/config.bak",
		Args:    []ArgKind{ArgPath, ArgPath},
		MinArgs: 2, MaxArgs: 2,
		OwnPaths: true,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVar(&o.dataOnly, "data-only", false, "compare data only (not ACLs nor types)")
			fs.BoolVar(&o.noACL, "no-acl", false, "do not compare ACLs")
			fs.BoolVarP(&o.verbose, "verbose", "v", false, "show the changed lines of text data")
			fs.StringVar(&o.otherConfig, "other-config", "", "open a zk:// side with this zkCli client-configuration `file` (TLS, SASL) instead of this session's settings")
			fs.BoolVar(&o.ephemeral, "ephemeral", false, "compare ephemeral nodes too (left out by default: they belong to sessions)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		var sides [2]transfer.Endpoint
		for i := range sides {
			e, err := endpoint(c, env, args[i])
			if err != nil {
				return err
			}
			sides[i] = e
		}
		if sides[0].File == "-" && sides[1].File == "-" {
			return UsageError(c, "only one side can be stdin")
		}
		topt := transfer.TreeOptions{ACL: !o.dataOnly && !o.noACL, NoStat: true}
		var trees [2]*transfer.Tree
		var errs [2]error
		var wg sync.WaitGroup
		for i := range sides {
			wg.Add(1)
			go func() {
				defer wg.Done()
				trees[i], errs[i] = transfer.OpenTree(ctx, sides[i], endpointSessions(env, o.otherConfig), env.In, topt)
			}()
		}
		wg.Wait()
		for i := range trees {
			if trees[i] != nil {
				defer trees[i].Close()
			}
		}
		for i, err := range errs {
			if err != nil {
				return sourceError(err, sides[i])
			}
		}
		root := trees[0].Root
		differ, trouble := 0, 0
		err := transfer.Diff(ctx, tagged(0, trees[0].Next), tagged(1, trees[1].Next), transfer.DiffOptions{DataOnly: o.dataOnly, NoACL: o.noACL, Ephemeral: o.ephemeral}, func(ch transfer.Change) error {
			d := format.DiffEntry{Path: transfer.Join(root, ch.Path), What: ch.What}
			switch ch.Kind {
			case '+':
				d.Change = format.DiffAdded
			case '-':
				d.Change = format.DiffRemoved
			case '!':
				d.Change = format.DiffUnreadable
				trouble++
				for i, n := range []*transfer.Node{ch.A, ch.B} {
					if n != nil && n.Error != "" {
						fmt.Fprintf(env.Err, "diff: %s: cannot compare: %s (%s)\n", d.Path, n.Message, sides[i])
						d.What = append(d.What, n.Error)
					}
				}
			default:
				d.Change = format.DiffChanged
				if o.verbose && len(ch.What) > 0 && ch.What[0] == "data" {
					d.Lines = dataLines(ch.A.Data(), ch.B.Data())
				}
			}
			differ++
			return env.Print(d)
		})
		switch {
		case err != nil:
			side := 0
			var se *sideError
			if errors.As(err, &se) {
				side = se.side
			}
			return sourceError(err, sides[side])
		case trouble > 0:
			return Errorf(ExitAuth, "diff: %d node(s) could not be compared", trouble)
		case differ > 0:
			return &Error{Code: ExitError} // different: exit 1, nothing more to say
		}
		return nil
	}
	return c
}

// dataLines is -v's view of changed data: the changed lines of text, or a
// size line for binary or very long data.
func dataLines(a, b []byte) []string {
	if lines, ok := transfer.TextDiff(a, b); ok {
		return lines
	}
	return []string{fmt.Sprintf("data differs (%d bytes, then %d bytes)", len(a), len(b))}
}

// sideError is a failure to read one side of a diff.
type sideError struct {
	side int
	err  error
}

func (e *sideError) Error() string { return e.err.Error() }
func (e *sideError) Unwrap() error { return e.err }

// tagged marks a side's reading errors with the side, for the message.
func tagged(side int, next transfer.Next) transfer.Next {
	return func() (*transfer.Node, error) {
		n, err := next()
		if err != nil && !errors.Is(err, io.EOF) {
			err = &sideError{side, err}
		}
		return n, err
	}
}
