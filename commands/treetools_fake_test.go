package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tree tools' run functions against the in-memory fake (the real-server
// transcripts are testdata/transcripts/treetools): output shapes, streams
// and exit codes.
func TestTreeToolsOnFakeSession(t *testing.T) {
	t.Setenv("LC_ALL", "C.UTF-8")
	f := newFakeZK()
	for _, l := range [][]string{
		{"create", "/t", "r"}, {"create", "/t/a", "alpha\nbeta"}, {"create", "/t/a/x", "xx"},
		{"create", "/t/b", ""}, {"create", "/t/c", "gamma"},
	} {
		if _, errs, code := fakeRun(t, f, "text", l...); code != ExitOK {
			t.Fatalf("%v: %s", l, errs)
		}
	}
	cases := []struct {
		output       string
		line         []string
		stdout, errs string
		code         int
	}{
		{"text", []string{"tree", "/t"}, "/t\n├── a\n│   └── x\n├── b\n└── c\n\n5 nodes\n", "", ExitOK},
		{"text", []string{"tree", "-d", "/t"}, "/t\n└── a\n\n2 nodes\n", "", ExitOK},
		{"text", []string{"tree", "-L", "1", "-s", "/t"}, "/t  [1 byte, 3 children]\n├── a  [10 bytes, 1 child]\n├── b  [0 bytes, 0 children]\n└── c  [5 bytes, 0 children]\n\n4 nodes, 16 bytes\n", "", ExitOK},
		{"json", []string{"tree", "-L", "1", "/t/a"}, `{"path":"/t/a","name":"a","children":[{"path":"/t/a/x","name":"x","children":[]}]}` + "\n", "", ExitOK},
		{"text", []string{"find", "/t", "-name", "?"}, "/t\n/t/a\n/t/a/x\n/t/b\n/t/c\n", "", ExitOK},
		{"text", []string{"find", "/t", "-empty"}, "/t/b\n", "", ExitOK},
		{"text", []string{"find", "/t", "-size", "+2", "-exec", "get", "{}", ";", "--dry-run"}, "get /t/a\nget /t/c\n", "", ExitOK},
		{"json", []string{"find", "/t/a", "-name", "x"}, `{"path":"/t/a/x"}` + "\n", "", ExitOK},
		{"text", []string{"find", "/t", "-frob"}, "", "find: unknown test \"-frob\"\nfind [path...] [tests] [-print0] [-exec CMD {} ;] [--dry-run]\n", ExitUsage},
		{"text", []string{"grep", "^[ag]", "/t"}, "/t/a:alpha\n/t/c:gamma\n", "", ExitOK},
		{"text", []string{"grep", "-c", "a", "/t/a"}, "/t/a:2\n/t/a/x:0\n", "", ExitOK},
		{"json", []string{"grep", "-l", "beta", "/t"}, `{"path":"/t/a"}` + "\n", "", ExitOK},
		{"text", []string{"grep", "zzz", "/t"}, "", "", ExitError},
		{"text", []string{"du", "/t"}, "12\t2\t/t/a\n18\t5\t/t\n", "", ExitOK},
		{"text", []string{"du", "--top", "1", "--by", "children", "/t"}, "3\t/t\n", "", ExitOK},
		{"json", []string{"du", "-s", "/t"}, `{"path":"/t","bytes":18,"nodes":5,"children":3}` + "\n", "", ExitOK},
		{"text", []string{"du", "/t/missing"}, "", "Node does not exist: /t/missing\n", ExitNoNode},
	}
	for _, c := range cases {
		out, errs, code := fakeRun(t, f, c.output, c.line...)
		if out != c.stdout || errs != c.errs || code != c.code {
			t.Errorf("%s %v:\nstdout %q\nstderr %q\nexit %d\nwant %q, %q, %d", c.output, c.line, out, errs, code, c.stdout, c.errs, c.code)
		}
	}
}

// edit against the fake: unchanged, changed, and a binary refusal.
func TestEditOnFakeSession(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	t.Setenv("VISUAL", "")
	f := newFakeZK()
	fakeRun(t, f, "text", "create", "/e", "v1")
	fakeRun(t, f, "text", "create", "/bin", "x")
	fakeRun(t, f, "text", "set", "-b", "/bin", "AAE=")
	t.Setenv("EDITOR", "true")
	if _, errs, code := fakeRun(t, f, "text", "edit", "/e"); code != ExitOK || errs != "No change to /e: nothing written\n" {
		t.Errorf("unchanged: %q %d", errs, code)
	}
	script := filepath.Join(dir, "ed")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf 'v2\\n' > \"$1\"\n"), 0o755)
	t.Setenv("EDITOR", script)
	if _, errs, code := fakeRun(t, f, "text", "edit", "/e"); code != ExitOK || errs != "Wrote /e (version 1)\n" {
		t.Errorf("changed: %q %d", errs, code)
	}
	if out, _, _ := fakeRun(t, f, "text", "get", "/e"); out != "v2\n" {
		t.Errorf("after edit: %q", out)
	}
	if _, errs, code := fakeRun(t, f, "text", "edit", "/bin"); code != ExitUsage || !strings.Contains(errs, "binary data") {
		t.Errorf("binary: %q %d", errs, code)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "zkc-edit-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
