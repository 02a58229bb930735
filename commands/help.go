package commands

import (
	"context"
	"fmt"
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
COMMANDS{{if .HasAvailablePersistentFlags}}

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
	// Hidden: the removed zkCli commands, which help names apart.
	if err != nil || c == root || (!c.IsAvailableCommand() && c.Name() != "help" && !c.Hidden) {
		return UnknownCommand(args[0], env.Mode)
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
	// The command list is drawn when help runs: the app adds commands
	// (completion) after the tree is built.
	cobraHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			list := strings.ReplaceAll(groupedCommands(root), "{{", `{{"{{"}}`)
			root.SetHelpTemplate(strings.Replace(tmpl, "COMMANDS", list, 1))
		}
		cobraHelp(c, args)
	})
}

// helpGroup is one heading of `zkc help`'s command list.
type helpGroup struct {
	title string
	names []string
}

// helpGroups orders `zkc help`: every command of the registry is in one
// group (a test checks it), in the order a newcomer looks for them.
func helpGroups() []helpGroup {
	return []helpGroup{
		{"Data", []string{"create", "get", "set", "delete", "deleteall", "ls", "stat", "sync", "getAllChildrenNumber", "getEphemerals"}},
		{"Watches", []string{"addWatch", "removewatches", "printwatches"}},
		{"ACLs and auth", []string{"getAcl", "setAcl", "addauth", "digest", "whoami"}},
		{"Quotas", []string{"setquota", "listquota", "delquota"}},
		{"Ensemble", []string{"config", "reconfig", "4lw"}},
		{"Tree tools", []string{"tree", "find", "grep", "du", "edit", "cd", "pwd"}},
		{"Copying", []string{"export", "import", "cp", "mv", "diff"}},
		{"Shell", []string{"connect", "close", "history", "redo", "quit", "exit", "help", "version", "completion"}},
	}
}

// groupedCommands lists root's commands under helpGroups' headings, those
// in no group under "Other", then the removed zkCli commands zkc still runs.
func groupedCommands(root *cobra.Command) string {
	byName := map[string]*cobra.Command{}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			byName[c.Name()] = c
		}
	}
	var b strings.Builder
	entry := func(c *cobra.Command) {
		b.WriteString("\n  " + c.Use + "\n      " + c.Short)
	}
	listed := map[string]bool{}
	groups := helpGroups()
	groups = append(groups, helpGroup{title: "Other"})
	for _, c := range root.Commands() {
		if _, ok := byName[c.Name()]; ok && !inGroups(c.Name()) {
			groups[len(groups)-1].names = append(groups[len(groups)-1].names, c.Name())
		}
	}
	for _, g := range groups {
		head := false
		for _, n := range g.names {
			c := byName[n]
			if c == nil || listed[n] {
				continue
			}
			if !head {
				b.WriteString("\n" + g.title + ":")
				head = true
			}
			listed[n] = true
			entry(c)
		}
		if head {
			b.WriteString("\n")
		}
	}
	var removed []string
	for _, c := range All() {
		if c.ReplacedBy != "" {
			removed = append(removed, fmt.Sprintf("\n  %-18s runs as %s, with a notice", c.Usage, c.ReplacedBy))
		}
	}
	if len(removed) > 0 {
		b.WriteString("\nRemoved from zkCli (3.6), still run for old runbooks:" + strings.Join(removed, "") + "\n")
	}
	return strings.TrimPrefix(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// inGroups reports whether helpGroups names the command.
func inGroups(name string) bool {
	for _, g := range helpGroups() {
		for _, n := range g.names {
			if n == name {
				return true
			}
		}
	}
	return false
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
