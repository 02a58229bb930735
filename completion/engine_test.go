package completion

import (
	"bufio"
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/commands"
)

type compCase struct {
	lineNo int
	input  string // with | at the cursor
	subset bool
	want   []string // TEXT or TEXT\tDESCRIPTION
}

func readCases(t *testing.T, file string) []compCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []compCase
	var cur *compCase
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, ">+ "), strings.HasPrefix(l, "> "):
			c := compCase{lineNo: n, subset: strings.HasPrefix(l, ">+ ")}
			c.input = strings.SplitN(l, " ", 2)[1]
			out = append(out, c)
			cur = &out[len(out)-1]
		case l == "":
			cur = nil
		case cur != nil:
			cur.want = append(cur.want, l)
		}
	}
	return out
}

// treeChildren is an in-memory children source for these pure engine tests.
func treeChildren(t *testing.T, file string) ChildrenFunc {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	kids := map[string][]string{}
	for _, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		kids[path.Dir(l)] = append(kids[path.Dir(l)], path.Base(l))
	}
	return func(_ context.Context, p string) []string { return kids[p] }
}

func TestCompletionCases(t *testing.T) {
	dir := filepath.Join("..", "testdata", "completion")
	e := &Engine{Mode: commands.ModeShell, Children: treeChildren(t, filepath.Join(dir, "tree.txt"))}
	for _, c := range readCases(t, filepath.Join(dir, "cases.txt")) {
		cursor := strings.Index(c.input, "|")
		line := strings.Replace(c.input, "|", "", 1)
		_, got := e.Complete(context.Background(), line, cursor)
		gotSet := map[string]Suggestion{}
		var gotTexts []string
		for _, s := range got {
			gotSet[s.Text] = s
			gotTexts = append(gotTexts, s.Text)
		}
		var wantTexts []string
		for _, w := range c.want {
			text, desc, hasDesc := strings.Cut(w, "\t")
			wantTexts = append(wantTexts, text)
			s, ok := gotSet[text]
			if !ok {
				t.Errorf("cases.txt:%d %q: missing %q; got %q", c.lineNo, c.input, text, gotTexts)
				continue
			}
			if hasDesc && s.Description != desc {
				t.Errorf("cases.txt:%d %q: %q has description %q, want %q", c.lineNo, c.input, text, s.Description, desc)
			}
		}
		if !c.subset && strings.Join(gotTexts, " ") != strings.Join(wantTexts, " ") {
			t.Errorf("cases.txt:%d %q: got %q, want exactly %q", c.lineNo, c.input, gotTexts, wantTexts)
		}
	}
}

func TestCompleteStart(t *testing.T) {
	e := &Engine{Mode: commands.ModeShell, Children: func(context.Context, string) []string { return []string{"a"} }}
	for _, tc := range []struct {
		line string
		want int
	}{
		{"get /x", 4}, {"get ", 4}, {"  ls", 2}, {"", 0},
	} {
		start, _ := e.Complete(context.Background(), tc.line, len(tc.line))
		if start != tc.want {
			t.Errorf("Complete(%q) start = %d, want %d", tc.line, start, tc.want)
		}
	}
}

// One-shot completion offers no shell-only commands.
func TestOneShotHidesShellCommands(t *testing.T) {
	e := &Engine{Mode: commands.ModeOneShot}
	_, got := e.Complete(context.Background(), "hist", 4)
	if len(got) != 0 {
		t.Errorf("one-shot completion of hist = %v, want nothing", got)
	}
}
