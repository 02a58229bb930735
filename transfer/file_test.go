package transfer

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

const hdr = `{"format":"zkc-export","version":1,"source":"h:1","root":"/app","zxid":"0x1","time":"t"}` + "\n"

func node(path string) string {
	return `{"path":"` + path + `","data":"x","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}]}` + "\n"
}

func end(n int) string {
	return `{"end":true,"nodes":` + string(rune('0'+n)) + `,"errors":0,"zxid":"0x1"}` + "\n"
}

// readAll reads a whole export, returning the paths or the first error.
func readAll(t *testing.T, text string) ([]string, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), "f")
	if err != nil {
		return nil, err
	}
	var paths []string
	for {
		n, err := r.Next()
		if errors.Is(err, io.EOF) {
			return paths, nil
		}
		if err != nil {
			return paths, err
		}
		paths = append(paths, n.Path)
	}
}

func TestReaderChecksTheFile(t *testing.T) {
	ok := hdr + node("/") + node("/a") + node("/b") + node("/a/x") + node("/b/y") + end(5)
	cases := []struct {
		name, text, err string
	}{
		{"valid", ok, ""},
		{"empty", "", "empty file"},
		{"not an export", `{"hello":1}` + "\n", "not a zkc export"},
		{"newer version", strings.Replace(hdr, `"version":1`, `"version":2`, 1), "format version 2"},
		{"truncated before the end line", hdr + node("/") + node("/a"), "truncated: the file ends after 2 nodes"},
		{"truncated mid-line", hdr + node("/") + `{"path":"/a","da`, "truncated: the last line is incomplete"},
		{"count mismatch", hdr + node("/") + end(2), "counts 2 nodes but the file has 1"},
		{"data after the end", hdr + node("/") + end(1) + node("/z"), "data after the end line"},
		{"root not first", hdr + node("/a") + end(1), `the first node must be the root`},
		{"siblings out of order", hdr + node("/") + node("/b") + node("/a") + end(3), "out of order"},
		{"orphan", hdr + node("/") + node("/a") + node("/q/x") + end(3), "out of order or its parent is missing"},
		{"child before its parent's siblings", hdr + node("/") + node("/a") + node("/a/x") + node("/b") + end(4), "out of order"},
		{"bad path", hdr + node("/") + node("/a//b") + end(2), "bad path"},
		{"bad json", hdr + node("/") + "{nope}\n" + end(2), "not valid JSON"},
		{"unknown field", hdr + strings.Replace(node("/"), `"path"`, `"paht":"x","path"`, 1) + end(1), "unknown field"},
		{"bad base64", hdr + `{"path":"/","data":"!!","encoding":"base64","type":"persistent"}` + "\n" + end(1), "bad base64"},
		{"bad perms", hdr + strings.Replace(node("/"), "cdrwa", "cdrwz", 1) + end(1), "bad permissions"},
		{"unknown type", hdr + strings.Replace(node("/"), "persistent", "container", 1) + end(1), "unknown type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(t, c.text)
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error = %v, want one containing %q", err, c.err)
			}
		})
	}
}

func TestNullEmptyAndBinaryDataRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]byte{"/": nil, "/bin": {0, 1, 0xff}, "/empty": {}, "/null": nil, "/text": []byte("héllo\n")}
	for _, p := range []string{"/", "/bin", "/empty", "/null", "/text"} {
		if err := w.Write(NewNode(p, values[p], nil, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range readNodes(t, buf.Bytes()) {
		want := values[n.Path]
		if !bytes.Equal(n.Data(), want) || (n.Data() == nil) != (want == nil) {
			t.Errorf("%s: data %q (nil %v), want %q (nil %v)", n.Path, n.Data(), n.Data() == nil, want, want == nil)
		}
	}
}

func TestGzipTruncationIsReported(t *testing.T) {
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	io.WriteString(zw, hdr+node("/")+end(1))
	zw.Close()
	cut := zbuf.Bytes()[:zbuf.Len()-10]
	f, err := OpenFile(t.Context(), "-", bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(f, "x.gz")
	if err == nil {
		for err == nil {
			_, err = r.Next()
		}
	}
	if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("error = %v, want a truncation", err)
	}
}

// readNodes reads a whole export that must be valid.
func readNodes(t *testing.T, b []byte) []*Node {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), "export")
	if err != nil {
		t.Fatal(err)
	}
	var out []*Node
	for {
		n, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
}
