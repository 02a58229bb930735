package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/treeops"
)

// editOptions are edit's flags.
type editOptions struct{ force bool }

func newEdit() *Command {
	o := &editOptions{}
	c := &Command{
		Name:  "edit",
		Usage: "edit [--force] path",
		Short: "Edit a node's data in $VISUAL or $EDITOR (vi by default) and write it back",
		Long: "The data goes to a temporary file for the editor; the saved text is written back with the\n" +
			"version that was read (set -v), so a change another client made meanwhile is never\n" +
			"overwritten: edit then says what changed (versions, time, the lines) and keeps your text in\n" +
			"the temporary file it names (exit 5). Saving without a change writes nothing. A newline the\n" +
			"editor adds at the end is dropped when the data had none. Binary data (a NUL byte or\n" +
			"invalid UTF-8) is refused unless --force. With -o json: {\"path\",\"written\",\"stat\"}.",
		Example: "edit /app/config\nVISUAL='code -w' zkc edit /app/config",
		Args:    []ArgKind{ArgPath},
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVar(&o.force, "force", false, "edit binary data too")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runEdit(ctx, env, c, o, args)
	}
	return c
}

func runEdit(ctx context.Context, env *Env, c *Command, o *editOptions, args []string) error {
	p := args[0]
	s, err := pathClient(ctx, env, p)
	if err != nil {
		return err
	}
	data, st, err := s.Get(ctx, p, false)
	if err != nil {
		return ZKError(err, p)
	}
	if treeops.Binary(data) && !o.force {
		return Errorf(ExitUsage, "edit: %s holds binary data (%d bytes); --force edits it anyway", p, len(data))
	}
	f, err := os.CreateTemp("", treeops.TempPattern(p))
	if err != nil {
		return Errorf(ExitError, "edit: %v", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return Errorf(ExitError, "edit: %v", werr)
	}
	keep := func(format string, args ...interface{}) error {
		return Errorf(ExitError, format+" (your text is in %s)", append(args, tmp)...)
	}
	if err := runEditor(ctx, env, tmp); err != nil {
		return keep("edit: %v; nothing written", err)
	}
	if ctx.Err() != nil {
		return keep("edit: interrupted; nothing written")
	}
	// Bounded like any data file: the editor may have left anything there.
	saved, err := readDataFile(ctx, env, tmp)
	if err != nil {
		return keep("edit: %v", err)
	}
	edited := treeops.Edited(data, saved)
	if bytes.Equal(edited, data) {
		os.Remove(tmp)
		return env.Print(format.EditOutcome{Path: p, Stat: st})
	}
	if err := checkDataSize(edited, setRequestOverhead(p)+len(s.Target().Chroot), p); err != nil {
		return keep("%s", err.Error())
	}
	nst, err := s.Set(ctx, p, edited, st.Version)
	switch {
	case errors.Is(err, zk.ErrBadVersion):
		msg := p + " changed while you edited it\n"
		if now, nowSt, gerr := s.Get(ctx, p, false); gerr == nil {
			msg = treeops.Conflict(p, st, data, nowSt, now, time.Local)
		}
		return &Error{Code: ExitBadVersion, Msg: "edit: " + msg + "Nothing written; your text is in " + tmp}
	case errors.Is(err, zk.ErrNoNode):
		return &Error{Code: ExitNoNode, Msg: "edit: " + p + " was deleted while you edited it; nothing written; your text is in " + tmp}
	case err != nil:
		e := ZKError(err, p)
		return &Error{Code: ExitCode(e), Msg: e.Error() + " (your text is in " + tmp + ")"}
	}
	os.Remove(tmp)
	return env.Print(format.EditOutcome{Path: p, Written: true, Stat: nst})
}

// runEditor runs the user's editor on file through sh (the editor setting
// may carry arguments). It gets the terminal when there is one, even if
// zkc's own stdin is a script or stdout a pipe; without one it reads
// nothing and writes to stderr, keeping stdout clean.
func runEditor(ctx context.Context, env *Env, file string) error {
	cmd := exec.Command("sh", "-c", treeops.EditorCommand(os.Getenv)+` "$1"`, "zkc-edit", file)
	var in io.Reader
	var out io.Writer = env.Err
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		in, out = tty, tty
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, out, env.Err
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("the editor failed (%s)", ee.ProcessState)
		}
		return fmt.Errorf("cannot run the editor: %v", err)
	}
	return nil
}
