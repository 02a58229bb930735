package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/transfer"
)

func newImport() *Command {
	var o importFlags
	c := &Command{
		Name:  "import",
		Usage: "import [--on-exists fail|skip|overwrite] [--no-acl] [--dry-run] [--container glob] [--ttl glob=duration] file [dest]",
		Short: "Recreate an exported subtree under dest (default: where it was exported from)",
		Long: "The whole file is checked before the first write: a corrupt or truncated file writes nothing. " +
			"Parents are created before their children, in pipelined multi batches, with their ACLs " +
			"(--no-acl: world:anyone:cdrwa). A node that exists and is identical is left alone; one that differs " +
			"fails the import before anything is written (fail, the default), is kept (skip) or replaced (overwrite). " +
			"Ephemeral nodes are not imported (they belong to a session); --container and --ttl recreate the nodes " +
			"whose destination path matches as containers or TTL nodes (an export cannot tell them apart). " +
			"--dry-run prints create/overwrite/skip/unchanged per node and writes nothing.",
		Example: "zkc import app.ndjson.gz\nzkc import app.ndjson.gz /app-restored --on-exists skip\nzkc import app.ndjson /app --dry-run",
		Args:    []ArgKind{ArgNone, ArgPath},
		MinArgs: 1, MaxArgs: 2,
		OwnPaths:   true,
		FlagValues: map[string][]string{"on-exists": {"fail", "skip", "overwrite"}},
		Flags:      o.define,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		opts, err := o.options(c)
		if err != nil {
			return err
		}
		// Pass 1: the file alone, so that a bad file writes nothing.
		name, hdr, cleanup, err := checkedExport(ctx, env, c, args[0], "import")
		if err != nil {
			return err
		}
		defer cleanup()
		dest := hdr.Root
		if len(args) == 2 {
			dest = env.Resolve(args[1])
		}
		s, err := pathSession(ctx, env, dest)
		if err != nil {
			return err
		}
		open := func() (transfer.Next, func(), error) {
			f, err := transfer.OpenFile(ctx, name, nil)
			if err != nil {
				return nil, nil, fileError(ctx, "import", ExitError, err)
			}
			r, err := transfer.NewReader(f, args[0])
			if err != nil {
				f.Close()
				return nil, nil, fileError(ctx, "import", ExitUsage, err)
			}
			return r.Next, func() { f.Close() }, nil
		}
		// Pass 2 (fail mode): read the destination, so that a conflict
		// writes nothing either.
		// A missing destination has no nodes to conflict with.
		destExists, _, err := s.Exists(ctx, dest, false)
		if err != nil {
			return ZKError(err, dest)
		}
		if opts.OnExists == transfer.ExistsFail && !opts.DryRun && destExists {
			next, closeFile, err := open()
			if err != nil {
				return err
			}
			err = transfer.CheckConflicts(ctx, s, dest, opts, next)
			closeFile()
			var ce *transfer.ConflictError
			if errors.As(err, &ce) {
				return Errorf(ExitNodeExists, "import: %v", ce)
			}
			if err != nil {
				return ZKError(err, dest)
			}
		}
		next, closeFile, err := open()
		if err != nil {
			return err
		}
		defer closeFile()
		return runImport(ctx, env, s, dest, opts, next, "import")
	}
	return c
}

// importFlags are the flags import and cp share.
type importFlags struct {
	onExists   string
	noACL      bool
	dryRun     bool
	containers []string
	ttls       []string
}

func (o *importFlags) define(fs *pflag.FlagSet) {
	fs.StringVar(&o.onExists, "on-exists", "fail", "when a node exists and differs: fail (write nothing), skip, or overwrite")
	fs.BoolVar(&o.noACL, "no-acl", false, "create with world:anyone:cdrwa instead of the exported ACLs")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what would change and write nothing")
	fs.StringArrayVar(&o.containers, "container", nil, "recreate nodes whose destination path matches `glob` as containers")
	fs.StringArrayVar(&o.ttls, "ttl", nil, "recreate nodes matching `glob=duration` as TTL nodes (server needs extendedTypesEnabled)")
}

func (o *importFlags) options(c *Command) (transfer.ImportOptions, error) {
	on, err := transfer.ParseOnExists(o.onExists)
	if err != nil {
		return transfer.ImportOptions{}, UsageError(c, err.Error())
	}
	opts := transfer.ImportOptions{OnExists: on, NoACL: o.noACL, DryRun: o.dryRun}
	for _, g := range o.containers {
		if err := transfer.CheckGlob(g); err != nil {
			return opts, UsageError(c, "--container: "+err.Error())
		}
		opts.Containers = append(opts.Containers, g)
	}
	for _, t := range o.ttls {
		r, err := transfer.ParseTTLRule(t)
		if err != nil {
			return opts, UsageError(c, err.Error())
		}
		opts.TTLs = append(opts.TTLs, r)
	}
	return opts, nil
}

