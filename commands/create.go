package commands

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// maxTTL is ZooKeeper's EphemeralType.MAX_TTL (2^40 - 1 ms).
const maxTTL = 1<<40 - 1

// createOptions are create's flags.
type createOptions struct {
	seq, eph, container bool
	ttl, file           string
}

func newCreate() *Command {
	o := &createOptions{}
	c := &Command{
		Name:  "create",
		Usage: "create [-s] [-e] [-c] [-t ttl] path [data] [acl]",
		Short: "Create a znode (sequential, ephemeral, container or TTL)",
		Long: "Prints \"Created <path>\" on stderr, as zkCli (with -o json, {\"path\":...,\"created\":...} on stdout).\n" +
			"The ACL defaults to world:anyone:cdrwa. With -f the data is read from a file (\"-\": stdin) byte for\n" +
			"byte, and the argument after the path, if any, is the ACL. Data that would make the request larger\n" +
			"than ZooKeeper's default jute.maxbuffer (1048575 bytes) is refused before sending (exit 2).",
		Example: "zkc create /app '{\"v\":1}'\nzkc create -s -e /locks/lock- ''\nzkc create -f logo.png /assets/logo\n" +
			"tar c conf | zkc create -f - /backup/conf\nzkc create /private secret digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:cdrwa",
		Args:    []ArgKind{ArgPath, ArgData, ArgACL},
		MinArgs: 1, MaxArgs: 3,
		// zkCli ignores whatever follows the ACL, and its own tests rely on it.
		IgnoresExtraArgs: true,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.seq, "sequential", "s", false, "append a 10-digit sequence number to the name")
			fs.BoolVarP(&o.eph, "ephemeral", "e", false, "delete the node when this session ends")
			fs.BoolVarP(&o.container, "container", "c", false, "container node: deleted by the server once empty")
			fs.StringVarP(&o.ttl, "ttl", "t", "", "TTL in `milliseconds` (needs extendedTypesEnabled on the server)")
			fs.StringVarP(&o.file, "data-file", "f", "", "read the data from `file`, byte for byte (\"-\": stdin)")
		},
	}
	// -f may read the script's own stdin: that line waits its turn.
	c.Pipeline = func([]string) Pipelining { return pipelinedUnless(o.file != "", PipelinedWrite) }
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runCreate(ctx, env, c, o, args)
	}
	return c
}

func runCreate(ctx context.Context, env *Env, c *Command, o *createOptions, args []string) error {
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
	aclArg := ""
	switch {
	case o.file != "" && len(args) > 2:
		return UsageError(c, msgDataAndFile)
	case o.file != "" && len(args) == 2:
		// With -f the only argument after the path is the ACL; one that
		// is no ACL is most likely data given twice.
		if _, err := ParseACL(args[1]); err != nil {
			return UsageError(c, msgDataAndFile+"; with -f the argument after the path is the ACL: "+err.Error())
		}
		aclArg = args[1]
	case len(args) > 1:
		data = []byte(args[1])
		if len(args) > 2 {
			aclArg = args[2]
		}
	}
	acl := zk.WorldACL(zk.PermAll)
	if aclArg != "" || len(args) > 2 {
		var err error
		if acl, err = ParseACL(aclArg); err != nil {
			return UsageError(c, err.Error())
		}
	}
	if o.file != "" {
		var err error
		if data, err = readDataFile(ctx, env, o.file); err != nil {
			return err
		}
	}
	overhead := createRequestOverhead(p, acl, mode.TTL > 0)
	if err := checkDataSize(data, overhead, p); err != nil {
		return err
	}
	s, err := clientFor(ctx, env)
	if err != nil {
		return err
	}
	// The chroot is part of the path on the wire.
	if err := checkDataSize(data, overhead+len(s.Target().Chroot), p); err != nil {
		return err
	}
	created, err := s.Create(ctx, p, data, mode, acl)
	if err != nil {
		return ZKError(err, p)
	}
	return env.Print(format.Created{Path: p, Created: created})
}
