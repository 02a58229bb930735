package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// NewTree builds a fresh cobra root holding every command usable in mode.
// A fresh tree per line avoids cobra's stale flag values (cobra #1225).
func NewTree(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "zkc",
		Short:         "A ZooKeeper shell and one-shot client compatible with zkCli.sh",
		SilenceErrors: true,
		SilenceUsage:  true,
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: true,
		},
	}
	for _, c := range All() {
		if c.ShellOnly && env.Mode == ModeOneShot {
			continue
		}
		if c.Name == "help" {
			root.SetHelpCommand(c.Cobra(env))
			continue
		}
		root.AddCommand(c.Cobra(env))
	}
	setHelp(root)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	return root
}

// IsCommand reports whether name is a zkc command usable in mode.
func IsCommand(name string, mode Mode) bool {
	c := Lookup(name)
	return c != nil && !(c.ShellOnly && mode == ModeOneShot)
}

// UnknownCommand is the error for a name that is no command (exit 127, as
// zkCli), naming the closest commands usable in mode when some are close.
func UnknownCommand(name string, mode Mode) error {
	if hint := didYouMean(Closest(name, commandNames(mode))); hint != "" {
		return Errorf(ExitUnknownCommand, "Command not found: %s%s", name, hint)
	}
	return Errorf(ExitUnknownCommand, "Command not found: %s (run 'help' for the list)", name)
}

// ExecuteLine runs one tokenized line of the shell or a script.
func ExecuteLine(ctx context.Context, env *Env, argv []string) error {
	if len(argv) == 0 {
		return nil
	}
	root := NewTree(env)
	name := argv[0]
	if !IsCommand(name, env.Mode) {
		return UnknownCommand(name, env.Mode)
	}
	args := argv[1:]
	if sub, _, err := root.Find([]string{name}); err == nil {
		args = RewriteSingleDash(args, sub.Flags())
	}
	root.SetArgs(append([]string{name}, args...))
	return root.ExecuteContext(ctx)
}

// PrintError writes an error as zkc reports it: the message, then for usage
// errors the usage line.
func PrintError(w io.Writer, err error, paint func(string) string) {
	if err == nil {
		return
	}
	e, ok := err.(*Error)
	if !ok {
		e, _ = ZKError(err, "").(*Error)
	}
	if e.Msg != "" {
		fmt.Fprintln(w, paint(e.Msg))
	}
	if e.Usage != "" {
		fmt.Fprintln(w, e.Usage)
	}
}
