package commands

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
)

// ACLSchemes are the schemes zkc accepts in an ACL argument.
var aclSchemes = []string{"world", "auth", "digest", "ip", "x509", "sasl"}

// ACLSchemes lists them, for completion and help.
func ACLSchemes() []string { return append([]string(nil), aclSchemes...) }

// ParseACL parses zkCli's ACL syntax, scheme:id:perms[,scheme:id:perms...]
// (the id is everything between the first and the last colon). Unlike zkCli,
// any malformed entry or unknown permission letter rejects the whole ACL, so
// nothing is created with a half-parsed or empty permission set.
func ParseACL(s string) ([]zk.ACL, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty ACL: want scheme:id:perms[,scheme:id:perms...]")
	}
	var acls []zk.ACL
	for _, entry := range strings.Split(s, ",") {
		first, last := strings.IndexByte(entry, ':'), strings.LastIndexByte(entry, ':')
		if first < 0 || first == last {
			return nil, fmt.Errorf("%s does not have the form scheme:id:perm", entry)
		}
		scheme, id, permStr := entry[:first], entry[first+1:last], entry[last+1:]
		perms, err := ParsePerms(permStr)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", entry, err)
		}
		if err := checkACLID(scheme, id); err != nil {
			return nil, fmt.Errorf("%s: %v", entry, err)
		}
		acls = append(acls, zk.ACL{Perms: perms, Scheme: scheme, ID: id})
	}
	return acls, nil
}

// ParsePerms reads permission letters (any of c d r w a, each at most once).
func ParsePerms(s string) (int32, error) {
	if s == "" {
		return 0, fmt.Errorf("no permissions given (use letters from cdrwa)")
	}
	var p int32
	for _, ch := range s {
		var bit int32
		switch ch {
		case 'c':
			bit = zk.PermCreate
		case 'd':
			bit = zk.PermDelete
		case 'r':
			bit = zk.PermRead
		case 'w':
			bit = zk.PermWrite
		case 'a':
			bit = zk.PermAdmin
		default:
			return 0, fmt.Errorf("unknown permission %q (use letters from cdrwa)", ch)
		}
		p |= bit
	}
	return p, nil
}

// PermString renders permissions in zkCli's cdrwa order.
func PermString(p int32) string {
	var b strings.Builder
	for _, x := range []struct {
		bit int32
		ch  byte
	}{{zk.PermCreate, 'c'}, {zk.PermDelete, 'd'}, {zk.PermRead, 'r'}, {zk.PermWrite, 'w'}, {zk.PermAdmin, 'a'}} {
		if p&x.bit != 0 {
			b.WriteByte(x.ch)
		}
	}
	return b.String()
}

func checkACLID(scheme, id string) error {
	switch scheme {
	case "world":
		if id != "anyone" {
			return fmt.Errorf("the world scheme takes the id anyone")
		}
	case "auth":
		// The id is ignored by the server; the session's credentials are used.
	case "digest":
		user, hash, ok := strings.Cut(id, ":")
		if !ok || user == "" || hash == "" {
			return fmt.Errorf("a digest id is user:base64-sha1 (make one with `zkc digest user:password`)")
		}
	case "ip":
		host, bits, hasBits := strings.Cut(id, "/")
		ip := net.ParseIP(host)
		if ip == nil {
			return fmt.Errorf("%q is not an IP address", host)
		}
		if hasBits {
			n, err := strconv.Atoi(bits)
			max := 32
			if ip.To4() == nil {
				max = 128
			}
			if err != nil || n < 0 || n > max {
				return fmt.Errorf("%q is not a prefix length", bits)
			}
		}
	case "x509", "sasl":
		if id == "" {
			return fmt.Errorf("the %s scheme needs an id", scheme)
		}
	default:
		return fmt.Errorf("unknown ACL scheme %q (known: %s)", scheme, strings.Join(aclSchemes, ", "))
	}
	return nil
}
