package transfer

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/go-zookeeper/zk"
)

// nodeLineSeeds are node lines good and bad, for the fuzz targets.
var nodeLineSeeds = []string{
	`{"path":"/a","data":"v","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{"cZxid":72,"ctime":"2026-11-25T19:07:25.548Z","mZxid":72,"mtime":"2026-11-25T19:07:25.548Z","pZxid":72,"cversion":20,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":1,"numChildren":20}}`,
	`{"path":"/b","data":null,"encoding":"null","type":"ephemeral","ephemeralOwner":"0x1","acl":[]}`,
	`{"path":"/s","error":"NoAuth","message":"not authorized"}`,
	`{"path":"/a\u00e9\u003c\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t","data":"AAEC","encoding":"base64","acl":[{"scheme":"digest","id":"u:x","perms":"r","redacted":true}]}`,
	`{"path":"/a","foo":1}`, `{"path":1}`, `{"path":"/a"} {}`, `{"PATH":"/a"}`, `{"path":"/a","path":"/b"}`,
	`{"path":"/a","stat":{"cversion":99999999999}}`, `{"path":"/a","stat":{"cZxid":-0,"dataLength":01}}`,
	`{"path":"/a","stat":{"cZxid":1e3}}`, `{"path":null}`, `{"path":"/a","stat":null,"acl":null}`,
	"{\"path\":\"/\xff\"}", `[1]`, `null`, ``, ` { } `, `{"path":"/a",}`, `{"acl":[{},{"redacted":false}]}`,
	`{"path":"/a","data":"AA==","encoding":"base64","type":"persistent"}`, `{"path":"/a","data":"A","encoding":"base64","type":"persistent"}`,
	`{"path":"/a","encoding":"null","type":"ephemeral","acl":[{"scheme":"ip","id":"1.2.3.4","perms":""}]}`, `{"path":"/a","data":"","encoding":"null","type":"persistent"}`,
	`{"path":"a","data":"v","encoding":"utf-8","type":"persistent"}`, `{"path":"/a","data":"v","encoding":"utf-8","type":"container"}`,
	`{"path":"/a","data":"v","encoding":"utf-8","type":"persistent","acl":[{"scheme":"","id":"x","perms":"r"}]}`, `{"path":"/a","error":"","data":"v","encoding":"utf-8","type":"persistent"}`,
}

// decodeNodeFast stands in for encoding/json on the lines zkc writes: a
// line it accepts must decode with encoding/json (strictly, as the reader
// does) to the same node; on any other line it must give up.
func FuzzDecodeNodeFast(f *testing.F) {
	for _, s := range nodeLineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var fast Node
		if !decodeNodeFast(line, &fast) {
			return
		}
		var want Node
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil || dec.More() {
			t.Fatalf("%q: accepted, but encoding/json says %v (more: %v)", line, err, dec.More())
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("%q:\nfast          %+v\nencoding/json %+v", line, fast, want)
		}
	})
}

// Every node line the exporter writes takes the fast paths (decoding, and
// the check pass's).
func TestExportLinesTakeTheFastPath(t *testing.T) {
	st := &zk.Stat{Czxid: 5, Mzxid: 7, Ctime: 1764000000000, Mtime: 1764000000001, Version: 3, NumChildren: 2, EphemeralOwner: 0x100000a3b0c0001, DataLength: 3}
	acl := []zk.ACL{{Perms: zk.PermAll, Scheme: "world", ID: "anyone"}, {Perms: zk.PermRead | zk.PermAdmin, Scheme: "digest", ID: "u:x"}}
	nodes := []*Node{
		NewNode("/", []byte("text"), st, acl),
		NewNode("/bin", []byte{0, 1, 0xff}, st, nil),
		NewNode("/null", nil, nil, nil),
		NewNode("/empty", []byte{}, st, acl),
		NewNode("/uni 节 \"q\" <&> \u2028", []byte("line\nnext\t\"x\" <b>&\u2029 😀"), st, acl),
		ErrorNode("/secret", "NoAuth", "not authorized to read /app/secret"),
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Root: "/app"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := w.Write(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	for _, line := range lines[1 : len(lines)-1] { // the header and end lines are not nodes
		var scratch []byte
		if _, _, ok := skimNodeLine(line, &scratch); !ok {
			t.Errorf("not taken by the check pass's fast path: %s", line)
		}
		var fast, want Node
		if !decodeNodeFast(line, &fast) {
			t.Errorf("not taken by the fast path: %s", line)
			continue
		}
		if err := strictUnmarshal(line, &want); err != nil || !reflect.DeepEqual(fast, want) {
			t.Errorf("%s:\nfast          %+v\nencoding/json %+v (%v)", line, fast, want, err)
		}
	}
}

// skimNodeLine stands in for decoding a line and checking its node: a line
// it accepts must decode (fast or with encoding/json, as the reader does)
// to a node that passes the checks, with the same path and kind.
func FuzzSkimNodeLine(f *testing.F) {
	for _, s := range nodeLineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var scratch []byte
		path, isErr, ok := skimNodeLine(line, &scratch)
		if !ok {
			return
		}
		n := &Node{}
		if !decodeNodeFast(line, n) {
			n = &Node{}
			if err := strictUnmarshal(line, n); err != nil {
				t.Fatalf("%q: skimmed, but it does not decode: %v", line, err)
			}
		}
		if err := n.check(); err != nil {
			t.Fatalf("%q: skimmed, but its node fails the checks: %v", line, err)
		}
		if n.Path != path || (n.Error != "") != isErr {
			t.Fatalf("%q: skimmed as %q (error line %v), decoded as %q (error %q)", line, path, isErr, n.Path, n.Error)
		}
	})
}
