package commands

import (
	"strings"
	"testing"
)

func TestDigestID(t *testing.T) {
	// The id from the issue, as ZooKeeper's DigestAuthenticationProvider makes it.
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

func TestCheckServerList(t *testing.T) {
	cases := []struct {
		in         string
		needPrefix bool
		ok         bool
	}{
		{"server.1=10.0.0.1:2888:3888;2181", true, true},
		{"server.1=10.0.0.1:2888:3888:observer;10.0.0.1:2181", true, true},
		{"server.1=[::1]:2888:3888;2181", true, true},
		{"server.1=h:2888:3888", true, true},
		{"4=h:2888:3888;2181", false, true},
		{"4=h:2888:3888;2181", true, false},
		{"server.1=h:2888;2181", true, false},
		{"server.1=h:2888:0;2181", true, false},
		{"server.1=h:2888:3888:boss;2181", true, false},
		{"server.1=h:2888:3888;x", true, false},
		{"server.1=h:1:2;3,server.1=h:4:5;6", true, false},
		{"server.x=h:1:2;3", true, false},
		{"garbage", false, false},
	}
	for _, c := range cases {
		if _, err := checkServerList(c.in, c.needPrefix); (err == nil) != c.ok {
			t.Errorf("%q (prefix %v): err %v", c.in, c.needPrefix, err)
		}
	}
}

func TestClientConfigString(t *testing.T) {
	text := "server.2=h2:1:2:participant;10.0.0.2:2181\nserver.1=h1:1:2:participant;2182\nversion=100000000"
	if got, want := clientConfigString(text), "100000000 0.0.0.0:2182,10.0.0.2:2181"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := clientConfigString(""); got != " " {
		t.Errorf("standalone: got %q", got)
	}
}
