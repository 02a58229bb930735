package walk

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// sortNames must give exactly slices.Sort's order, whatever the names
// share: nothing, a prefix, exactly keyBytes bytes, or lengths around them.
func TestSortNamesMatchesByteOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	word := func(alphabet string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	cases := map[string]func(i int) string{
		"short":       func(i int) string { return fmt.Sprintf("n%03d", i) },
		"sequential":  func(i int) string { return fmt.Sprintf("lock-%010d", rng.Intn(1e9)) },
		"shared six":  func(i int) string { return "abcdef" + word("xy", rng.Intn(4)) },
		"around key":  func(i int) string { return word("ab", 1+rng.Intn(9)) },
		"high bytes":  func(i int) string { return word("a\x7f\x80\xc3\xa9\xff", 1+rng.Intn(8)) },
		"one prefix":  func(i int) string { return "p" + word("pq", rng.Intn(12)) },
		"very common": func(i int) string { return strings.Repeat("z", 20) + word("0123456789", 1+rng.Intn(3)) },
	}
	var sc scratch
	for name, gen := range cases {
		for _, n := range []int{1, 15, 16, 17, 100, 5000} {
			seen := map[string]bool{}
			var names []string
			for tries := 0; len(names) < n && tries < 100*n; tries++ {
				if s := gen(len(names)); !seen[s] {
					seen[s] = true
					names = append(names, s)
				}
			}
			want := slices.Clone(names)
			slices.Sort(want)
			sortNames(names, &sc)
			if !slices.Equal(names, want) {
				t.Errorf("%s, %d names: got %q..., want %q...", name, len(names), names[:min(5, len(names))], want[:min(5, len(want))])
			}
		}
	}
}

func FuzzSortNames(f *testing.F) {
	f.Add("n000 n001 n010 n002 n100 n011 n003 n004 n005 n006 n007 n008 n009 n012 n013 n014 n015")
	f.Add("abcdefg abcdef abcdefgh abcdeg abcdefa b a c d e f g h i j k l m")
	f.Fuzz(func(t *testing.T, list string) {
		// Names as ZooKeeper returns them: distinct, non-empty, no NUL
		// and no slash.
		seen := map[string]bool{}
		var names []string
		for _, s := range strings.Fields(list) {
			if !seen[s] && !strings.ContainsAny(s, "\x00/") {
				seen[s] = true
				names = append(names, s)
			}
		}
		// Repeat the list with suffixes so short inputs reach the
		// integer sort too.
		for i := 0; len(names) > 0 && len(names) < 16; i++ {
			s := names[i] + "~"
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
		want := slices.Clone(names)
		slices.Sort(want)
		var sc scratch
		sortNames(names, &sc)
		if !slices.Equal(names, want) {
			t.Fatalf("got %q, want %q", names, want)
		}
	})
}
