package commands

import (
	"strings"
	"testing"
)

func TestDigestID(t *testing.T) {
	// A known id, as ZooKeeper's DigestAuthenticationProvider makes it.
	if got := DigestID("bob:pw"); got != "bob:ikIaKsbtGweaHnb/jKn7OHqbunM=" {
		t.Errorf("DigestID = %q", got)
	}
}

func TestParseCredential(t *testing.T) {
	cases := []struct {
		in     string
		scheme string
		ok     bool
	}{
		{"digest:bob:pw", "digest", true},
		{"digest:bob:", "digest", true}, // an empty password is the user's business
		{"x509:CN=a", "x509", true},
		{"digest", "", false},
		{"digest:", "", false},
		{"digest:bob", "", false},
		{":pw", "", false},
		{"bad scheme:x", "", false},
	}
	for _, c := range cases {
		cred, err := ParseCredential(c.in)
		if (err == nil) != c.ok || (c.ok && cred.Scheme != c.scheme) {
			t.Errorf("%q: cred %v, err %v", c.in, cred, err)
		}
		if err != nil && len(c.in) > 7 && containsSecret(err.Error(), c.in) {
			t.Errorf("%q: error shows the secret: %v", c.in, err)
		}
	}
}

func containsSecret(msg, in string) bool {
	for i := len(in) - 1; i > 0; i-- {
		if in[i] == ':' {
			return i+1 < len(in) && len(in[i+1:]) > 2 && strings.Contains(msg, in[i+1:])
		}
	}
	return false
}
