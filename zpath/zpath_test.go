package zpath

import "testing"

func TestResolve(t *testing.T) {
	cases := []struct{ cwd, p, want string }{
		{"/", "a", "/a"},
		{"", "a/b", "/a/b"},
		{"/app", "a/b", "/app/a/b"},
		{"/app", "./a", "/app/a"},
		{"/app/x", "../y", "/app/y"},
		{"/app", "../../..", "/"},
		{"/app", "..", "/"},
		{"/app", ".", "/app"},
		{"/app", "lock/", "/app/lock/"},
		{"/app", "/abs/../x", "/abs/../x"}, // absolute: zkCli's validation decides
		{"/app", "", ""},
		{"/app", "a//b", "/app/a/b"},
		{"/", "spaced name/ünï", "/spaced name/ünï"},
	}
	for _, c := range cases {
		if got := Resolve(c.cwd, c.p); got != c.want {
			t.Errorf("Resolve(%q, %q) = %q, want %q", c.cwd, c.p, got, c.want)
		}
	}
	if got := Clean("/app", "a/"); got != "/app/a" {
		t.Errorf("Clean = %q", got)
	}
}

func TestDepthBaseRel(t *testing.T) {
	cases := []struct {
		root, p string
		want    int
	}{
		{"/", "/", 0}, {"/", "/a", 1}, {"/", "/a/b", 2}, {"/a", "/a", 0}, {"/a", "/a/b", 1}, {"/a", "/a/b/c", 2},
	}
	for _, c := range cases {
		if got := Depth(c.root, c.p); got != c.want {
			t.Errorf("Depth(%q, %q) = %d, want %d", c.root, c.p, got, c.want)
		}
	}
	if Base("/a/b") != "b" || Base("/") != "/" || Base("/a") != "a" {
		t.Error("Base")
	}
	if Rel("/a", "/a/b/c") != "b/c" || Rel("/a", "/ab") != "/ab" || Rel("/", "/x") != "/x" || Rel("/a", "/a") != "." {
		t.Error("Rel")
	}
}
