package commands

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// ParseCredential reads scheme:credential (--auth, $ZKC_AUTH). The text of
// its errors never includes the credential.
func ParseCredential(v string) (session.Credential, error) {
	scheme, auth, ok := strings.Cut(v, ":")
	if !ok || scheme == "" {
		return session.Credential{}, fmt.Errorf("want scheme:credential, e.g. digest:user:password")
	}
	return NewCredential(scheme, auth)
}

// NewCredential checks a scheme and its credential before anything is sent.
func NewCredential(scheme, auth string) (session.Credential, error) {
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return session.Credential{}, fmt.Errorf("%q is not an auth scheme", scheme)
		}
	}
	if auth == "" {
		return session.Credential{}, fmt.Errorf("no credential given for scheme %s", scheme)
	}
	if scheme == "digest" {
		if user, _, ok := strings.Cut(auth, ":"); !ok || user == "" {
			return session.Credential{}, fmt.Errorf("a digest credential is user:password")
		}
	}
	return session.Credential{Scheme: scheme, Auth: []byte(auth)}, nil
}

// DigestID is the id of a digest ACL for user:password:
// user:base64(sha1(user:password)), as ZooKeeper's DigestAuthenticationProvider.
func DigestID(userPassword string) string {
	user, _, _ := strings.Cut(userPassword, ":")
	sum := sha1.Sum([]byte(userPassword))
	return user + ":" + base64.StdEncoding.EncodeToString(sum[:])
}

func newAddAuth() *Command {
	c := &Command{
		Name:  "addauth",
		Usage: "addauth scheme auth",
		Short: "Add credentials to the session (digest user:password, ...)",
		Long: "The credentials last for the session and are sent again after reconnects. In one-shot mode use the " +
			"global --auth scheme:credential or $ZKC_AUTH instead.",
		Example: "addauth digest bob:secret",
		Args:    []ArgKind{ArgWord, ArgData},
		Words:   []string{"digest", "x509", "ip", "sasl"},
		MinArgs: 2, MaxArgs: 2,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		cred, err := NewCredential(args[0], args[1])
		if err != nil {
			return UsageError(c, err.Error())
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		return ZKError(s.AddAuth(ctx, cred), "")
	}
	return c
}

func newDigest() *Command {
	c := &Command{
		Name:    "digest",
		Usage:   "digest user:password",
		Short:   "Print the digest ACL id for user:password (user:base64(sha1(user:password)))",
		Example: "zkc digest bob:secret\nzkc create /private data digest:$(zkc digest bob:secret):cdrwa",
		Args:    []ArgKind{ArgData},
		MinArgs: 1, MaxArgs: 1,
		Offline: true,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		if user, _, ok := strings.Cut(args[0], ":"); !ok || user == "" {
			return UsageError(c, "want user:password")
		}
		_, err := fmt.Fprintln(env.Out, DigestID(args[0]))
		return err
	}
	return c
}

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

func newGetEphemerals() *Command {
	c := &Command{
		Name:    "getEphemerals",
		Usage:   "getEphemerals path",
		Short:   "List this session's ephemeral nodes whose path starts with path (all when omitted)",
		Long:    "A string-prefix match as in zkCli: /e matches /e1 and /e/x. Useful in the shell and in scripts; a one-shot session owns none.",
		Example: "printf 'create -e /locks/me\\ngetEphemerals /locks\\n' | zkc",
		Args:    []ArgKind{ArgPath},
		MinArgs: 0, MaxArgs: 1,
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		prefix := "/"
		if len(args) == 1 {
			prefix = args[0]
			if err := checkPath(prefix, false); err != nil {
				return err
			}
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		paths, err := s.GetEphemerals(ctx, prefix)
		if err != nil {
			return ZKError(err, prefix)
		}
		if env.JSON() {
			if paths == nil {
				paths = []string{}
			}
			return format.WriteJSON(env.Out, format.EphemeralsJSON{Prefix: prefix, Ephemerals: paths})
		}
		return format.List(env.Out, paths) // unsorted: the server's order, as zkCli
	}
	return c
}
