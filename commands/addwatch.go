package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/session"
)

// addWatchOptions are addWatch's flags.
type addWatchOptions struct {
	mode  string
	count int
}

func newAddWatch() *Command {
	o := &addWatchOptions{}
	c := &Command{
		Name:  "addWatch",
		Usage: "addWatch [-m mode] [--count N] path",
		Short: "Add a persistent watch; one-shot: stream its events until Ctrl-C or N events",
		Long: "Modes: persistent (the node itself: data, children, creation, deletion) and\n" +
			"persistent_recursive (the default: creation, data and deletion of the node and every\n" +
			"descendant, never NodeChildrenChanged); case-insensitive, and fresh on every call.\n\n" +
			"In one-shot mode zkc keeps running and prints one line per event, flushed at once\n" +
			"(with -o json one JSON object per line), re-adding the watch after every reconnect.\n" +
			"It exits 0 after --count events or on SIGINT/SIGTERM, and with code 8 when the session\n" +
			"expires or no server is reachable for the session timeout. In the shell and in\n" +
			"scripts it only adds the watch; events are printed as they come.",
		Example: "zkc addWatch /app\n" +
			"zkc addWatch -m persistent --count 1 /app/leader\n" +
			"zkc -o json addWatch /services | jq -r .path",
		Args:       []ArgKind{ArgPath},
		MinArgs:    1,
		MaxArgs:    1,
		FlagValues: map[string][]string{"mode": {"persistent", "persistent_recursive"}},
		Flags: func(fs *pflag.FlagSet) {
			fs.StringVarP(&o.mode, "mode", "m", "persistent_recursive", "persistent or persistent_recursive")
			fs.IntVar(&o.count, "count", 0, "one-shot: exit after this many events (0: run until interrupted)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runAddWatch(ctx, env, c, o, args)
	}
	return c
}

func runAddWatch(ctx context.Context, env *Env, c *Command, o *addWatchOptions, args []string) error {
	p := args[0]
	var mode int32
	switch strings.ToLower(o.mode) {
	case "persistent":
		mode = session.AddWatchPersistent
	case "persistent_recursive":
		mode = session.AddWatchPersistentRecursive
	default:
		return UsageError(c, "-m must be persistent or persistent_recursive, not "+strconv.Quote(o.mode))
	}
	if o.count < 0 {
		return UsageError(c, "--count must be 0 or more, not "+strconv.Itoa(o.count))
	}
	if o.count > 0 && env.Mode != ModeOneShot {
		return UsageError(c, "--count applies only in one-shot mode (here events are printed as they come)")
	}
	s, err := pathSession(ctx, env, p)
	if err != nil {
		return err
	}
	if env.Mode == ModeOneShot {
		return streamWatch(ctx, env, s, p, mode, o.count)
	}
	if err := s.AddWatch(ctx, p, mode); err != nil {
		return ZKError(err, p)
	}
	return nil
}
