package format

import (
	"io"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

// Hot paths of text output: the stat block (get -s, stat, ls -s) and the
// Java-style list (ls).
var benchStat = &zk.Stat{
	Czxid: 0x1a2b3c, Mzxid: 0x1a2b3d, Ctime: 1795296960000, Mtime: 1795296961234, Version: 7,
	Cversion: 12, Aversion: 1, EphemeralOwner: 0x10000abcdef0001, DataLength: 42, NumChildren: 3, Pzxid: 0x1a2b40,
}

func BenchmarkStat(b *testing.B) {
	loc := time.UTC
	id := func(s string) string { return s }
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := Stat(io.Discard, benchStat, loc, id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList(b *testing.B) {
	items := make([]string, 100)
	for i := range items {
		items[i] = "node-" + string(rune('a'+i%26)) + "0000000042"
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := List(io.Discard, items); err != nil {
			b.Fatal(err)
		}
	}
}
