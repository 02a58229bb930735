package treeops

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

func resolveAt(cwd string) func(string) string {
	return func(p string) string {
		if strings.HasPrefix(p, "/") {
			return p
		}
		if p == "." {
			return cwd
		}
		return cwd + "/" + p
	}
}

func TestFindMatches(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	ms := func(ago time.Duration) int64 { return now.Add(-ago).UnixMilli() }
	nodes := []FindNode{
		{Path: "/app", Depth: 0, Stat: &zk.Stat{DataLength: 10, NumChildren: 3, Mtime: ms(48 * time.Hour), Ctime: ms(72 * time.Hour)}},
		{Path: "/app/lock-1", Depth: 1, Stat: &zk.Stat{EphemeralOwner: 0x1234, Mtime: ms(2 * time.Hour), Ctime: ms(2 * time.Hour)}},
		{Path: "/app/lock-2", Depth: 1, Stat: &zk.Stat{EphemeralOwner: 0x99, Mtime: ms(10 * time.Minute), Ctime: ms(10 * time.Minute)}},
		{Path: "/app/Config", Depth: 1, Stat: &zk.Stat{DataLength: 2048, NumChildren: 1, Mtime: ms(time.Hour), Ctime: ms(time.Hour)}},
		{Path: "/app/Config/x y", Depth: 2, Stat: &zk.Stat{DataLength: 1, Mtime: ms(time.Hour), Ctime: ms(time.Hour)}},
		{Path: "/app/secret", Depth: 1}, // unreadable: no stat
	}
	cases := []struct {
		args []string
		want string // matching paths, space-joined (names only, for brevity)
	}{
		{nil, "app lock-1 lock-2 Config x y secret"},
		{[]string{"-name", "lock-*"}, "lock-1 lock-2"},
		{[]string{"-name", "lock-[!1]"}, "lock-2"},
		{[]string{"-iname", "config"}, "Config"},
		{[]string{"-name", "config"}, ""},
		{[]string{"-name", "x y"}, "x y"},
		{[]string{"-path", "/app/*/x*"}, "x y"},
		{[]string{"-path", "*secret"}, "secret"},
		{[]string{"-regex", "/app/lock-[0-9]"}, "lock-1 lock-2"},
		{[]string{"-regex", "lock"}, ""}, // anchored, as find(1)
		{[]string{"-type", "e"}, "lock-1 lock-2"},
		{[]string{"-type", "p"}, "app Config x y"},
		{[]string{"!", "-type", "e"}, "app Config x y secret"},
		{[]string{"-size", "+1k"}, "Config"},
		{[]string{"-size", "-1"}, "lock-1 lock-2"},
		{[]string{"-size", "10"}, "app"},
		{[]string{"-size", "10c"}, "app"},
		{[]string{"-children", "+0"}, "app Config"},
		{[]string{"-children", "3"}, "app"},
		{[]string{"-mtime", "+1h"}, "app lock-1"},
		{[]string{"-mtime", "-30m"}, "lock-2"},
		{[]string{"-ctime", "+2d"}, "app"},
		{[]string{"-mmin", "-20"}, "lock-2"},
		{[]string{"-owner", "0x1234"}, "lock-1"},
		{[]string{"-owner", "153"}, "lock-2"},
		{[]string{"-empty"}, "lock-1 lock-2"},
		{[]string{"-maxdepth", "1", "-mindepth", "1"}, "lock-1 lock-2 Config secret"},
		{[]string{"-maxdepth", "0"}, "app"},
		{[]string{"-name", "lock-1", "-o", "-name", "x*"}, "lock-1 x y"},
		{[]string{"(", "-name", "lock-1", "-o", "-name", "Config", ")", "-a", "-mtime", "+90m"}, "lock-1"},
		{[]string{"-name", "lock-1", "-or", "-name", "Config", "-mtime", "+90m"}, "lock-1"}, // -a binds tighter
		{[]string{"-not", "-name", "*o*"}, "app x y secret"},
		{[]string{"-false", "-o", "-true"}, "app lock-1 lock-2 Config x y secret"},
	}
	for _, c := range cases {
		f, err := ParseFind(append([]string{"/app"}, c.args...), resolveAt("/"))
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		var got []string
		for _, n := range nodes {
			if f.Match(n, now) {
				got = append(got, n.Path[strings.LastIndexByte(n.Path, '/')+1:])
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("find /app %v = %q, want %q", c.args, strings.Join(got, " "), c.want)
		}
	}
}

func TestParseFindPathsAndActions(t *testing.T) {
	f, err := ParseFind([]string{"a", "../b", "--dry-run", "-name", "x", "-exec", "set", "{}", "v{}", ";"}, resolveAt("/cwd"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.Paths, ",") != "/cwd/a,/cwd/../b" || !f.DryRun || f.NeedStat {
		t.Errorf("paths %v dry %v stat %v", f.Paths, f.DryRun, f.NeedStat)
	}
	if got := strings.Join(f.ExecArgs("/p"), " "); got != "set /p v/p" {
		t.Errorf("exec args %q", got)
	}
	f, _ = ParseFind([]string{"-type", "e"}, resolveAt("/cwd"))
	if strings.Join(f.Paths, ",") != "/cwd" || !f.NeedStat {
		t.Errorf("default path %v, stat %v", f.Paths, f.NeedStat)
	}
	f, _ = ParseFind([]string{"/x", "-print0"}, resolveAt("/"))
	if !f.Print0 {
		t.Error("-print0")
	}
	for _, bad := range [][]string{
		{"-name"}, {"-nope"}, {"-type", "c"}, {"-size", "x"}, {"-mtime", "5m"}, {"-mtime", "+5q"},
		{"-maxdepth", "-1"}, {"(", "-name", "a"}, {"-name", "a", ")"}, {"-exec", "get", "{}"}, {"-exec", ";"},
		{"-owner", "zz"}, {"-name", "a/b"}, {"!"}, {"-name", "[ab"}, {"-regex", "("},
	} {
		if _, err := ParseFind(append([]string{"/"}, bad...), resolveAt("/")); err == nil {
			t.Errorf("%v: no error", bad)
		} else if _, ok := err.(*FindError); !ok {
			t.Errorf("%v: %T, want *FindError", bad, err)
		}
	}
}

func TestGrep(t *testing.T) {
	data := []byte("alpha=1\nBeta=2\ngamma.x=3\n")
	cases := []struct {
		pattern          string
		fixed, fold, inv bool
		lines            string
	}{
		{"a=", false, false, false, "1:alpha=1 2:Beta=2"},
		{"=3$", false, false, false, "3:gamma.x=3"},
		{"^gamma", false, false, false, "3:gamma.x=3"},
		{"^b", false, true, false, "2:Beta=2"},
		{"^b", false, false, false, ""},
		{"a.x", true, false, false, "3:gamma.x=3"},
		{"A.X", true, true, false, "3:gamma.x=3"},
		{"a.x", true, false, true, "1:alpha=1 2:Beta=2"},
		{"", false, false, false, "1:alpha=1 2:Beta=2 3:gamma.x=3"},
	}
	for _, c := range cases {
		g, err := NewGrep(c.pattern, c.fixed, c.fold)
		if err != nil {
			t.Fatal(err)
		}
		g.Invert = c.inv
		var got []string
		g.Lines(data, func(n int, l []byte) bool {
			got = append(got, string(rune('0'+n))+":"+string(l))
			return true
		})
		if strings.Join(got, " ") != c.lines {
			t.Errorf("%+v: %q, want %q", c, strings.Join(got, " "), c.lines)
		}
		if g.Count(data) != len(got) || g.Any(data) != (len(got) > 0) {
			t.Errorf("%+v: count/any disagree", c)
		}
	}
	if !Binary([]byte("a\x00b")) || !Binary([]byte{0xff, 0xfe}) || Binary([]byte("ünï\n")) {
		t.Error("Binary")
	}
	g, _ := NewGrep("x", false, false)
	if g.Searchable([]byte("\x00x")) {
		t.Error("binary searched without -a")
	}
	g.Text = true
	if !g.Searchable([]byte("\x00x")) {
		t.Error("binary not searched with -a")
	}
}

func TestDuAndTop(t *testing.T) {
	type n struct {
		path        string
		depth       int
		bytes, kids int64
	}
	pre := []n{
		{"/r", 0, 1, 2}, {"/r/a", 1, 10, 2}, {"/r/a/x", 2, 100, 0}, {"/r/a/y", 2, 5, 1}, {"/r/a/y/z", 3, 7, 0}, {"/r/b", 1, 1000, 0},
	}
	var done []string
	top := &Top{N: 2, Key: ByBytes}
	topKids := &Top{N: 1, Key: ByChildren}
	du := &Du{Done: func(e DuEntry) error {
		done = append(done, e.Path+"="+itoa(e.Bytes)+"/"+itoa(e.Nodes))
		top.Offer(e)
		topKids.Offer(e)
		return nil
	}}
	for _, x := range pre {
		if err := du.Add(x.path, x.depth, x.bytes, x.kids); err != nil {
			t.Fatal(err)
		}
	}
	du.Finish()
	want := "/r/a/x=100/1 /r/a/y/z=7/1 /r/a/y=12/2 /r/a=122/4 /r/b=1000/1 /r=1123/6"
	if strings.Join(done, " ") != want {
		t.Errorf("post-order totals %q, want %q", strings.Join(done, " "), want)
	}
	var got []string
	for _, e := range top.Sorted() {
		got = append(got, e.Path)
	}
	if strings.Join(got, " ") != "/r /r/b" {
		t.Errorf("top by bytes %v", got)
	}
	if s := topKids.Sorted(); len(s) != 1 || s[0].Path != "/r" {
		t.Errorf("top by children %v", s)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestEditHelpers(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if EditorCommand(get) != "vi" {
		t.Error("default editor")
	}
	env["EDITOR"] = "nano"
	if EditorCommand(get) != "nano" {
		t.Error("EDITOR")
	}
	env["VISUAL"] = "code -w"
	if EditorCommand(get) != "code -w" {
		t.Error("VISUAL first")
	}
	cases := []struct{ orig, saved, want string }{
		{"a", "a\n", "a"}, {"a", "b\n", "b"}, {"a\n", "a\n", "a\n"}, {"a\n", "b", "b"}, {"", "\n", ""}, {"a", "a\n\n", "a\n"},
	}
	for _, c := range cases {
		if got := string(Edited([]byte(c.orig), []byte(c.saved))); got != c.want {
			t.Errorf("Edited(%q, %q) = %q, want %q", c.orig, c.saved, got, c.want)
		}
	}
	if p := TempPattern("/app/my conf.json"); p != "zkc-edit-my_conf.json-*.txt" {
		t.Errorf("TempPattern = %q", p)
	}
	if p := TempPattern("/"); p != "zkc-edit-root-*.txt" {
		t.Errorf("TempPattern(/) = %q", p)
	}
	read := &zk.Stat{Version: 1}
	now := &zk.Stat{Version: 2, Mzxid: 0x1f, Mtime: 0}
	msg := Conflict("/c", read, []byte("a\nb\n"), now, []byte("a\nc\n"), time.UTC)
	for _, want := range []string{"version 1 became 2", "zxid 0x1f", "-b\n+c\n"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q lacks %q", msg, want)
		}
	}
}
