package transfer

import (
	"sort"
	"testing"
)

// lsROrder lists a tree as zkCli's ls -R does: a node, its sorted children,
// then each child's subtree.
func lsROrder(tree map[string][]string, root string) []string {
	out := []string{root}
	var visit func(p string)
	visit = func(p string) {
		kids := append([]string(nil), tree[p]...)
		sort.Strings(kids)
		for _, k := range kids {
			out = append(out, childOf(p, k))
		}
		for _, k := range kids {
			visit(childOf(p, k))
		}
	}
	visit(root)
	return out
}

func childOf(p, name string) string {
	if p == "/" {
		return "/" + name
	}
	return p + "/" + name
}

func TestCompareIsLsROrder(t *testing.T) {
	trees := map[string]map[string][]string{
		"deep":  {"/": {"a"}, "/a": {"s0", "s1"}, "/a/s0": {"deep"}, "/a/s0/deep": {"x"}, "/a/s1": {"deep2"}},
		"wide":  {"/": {"c", "a", "b", "a-b", "a.b", "a0"}, "/a": {"z", "y"}, "/a-b": {"q"}},
		"empty": {},
		"names": {"/": {"a b", "a", "é", "a/"[:1] + "x"}, "/a b": {"c"}, "/ax": {"k"}},
	}
	for name, tree := range trees {
		t.Run(name, func(t *testing.T) {
			want := lsROrder(tree, "/")
			got := append([]string(nil), want...)
			// Shuffle deterministically, then sort with Compare.
			for i := range got {
				j := (i*7 + 3) % len(got)
				got[i], got[j] = got[j], got[i]
			}
			sort.Slice(got, func(i, j int) bool { return Compare(got[i], got[j]) < 0 })
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("order differs at %d:\n got %q\nwant %q", i, got, want)
				}
			}
		})
	}
}

func TestJoinRel(t *testing.T) {
	for _, c := range []struct{ root, rel, full string }{
		{"/", "/", "/"}, {"/", "/a", "/a"}, {"/app", "/", "/app"}, {"/app", "/x/y", "/app/x/y"},
	} {
		if got := Join(c.root, c.rel); got != c.full {
			t.Errorf("Join(%q, %q) = %q, want %q", c.root, c.rel, got, c.full)
		}
		if got := Rel(c.root, c.full); got != c.rel {
			t.Errorf("Rel(%q, %q) = %q, want %q", c.root, c.full, got, c.rel)
		}
	}
}
