package app_test

import (
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
