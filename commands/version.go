package commands

import (
	"context"
	"fmt"

	"github.com/zkc-cli/zkc/format"
)

// Version is zkc's release, printed by `zkc version`.
const Version = "0.1.0"

func newVersion() *Command {
	c := &Command{
		Name:    "version",
		Usage:   "version ",
		Short:   "Print zkc's version",
		Long:    "With -o json: {\"version\"}.",
		Example: "zkc version\nzkc -o json version",
		MinArgs: 0, MaxArgs: 0,
		Offline: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		if env.JSON() {
			return format.WriteJSON(env.Out, format.VersionJSON{Version: Version})
		}
		// Same prefix as zkCli's line, so scripts that parse it keep working.
		_, err := fmt.Fprintf(env.Out, "ZooKeeper CLI version: zkc %s\n", Version)
		return err
	}
	return c
}
