package commands

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/session"
)

// maxTTL is ZooKeeper's EphemeralType.MAX_TTL (2^40 - 1 ms).
const maxTTL = 1<<40 - 1

func newCreate() *Command {
	var o struct {
		seq, eph, container bool
		ttl                 string
	}
	c := &Command{
		Name:    "create",
		Usage:   "create [-s] [-e] [-c] [-t ttl] path [data] [acl]",
		Short:   "Create a znode (sequential, ephemeral, container or TTL)",
		Long:    "Prints \"Created <path>\" on stderr, as zkCli. The ACL defaults to world:anyone:cdrwa.",
		Example: "zkc create /app '{\"v\":1}'\nzkc create -s -e /locks/lock- ''\nzkc create /private secret digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:cdrwa",
		Args:    []ArgKind{ArgPath, ArgData, ArgACL},
		MinArgs: 1, MaxArgs: 3,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.seq, "sequential", "s", false, "append a 10-digit sequence number to the name")
			fs.BoolVarP(&o.eph, "ephemeral", "e", false, "delete the node when this session ends")
			fs.BoolVarP(&o.container, "container", "c", false, "container node: deleted by the server once empty")
			fs.StringVarP(&o.ttl, "ttl", "t", "", "TTL in milliseconds (needs extendedTypesEnabled on the server)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		p := args[0]
		mode := session.CreateMode{Sequential: o.seq, Ephemeral: o.eph, Container: o.container}
		if o.container && (o.seq || o.eph) {
			return UsageError(c, "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.")
		}
		if o.ttl != "" {
			ttl, err := strconv.ParseInt(o.ttl, 10, 64)
			if err != nil {
				return UsageError(c, "-t argument must be a long value")
			}
			if o.eph {
				return UsageError(c, "TTLs cannot be used with Ephemeral znodes")
			}
			if o.container {
				return UsageError(c, "TTLs cannot be used with Container znodes")
			}
			if ttl <= 0 || ttl > maxTTL {
				return UsageError(c, fmt.Sprintf("ttl must be positive and cannot be larger than: %d", int64(maxTTL)))
			}
			mode.TTL = time.Duration(ttl) * time.Millisecond
		}
		if err := checkPath(p, o.seq); err != nil {
			return err
		}
		var data []byte
		if len(args) > 1 {
			data = []byte(args[1])
		}
		acl := zk.WorldACL(zk.PermAll)
		if len(args) > 2 {
			var err error
			if acl, err = ParseACL(args[2]); err != nil {
				return UsageError(c, err.Error())
			}
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		created, err := s.Create(ctx, p, data, mode, acl)
		if err != nil {
			return ZKError(err, p)
		}
		_, err = fmt.Fprintf(env.Err, "Created %s\n", created)
		return err
	}
	return c
}
