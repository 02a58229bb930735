package commands

import (
	"bytes"
	"context"
	"fmt"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/walk"
)

// treeRun is what the tree tools (tree, find, grep, du) share around a
// walk: stdout buffered and written in whole lines (so the progress line on
// a terminal stderr can be cleared first), progress every thousand nodes,
// and nodes the server refused to read reported one per line on stderr
// while the walk goes on; the run then fails with the worst such error.
type treeRun struct {
	env     *Env
	what    string // progress label: "nodes searched"
	out     bytes.Buffer
	pr      format.Printer // the run's printer, writing into out
	visited int
	failed  int
	failure error // the first refused node's error, as worded
	// complete: the walk went through the whole tree (perhaps past
	// refused nodes), so totals over it mean something.
	complete bool
	// visitRefused hands refused nodes below the root to visit too (with
	// Node.Err set), after reporting them: tree draws them.
	visitRefused bool
}

func newTreeRun(env *Env, what string) *treeRun {
	r := &treeRun{env: env, what: what}
	r.pr = env.printer().To(&r.out)
	return r
}

// print hands a record to the buffered printer.
func (r *treeRun) print(rec format.Record) error { return r.pr.Print(rec) }

// walk validates root, opens the session and walks with KeepGoing,
// counting nodes for the progress line. A node the server refused to read
// is reported and not handed to visit.
func (r *treeRun) walk(ctx context.Context, root string, o walk.Options, visit func(n *walk.Node) error) error {
	s, err := pathClient(ctx, r.env, root)
	if err != nil {
		return err
	}
	return r.walkOn(ctx, s, root, o, visit)
}

func (r *treeRun) walkOn(ctx context.Context, s walk.Reader, root string, o walk.Options, visit func(n *walk.Node) error) error {
	defer clearProgress(r.env)
	o.KeepGoing = true
	err := walk.Nodes(ctx, s, root, o, func(n *walk.Node) error {
		r.visited++
		if r.visited%1000 == 0 {
			reportProgress(r.env, r.visited, 0, r.what)
		}
		if n.Err != nil {
			if err := r.refused(n.Path, n.Err); err != nil || !r.visitRefused || n.Depth == 0 {
				return err
			}
		}
		if n.Gone {
			return nil
		}
		if err := visit(n); err != nil {
			return err
		}
		if r.out.Len() >= 64<<10 {
			return r.flush()
		}
		return nil
	})
	r.complete = err == nil
	// What was found is written even when the walk failed part way.
	ferr := r.flush()
	if err != nil {
		return walkErr(err, root)
	}
	if ferr != nil {
		return ferr
	}
	return r.result()
}

// refused reports one node the walk could not read.
func (r *treeRun) refused(path string, err error) error {
	if ferr := r.flush(); ferr != nil {
		return ferr
	}
	clearProgress(r.env)
	e := ZKError(err, path)
	if r.failure == nil {
		r.failure = e
	}
	r.failed++
	PrintError(r.env.Err, e, r.env.Colors.Error)
	return nil
}

// flush writes the buffered output.
func (r *treeRun) flush() error {
	if r.out.Len() == 0 {
		return nil
	}
	clearProgress(r.env)
	_, err := r.env.Out.Write(r.out.Bytes())
	r.out.Reset()
	return err
}

// result is nil, or for a walk that skipped unreadable nodes an error with
// the first one's exit code (its line is already printed).
func (r *treeRun) result() error {
	if r.failed == 0 {
		return nil
	}
	code := ExitCode(r.failure)
	return Errorf(code, "%s could not be read", plural(r.failed, "node"))
}

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
