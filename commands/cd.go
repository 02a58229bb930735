package commands

import (
	"context"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/zpath"
)

func newCd() *Command {
	c := &Command{
		Name:  "cd",
		Usage: "cd [path|-|..]",
		Short: "Change the current znode, which relative paths start from",
		Long: "Relative paths (a/b, ./a, ../x) work in every command of the shell and scripts; one-shot\n" +
			"commands resolve them against / (the chroot's root). cd alone goes to /, cd - back to the\n" +
			"previous znode (and prints it). The prompt shows the current znode when it is not /.",
		Example:   "cd /app/config\nget settings\ncd ..\ncd -",
		Args:      []ArgKind{ArgPath},
		MaxArgs:   1,
		ShellOnly: true,
		OwnPaths:  true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runCd(ctx, env, c, args)
	}
	return c
}

func runCd(ctx context.Context, env *Env, c *Command, args []string) error {
	if env.Dir == nil {
		return Errorf(ExitUsage, "cd is only available in the shell and scripts")
	}
	target, show := "/", false
	if len(args) == 1 {
		switch a := args[0]; {
		case a == "-":
			target, show = env.Dir.Previous(), true
		case a != "" && a[0] == '/':
			target = a
			if len(target) > 1 {
				target = strings.TrimSuffix(target, "/")
			}
		default:
			target = zpath.Clean(env.Cwd(), a)
		}
	}
	s, err := pathSession(ctx, env, target)
	if err != nil {
		return err
	}
	ok, _, err := s.Exists(ctx, target, false)
	if err == nil && !ok {
		err = zk.ErrNoNode
	}
	if err != nil {
		return ZKError(err, target)
	}
	env.Dir.Set(target)
	if show {
		err = env.Print(format.PathLine{Path: target})
	}
	return err
}
