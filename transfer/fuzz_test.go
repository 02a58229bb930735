package transfer

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/go-zookeeper/zk"
)

// decodeNodeFast stands in for encoding/json on the lines zkc writes: a
// line it accepts must decode with encoding/json (strictly, as the reader
// does) to the same node; on any other line it must give up.
func FuzzDecodeNodeFast(f *testing.F) {
	for _, s := range []string{
		`{"path":"/a","data":"v","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{"cZxid":72,"ctime":"2026-11-25T19:07:25.548Z","mZxid":72,"mtime":"2026-11-25T19:07:25.548Z","pZxid":72,"cversion":20,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":1,"numChildren":20}}`,
		`{"path":"/b","data":null,"encoding":"null","type":"ephemeral","ephemeralOwner":"0x1","acl":[]}`,
		`{"path":"/s","error":"NoAuth","message":"not authorized"}`,
		`{"path":"/a\u00e9\u003c\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t","data":"AAEC","encoding":"base64","acl":[{"scheme":"digest","id":"u:x","perms":"r","redacted":true}]}`,
		`{"path":"/a","foo":1}`, `{"path":1}`, `{"path":"/a"} {}`, `{"PATH":"/a"}`, `{"path":"/a","path":"/b"}`,
		`{"path":"/a","stat":{"cversion":99999999999}}`, `{"path":"/a","stat":{"cZxid":-0,"dataLength":01}}`,
		`{"path":"/a","stat":{"cZxid":1e3}}`, `{"path":null}`, `{"path":"/a","stat":null,"acl":null}`,
		"{\"path\":\"/\xff\"}", `[1]`, `null`, ``, ` { } `, `{"path":"/a",}`, `{"acl":[{},{"redacted":false}]}`,
	} {
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

// Every node line the exporter writes takes the fast path.
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
