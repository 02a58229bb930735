package app

import (
	"context"
	"time"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/completion"
	"github.com/zkc-cli/zkc/session"
)

// completeDeadline bounds the live lookups of one `zkc __complete` run: a
// shell's Tab must never hang on an unreachable server.
const completeDeadline = 2 * time.Second

// oneShotCompletion is the engine behind `zkc __complete` (the bash, zsh,
// fish and powershell scripts). Its session is opened on the first path
// lookup, from the global flags as __complete parsed them (-server after
// "zkc" on the command line being completed), and closed by run's cleanup
// through *mgr.
func oneShotCompletion(g *globals, stdio Stdio, mgr **session.Manager) *completion.Engine {
	var sess *session.Session
	var failed bool
	children := func(ctx context.Context, p string) []string {
		if failed {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, completeDeadline)
		defer cancel()
		if sess == nil {
			g.noPrompt = true // stdin is the user's terminal: never ask there
			opts, err := g.sessionOptions(ctx, stdio)
			if err != nil {
				failed = true
				return nil
			}
			if *mgr != nil {
				(*mgr).Close()
			}
			*mgr = session.NewManager(opts, false, nil)
			if sess, err = (*mgr).Session(ctx); err != nil {
				failed = true
				return nil
			}
		}
		kids, _, err := sess.Children(ctx, p, false)
		if err != nil {
			return nil
		}
		return kids
	}
	return &completion.Engine{Mode: commands.ModeOneShot, Children: children}
}
