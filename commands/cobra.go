package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Cobra builds a fresh cobra command for c that runs against env.
func (c *Command) Cobra(env *Env) *cobra.Command {
	cc := &cobra.Command{
		Use:                   c.Usage,
		Short:                 c.Short,
		Long:                  c.Long,
		Example:               indent(c.Example, "  "),
		DisableFlagsInUseLine: true,
		SilenceErrors:         true,
		SilenceUsage:          true,
		Hidden:                c.ReplacedBy != "",
		Args: func(_ *cobra.Command, args []string) error {
			if !c.argCountOK(len(args)) {
				return UsageError(c, "")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if c.NoFlags && len(args) == 1 && (args[0] == "--help" || args[0] == "-h") {
				return cmd.Help() // cobra does not look for it without flag parsing
			}
			// help finds the other commands in the tree.
			return c.run(context.WithValue(cmd.Context(), treeKey{}, cmd.Root()), env, cmd.Flags(), args)
		},
	}
	if c.Flags != nil {
		c.Flags(cc.Flags())
	}
	cc.DisableFlagParsing = c.NoFlags
	// Now rather than at execution, so `help CMD` lists -h like `CMD --help`.
	cc.InitDefaultHelpFlag()
	cc.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &Error{Code: ExitUsage, Msg: FlagErrorHint(err, cmd.Flags()), Usage: c.Usage}
	})
	return cc
}

var (
	reUnknownShort = regexp.MustCompile(`^unknown shorthand flag: '(.)' in (-\S+)`)
	reUnknownLong  = regexp.MustCompile(`^unknown flag: (--\S+)`)
	reNeedsArg     = regexp.MustCompile(`^flag needs an argument: (?:'(.)' in -\S+|(--\S+))`)
	reBadValue     = regexp.MustCompile(`^invalid argument "(.*)" for "(\S+?)(?:, \S+)?" flag`)
)

// FlagErrorText words pflag's errors the way zkCli's option parser does,
// without the Java class names.
func FlagErrorText(err error) string {
	msg := err.Error()
	if m := reUnknownShort.FindStringSubmatch(msg); m != nil {
		return "Unrecognized option: -" + m[1]
	}
	if m := reUnknownLong.FindStringSubmatch(msg); m != nil {
		return "Unrecognized option: " + m[1]
	}
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			return "Missing argument for option: " + m[1]
		}
		return "Missing argument for option: " + strings.TrimPrefix(m[2], "--")
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("invalid value %q for option %s", m[1], m[2])
	}
	return msg
}

// FlagErrorHint is FlagErrorText followed, for an unknown option, by the
// flags of fs closest to it: "Unrecognized option: --recursiv (did you mean
// --recursive?)".
func FlagErrorHint(err error, fs *pflag.FlagSet) string {
	msg := FlagErrorText(err)
	typed := ""
	if m := reUnknownShort.FindStringSubmatch(err.Error()); m != nil {
		typed = "-" + m[1]
		if len(m[2]) > 2 {
			// "-sever": a misspelt single-dash long option, not a
			// cluster of shorthands.
			typed = m[2]
			if hint := flagSuggestions(typed, fs); len(hint) > 0 {
				return "Unrecognized option: " + typed + didYouMean(hint)
			}
			typed = "-" + m[1]
		}
	} else if m := reUnknownLong.FindStringSubmatch(err.Error()); m != nil {
		typed = m[1]
	}
	if typed == "" {
		return msg
	}
	return msg + didYouMean(flagSuggestions(typed, fs))
}

// RewriteSingleDash rewrites zkCli's single-dash long options (-file,
// -members, -server) to pflag's double-dash form, because pflag reads "-file"
// as the shorthand cluster -f -i -l -e. Only names that are long flags of fs
// are rewritten; grouped shorthands (-sw) and everything after "--" stay.
func RewriteSingleDash(args []string, fs *pflag.FlagSet) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name := a[1:]
			if eq := strings.IndexByte(name, '='); eq >= 0 {
				name = name[:eq]
			}
			if len(name) >= 2 && fs.Lookup(name) != nil {
				a = "-" + a
			}
		}
		out = append(out, a)
	}
	return out
}
