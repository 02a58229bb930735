package commands

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"

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
	// The scheme is not quoted in these errors: a malformed one may be a
	// password typed first.
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return session.Credential{}, fmt.Errorf("the auth scheme (before the first colon) may hold only letters, digits, - and _")
		}
	}
	if auth == "" {
		return session.Credential{}, fmt.Errorf("no %s given", session.CredentialName(scheme))
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
