package commands

import (
	"context"
	"fmt"
)

func newPrintWatches() *Command {
	c := &Command{
		Name:      "printwatches",
		Usage:     "printwatches on|off",
		Short:     "Turn the printing of watch events and session changes on or off",
		Example:   "printwatches off",
		Args:      []ArgKind{ArgWord},
		Words:     []string{"on", "off"},
		MaxArgs:   1,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runPrintWatches(ctx, env, c, args)
	}
	return c
}

func runPrintWatches(ctx context.Context, env *Env, c *Command, args []string) error {
	if env.Shell == nil {
		return Errorf(ExitUsage, "printwatches is only available in the shell")
	}
	if len(args) == 0 {
		state := "off"
		if env.Shell.PrintWatches() {
			state = "on"
		}
		_, err := fmt.Fprintf(env.Out, "printwatches is %s\n", state)
		return err
	}
	// As zkCli: anything other than "on" means off.
	env.Shell.SetPrintWatches(args[0] == "on")
	return nil
}
