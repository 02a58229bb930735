package commands

import (
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

func newConfig() *Command {
	var o struct{ client, watch, stat bool }
	c := &Command{
		Name:  "config",
		Usage: "config [-c] [-w] [-s]",
		Short: "Print the ensemble's dynamic configuration (/zookeeper/config)",
		Long: "-c prints only the version and the client addresses (\"<version> host:port,...\"), -s adds the stat " +
			"block, -w leaves a watch on the configuration (one-shot: waits for its change). The chroot does not apply.",
		Example: "zkc config\nzkc config -c",
		MinArgs: 0, MaxArgs: 0,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.client, "client", "c", false, "print the client connection string only")
			fs.BoolVarP(&o.watch, "watch", "w", false, "leave a watch on the configuration")
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the configuration")
		},
	}
	c.Run = func(ctx context.Context, env *Env, _ []string) error {
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		var wait *watchWaiter
		if o.watch {
			wait = newWatchWaiter(env, s, session.ConfigNode)
			defer wait.stop()
		}
		data, st, err := s.GetConfig(ctx, o.watch)
		if err != nil {
			return ZKError(err, session.ConfigNode)
		}
		if env.JSON() {
			out := configJSON(data)
			if o.stat {
				out.Stat = format.NewStatJSON(st)
			}
			if err := format.WriteJSON(env.Out, out); err != nil {
				return err
			}
			return wait.await(ctx)
		}
		text := "null"
		if data != nil {
			text = string(data)
		}
		if o.client {
			text = clientConfigString(text)
		}
		if _, err := fmt.Fprintln(env.Out, text); err != nil {
			return err
		}
		if o.stat {
			if err := printStat(env, st); err != nil {
				return err
			}
		}
		return wait.await(ctx)
	}
	return c
}

// configEntry is one key=value line of a dynamic configuration.
type configEntry struct{ key, value string }

// parseConfigText reads properties-style lines (key=value; # and ! comments).
func parseConfigText(text string) []configEntry {
	var out []configEntry
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out = append(out, configEntry{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out
}

// configMembers returns the server.N lines sorted by id, and the version.
func configMembers(text string) (members []format.ConfigMemberJSON, version string) {
	for _, e := range parseConfigText(text) {
		if e.key == "version" {
			version = e.value
			continue
		}
		id, ok := strings.CutPrefix(e.key, "server.")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		members = append(members, format.ConfigMemberJSON{ID: n, Spec: e.value, Client: clientAddr(e.value)})
	}
	sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID })
	return members, version
}

// clientAddr is the host:port after ';' in a server spec ("0.0.0.0:port"
// when only a port is given, as ZooKeeper's QuorumServer reads it).
func clientAddr(spec string) string {
	_, client, ok := strings.Cut(spec, ";")
	if !ok || client == "" {
		return ""
	}
	if _, err := strconv.Atoi(client); err == nil {
		return "0.0.0.0:" + client
	}
	return client
}

// clientConfigString is ConfigUtils.getClientConfigStr: "<version> host:port,...".
// zkCli's member order is a hash table's; zkc sorts by server id.
func clientConfigString(text string) string {
	members, version := configMembers(text)
	var addrs []string
	for _, m := range members {
		if m.Client != "" {
			addrs = append(addrs, m.Client)
		}
	}
	return version + " " + strings.Join(addrs, ",")
}

func configJSON(data []byte) format.ConfigJSON {
	members, version := configMembers(string(data))
	if members == nil {
		members = []format.ConfigMemberJSON{}
	}
	return format.ConfigJSON{Config: string(data), Version: version, Members: members}
}

func newReconfig() *Command {
	var o struct {
		stat                   bool
		version, file, members string
		add, remove            []string
	}
	c := &Command{
		Name: "reconfig",
		Usage: "reconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | " +
			"[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
		Short: "Change the ensemble's membership (needs reconfigEnabled=true and a super user or skipACL on the servers)",
		Long: "Incremental: -add server.N=host:quorumPort:electionPort[:participant|observer];[clientHost:]clientPort " +
			"and -remove N (each repeatable, entries comma-separated). Whole membership: -members with the full list, " +
			"or -file with a configuration file's server.N lines. -v makes the change conditional on the current " +
			"configuration version (hex, as `config` prints it). Member strings are checked before anything is sent.",
		Example: "zkc reconfig -remove 3\nzkc reconfig -add 'server.3=10.0.0.3:2888:3888;2181'\nzkc reconfig -file new.cfg",
		MinArgs: 0, MaxArgs: 0,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVarP(&o.stat, "stat", "s", false, "print the stat block after the new configuration")
			fs.StringVarP(&o.version, "version", "v", "", "required current configuration version (hex)")
			fs.StringVar(&o.file, "file", "", "configuration file whose server.N lines are the new membership")
			fs.StringVar(&o.members, "members", "", "the new membership: server.N=spec[,...]")
			fs.StringArrayVar(&o.add, "add", nil, "servers to add: server.N=spec[,...] (repeatable)")
			fs.StringArrayVar(&o.remove, "remove", nil, "server ids to remove: N[,...] (repeatable)")
		},
	}
	c.Run = func(ctx context.Context, env *Env, _ []string) error {
		whole := o.file != "" || o.members != ""
		incremental := len(o.add) > 0 || len(o.remove) > 0
		if !whole && !incremental {
			return UsageError(c, "")
		}
		version := int64(-1)
		if o.version != "" {
			v, err := strconv.ParseInt(o.version, 16, 64)
			if err != nil {
				return UsageError(c, "-v must be followed by a long (configuration version)")
			}
			version = v
		}
		if whole && incremental {
			return UsageError(c, "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)")
		}
		if o.file != "" && o.members != "" {
			return UsageError(c, "Can't use -file and -members together (conflicting non-incremental modes)")
		}
		var joining, leaving, members string
		var err error
		switch {
		case o.file != "":
			if members, err = membersFromFile(o.file); err != nil {
				return UsageError(c, err.Error())
			}
		case o.members != "":
			if members, err = checkServerList(strings.ToLower(o.members), true); err != nil {
				return UsageError(c, err.Error())
			}
		}
		if len(o.add) > 0 {
			if joining, err = checkServerList(strings.ToLower(strings.Join(o.add, ",")), false); err != nil {
				return UsageError(c, err.Error())
			}
		}
		if len(o.remove) > 0 {
			if leaving, err = checkServerIDs(strings.Join(o.remove, ",")); err != nil {
				return UsageError(c, err.Error())
			}
		}
		s, err := sessionFor(ctx, env)
		if err != nil {
			return err
		}
		data, st, err := s.Reconfig(ctx, joining, leaving, members, version)
		if err != nil {
			return ZKError(err, session.ConfigNode)
		}
		if env.JSON() {
			out := configJSON(data)
			if o.stat {
				out.Stat = format.NewStatJSON(st)
			}
			return format.WriteJSON(env.Out, out)
		}
		if _, err := fmt.Fprintf(env.Out, "Committed new configuration:\n%s\n", data); err != nil {
			return err
		}
		if o.stat {
			return printStat(env, st)
		}
		return nil
	}
	return c
}

