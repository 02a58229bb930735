package commands

import "context"

// newRmr is zkCli 3.4's `rmr path`, which zkCli 3.5 deprecated and 3.6
// removed for deleteall: old runbooks still use it, so zkc runs it as
// deleteall (same flags, same refusals) and says so.
func newRmr() *Command {
	c := newDeleteAll()
	deleteAll := c.Run
	c.Name, c.Usage = "rmr", "rmr path"
	c.Short = "Removed from zkCli in 3.6: runs as deleteall path"
	c.Long, c.Example = "", "zkc rmr /app/old   # runs deleteall /app/old"
	c.ReplacedBy = "deleteall"
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		replacedNotice(env, c.Name, "deleteall "+args[0])
		return deleteAll(ctx, env, args)
	}
	return c
}
