package format

import (
	"bytes"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

func TestHex(t *testing.T) {
	for v, want := range map[int64]string{0: "0x0", 0x3b3: "0x3b3", 0x1000001f7de000c: "0x1000001f7de000c", -1: "0xffffffffffffffff"} {
		if got := Hex(v); got != want {
			t.Errorf("Hex(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestJavaDate(t *testing.T) {
	ms := time.Date(2026, 11, 21, 21, 16, 0, 0, time.UTC).UnixMilli()
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	cases := []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "Sat Nov 21 21:16:00 UTC 2026"},
		{kolkata, "Sun Nov 22 02:46:00 IST 2026"},
		{time.FixedZone("", 5*3600+1800), "Sun Nov 22 02:46:00 GMT+05:30 2026"},
		{time.FixedZone("", -3*3600), "Sat Nov 21 18:16:00 GMT-03:00 2026"},
	}
	for _, c := range cases {
		if got := JavaDate(ms, c.loc); got != c.want {
			t.Errorf("JavaDate in %v = %q, want %q", c.loc, got, c.want)
		}
	}
	if got := JavaDate(0, time.UTC); got != "Thu Jan 01 00:00:00 UTC 1970" {
		t.Errorf("epoch = %q", got)
	}
}

func TestData(t *testing.T) {
	cases := []struct {
		in   []byte
		want string
	}{
		{nil, "null\n"},
		{[]byte{}, "\n"},
		{[]byte("héllo"), "héllo\n"},
		// zkCli (Java) replaces every invalid byte: ff fe 00 41 c3 a9 0a 42.
		{[]byte{0xff, 0xfe, 0x00, 0x41, 0xc3, 0xa9, 0x0a, 0x42}, "\uFFFD\uFFFD\x00Aé\nB\n"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := Data(&b, c.in); err != nil || b.String() != c.want {
			t.Errorf("Data(%q) = %q, %v; want %q", c.in, b.String(), err, c.want)
		}
	}
}

func TestStatBlock(t *testing.T) {
	st := &zk.Stat{Czxid: 8, Mzxid: 0x4a, Pzxid: 8, Version: 2, DataLength: 5,
		Ctime: time.Date(2026, 11, 21, 21, 16, 0, 0, time.UTC).UnixMilli(),
		Mtime: time.Date(2026, 11, 21, 21, 16, 41, 0, time.UTC).UnixMilli()}
	var b bytes.Buffer
	if err := Stat(&b, st, time.UTC, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	want := "cZxid = 0x8\nctime = Sat Nov 21 21:16:00 UTC 2026\nmZxid = 0x4a\nmtime = Sat Nov 21 21:16:41 UTC 2026\n" +
		"pZxid = 0x8\ncversion = 0\ndataVersion = 2\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 5\nnumChildren = 0\n"
	if b.String() != want {
		t.Errorf("stat block:\n%s\nwant:\n%s", b.String(), want)
	}
}