// checkedExport checks a whole export file before anything is written
// (stdin, "-", is spooled to a temporary file first, which cleanup
// removes): a corrupt or truncated file writes nothing. It returns the
// file to read and its header.
func checkedExport(ctx context.Context, env *Env, c *Command, name, verb string) (string, transfer.Header, func(), error) {
	cleanup, label := func() {}, name
	if name == "-" {
		label = "standard input"
		if env.Mode == ModeShell {
			return "", transfer.Header{}, cleanup, UsageError(c, verb+" - reads stdin, which is the terminal in the shell: give a file")
		}
		spooled, err := spool(ctx, env.In)
		var tooLong *safeio.LineTooLongError
		switch {
		case errors.As(err, &tooLong):
			return "", transfer.Header{}, cleanup, Errorf(ExitUsage, "%s: standard input: %v; nothing was written", verb, err)
		case err != nil:
			return "", transfer.Header{}, cleanup, fileError(ctx, verb, ExitError, err)
		}
		name, cleanup = spooled, func() { os.Remove(spooled) }
	}
	hdr, err := checkExport(ctx, name, label, verb)
	if err != nil {
		cleanup()
		return "", transfer.Header{}, func() {}, err
	}
	return name, hdr, cleanup, nil
}

// checkExport reads a whole export file, checking every line; it returns
// the header. label names the file in messages.
func checkExport(ctx context.Context, name, label, verb string) (transfer.Header, error) {
	f, err := transfer.OpenFile(ctx, name, nil)
	if err != nil {
		return transfer.Header{}, fileError(ctx, verb, ExitError, err)
	}
	defer f.Close()
	r, err := transfer.NewReader(f, label)
	if err != nil {
		return transfer.Header{}, fileError(ctx, verb, ExitUsage, err)
	}
	if err := r.Skim(ctx); err != nil {
		if ctx.Err() != nil {
			return transfer.Header{}, ZKError(ctx.Err(), "")
		}
		return transfer.Header{}, Errorf(ExitUsage, "%s: %v; nothing was written", verb, err)
	}
	return r.Header, nil
}

// runImport writes the nodes next yields under dest and reports: a note per
// node not imported as the source has it, the summary, and the exit code.
func runImport(ctx context.Context, env *Env, s transfer.Dest, dest string, opts transfer.ImportOptions, next transfer.Next, verb string) error {
	opts.Note = func(path, msg string) {
		clearProgress(env)
		fmt.Fprintf(env.Err, "%s: %s: %s\n", verb, path, msg)
	}
	opts.Plan = func(action, path string) {
		clearProgress(env)
		env.Print(format.ImportPlan{Action: action, Path: path})
	}
	opts.Progress = func(done int64) { reportProgress(env, int(done), 0, "nodes imported") }
	defer clearProgress(env)
	im := transfer.NewImporter(ctx, s, dest, opts)
	runErr := im.Run(ctx, next)
	clearProgress(env)
	counts := im.Counts()
	left := im.LeftOut()
	paths := make([]string, 0, len(left))
	for p := range left {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(env.Err, "%s: %s: %d node(s) under it not imported\n", verb, p, left[p])
	}
	interrupted := errors.Is(runErr, context.Canceled)
	sum := format.ImportSummary{Verb: verb, Dest: dest, DryRun: opts.DryRun, Interrupted: interrupted,
		Created: counts.Created, Overwritten: counts.Overwritten, Skipped: counts.Skipped,
		Unchanged: counts.Unchanged, Failed: counts.Failed, EphemeralLeftOut: counts.Ephemeral}
	if err := env.Print(sum); err != nil {
		return err
	}
	switch {
	case interrupted:
		return Errorf(ExitInterrupted, "%s: interrupted after %d nodes; a re-run with --on-exists skip completes it", verb, counts.Total())
	case runErr != nil:
		err := ZKError(runErr, dest)
		var e *Error
		if errors.As(err, &e) {
			e.Msg = fmt.Sprintf("%s: stopped after %d nodes: %s", verb, counts.Total(), e.Msg)
		}
		return err
	case counts.Failed > 0:
		return Errorf(ExitError, "%s: %d node(s) failed", verb, counts.Failed)
	}
	return nil
}

// spool copies stdin to a private temporary file, so that import can read
// it twice (check, then write).
func spool(ctx context.Context, in io.Reader) (string, error) {
	f, err := os.CreateTemp("", "zkc-import-*.ndjson")
	if err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() {
		// An export's lines are bounded: checking them while copying stops
		// an endless newline-free stream (/dev/zero) at the limit instead of
		// filling the disk. Gzip data is not made of lines.
		br := bufio.NewReader(in)
		var src io.Reader = br
		if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
			src = safeio.LineBounded(br, transfer.MaxLine)
		}
		_, err := io.Copy(f, src)
		done <- err
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// fileError words a failure to open or read an export file; one that
// Ctrl-C (or SIGTERM) caused is an interruption.
func fileError(ctx context.Context, verb string, code int, err error) error {
	if ctx.Err() != nil {
		return ZKError(ctx.Err(), "")
	}
	return Errorf(code, "%s: %v", verb, err)
}
