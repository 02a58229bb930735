package fourlw

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultAdminPort is the AdminServer's port when zoo.cfg does not set admin.serverPort.
const DefaultAdminPort = 8080

// Endpoint is one server to ask.
type Endpoint struct {
	// Addr is host:port: the client port for 4lw, the HTTP port for the AdminServer.
	Addr string
	// Admin selects the AdminServer transport; Scheme is then http or https.
	Admin  bool
	Scheme string
}

// Name is how the server is shown in headers, tables and messages.
func (e Endpoint) Name() string {
	if e.Admin {
		return e.Scheme + "://" + e.Addr
	}
	return e.Addr
}

// ParseServers reads a connect string (host:port[,host:port...][/chroot]) into
// endpoints. Items written as http://host[:port] or https://host[:port] use
// the AdminServer. With admin set, plain host:port items are asked over HTTP
// on adminPort instead of their client port. The chroot, if any, is ignored:
// 4lw are about servers, not paths.
func ParseServers(spec string, admin bool, adminPort int) ([]Endpoint, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("empty server address (want host:port[,host:port...])")
	}
	if adminPort < 1 || adminPort > 65535 {
		return nil, fmt.Errorf("admin port must be a number from 1 to 65535, not %d", adminPort)
	}
	var out []Endpoint
	items := strings.Split(spec, ",")
	for i, item := range items {
		item = strings.TrimSpace(item)
		if scheme, rest, ok := cutScheme(item); ok {
			rest = strings.TrimSuffix(rest, "/")
			addr, err := hostPort(rest, DefaultAdminPort)
			if err != nil {
				return nil, err
			}
			out = append(out, Endpoint{Addr: addr, Admin: true, Scheme: scheme})
			continue
		}
		if i == len(items)-1 {
			// The chroot follows the last host.
			if j := strings.IndexByte(item, '/'); j >= 0 {
				item = item[:j]
			}
		}
		addr, err := hostPort(item, 2181)
		if err != nil {
			return nil, err
		}
		if admin {
			host, _, _ := net.SplitHostPort(addr)
			out = append(out, Endpoint{Addr: net.JoinHostPort(host, strconv.Itoa(adminPort)), Admin: true, Scheme: "http"})
			continue
		}
		out = append(out, Endpoint{Addr: addr})
	}
	return out, nil
}

func cutScheme(s string) (scheme, rest string, ok bool) {
	low := strings.ToLower(s)
	for _, sc := range []string{"http", "https"} {
		if strings.HasPrefix(low, sc+"://") {
			return sc, s[len(sc)+3:], true
		}
	}
	return "", s, false
}

// hostPort validates host[:port] and fills in the default port.
func hostPort(s string, defPort int) (string, error) {
	if s == "" {
		return "", fmt.Errorf("invalid server address: empty host")
	}
	if strings.Contains(s, "@") {
		// Never quoted: user:password@host is the usual shape of this mistake.
		return "", fmt.Errorf("invalid server address: no user or password may be given (user@host)")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if !strings.Contains(err.Error(), "missing port") {
			return "", fmt.Errorf("invalid server address %q: %v", s, err)
		}
		host, port = strings.Trim(s, "[]"), strconv.Itoa(defPort)
	}
	if host == "" || strings.ContainsAny(host, " \t/") {
		return "", fmt.Errorf("invalid server address %q: bad host", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("invalid server address %q: port must be a number from 1 to 65535", s)
	}
	return net.JoinHostPort(host, port), nil
}
