package completion

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/commands"
)

// Relative words complete against the shell's current znode and keep their
// relative form; absolute words are unaffected by it.
func TestRelativeCompletion(t *testing.T) {
	kids := treeChildren(t, filepath.Join("..", "testdata", "completion", "tree.txt"))
	cases := []struct {
		cwd, line string
		want      []string
	}{
		{"/app", "get con", []string{"config", "configs"}},
		{"/app", "get ", []string{"config", "configs", "locks"}},
		{"/app", "ls locks", []string{"locks", "locks/lock-0001"}},
		{"/app", "ls ./lo", []string{"./locks"}},
		{"/app/locks", "get ../c", []string{"../config", "../configs"}},
		{"/app/locks", "cd ../../z", []string{"../../zookeeper"}},
		{"/app", "get /zookeeper/q", []string{"/zookeeper/quota"}},
		{"/", "get ", []string{"/"}},
		{"/", "get ap", []string{"app", "apple"}},
	}
	for _, c := range cases {
		e := &Engine{Mode: commands.ModeShell, Children: kids, Cwd: func() string { return c.cwd }}
		_, got := e.Complete(context.Background(), c.line, len(c.line))
		var texts []string
		for _, s := range got {
			texts = append(texts, s.Text)
		}
		if strings.Join(texts, " ") != strings.Join(c.want, " ") {
			t.Errorf("in %s, %q: got %q, want %q", c.cwd, c.line, texts, c.want)
		}
	}
}

// find's tests complete as find(1) words, -type's values after it, paths elsewhere.
func TestFindCompletion(t *testing.T) {
	kids := treeChildren(t, filepath.Join("..", "testdata", "completion", "tree.txt"))
	e := &Engine{Mode: commands.ModeShell, Children: kids}
	cases := []struct {
		line string
		want []string
	}{
		{"find /app -na", []string{"-name"}},
		{"find /app -type ", []string{"p", "e"}},
		{"find /app/lo", []string{"/app/locks"}},
		{"find /app -m", []string{"-mindepth", "-maxdepth", "-mtime", "-mmin"}},
	}
	for _, c := range cases {
		_, got := e.Complete(context.Background(), c.line, len(c.line))
		var texts []string
		for _, s := range got {
			texts = append(texts, s.Text)
		}
		if strings.Join(texts, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: got %q, want %q", c.line, texts, c.want)
		}
	}
}

// cobra's __complete hands find's words to Engine.Args (no flag parsing):
// they complete as in the shell.
func TestFindArgsCompletion(t *testing.T) {
	kids := treeChildren(t, filepath.Join("..", "testdata", "completion", "tree.txt"))
	e := &Engine{Mode: commands.ModeOneShot, Children: kids}
	for _, c := range []struct {
		args []string
		cur  string
		want string
	}{
		{[]string{"/app"}, "-ty", "-type"},
		{[]string{"/app", "-type"}, "", "p e"},
		{nil, "/app/lo", "/app/locks"},
	} {
		var texts []string
		for _, s := range e.Args(context.Background(), "find", c.args, c.cur) {
			texts = append(texts, s.Text)
		}
		if strings.Join(texts, " ") != c.want {
			t.Errorf("find %v %q: got %q, want %q", c.args, c.cur, texts, c.want)
		}
	}
}
