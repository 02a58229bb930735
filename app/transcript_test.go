package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

// TestTranscripts runs every transcript file under testdata/transcripts/
// (format: zkharness/transcript.go) against a real server: adding a case is
// adding a file. A file's "server:" directive picks the server: none is the
// shared standalone one, "quota" one with enforceQuota=true; "ensemble"
// files need an ensemble in a given state and are run by their own test
// (TestEnsembleReconfigAndReadOnly). UPDATE_GOLDEN=1 rewrites the expected
// output from a real run.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "transcripts", "*", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts found (%v)", err)
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := zkharness.ParseTranscript(string(text))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".txtar")
		var addr string
		switch kind := tr.Directive("server"); kind {
		case "":
			addr = server(t)
		case "quota":
			addr = pool.Standalone(t, "quota", zkharness.Config{Extra: map[string]string{"enforceQuota": "true"}}).Addr()
		case "ensemble", "transfer", "own":
			continue // run by their own tests (TestEnsembleReconfigAndReadOnly, TestTransferTranscripts, TestTreeToolsEditTranscript)
		default:
			t.Errorf("%s: unknown server %q", f, kind)
			continue
		}
		t.Run(name, func(t *testing.T) { zkc.RunTranscript(t, f, addr, nil, nil) })
	}
}
