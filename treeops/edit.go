package treeops

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

// EditorCommand is the editor to run, as a shell command line: $VISUAL,
// then $EDITOR, then vi (git's and crontab's order). It may hold arguments
// ("code -w"), so it is run through sh with the file as "$1".
func EditorCommand(getenv func(string) string) string {
	for _, k := range []string{"VISUAL", "EDITOR"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
	}
	return "vi"
}

// Edited returns the text the editor saved, as node data: editors end the
// last line with a newline, so when the data had no final newline one is
// dropped from the saved text.
func Edited(original, saved []byte) []byte {
	if !bytes.HasSuffix(original, []byte("\n")) && bytes.HasSuffix(saved, []byte("\n")) {
		return saved[:len(saved)-1]
	}
	return saved
}

// TempPattern is the name pattern of edit's temporary file: the node's
// name made safe for a file name, so the user sees what they edit.
func TempPattern(path string) string {
	name := path[strings.LastIndexByte(path, '/')+1:]
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	if b.Len() == 0 {
		b.WriteString("root")
	}
	return "zkc-edit-" + b.String() + "-*.txt"
}

// Conflict words what another client did to the node while it was being
// edited: the versions, when and in which transaction, and how the data
// changed (a short line diff when both are small text).
func Conflict(path string, read *zk.Stat, readData []byte, now *zk.Stat, nowData []byte, loc *time.Location) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s was changed by another client while you edited it: version %d became %d (modified %s, zxid 0x%x), %d bytes became %d",
		path, read.Version, now.Version, time.UnixMilli(now.Mtime).In(loc).Format("Mon Jan 02 15:04:05 MST 2006"),
		now.Mzxid, len(readData), len(nowData))
	if d := lineDiff(readData, nowData, 12); d != "" {
		b.WriteString(":\n" + d)
	} else {
		b.WriteString("\n")
	}
	return b.String()
}

// lineDiff is "-line"/"+line" for the lines that differ between a and b
// (longest common subsequence), at most max lines, or "" when either is
// binary or too large to compare cheaply.
func lineDiff(a, b []byte, max int) string {
	if Binary(a) || Binary(b) {
		return ""
	}
	la, lb := splitLines(a), splitLines(b)
	if len(la)*len(lb) > 1<<20 {
		return ""
	}
	// lcs[i][j]: common lines of la[i:] and lb[j:].
	lcs := make([][]int, len(la)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(lb)+1)
	}
	for i := len(la) - 1; i >= 0; i-- {
		for j := len(lb) - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max2(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case i < len(la) && j < len(lb) && la[i] == lb[j]:
			i, j = i+1, j+1
		case i < len(la) && (j == len(lb) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "-"+la[i])
			i++
		default:
			out = append(out, "+"+lb[j])
			j++
		}
	}
	if len(out) > max {
		out = append(out[:max], fmt.Sprintf("... (%d more lines differ)", len(out)-max))
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func splitLines(d []byte) []string {
	s := strings.TrimSuffix(string(d), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}
