package shell

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
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

// historyFile persists entered lines, leaving secrets out.
type historyFile struct {
	path string
}

// load returns the saved lines, oldest first, and trims the file to the cap.
func (h historyFile) load() []string {
	if h.path == "" {
		return nil
	}
	f, err := os.Open(h.path)
	if err != nil {
		return nil
	}
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !secret(l) {
			lines = append(lines, l)
		}
	}
	f.Close()
	if len(lines) > historyCap {
		lines = lines[len(lines)-historyCap:]
		h.rewrite(lines)
	}
	return lines
}

func (h historyFile) rewrite(lines []string) {
	tmp := h.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return
	}
	os.Rename(tmp, h.path)
}

// add appends one line unless it carries a secret. Errors are ignored: a
// read-only home must not break the shell.
func (h historyFile) add(line string) {
	if h.path == "" || secret(line) || strings.ContainsAny(line, "\n\r") {
		return
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	f.WriteString(line + "\n")
	f.Close()
}

// secret reports whether a line may hold a credential: addauth, or any
// --auth/-auth option.
func secret(line string) bool {
	for i, w := range Tokenize(line) {
		if i == 0 && w == "addauth" {
			return true
		}
		if w == "--auth" || w == "-auth" || strings.HasPrefix(w, "--auth=") || strings.HasPrefix(w, "-auth=") {
			return true
		}
	}
	return false
}
