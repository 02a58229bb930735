package completion

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/zkc-cli/zkc/commands"
)

// Attach gives the registry's commands under root cobra completions from e,
// so `zkc completion bash|zsh|fish|powershell` scripts complete live znode
// paths, words, ACL schemes and flag values through `zkc __complete`.
func Attach(root *cobra.Command, e *Engine) {
	// One instance of each command: a Lookup per subcommand built the whole
	// set each time, most of a one-shot run's start-up.
	byName := map[string]*commands.Command{}
	for _, c := range commands.All() {
		byName[c.Name] = c
	}
	for _, cc := range root.Commands() {
		c := byName[cc.Name()]
		if c == nil {
			continue
		}
		name := c.Name
		cc.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			s := e.Args(ctx, name, args, toComplete)
			dir := cobra.ShellCompDirectiveNoFileComp
			dashWord := c.NoFlags && len(c.DashWords) > 0 && (toComplete != "" && toComplete[0] == '-' ||
				len(args) > 0 && c.FlagValues[args[len(args)-1]] != nil)
			if !dashWord && (c.MaxArgs < 0 || len(args) < c.MaxArgs) {
				if k := argKind(c, len(args)); k == commands.ArgPath || k == commands.ArgACL {
					// A path continues with "/", a scheme with its id.
					dir |= cobra.ShellCompDirectiveNoSpace
				}
			}
			return toCobra(s), dir
		}
		for flag := range c.FlagValues {
			f := flag
			_ = cc.RegisterFlagCompletionFunc(f, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return toCobra(e.FlagValues(name, f, toComplete)), cobra.ShellCompDirectiveNoFileComp
			})
		}
	}
}

func argKind(c *commands.Command, idx int) commands.ArgKind {
	switch {
	case idx < len(c.Args):
		return c.Args[idx]
	case len(c.Args) > 0 && c.MaxArgs < 0:
		return c.Args[len(c.Args)-1]
	}
	return commands.ArgNone
}

func toCobra(s []Suggestion) []cobra.Completion {
	out := make([]cobra.Completion, 0, len(s))
	for _, x := range s {
		if x.Description != "" {
			out = append(out, cobra.CompletionWithDesc(x.Text, x.Description))
		} else {
			out = append(out, x.Text)
		}
	}
	return out
}
