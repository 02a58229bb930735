package session

import (
	"reflect"
	"testing"
)

func TestParseConnectString(t *testing.T) {
	good := []struct {
		in     string
		hosts  []string
		chroot string
	}{
		{"localhost:2181", []string{"localhost:2181"}, ""},
		{"a:1,b:2", []string{"a:1", "b:2"}, ""},
		{"a:1,b:2/app/x", []string{"a:1", "b:2"}, "/app/x"},
		{"a", []string{"a:2181"}, ""},
		{"a:1/", []string{"a:1"}, ""},
		{"[::1]:2181", []string{"[::1]:2181"}, ""},
	}
	for _, c := range good {
		got, err := ParseConnectString(c.in)
		if err != nil || !reflect.DeepEqual(got.Hosts, c.hosts) || got.Chroot != c.chroot {
			t.Errorf("ParseConnectString(%q) = %+v, %v", c.in, got, err)
		}
	}
	for _, bad := range []string{"", " ", "a:0", "a:65536", "a:x", "a:1,", ",a:1", ":1", "a:1/b//c", "a:1/b/", "[\v]", "a\x00b:1"} {
		if _, err := ParseConnectString(bad); err == nil {
			t.Errorf("ParseConnectString(%q) accepted a malformed connect string", bad)
		}
	}
}

func TestValidatePath(t *testing.T) {
	cases := map[string]string{
		"/":        "",
		"/a/b":     "",
		"/a.b/..c": "",
		"":         "Path length must be > 0",
		"a":        "Path must start with / character",
		"/a/":      "Path must not end with / character",
		"/a//x":    `Invalid path string "/a//x" caused by empty node name specified @3`,
		"/a/./b":   `Invalid path string "/a/./b" caused by relative paths not allowed @3`,
		"/a/../b":  `Invalid path string "/a/../b" caused by relative paths not allowed @4`,
		"/a/.":     `Invalid path string "/a/." caused by relative paths not allowed @3`,
		"/a\x00b":  `Invalid path string "/a` + "\x00" + `b" caused by null character not allowed @2`,
		"/a\x01b":  `Invalid path string "/a` + "\x01" + `b" caused by invalid character @2`,
	}
	for in, want := range cases {
		err := ValidatePath(in, false)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("ValidatePath(%q) = %q, want %q", in, got, want)
		}
	}
	if err := ValidatePath("/seq/", true); err != nil {
		t.Errorf("a sequential path may end with /: %v", err)
	}
}
