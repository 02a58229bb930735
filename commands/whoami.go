package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/zkc-cli/zkc/format"
)

func newWhoAmI() *Command {
	c := &Command{
		Name:    "whoami",
		Usage:   "whoami",
		Short:   "List the identities the server gives this session (scheme: user)",
		Example: "zkc --auth digest:bob:pw whoami",
		MinArgs: 0, MaxArgs: -1, // zkCli ignores extra arguments
	}
	c.Run = func(ctx context.Context, env *Env, _ []string) error {
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		ids, err := s.WhoAmI(ctx)
		if err != nil {
			return ZKError(err, "")
		}
		if env.JSON() {
			out := format.WhoAmIJSON{Identities: []format.IdentityJSON{}}
			for _, id := range ids {
				out.Identities = append(out.Identities, format.IdentityJSON{Scheme: id.AuthScheme, User: id.User})
			}
			return format.WriteJSON(env.Out, out)
		}
		var b strings.Builder
		b.WriteString("Auth scheme: User\n")
		for _, id := range ids {
			b.WriteString(id.AuthScheme + ": " + id.User + "\n")
		}
		_, err = fmt.Fprint(env.Out, b.String())
		return err
	}
	return c
}
