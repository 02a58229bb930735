package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	reEditTemp     = regexp.MustCompile(`(zkc-edit-[A-Za-z0-9._-]*?)-[0-9]+\.txt`)
	reEditModified = regexp.MustCompile(`modified [^,]+, zxid 0x[0-9a-f]+`)
)

// edit with scripted editors (unchanged, changed, conflicting, failing,
// binary data) and the tree tools on a 1 MB node:
// testdata/transcripts/treetools/edit.txtar. The editors are scripts on
// PATH; $DIR is their folder, $TMP where edit keeps its temporary files.
func TestTreeToolsEditTranscript(t *testing.T) {
	addr := server(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	script := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// As an editor saves: the last line ends with a newline.
	script("append-port", `{ cat "$1"; echo; echo port=2182; } > "$1.new" && mv "$1.new" "$1"`+"\n")
	script("write-visual", `printf 'visual\n' > "$1"`+"\n")
	// Another client changes the node while the user edits it.
	script("edit-meanwhile", fmt.Sprintf("%s -server %s set /tt_edit/conf 'host=b' 2>/dev/null\nprintf 'mine\\n' > \"$1\"\n", zkc.Bin, addr))
	script("editor-fails", "exit 3\n")
	var big strings.Builder // a 1 MB node: numbered lines
	for i := 0; big.Len() < 1000000-60; i++ {
		fmt.Fprintf(&big, "line %05d of the big node, padded ..................\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "big"), []byte(big.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	z := *zkc
	z.Env = append(append([]string(nil), z.Env...), "PATH="+dir+":"+os.Getenv("PATH"), "TMPDIR="+tmp)
	z.RunTranscript(t, filepath.Join("..", "testdata", "transcripts", "treetools", "edit.txtar"), addr,
		map[string]string{"DIR": dir}, func(s string) string {
			s = strings.ReplaceAll(s, tmp, "$TMP")
			s = reEditTemp.ReplaceAllString(s, "$1-RANDOM.txt")
			return reEditModified.ReplaceAllString(s, "modified DATE, zxid 0xZXID")
		})
	// Kept: the conflicting edit's text and the failed editor's file; the
	// rest were removed.
	kept, _ := filepath.Glob(filepath.Join(tmp, "zkc-edit-*"))
	var mine bool
	for _, f := range kept {
		if b, _ := os.ReadFile(f); string(b) == "mine\n" {
			mine = true
		}
	}
	if len(kept) != 2 || !mine {
		t.Errorf("temporary files left: %v (the conflicting edit's text among them: %v), want 2", kept, mine)
	}
}
