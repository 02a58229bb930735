package commands

import (
	"crypto/sha1"
	"encoding/base64"
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
// nothing is created with a half-parsed or empty permission set, and a
// digest id that is not user:hash (a password typed where the hash belongs)
// is refused before it reaches the server.
//
// Its errors name an entry by its number and a known scheme, never quoting
// the id or permissions: a mistyped ACL may hold a password.
func ParseACL(s string) ([]zk.ACL, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty ACL: want scheme:id:perms[,scheme:id:perms...]")
	}
	entries := strings.Split(s, ",")
	var acls []zk.ACL
	for i, entry := range entries {
		what := fmt.Sprintf("ACL entry %d", i+1)
		if len(entries) == 1 {
			what = "ACL"
		}
		first, last := strings.IndexByte(entry, ':'), strings.LastIndexByte(entry, ':')
		if first < 0 || first == last {
			return nil, fmt.Errorf("%s does not have the form scheme:id:perms", what)
		}
		scheme, id, permStr := entry[:first], entry[first+1:last], entry[last+1:]
		if knownACLScheme(scheme) {
			what += " (" + scheme + ")"
		}
		if err := checkACLID(scheme, id); err != nil {
			return nil, fmt.Errorf("%s: %v", what, err)
		}
		perms, err := ParsePerms(permStr)
		if err != nil {
			return nil, fmt.Errorf("%s: the permissions after the last colon must be letters from cdrwa", what)
		}
		acls = append(acls, zk.ACL{Perms: perms, Scheme: scheme, ID: id})
	}
	return acls, nil
}

func knownACLScheme(scheme string) bool {
	for _, k := range aclSchemes {
		if scheme == k {
			return true
		}
	}
	return false
}

// digestHashLen is the length of base64(sha1(...)): 20 bytes in 28 characters.
const digestHashLen = 28

// validDigestID reports whether id is user:base64(sha1(user:password)), as
// `zkc digest` prints it.
func validDigestID(id string) bool {
	user, hash, ok := strings.Cut(id, ":")
	if !ok || user == "" || len(hash) != digestHashLen {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(hash)
	return err == nil && len(b) == sha1.Size
}

// HasPlainDigestID reports whether word holds a digest ACL entry that is not
// scheme:user:hash:perms, such as digest:bob:hunter2:cdrwa: its id may be a
// password, so the shell keeps such a line out of its history file.
func HasPlainDigestID(word string) bool {
	for _, entry := range strings.Split(word, ",") {
		rest, ok := strings.CutPrefix(entry, "digest:")
		if !ok {
			continue
		}
		last := strings.LastIndexByte(rest, ':')
		if last < 0 || !validDigestID(rest[:last]) {
			return true
		}
	}
	return false
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
		if !validDigestID(id) {
			return fmt.Errorf("the id must be user:hash, where hash is the %d-character base64 SHA-1 "+
				"that `zkc digest user:password` prints, not the password; nothing was sent", digestHashLen)
		}
	case "ip":
		host, bits, hasBits := strings.Cut(id, "/")
		ip := net.ParseIP(host)
		if ip == nil {
			return fmt.Errorf("the id is not an IP address (want address or address/bits)")
		}
		if hasBits {
			n, err := strconv.Atoi(bits)
			max := 32
			if ip.To4() == nil {
				max = 128
			}
			if err != nil || n < 0 || n > max {
				return fmt.Errorf("the prefix length after / must be 0 to %d", max)
			}
		}
	case "x509", "sasl":
		if id == "" {
			return fmt.Errorf("the %s scheme needs an id", scheme)
		}
	default:
		return fmt.Errorf("unknown scheme (known: %s)", strings.Join(aclSchemes, ", "))
	}
	return nil
}
