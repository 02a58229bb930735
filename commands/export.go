package commands

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/transfer"
)

// transferGCPercent is the collector's target for export, diff, cp and mv
// (Command.GCPercent): at Go's default a 200,000-node diff of two trees
// peaked at 64-67 MB, at 50 at 51-55 MB, for about 6 % more CPU. import
// keeps the default: at 50 its check of the file took 0.28-0.32 s instead
// of 0.21 s, for 40-43 MB instead of 48-50.
const transferGCPercent = 50

func newExport() *Command {
	var o struct {
		file  string
		noACL bool
	}
	c := &Command{
		Name:      "export",
		GCPercent: transferGCPercent,
		Usage:     "export [-f file|-] [--no-acl] path",
		Short:     "Write a subtree losslessly to a file (NDJSON; .gz names are compressed)",
		Long: "Every node in `ls -R` order with its data (text, base64, or null), ACL, type and stat, " +
			"between a header and an end line (README: Export format). The file appears only when the export is complete. " +
			"Nodes this session may not read are marked in the file and reported; zkc then exits non-zero.",
		Example: "zkc export /app -f app.ndjson.gz\nzkc export / | gzip > backup.ndjson.gz",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.StringVarP(&o.file, "file", "f", "-", "write to `file` (- is stdout; a .gz name is gzip-compressed)")
			fs.BoolVar(&o.noACL, "no-acl", false, "leave ACLs out (one request less per node)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		root := args[0]
		s, err := pathSession(ctx, env, root)
		if err != nil {
			return err
		}
		zxid, err := s.ServerZxid(ctx)
		if err != nil {
			return ZKError(err, root)
		}
		total := 0
		if n, err := s.GetAllChildrenNumber(ctx, root); err == nil {
			total = int(n) + 1
		}
		var out io.Writer = env.Out
		var file *transfer.FileOut
		if o.file != "-" {
			if file, err = transfer.CreateFile(o.file); err != nil {
				return Errorf(ExitError, "export: %v", err)
			}
			defer file.Abort() // a no-op once committed
			out = file
		}
		w, err := transfer.NewWriter(out, transfer.Header{
			Source: s.Target().Raw, Root: root, Zxid: fmt.Sprintf("0x%x", zxid),
			Time: time.Now().UTC().Format(time.RFC3339),
		})
		if err != nil {
			return err
		}
		defer clearProgress(env)
		done := 0
		err = transfer.ReadTree(ctx, s, root, transfer.TreeOptions{ACL: !o.noACL}, func(n *transfer.Node) error {
			if n.Error != "" {
				clearProgress(env)
				fmt.Fprintf(env.Err, "export: %s: %s\n", transfer.Join(root, n.Path), n.Message)
			}
			done++
			if done%1000 == 0 {
				reportProgress(env, done, total, "nodes exported")
			}
			return w.Write(n)
		})
		if err != nil {
			return walkErr(err, root)
		}
		if err := w.Close(); err != nil {
			return err
		}
		if file != nil {
			if err := file.Commit(); err != nil {
				return Errorf(ExitError, "export: %v", err)
			}
		}
		clearProgress(env)
		nodes, unreadable := w.Counts()
		if env.Progress != nil && file != nil {
			fmt.Fprintf(env.Err, "exported %d nodes from %s to %s\n", nodes, root, o.file)
		}
		if unreadable > 0 {
			return &Error{Code: ExitAuth, Msg: fmt.Sprintf("export: %d of %d nodes could not be read; they are marked in the file and their children left out", unreadable, nodes)}
		}
		return nil
	}
	return c
}
