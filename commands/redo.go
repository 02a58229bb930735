package commands

import (
	"context"
	"strconv"
	"strings"
)

func newRedo() *Command {
	c := &Command{
		Name:      "redo",
		Usage:     "redo cmdno",
		Short:     "Run the line numbered cmdno in history again",
		Example:   "history\nredo 3",
		Args:      []ArgKind{ArgNone},
		MaxArgs:   1,
		ShellOnly: true,
		Offline:   true,
		// "redo -1" is a number, out of range as in zkCli, not a flag.
		NoFlags: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runRedo(ctx, env, c, args)
	}
	return c
}

func runRedo(ctx context.Context, env *Env, c *Command, args []string) error {
	if env.Shell == nil {
		return Errorf(ExitUsage, "redo is only available in the shell")
	}
	if len(args) == 0 {
		return nil // zkCli: redo without a number does nothing
	}
	n, err := decodeInt(args[0])
	if err != nil {
		// zkCli dies with a NumberFormatException here.
		return UsageError(c, "redo: "+strconv.Quote(args[0])+" is not a command number")
	}
	return env.Shell.Redo(ctx, n)
}

// decodeInt parses a number as Java's Integer.decode does: decimal, 0x/0X/#
// hexadecimal, a leading 0 for octal, an optional sign.
func decodeInt(s string) (int, error) {
	neg := false
	t := s
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"), strings.HasPrefix(t, "0X"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "#"):
		base, t = 16, t[1:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		return 0, strconv.ErrSyntax
	}
	v, err := strconv.ParseInt(t, base, 32)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	return int(v), nil
}
