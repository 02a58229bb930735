package commands

import "context"

// newQuit makes quit and its alias exit: leave the shell with the exit code
// of the command before it, as zkCli does.
func newQuit(name string) *Command {
	c := &Command{
		Name:      name,
		Usage:     name,
		Short:     "Close the session and leave the shell",
		Example:   name,
		MaxArgs:   0,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runQuit(ctx, env, c, args)
	}
	return c
}

func runQuit(ctx context.Context, env *Env, c *Command, args []string) error {
	if env.Shell == nil {
		return Errorf(ExitUsage, "%s is only available in the shell", c.Name)
	}
	env.Shell.Quit(QuitLastCode)
	return nil
}

// QuitLastCode asks ShellHooks.Quit for the previous command's exit code.
const QuitLastCode = -1
