package commands

import (
	"context"
	"fmt"

	"github.com/zkc-cli/zkc/format"
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
