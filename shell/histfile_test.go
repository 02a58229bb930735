package shell_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHistoryFileSafety: the shell's history file is never a way to hang the
// shell (a FIFO at its path), to write elsewhere (a symlink at its path or
// at a temporary name), to leak a credential, or to be read by others (its
// directory is tightened to 0700).
func TestHistoryFileSafety(t *testing.T) {
	addr := server(t)
	type files struct{ dir, hist, victim string }
	cases := []struct {
		name  string
		setup func(t *testing.T, f files)
		lines []string
		warn  string // on screen at start
		check func(t *testing.T, f files)
	}{
		{
			name: "FIFO at the history path",
			setup: func(t *testing.T, f files) {
				if err := syscall.Mkfifo(f.hist, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			lines: []string{"ls /zookeeper"},
			warn:  "is not a regular file",
		},
		{
			name: "symlink at the history path",
			setup: func(t *testing.T, f files) {
				os.Symlink(f.victim, f.hist)
			},
			lines: []string{"ls /zookeeper"},
			warn:  "is not a regular file",
		},
		{
			name: "symlink at the old temporary name during the rewrite",
			setup: func(t *testing.T, f files) {
				var b strings.Builder
				for i := 0; i < 1005; i++ {
					fmt.Fprintf(&b, "get /line%d\n", i)
				}
				os.WriteFile(f.hist, []byte(b.String()), 0o600)
				os.Symlink(f.victim, f.hist+".tmp")
			},
			lines: []string{"ls /zookeeper"},
			check: func(t *testing.T, f files) {
				b, _ := os.ReadFile(f.hist)
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if len(lines) != 1001 || lines[0] != "get /line5" || lines[1000] != "ls /zookeeper" {
					t.Errorf("history has %d lines, from %q to %q", len(lines), lines[0], lines[len(lines)-1])
				}
				entries, _ := os.ReadDir(f.dir)
				if len(entries) != 2 {
					t.Errorf("left in the state directory: %v", entries)
				}
			},
		},
		{
			name: "loose state directory",
			setup: func(t *testing.T, f files) {
				os.Chmod(f.dir, 0o755)
			},
			lines: []string{"ls /zookeeper"},
			check: func(t *testing.T, f files) {
				st, err := os.Stat(f.dir)
				if err != nil || st.Mode().Perm() != 0o700 {
					t.Errorf("state directory mode %v, %v; want 0700", st.Mode().Perm(), err)
				}
				if b, _ := os.ReadFile(f.hist); string(b) != "ls /zookeeper\n" {
					t.Errorf("history %q", b)
				}
			},
		},
		{
			name: "loose state directory, nothing typed",
			setup: func(t *testing.T, f files) {
				os.Chmod(f.dir, 0o755)
			},
			check: func(t *testing.T, f files) {
				if st, err := os.Stat(f.dir); err != nil || st.Mode().Perm() != 0o700 {
					t.Errorf("state directory mode %v, %v; want 0700", st.Mode().Perm(), err)
				}
			},
		},
		{
			name: "credentials stay out",
			lines: []string{
				"digest bob:S3CRETPW", "addauth digest bob:S3CRETPW2", "create /hsec d digest:bob:hunter2:cdrwa",
				"setAcl /zookeeper world:anyone:r,digest:bob:hunter3", "get /zookeeper --auth=digest:bob:hunter4",
				"hunter5-typed-at-the-prompt", "ls /zookeeper",
			},
			check: func(t *testing.T, f files) {
				b, _ := os.ReadFile(f.hist)
				if string(b) != "ls /zookeeper\n" {
					t.Errorf("history %q, want only the line without a credential", b)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			f := files{dir: filepath.Join(home, "state", "zkc")}
			f.hist = filepath.Join(f.dir, "history")
			f.victim = filepath.Join(home, "victim")
			if err := os.MkdirAll(f.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(f.victim, []byte("keep me\n"), 0o644)
			if tc.setup != nil {
				tc.setup(t, f)
			}
			// Later entries win: this home replaces startTerm's own.
			tm := startTerm(t, []string{"NO_COLOR=1", "HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state")}, "-server", addr)
			at := tm.waitFor(0, "(CONNECTED) 0] ")
			if tc.warn != "" && !strings.Contains(tm.screen(0), tc.warn) {
				t.Errorf("no warning %q at start", tc.warn)
			}
			for i, l := range tc.lines {
				tm.send(l + "\r")
				at = tm.waitFor(at, fmt.Sprintf("(CONNECTED) %d] ", i+1))
			}
			tm.send("\x04")
			tm.wait()
			if b, _ := os.ReadFile(f.victim); string(b) != "keep me\n" {
				t.Errorf("the symlink's target was written: %q", b)
			}
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}
