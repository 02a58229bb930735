package commands

import (
	"context"

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
		return runConnect(ctx, env, c, args)
	}
	return c
}

func runConnect(ctx context.Context, env *Env, c *Command, args []string) error {
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
