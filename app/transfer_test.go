package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

var (
	reExportZxid = regexp.MustCompile(`"zxid":"0x[0-9a-f]+"`)
	reExportTime = regexp.MustCompile(`"time":"[^"]*"`)
)

// TestTransferTranscripts runs the export/import/cp/diff transcripts
// (testdata/transcripts/transfer, "server: transfer"): each gets $TMP, a
// folder of its own for files, $OTHER, a second server's address (for cp
// and diff between ensembles), and $FIXTURES, testdata/transfer.
func TestTransferTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "transcripts", "transfer", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transfer transcripts (%v)", err)
	}
	addr := server(t)
	other := pool.Standalone(t, "second", zkharness.Config{}).Addr()
	fixtures, err := filepath.Abs(filepath.Join("..", "testdata", "transfer"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txtar")
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			vars := map[string]string{"TMP": tmp, "OTHER": other, "FIXTURES": fixtures}
			zkc.RunTranscript(t, f, addr, vars, func(s string) string {
				s = strings.ReplaceAll(s, tmp, "$TMP")
				s = strings.ReplaceAll(s, fixtures, "$FIXTURES")
				s = reExportZxid.ReplaceAllString(s, `"zxid":"ZXID"`)
				return reExportTime.ReplaceAllString(s, `"time":"TIME"`)
			})
		})
	}
}

// TestBadLargeExportWritesNothing: a file whose fault lies past the point
// where an import would have started writing (many multis in) still writes
// nothing, through import and cp, from a file and from stdin.
func TestBadLargeExportWritesNothing(t *testing.T) {
	addr := server(t)
	var b strings.Builder
	b.WriteString(`{"format":"zkc-export","version":1,"source":"127.0.0.1:2181","root":"/big","zxid":"0x1","time":"2026-11-25T00:00:00Z"}` + "\n")
	b.WriteString(`{"path":"/","data":"r","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{"numChildren":5000}}` + "\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, `{"path":"/n%05d","data":"v","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{"numChildren":0}}`+"\n", i)
	}
	whole := b.String()
	bad := map[string]string{
		"truncated":    whole[:len(whole)-40],
		"bad perms":    whole + `{"path":"/x","data":"v","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwq"}]}` + "\n" + `{"end":true,"nodes":5002,"errors":0,"zxid":"0x1"}` + "\n",
		"end miscount": whole + `{"end":true,"nodes":4000,"errors":0,"zxid":"0x1"}` + "\n",
	}
	dir := t.TempDir()
	for name, content := range bad {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".ndjson")
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, run := range []struct {
			stdin string
			args  []string
		}{
			{"", []string{"import", file, "/bad-import"}},
			{content, []string{"import", "-", "/bad-import"}},
			{"", []string{"cp", "-r", file, "/bad-cp"}},
			{content, []string{"cp", "-r", "-", "/bad-cp"}},
		} {
			r := zkc.Run(run.stdin, append([]string{"-server", addr}, run.args...)...)
			if r.Code != 2 || !strings.Contains(r.Stderr, "nothing was written") {
				t.Errorf("%s: %v: exit %d, stderr %q; want 2 and nothing written", name, run.args, r.Code, r.Stderr)
			}
			dest := run.args[len(run.args)-1]
			if st := zkc.Run("", "-server", addr, "stat", dest); st.Code == 0 {
				t.Errorf("%s: %v wrote %s", name, run.args, dest)
				zkc.Run("", "-server", addr, "deleteall", dest)
			}
		}
	}
}
