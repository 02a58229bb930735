package safeio_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/safeio"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadLimits: every source is cut at its limit, endless ones included.
func TestReadLimits(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("hello"), 0o600)
	exact := filepath.Join(dir, "exact")
	os.WriteFile(exact, make([]byte, 1000), 0o600)
	cases := []struct {
		name    string
		path    string
		limit   int64
		want    string
		tooLong bool
	}{
		{"small file", small, 1000, "hello", false},
		{"file at the limit", exact, 1000, strings.Repeat("\x00", 1000), false},
		{"file over the limit", exact, 999, "", true},
		{"/dev/zero", "/dev/zero", 1 << 20, "", true},
		{"/dev/null", "/dev/null", 10, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := safeio.ReadFile(context.Background(), tc.path, tc.limit)
			var tl *safeio.TooLargeError
			if tc.tooLong {
				if !errors.As(err, &tl) || tl.Limit != tc.limit || !strings.Contains(err.Error(), tc.path) {
					t.Fatalf("got %v, want a TooLargeError naming %s and limit %d", err, tc.path, tc.limit)
				}
				return
			}
			if err != nil || string(b) != tc.want || b == nil {
				t.Fatalf("got %q, %v; want %q", b, err, tc.want)
			}
		})
	}
}

// TestReadCancelled: a read that waits (a FIFO with no writer yet, a pipe
// that never ends, a reader that is not a file) ends with its context.
func TestReadCancelled(t *testing.T) {
	fifo := mkfifo(t)
	pr, pw, _ := os.Pipe()
	defer pw.Close()
	defer pr.Close()
	pw.Write([]byte("partial"))
	slowR, slowW := io.Pipe()
	defer slowW.Close()
	cases := []struct {
		name string
		read func(ctx context.Context) error
	}{
		{"FIFO without a writer", func(ctx context.Context) error {
			_, err := safeio.ReadFile(ctx, fifo, 100)
			return err
		}},
		{"pipe that never ends", func(ctx context.Context) error {
			_, err := safeio.ReadAll(ctx, pr, 100, "standard input")
			return err
		}},
		{"reader that is not a file", func(ctx context.Context) error {
			_, err := safeio.ReadAll(ctx, slowR, 100, "input")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tc.read(ctx) }()
			time.Sleep(50 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("got %v, want context.Canceled", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the read did not end with its context")
			}
		})
	}
}

// TestFIFOWithWriter: a FIFO still works as input, whether its writer was
// waiting before the open, comes after it, writes in pieces or sends nothing.
func TestFIFOWithWriter(t *testing.T) {
	cases := []struct {
		name   string
		before bool // the writer opens before the reader
		pieces []string
	}{
		{"writer waiting first", true, []string{"from the fifo"}},
		{"writer comes later", false, []string{"from the fifo"}},
		{"writes in pieces", false, []string{"from ", "the ", "fifo"}},
		{"writer waiting first, in pieces", true, []string{"from ", "the fifo"}},
		{"writer sends nothing", false, nil},
		{"writer waiting first, sends nothing", true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fifo := mkfifo(t)
			opened := make(chan struct{})
			go func() {
				if !tc.before {
					time.Sleep(100 * time.Millisecond) // the reader waits first
				}
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				close(opened)
				if err != nil {
					return
				}
				for _, p := range tc.pieces {
					w.Write([]byte(p))
					time.Sleep(20 * time.Millisecond)
				}
				w.Close()
			}()
			if tc.before {
				time.Sleep(100 * time.Millisecond) // the writer is blocked in open(2)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			b, err := safeio.ReadFile(ctx, fifo, 100)
			if want := strings.Join(tc.pieces, ""); err != nil || string(b) != want {
				t.Fatalf("got %q, %v; want %q", b, err, want)
			}
			<-opened
		})
	}
}

// TestOpenRegular: the history file's opens never follow a symlink and never
// wait on a FIFO.
func TestOpenRegular(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "reg")
	os.WriteFile(reg, []byte("x\n"), 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(reg, link)
	fifo := mkfifo(t)
	for _, tc := range []struct {
		name, path string
		ok         bool
	}{
		{"regular", reg, true},
		{"symlink", link, false},
		{"fifo", fifo, false},
		{"directory", dir, false},
		{"char device", "/dev/zero", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, open := range []func(string) (*os.File, error){safeio.OpenRegular, safeio.OpenAppend} {
				done := make(chan error, 1)
				go func() {
					f, err := open(tc.path)
					if f != nil {
						f.Close()
					}
					done <- err
				}()
				select {
				case err := <-done:
					if (err == nil) != tc.ok {
						t.Fatalf("open %s: %v, want ok=%v", tc.path, err, tc.ok)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("open waited")
				}
			}
		})
	}
	if b, _ := os.ReadFile(reg); string(b) != "x\n" {
		t.Fatalf("the regular file changed: %q", b)
	}
}

