package safeio_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// unguarded are the standard library's ways to read without a limit or a
// context, or to write through a symlink; zkc's own code (tests, the test
// harness and the benchmark tool aside) goes through safeio instead, so a
// new verb cannot bring back an unbounded read of /dev/zero or a FIFO hang.
// (os.CreateTemp is fine: a random name, created exclusively.)
// Libraries' own file loaders (gokrb5's) count too.
var unguarded = regexp.MustCompile(`\b(os\.ReadFile|io\.ReadAll|bufio\.NewScanner|os\.Open|os\.OpenFile|os\.WriteFile|os\.Create|ioutil\.\w+|keytab\.Load|config\.Load|credentials\.LoadCCache)\(`)

// bounded is an io.ReadAll of a reader already cut to a size, or an open of
// the controlling terminal (to hand it on or test it, not to read a file).
var bounded = regexp.MustCompile(`io\.ReadAll\(io\.LimitReader\(|os\.Open(File)?\("/dev/tty"`)

func TestNoUnguardedFileAccess(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			switch rel {
			case "safeio", "zkharness", "bench", "testdata", ".git":
				return filepath.SkipDir
			}
			if strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			code, comment, _ := strings.Cut(line, "//")
			if strings.Contains(comment, "safeio:exempt") {
				continue // a reasoned exception, such as a terminal handed to a child
			}
			if m := unguarded.FindString(code); m != "" && !bounded.MatchString(code) {
				t.Errorf("%s:%d: %s: read and write local files and streams through safeio "+
					"(a size limit, cancellation on Ctrl-C, no symlink or FIFO surprises); add what is missing there", rel, i+1, strings.TrimSuffix(m, "("))
			}
		}
		return nil
	})
}
