package shell

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/safeio"
)

// historyCap is how many lines the history file keeps.
const historyCap = 1000

// HistoryPath is the shell's history file: $XDG_STATE_HOME/zkc/history, or
// ~/.local/state/zkc/history; "" when neither can be found.
func HistoryPath(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "zkc", "history")
	}
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "zkc", "history")
}

// The history file is read from its last historyFileLimit bytes, and lines
// longer than historyLineLimit (pasted data, not commands to recall) are
// neither saved nor loaded.
const (
	historyFileLimit = 4 << 20
	historyLineLimit = 64 << 10
)

// historyFile persists entered lines, leaving secrets out. Its directory is
// private (0700), and it is never read or written through a symlink, a FIFO
// or a device: those are refused, so the shell never hangs on them nor
// writes where a link points.
type historyFile struct {
	path string
}

// load returns the saved lines, oldest first, and trims the file to the cap.
// A history path that is not a regular file gives an error (the shell goes
// on without saved history).
func (h historyFile) load() ([]string, error) {
	if h.path == "" {
		return nil, nil
	}
	if _, err := os.Lstat(filepath.Dir(h.path)); err == nil {
		_ = safeio.PrivateDir(filepath.Dir(h.path)) // tighten a loose one at once
	}
	f, err := safeio.OpenRegular(h.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	trimmed := false
	if st, err := f.Stat(); err == nil && st.Size() > historyFileLimit {
		if _, err := f.Seek(st.Size()-historyFileLimit, io.SeekStart); err != nil {
			return nil, err
		}
		trimmed = true
	}
	lr := safeio.NewLineReader(io.LimitReader(f, historyFileLimit), historyFileLimit)
	var lines []string
	for first := true; ; first = false {
		l, err := lr.Next()
		if err != nil {
			break
		}
		if first && trimmed {
			continue // the tail starts inside a line
		}
		if l != "" && len(l) <= historyLineLimit && !secret(l) {
			lines = append(lines, l)
		}
	}
	if len(lines) > historyCap || trimmed {
		if len(lines) > historyCap {
			lines = lines[len(lines)-historyCap:]
		}
		h.rewrite(lines)
	}
	return lines, nil
}

// rewrite replaces the file atomically: an exclusively created temporary
// file with a random name, renamed over it.
func (h historyFile) rewrite(lines []string) {
	_ = safeio.WriteFileAtomic(h.path, []byte(strings.Join(lines, "\n")+"\n"))
}

// add appends one line unless it carries a secret, is too long, or is no
// command at all: a password typed at the prompt by mistake is the commonest
// way a secret lands in a history file. Errors are ignored: a read-only home
// must not break the shell.
func (h historyFile) add(line string) {
	if h.path == "" || secret(line) || strings.ContainsAny(line, "\n\r") || len(line) > historyLineLimit {
		return
	}
	if w := Tokenize(line); len(w) == 0 || commands.Lookup(w[0]) == nil {
		return
	}
	if err := safeio.PrivateDir(filepath.Dir(h.path)); err != nil {
		return
	}
	f, err := safeio.OpenAppend(h.path)
	if err != nil {
		return
	}
	f.WriteString(line + "\n")
	f.Close()
}

// secret reports whether a line may hold a credential: addauth, digest
// (whose argument is user:password), any --auth/-auth option, or a digest
// ACL whose id is not user:hash (a password typed where the hash belongs).
func secret(line string) bool {
	for i, w := range Tokenize(line) {
		if i == 0 && (w == "addauth" || w == "digest") {
			return true
		}
		if w == "--auth" || w == "-auth" || strings.HasPrefix(w, "--auth=") || strings.HasPrefix(w, "-auth=") {
			return true
		}
		if commands.HasPlainDigestID(w) {
			return true
		}
	}
	return false
}

// shownLine is line as messages may quote it: a line that may hold a
// credential shows only its command word.
func shownLine(line string) string {
	if !secret(line) {
		return line
	}
	if w := Tokenize(line); len(w) > 0 && !strings.HasPrefix(w[0], "-") {
		return w[0] + " … (the rest is not shown: it may hold a credential)"
	}
	return "(not shown: it may hold a credential)"
}
