package format

import (
	"bytes"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

// Each record's two forms, and which stream its text goes to.
func TestPrinters(t *testing.T) {
	st := &zk.Stat{Czxid: 1, Mzxid: 2, Pzxid: 3, Ctime: 0, Mtime: 0, DataLength: 2}
	statText := "cZxid = 0x1\nctime = Thu Jan 01 00:00:00 UTC 1970\nmZxid = 0x2\nmtime = Thu Jan 01 00:00:00 UTC 1970\n" +
		"pZxid = 0x3\ncversion = 0\ndataVersion = 0\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 2\nnumChildren = 0\n"
	cases := []struct {
		name             string
		r                Record
		out, errs, jsonv string
	}{
		{"node", Node{Path: "/a", Data: []byte("hi"), Stat: st, WithStat: true}, "hi\n" + statText, "",
			`{"path":"/a","data":"hi","encoding":"utf-8","stat":{"cZxid":1,"ctime":"1970-01-01T00:00:00Z","mZxid":2,"mtime":"1970-01-01T00:00:00Z","pZxid":3,"cversion":0,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":2,"numChildren":0}}` + "\n"},
		{"null node", Node{Path: "/n"}, "null\n", "", `{"path":"/n","data":null,"encoding":"null","stat":null}` + "\n"},
		{"base64", Node{Path: "/a", Data: []byte{0xff}, Encoding: EncodingBase64}, "/w==\n", "", `{"path":"/a","data":"/w==","encoding":"base64","stat":null}` + "\n"},
		{"raw", Node{Path: "/a", Data: []byte("x"), Encoding: EncodingRaw}, "x", "", `{"path":"/a","data":"x","encoding":"utf-8","stat":null}` + "\n"},
		{"children", Children{Path: "/", Kids: []string{"a", "b"}, Parents: []bool{true, false}}, "[<a>, b]\n", "", `{"path":"/","children":["a","b"],"stat":null}` + "\n"},
		{"no children", Children{Path: "/x"}, "[]\n", "", `{"path":"/x","children":[],"stat":null}` + "\n"},
		{"created", Created{Path: "/s-", Created: "/s-0000000001"}, "", "Created /s-0000000001\n", `{"path":"/s-","created":"/s-0000000001"}` + "\n"},
		{"notice", Notice{Line: "absolute path is /q"}, "", "absolute path is /q\n", ""},
		{"event", Event{Type: "NodeCreated", State: "SyncConnected", Path: "/a", Received: time.Unix(0, 0)}, "WatchedEvent state:SyncConnected type:NodeCreated path:/a\n", "",
			`{"type":"NodeCreated","path":"/a","state":"SyncConnected","received":"1970-01-01T00:00:00Z"}` + "\n"},
		{"session event", Event{Type: "None", State: "Expired"}, "WatchedEvent state:Expired type:None path:null\n", "",
			`{"type":"None","path":null,"state":"Expired","received":"0001-01-01T00:00:00Z"}` + "\n"},
		{"config", Config{Text: "server.1=h:1:2;3", Doc: ConfigJSON{Config: "server.1=h:1:2;3", Members: []ConfigMemberJSON{}}, Committed: true},
			"Committed new configuration:\nserver.1=h:1:2;3\n", "", `{"config":"server.1=h:1:2;3","version":"","members":[]}` + "\n"},
		{"diff", DiffEntry{Change: DiffChanged, Path: "/a", What: []string{"data"}}, "~ /a (data)\n", "", `{"change":"changed","path":"/a","what":["data"]}` + "\n"},
	}
	style := Style{Loc: time.UTC, Dir: func(s string) string { return "<" + s + ">" }}
	for _, c := range cases {
		var out, errs bytes.Buffer
		if err := NewText(&out, &errs, style).Print(c.r); err != nil {
			t.Fatal(err)
		}
		if out.String() != c.out || errs.String() != c.errs {
			t.Errorf("%s text: stdout %q stderr %q, want %q %q", c.name, out.String(), errs.String(), c.out, c.errs)
		}
		var js bytes.Buffer
		p, err := New(FormatJSON, &js, &errs, style)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Print(c.r); err != nil {
			t.Fatal(err)
		}
		if js.String() != c.jsonv {
			t.Errorf("%s json: %q, want %q", c.name, js.String(), c.jsonv)
		}
	}
	// To redirects stdout's share only; text-only ways are named.
	var out, errs, buf bytes.Buffer
	p := NewText(&out, &errs, PlainStyle()).To(&buf)
	_ = p.Print(PathLine{Path: "/x"})
	_ = p.Print(Created{Created: "/y"})
	if buf.String() != "/x\n" || out.Len() != 0 || errs.String() != "Created /y\n" {
		t.Errorf("To: buf %q out %q err %q", buf.String(), out.String(), errs.String())
	}
	if _, err := New("yaml", &out, &errs, PlainStyle()); err == nil {
		t.Error("New accepted an unknown format")
	}
}

// PathLines writes exactly what printing PathLine records writes, in every
// format, into its buffer and nowhere else.
func TestPathLinesMatchPrint(t *testing.T) {
	paths := []string{"/", "/a", "/a/b c", "/ü/\"q\""}
	for _, name := range []string{FormatText, FormatJSON} {
		var out, errs, want, got bytes.Buffer
		p, err := New(name, &out, &errs, PlainStyle())
		if err != nil {
			t.Fatal(err)
		}
		pr := p.To(&want)
		write := PathLines(p, &got)
		for _, path := range paths {
			if err := pr.Print(PathLine{Path: path}); err != nil {
				t.Fatal(err)
			}
			if err := write(path); err != nil {
				t.Fatal(err)
			}
		}
		if got.String() != want.String() || got.Len() == 0 || out.Len() != 0 || errs.Len() != 0 {
			t.Errorf("%s: PathLines wrote %q (stdout %q), Print %q", name, got.String(), out.String(), want.String())
		}
	}
}
