package commands

import (
	"context"
	"io"

	"github.com/zkc-cli/zkc/session"
)

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
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runClose(ctx, env, c, args)
	}
	return c
}

func runClose(ctx context.Context, env *Env, c *Command, args []string) error {
	announceClosed(env)
	env.Conn.Close()
	return nil
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
	io.WriteString(env.Out, WatcherBlock(ev))
}