// TestWriteFileAtomic: a symlink at the target is replaced, never followed;
// no temporary file is left; the mode is 0600.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	target := filepath.Join(dir, "history")
	os.Symlink(victim, target)
	// The old fixed temporary name, planted as a symlink, is ignored too.
	os.Symlink(victim, target+".tmp")
	if err := safeio.WriteFileAtomic(target, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("the symlink's target was written: %q", b)
	}
	st, err := os.Lstat(target)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Fatalf("target: %v %v", st.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("left behind: %v", entries)
	}
}

// TestPrivateDir: a new state directory is 0700, an existing loose one is
// tightened.
func TestPrivateDir(t *testing.T) {
	base := t.TempDir()
	loose := filepath.Join(base, "loose")
	os.Mkdir(loose, 0o755)
	os.Chmod(loose, 0o755)
	fresh := filepath.Join(base, "a", "fresh")
	for _, d := range []string{loose, fresh} {
		if err := safeio.PrivateDir(d); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(d)
		if st.Mode().Perm() != 0o700 {
			t.Fatalf("%s is %v", d, st.Mode().Perm())
		}
	}
}

// TestLineReader: lines are counted; one over the limit names its number
// and the limit.
func TestLineReader(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		limit int
		want  []string
		long  int // line number of the too-long line; 0 for none
	}{
		{"plain", "a\nb\n", 10, []string{"a", "b"}, 0},
		{"no final newline", "a\nb", 10, []string{"a", "b"}, 0},
		{"crlf", "a\r\nb\r\n", 10, []string{"a", "b"}, 0},
		{"blank lines", "\n\nc\n", 10, []string{"", "", "c"}, 0},
		{"at the limit", "0123456789\n", 10, []string{"0123456789"}, 0},
		{"over the limit", "ok\n01234567890\nnext\n", 10, []string{"ok"}, 2},
		{"long last line", "ok\n" + strings.Repeat("x", 200000), 100000, []string{"ok"}, 2},
		{"empty", "", 10, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lr := safeio.NewLineReader(strings.NewReader(tc.in), tc.limit)
			var got []string
			for {
				l, err := lr.Next()
				if err == io.EOF {
					if tc.long != 0 {
						t.Fatalf("no error for line %d", tc.long)
					}
					break
				}
				var tl *safeio.LineTooLongError
				if errors.As(err, &tl) {
					if tl.Line != tc.long || tl.Limit != tc.limit {
						t.Fatalf("error %v, want line %d", err, tc.long)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, l)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("lines %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLineBounded: a copied stream stops at the first line over the limit,
// naming it; shorter lines pass through unchanged.
func TestLineBounded(t *testing.T) {
	var out strings.Builder
	_, err := io.Copy(&out, safeio.LineBounded(strings.NewReader("ab\ncd\n"), 2))
	if err != nil || out.String() != "ab\ncd\n" {
		t.Fatalf("got %q, %v", out.String(), err)
	}
	f, _ := os.Open("/dev/zero")
	defer f.Close()
	_, err = io.Copy(io.Discard, safeio.LineBounded(io.MultiReader(strings.NewReader("ok\n"), f), 1<<20))
	var tl *safeio.LineTooLongError
	if !errors.As(err, &tl) || tl.Line != 2 || tl.Limit != 1<<20 {
		t.Fatalf("got %v, want line 2 over the limit", err)
	}
}

// TestReadLine: one line, nothing after it consumed, bounded, cancellable.
func TestReadLine(t *testing.T) {
	cases := []struct {
		name, in, want, rest string
		limit                int
		tooLong              bool
	}{
		{"line", "s3cret\nnext", "s3cret", "next", 100, false},
		{"crlf", "s3cret\r\n", "s3cret", "", 100, false},
		{"no newline", "s3cret", "s3cret", "", 100, false},
		{"empty", "\n", "", "", 100, false},
		{"over the limit", "0123456789\n", "", "", 5, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, w, _ := os.Pipe()
			defer r.Close()
			w.Write([]byte(tc.in))
			w.Close()
			got, err := safeio.ReadLine(context.Background(), r, tc.limit)
			var tl *safeio.TooLargeError
			if tc.tooLong {
				if !errors.As(err, &tl) {
					t.Fatalf("got %q, %v; want a TooLargeError", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			if rest, _ := io.ReadAll(r); string(rest) != tc.rest {
				t.Fatalf("left %q, want %q", rest, tc.rest)
			}
		})
	}
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := safeio.ReadLine(ctx, r, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a line that never comes: %v", err)
	}
}
