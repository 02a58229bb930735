package commands

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

// Help output. `zkc help COMMAND` and `zkc COMMAND --help` print zkCli's
// usage line, the one-line description, the paragraph if any, every flag of
// the command and examples; `zkc help` lists every command with its usage
// line and description, then the global flags. The templates use only
// cobra's built-in template functions (cobra.AddTemplateFunc would change
// cobra's package state).

const commandHelp = `Usage: {{.Use}}

{{.Short}}{{with .Long}}

{{.}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableInheritedFlags}}

Global flags (before the command): see 'zkc help'.{{end}}
`

const rootHelp = `zkc: a ZooKeeper shell and one-shot client compatible with zkCli.sh
{{if .HasAvailablePersistentFlags}}
Usage:
  zkc [global flags] COMMAND [ARGS...]   run one command and exit
  zkc [global flags]                     open the shell (or run the commands on stdin or in --file)
{{end}}
Commands:{{range .Commands}}{{if .IsAvailableCommand}}
  {{.Use}}
      {{.Short}}{{end}}{{end}}{{if .HasAvailablePersistentFlags}}

Global flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}

Run 'help COMMAND' or 'COMMAND --help' for a command's flags and examples.
`

// newHelp is the help command: a command of the registry like any other,
// so the front ends and completion need no special case for it.
func newHelp() *Command {
	c := &Command{
		Name:    "help",
		Usage:   "help [command]",
		Short:   "List the commands, or show a command's usage, flags and examples",
		Example: "zkc help\nzkc help get\nzkc get --help",
		Args:    []ArgKind{ArgCommand},
		MinArgs: 0, MaxArgs: 1,
		Offline: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runHelp(ctx, env, c, args)
	}
	return c
}

func runHelp(ctx context.Context, env *Env, _ *Command, args []string) error {
	// The tree help runs in: the app's, with its global flags.
	root, _ := ctx.Value(treeKey{}).(*cobra.Command)
	if root == nil {
		root = NewTree(env)
		root.InitDefaultHelpCmd()
	}
	if len(args) == 0 {
		return root.Help()
	}
	c, _, err := root.Find(args)
	if err != nil || c == root || (!c.IsAvailableCommand() && c.Name() != "help") {
		return UnknownCommand(args[0])
	}
	return c.Help()
}

// treeKey carries the cobra tree a command runs in (help reads it).
type treeKey struct{}

// setHelp installs zkc's help templates on a fresh tree.
func setHelp(root *cobra.Command) {
	rh := rootHelp
	if _, _, err := root.Find([]string{"history"}); err != nil {
		// One-shot tree: name the shell's own commands, which it leaves out.
		var names []string
		for _, c := range All() {
			if c.ShellOnly {
				names = append(names, c.Name)
			}
		}
		rh = strings.Replace(rh, "\nRun 'help COMMAND'", "\nIn the shell and in scripts also: "+strings.Join(names, ", ")+".\nRun 'help COMMAND'", 1)
	}
	tmpl := `{{if .HasParent}}` + commandHelp + `{{else}}` + rh + `{{end}}`
	root.SetHelpTemplate(tmpl)
	root.SetUsageTemplate(tmpl)
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
