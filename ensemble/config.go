// Package ensemble reads and checks ZooKeeper's dynamic configuration
// (/zookeeper/config) and the member lists reconfig sends, before anything
// reaches a server.
package ensemble

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
)

// entry is one key=value line of a dynamic configuration.
type entry struct{ key, value string }

// parseProperties reads properties-style lines (key=value; # and ! comments).
func parseProperties(text string) []entry {
	var out []entry
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out = append(out, entry{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out
}

// Member is one server.N line of a dynamic configuration.
type Member struct {
	ID     int64
	Spec   string // host:quorumPort:electionPort[:role][;[clientHost:]clientPort]
	Client string // the client address ("" when the spec has none)
}

// Members returns the server.N lines sorted by id, and the version.
func Members(text string) (members []Member, version string) {
	for _, e := range parseProperties(text) {
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
		members = append(members, Member{ID: n, Spec: e.value, Client: clientAddr(e.value)})
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

// ClientString is ConfigUtils.getClientConfigStr: "<version> host:port,...".
// zkCli's member order is a hash table's; zkc sorts by server id.
func ClientString(text string) string {
	members, version := Members(text)
	var addrs []string
	for _, m := range members {
		if m.Client != "" {
			addrs = append(addrs, m.Client)
		}
	}
	return version + " " + strings.Join(addrs, ",")
}

var reServerKey = regexp.MustCompile(`^(server\.)?(\d+)$`)

// CheckServerList validates server.N=spec entries joined by commas (for
// -members and -file every key must be server.N, as the server reads them
// as properties) and returns them trimmed and comma-joined.
func CheckServerList(list string, needPrefix bool) (string, error) {
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

// CheckServerIDs validates -remove's comma-separated server ids.
func CheckServerIDs(list string) (string, error) {
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

// MaxFileSize bounds a reconfig -file: the membership goes into one request,
// which a server takes up to jute.maxbuffer bytes.
const MaxFileSize = session.JuteMaxBuffer

// MembersFromFile reads a configuration file's server.N lines (other keys,
// such as version or a static config's settings, are left out). It reads at
// most MaxFileSize bytes; ctx ends a wait on a FIFO.
func MembersFromFile(ctx context.Context, path string) (string, error) {
	b, err := safeio.ReadFile(ctx, path, MaxFileSize)
	var tl *safeio.TooLargeError
	if errors.As(err, &tl) {
		return "", fmt.Errorf("Error processing %s: larger than %d bytes (ZooKeeper's default jute.maxbuffer; the membership must fit one request)", path, tl.Limit)
	}
	if err != nil {
		return "", fmt.Errorf("Error processing %s: %v", path, err)
	}
	var list []string
	for _, e := range parseProperties(string(b)) {
		if strings.HasPrefix(e.key, "server.") {
			list = append(list, e.key+"="+e.value)
		}
	}
	if len(list) == 0 {
		return "", fmt.Errorf("Error processing %s: no server.N lines", path)
	}
	out, err := CheckServerList(strings.ToLower(strings.Join(list, ",")), true)
	if err != nil {
		return "", fmt.Errorf("Error processing %s: %v", path, err)
	}
	return out, nil
}
