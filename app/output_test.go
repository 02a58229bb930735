package app_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/commands"
)

// TestJSONSchema parses documents back into the shapes the README promises.
func TestJSONSchema(t *testing.T) {
	addr := server(t)
	zkc.Run("", "-server", addr, "deleteall", "/json_schema")
	zkc.Run("", "-server", addr, "create", "/json_schema", "text")
	zkc.Run("", "-server", addr, "create", "/json_schema/bin")
	zkc.Run("", "-server", addr, "set", "-b", "/json_schema/bin", "AP8=")

	var node struct {
		Path, Encoding string
		Data           *string
		Stat           map[string]interface{}
	}
	r := zkc.Run("", "-server", addr, "-o", "json", "get", "/json_schema/bin")
	if err := json.Unmarshal([]byte(r.Stdout), &node); err != nil {
		t.Fatalf("get: %v in %q", err, r.Stdout)
	}
	if node.Path != "/json_schema/bin" || node.Encoding != "base64" || node.Data == nil || *node.Data != "AP8=" {
		t.Errorf("binary get: %+v", node)
	}
	for _, k := range []string{"cZxid", "ctime", "mZxid", "mtime", "pZxid", "cversion", "dataVersion", "aclVersion", "ephemeralOwner", "dataLength", "numChildren"} {
		if _, ok := node.Stat[k]; !ok {
			t.Errorf("stat has no %q: %v", k, node.Stat)
		}
	}
	if _, ok := node.Stat["cZxid"].(float64); !ok {
		t.Errorf("cZxid is not a number: %v", node.Stat["cZxid"])
	}
	if v, _ := node.Stat["dataLength"].(float64); v != 2 {
		t.Errorf("dataLength = %v, want 2", node.Stat["dataLength"])
	}

	var ls struct {
		Path     string
		Children []string
	}
	r = zkc.Run("", "-server", addr, "-o", "json", "ls", "/json_schema/bin")
	if err := json.Unmarshal([]byte(r.Stdout), &ls); err != nil || ls.Children == nil || len(ls.Children) != 0 {
		t.Errorf("ls of a leaf: want \"children\":[], got %q (%v)", r.Stdout, err)
	}
	var created struct{ Path, Created string }
	r = zkc.Run("", "-server", addr, "-o", "json", "create", "-s", "/json_schema/s-")
	if err := json.Unmarshal([]byte(r.Stdout), &created); err != nil || created.Path != "/json_schema/s-" || !strings.HasPrefix(created.Created, "/json_schema/s-00") {
		t.Errorf("create: %q (%v)", r.Stdout, err)
	}
	if r.Stderr != "" {
		t.Errorf("create -o json printed on stderr: %q", r.Stderr)
	}
}

func random(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBinaryRoundTrip: random bytes go in with create -f / set -f (file and
// stdin) and come back identical from get --raw.
func TestBinaryRoundTrip(t *testing.T) {
	addr := server(t)
	zkc.Run("", "-server", addr, "deleteall", "/roundtrip")
	zkc.Run("", "-server", addr, "create", "/roundtrip")
	file := filepath.Join(t.TempDir(), "data.bin")
	fromFile, fromStdin, setStdin := random(t, 4096), random(t, 4096), random(t, 4096)
	if err := os.WriteFile(file, fromFile, 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		stdin []byte
		args  []string
		node  string
		want  []byte
	}{
		{nil, []string{"create", "-f", file, "/roundtrip/file"}, "/roundtrip/file", fromFile},
		{fromStdin, []string{"create", "-f", "-", "/roundtrip/stdin"}, "/roundtrip/stdin", fromStdin},
		{setStdin, []string{"set", "-f", "-", "/roundtrip/file"}, "/roundtrip/file", setStdin},
		{nil, []string{"set", "--data-file", file, "/roundtrip/stdin"}, "/roundtrip/stdin", fromFile},
		{nil, []string{"create", "-f", os.DevNull, "/roundtrip/empty"}, "/roundtrip/empty", []byte{}},
	}
	for _, s := range steps {
		r := zkc.Run(string(s.stdin), append([]string{"-server", addr}, s.args...)...)
		if r.Code != 0 {
			t.Fatalf("%v: exit %d: %s", s.args, r.Code, r.Stderr)
		}
		r = zkc.Run("", "-server", addr, "get", "--raw", s.node)
		if r.Code != 0 || !bytes.Equal([]byte(r.Stdout), s.want) {
			t.Errorf("%v then get --raw: %d bytes back (exit %d), want the %d bytes written", s.args, len(r.Stdout), r.Code, len(s.want))
		}
	}
	// The JSON view of the same bytes is base64 of exactly them.
	r := zkc.Run("", "-server", addr, "-o", "json", "get", "/roundtrip/stdin")
	var doc struct{ Data, Encoding string }
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if got, _ := base64.StdEncoding.DecodeString(doc.Data); doc.Encoding != "base64" || !bytes.Equal(got, fromFile) {
		t.Errorf("JSON get of binary data: encoding %q, %d bytes", doc.Encoding, len(got))
	}
}

// TestDataLimit: data that cannot fit in one request is refused before
// sending, the node keeps its data, and the largest data that fits works (so
// the limit is exact, not a guess).
func TestDataLimit(t *testing.T) {
	addr := server(t)
	zkc.Run("", "-server", addr, "deleteall", "/limit")
	zkc.Run("", "-server", addr, "create", "/limit", "keep")
	const p = "/limit"
	fit := commands.JuteMaxBuffer - (8 + 4 + len(p) + 4 + 4) // setData: header, path, data length, version
	dir := t.TempDir()
	write := func(name string, n int) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, bytes.Repeat([]byte("z"), n), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	over := write("over", fit+1)
	cases := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"set", "-f", over, p}},
		{strings.Repeat("z", commands.JuteMaxBuffer+10), []string{"set", "-f", "-", p}},
		{"", []string{"create", "-f", over, "/limit/new"}},
	}
	for _, c := range cases {
		r := zkc.Run(c.stdin, append([]string{"-server", addr}, c.args...)...)
		if r.Code != commands.ExitUsage || !strings.Contains(r.Stderr, "1048575") || !strings.HasPrefix(r.Stderr, "data too large") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the 1048575-byte limit", c.args[:2], r.Code, r.Stderr)
		}
	}
	if r := zkc.Run("", "-server", addr, "get", p); r.Stdout != "keep\n" {
		t.Errorf("node changed after refused writes: %q", r.Stdout)
	}
	if r := zkc.Run("", "-server", addr, "stat", "/limit/new"); r.Code != commands.ExitNoNode {
		t.Errorf("refused create made a node: exit %d", r.Code)
	}
	r := zkc.Run("", "-server", addr, "set", "-f", write("fit", fit), p)
	if r.Code != 0 {
		t.Fatalf("data of exactly the limit: exit %d: %s", r.Code, r.Stderr)
	}
	if r := zkc.Run("", "-server", addr, "get", "--raw", p); len(r.Stdout) != fit {
		t.Errorf("stored %d bytes, want %d", len(r.Stdout), fit)
	}
}
