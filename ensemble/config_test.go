package ensemble

import "testing"

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
		if _, err := CheckServerList(c.in, c.needPrefix); (err == nil) != c.ok {
			t.Errorf("%q (prefix %v): err %v", c.in, c.needPrefix, err)
		}
	}
}

func TestClientConfigString(t *testing.T) {
	text := "server.2=h2:1:2:participant;10.0.0.2:2181\nserver.1=h1:1:2:participant;2182\nversion=100000000"
	if got, want := ClientString(text), "100000000 0.0.0.0:2182,10.0.0.2:2181"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := ClientString(""); got != " " {
		t.Errorf("standalone: got %q", got)
	}
}