var reServerKey = regexp.MustCompile(`^(server\.)?(\d+)$`)

// checkServerList validates server.N=spec entries joined by commas (for
// -members and -file every key must be server.N, as the server reads them
// as properties) and returns them trimmed and comma-joined.
func checkServerList(list string, needPrefix bool) (string, error) {
	var out []string
	seen := map[string]bool{}
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		key, spec, ok := strings.Cut(entry, "=")
		m := reServerKey.FindStringSubmatch(strings.TrimSpace(key))
		if !ok || m == nil || (needPrefix && m[1] == "") {
			want := "server.N=host:port1:port2;port3"
			if !needPrefix {
				want = "serverId=host:port1:port2;port3 (or server.N=...)"
			}
			return "", fmt.Errorf("%q is not a server entry: want %s", entry, want)
		}
		if seen[m[2]] {
			return "", fmt.Errorf("server %s is listed twice", m[2])
		}
		seen[m[2]] = true
		if err := checkServerSpec(strings.TrimSpace(spec)); err != nil {
			return "", fmt.Errorf("%q: %v", entry, err)
		}
		out = append(out, strings.TrimSpace(key)+"="+strings.TrimSpace(spec))
	}
	return strings.Join(out, ","), nil
}

// checkServerSpec validates host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort].
func checkServerSpec(spec string) error {
	server, client, hasClient := strings.Cut(spec, ";")
	host, rest := server, ""
	if strings.HasPrefix(server, "[") {
		end := strings.Index(server, "]")
		if end < 0 {
			return fmt.Errorf("unterminated [IPv6 address]")
		}
		host, rest = server[1:end], strings.TrimPrefix(server[end+1:], ":")
	} else if i := strings.IndexByte(server, ':'); i >= 0 {
		host, rest = server[:i], server[i+1:]
	}
	if host == "" {
		return fmt.Errorf("no host (want host:port1:port2;port3)")
	}
	parts := strings.Split(rest, ":")
	if rest == "" || len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("want host:quorumPort:electionPort[:participant|observer]")
	}
	for _, p := range parts[:2] {
		if err := checkPort(p); err != nil {
			return err
		}
	}
	if len(parts) == 3 && parts[2] != "participant" && parts[2] != "observer" {
		return fmt.Errorf("role %q must be participant or observer", parts[2])
	}
	if hasClient {
		port := client
		if h, p, err := net.SplitHostPort(client); err == nil {
			if h == "" {
				return fmt.Errorf("empty client host in %q", client)
			}
			port = p
		}
		if err := checkPort(port); err != nil {
			return err
		}
	}
	return nil
}

func checkPort(p string) error {
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 1 to 65535", p)
	}
	return nil
}

// checkServerIDs validates -remove's comma-separated server ids.
func checkServerIDs(list string) (string, error) {
	var out []string
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n < 0 {
			return "", fmt.Errorf("%q is not a server id", id)
		}
		out = append(out, id)
	}
	return strings.Join(out, ","), nil
}

// membersFromFile reads a configuration file's server.N lines (other keys,
// such as version or a static config's settings, are left out).
func membersFromFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("Error processing %s: %v", path, err)
	}
	var list []string
	for _, e := range parseConfigText(string(b)) {
		if strings.HasPrefix(e.key, "server.") {
			list = append(list, e.key+"="+e.value)
		}
	}
	if len(list) == 0 {
		return "", fmt.Errorf("Error processing %s: no server.N lines", path)
	}
	out, err := checkServerList(strings.ToLower(strings.Join(list, ",")), true)
	if err != nil {
		return "", fmt.Errorf("Error processing %s: %v", path, err)
	}
	return out, nil
}
