package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/transfer"
	"github.com/zkc-cli/zkc/walk"
)

func newCp() *Command {
	var o struct {
		importFlags
		recursive   bool
		otherConfig string
	}
	c := &Command{
		Name:      "cp",
		GCPercent: transferGCPercent,
		Usage:     "cp [-r] [--on-exists fail|skip|overwrite] [--no-acl] [--dry-run] [--other-config file] src dst",
		Short:     "Copy a znode (-r: its subtree) to dst, here or on another ensemble (zk://host:port/path)",
		Long: "src and dst are paths on this session, zk://host:port[,host:port]/path on another ensemble " +
			"(opened with this session's TLS and credentials, or with --other-config those of a zkCli client-configuration file), or for src an export file (file:NAME, or a .ndjson[.gz] name). " +
			"dst is the copy itself, not a parent to copy into. Data, null data, ACLs and exact (sequential) names are kept; " +
			"ephemeral nodes are not copied. Nodes are read and written as a stream, parents first, in pipelined multi batches. " +
			"With fail (the default) an existing dst is refused; skip and overwrite are as for import.",
		Example: "zkc cp -r /app/config /app/config.bak\nzkc cp -r /app zk://staging:2181/app --on-exists overwrite\nzkc cp -r backup.ndjson.gz /restored",
		Args:    []ArgKind{ArgPath, ArgPath},
		MinArgs: 2, MaxArgs: 2,
		OwnPaths:   true,
		FlagValues: map[string][]string{"on-exists": {"fail", "skip", "overwrite"}},
		Flags: func(fs *pflag.FlagSet) {
			o.define(fs)
			fs.BoolVarP(&o.recursive, "recursive", "r", false, "copy the whole subtree")
			fs.StringVar(&o.otherConfig, "other-config", "", "open the zk:// side with this zkCli client-configuration `file` (TLS, SASL) instead of this session's settings")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		opts, err := o.options(c)
		if err != nil {
			return err
		}
		src, err := endpoint(c, env, args[0])
		if err != nil {
			return err
		}
		dst, err := endpoint(c, env, args[1])
		if err != nil {
			return err
		}
		if dst.File != "" {
			return UsageError(c, "cp writes to znodes; use export to write a file")
		}
		if src.File == "" && src.Server == dst.Server && (dst.Path == src.Path || strings.HasPrefix(dst.Path, strings.TrimSuffix(src.Path, "/")+"/")) {
			return UsageError(c, "cannot copy "+src.Path+" into itself ("+dst.Path+")")
		}
		if src.File != "" {
			// A bad file writes nothing: all of it is checked first.
			name, _, cleanup, err := checkedExport(ctx, env, c, src.File, "cp")
			if err != nil {
				return err
			}
			defer cleanup()
			src.File = name
		}
		sessions := endpointSessions(env, o.otherConfig)
		ds, release, err := sessions(ctx, dst.Server)
		if err != nil {
			return err
		}
		defer release()
		if opts.OnExists == transfer.ExistsFail && !opts.DryRun {
			switch ok, _, err := ds.Exists(ctx, dst.Path, false); {
			case err != nil:
				return ZKError(err, dst.Path)
			case ok:
				return Errorf(ExitNodeExists, "cp: %s exists (use --on-exists skip or overwrite)", dst)
			}
		}
		tree, err := openSource(ctx, env, src, o.recursive, o.otherConfig)
		if err != nil {
			return err
		}
		defer tree.Close()
		return runImport(ctx, env, ds, dst.Path, opts, tree.Next, "cp")
	}
	return c
}

// openSource opens cp's source: the whole tree, or with recursive off its
// root node alone.
func openSource(ctx context.Context, env *Env, src transfer.Endpoint, recursive bool, otherConfig string) (*transfer.Tree, error) {
	if !recursive && src.File == "" {
		s, release, err := endpointSessions(env, otherConfig)(ctx, src.Server)
		if err != nil {
			return nil, err
		}
		defer release()
		n, err := transfer.ReadNode(ctx, s, src.Path, transfer.TreeOptions{ACL: true})
		if err != nil {
			return nil, sourceError(err, src)
		}
		return &transfer.Tree{Root: src.Path, Next: transfer.Only(n)}, nil
	}
	tree, err := transfer.OpenTree(ctx, src, endpointSessions(env, otherConfig), env.In, transfer.TreeOptions{ACL: true})
	if err != nil {
		return nil, sourceError(err, src)
	}
	if !recursive {
		first, err := tree.Next()
		tree.Close()
		if err != nil {
			return nil, sourceError(err, src)
		}
		return &transfer.Tree{Root: tree.Root, Next: transfer.Only(first)}, nil
	}
	next := tree.Next
	first := true
	// The source's own NoNode surfaces on the first read: say it before
	// anything is written.
	n, err := next()
	if err != nil {
		tree.Close()
		return nil, sourceError(err, src)
	}
	tree.Next = func() (*transfer.Node, error) {
		if first {
			first = false
			return n, nil
		}
		return next()
	}
	return tree, nil
}

// sourceError words a failure to read a side.
func sourceError(err error, e transfer.Endpoint) error {
	var fe *transfer.FileError
	if errors.As(err, &fe) {
		return Errorf(ExitUsage, "%v", fe)
	}
	var we *walk.Error
	if !errors.As(err, &we) && errors.Is(err, zk.ErrNoNode) {
		return ZKError(zk.ErrNoNode, e.Path)
	}
	return walkErr(err, e.Path)
}
