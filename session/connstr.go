package session

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
)

// Target is a parsed connect string: host:port[,host:port...][/chroot].
type Target struct {
	Raw    string   // as the user gave it; the prompt shows this
	Hosts  []string // host:port, port defaulted to 2181
	Chroot string   // "" or an absolute path without a trailing slash
}

// ParseConnectString validates a connect string the way an operator expects:
// every host non-empty, every port a number in 1..65535, a chroot a valid path.
// errUserInfo refuses a user (and maybe a password) in a host: ZooKeeper's
// connect strings have none, so the text is not echoed.
var errUserInfo = errors.New("invalid server address: a ZooKeeper connect string holds no user or password " +
	"(user@host); give credentials with --auth or ZKC_AUTH")

func ParseConnectString(s string) (Target, error) {
	t := Target{Raw: s}
	if strings.TrimSpace(s) == "" {
		return t, fmt.Errorf("empty server address (want host:port[,host:port...][/chroot])")
	}
	hostPart := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		hostPart, t.Chroot = s[:i], s[i:]
		if t.Chroot == "/" {
			t.Chroot = ""
		} else if err := ValidatePath(t.Chroot, false); err != nil {
			return t, fmt.Errorf("invalid chroot in server address %q: %v", s, err)
		}
	}
	if strings.Contains(hostPart, "@") {
		// Never quoted: user:password@host is the usual shape of this mistake.
		return t, errUserInfo
	}
	for _, h := range strings.Split(hostPart, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			return t, fmt.Errorf("invalid server address %q: empty host", s)
		}
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			// A bare host gets ZooKeeper's default port.
			if strings.Contains(err.Error(), "missing port") {
				host, port = h, "2181"
				// "[::1]" is a bracketed IPv6 host; a stray bracket is no host.
				if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
					host = host[1 : len(host)-1]
				}
				if strings.ContainsAny(host, "[]") {
					return t, fmt.Errorf("invalid server address %q: bad host", h)
				}
			} else {
				return t, fmt.Errorf("invalid server address %q: %v", h, err)
			}
		}
		if host == "" {
			return t, fmt.Errorf("invalid server address %q: empty host", h)
		}
		// Whitespace or control characters (a "\v" inside "[...]") are no
		// host name, and trimming would later turn them into an empty one.
		if strings.IndexFunc(host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return t, fmt.Errorf("invalid server address %q: bad host", h)
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return t, fmt.Errorf("invalid server address %q: port must be a number from 1 to 65535", h)
		}
		t.Hosts = append(t.Hosts, net.JoinHostPort(host, port))
	}
	return t, nil
}

// HostList is the hosts joined by commas, for messages.
func (t Target) HostList() string { return strings.Join(t.Hosts, ",") }
