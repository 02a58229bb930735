package commands

import (
	"context"
	"fmt"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

func newConnect() *Command {
	c := &Command{
		Name:      "connect",
		Usage:     "connect host:port",
		Short:     "Close the session and open a new one (to host:port, or the same servers)",
		Long:      "The new connect string may list several hosts and a chroot, as -server. The prompt follows the new session.",
		Example:   "connect 10.0.0.7:2181\nconnect zk1:2181,zk2:2181/app",
		Args:      []ArgKind{ArgServer},
		MaxArgs:   1,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		server := ""
		if len(args) == 1 {
			server = args[0]
			if _, err := session.ParseConnectString(server); err != nil {
				return UsageError(c, err.Error())
			}
		}
		announceClosed(env)
		if err := env.Conn.Reconnect(ctx, server); err != nil {
			return ZKError(err, "")
		}
		return nil
	}
	return c
}

func newClose() *Command {
	c := &Command{
		Name:      "close",
		Usage:     "close",
		Short:     "Close the session (commands then say Not connected until connect)",
		Example:   "close\nconnect",
		MaxArgs:   0,
		ShellOnly: true,
		Offline:   true,
	}
	c.Run = func(_ context.Context, env *Env, _ []string) error {
		announceClosed(env)
		env.Conn.Close()
		return nil
	}
	return c
}

// announceClosed prints zkCli's Closed event for a session about to be
// closed (the library reports no event for a close we asked for).
func announceClosed(env *Env) {
	s := env.Conn.Current()
	if s == nil || s.Closed() {
		return
	}
	if env.Shell != nil && !env.Shell.PrintWatches() {
		return
	}
	ev := session.Event{Type: session.EventNone, State: session.KeeperClosed}
	fmt.Fprintf(env.Out, "\nWATCHER::\n\n%s\n", format.EventLine(ev))
}
