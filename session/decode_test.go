package session

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/go-zookeeper/zk"
)

// multiRead answers are decoded by hand: names share one allocation, and a
// count the bytes cannot hold is refused before anything is allocated.
func TestMultiReadDecode(t *testing.T) {
	be32 := func(b []byte, v int32) []byte { return binary.BigEndian.AppendUint32(b, uint32(v)) }
	head := func(b []byte, typ int32, done bool) []byte {
		b = be32(b, typ)
		if done {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		return be32(b, -1)
	}
	names := func(b []byte, ns ...string) []byte {
		b = be32(head(b, opGetChildren, false), int32(len(ns)))
		for _, n := range ns {
			b = append(be32(b, int32(len(n))), n...)
		}
		return b
	}
	var ok []byte
	ok = names(ok, "b", "a", "")
	ok = names(ok)
	ok = names(ok, "", "")
	ok = be32(head(ok, opError, false), -101)
	ok = head(ok, -1, true)
	var m multiReadResponse
	if _, err := m.Decode(ok); err != nil {
		t.Fatal(err)
	}
	want := []ReadResult{{Children: []string{"b", "a", ""}}, {}, {Children: []string{"", ""}}, {Err: zk.ErrNoNode}}
	if !reflect.DeepEqual(m.results, want) {
		t.Fatalf("got %#v\nwant %#v", m.results, want)
	}

	for name, buf := range map[string][]byte{
		"a count beyond the answer": be32(head(nil, opGetChildren, false), 1<<30),
		"a name beyond the answer":  append(be32(be32(head(nil, opGetChildren, false), 2), 1), 'x'),
		"cut in a header":           ok[:3],
	} {
		var m multiReadResponse
		if _, err := m.Decode(buf); !errors.Is(err, zk.ErrShortBuffer) {
			t.Errorf("%s: %v, want ErrShortBuffer", name, err)
		}
	}
}
