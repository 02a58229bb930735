package walk

import "testing"

// level is a depth that has shown nodes fetched, each with kids children
// (the counts as the walker keeps them).
func level(nodes, kids int) levelCount {
	var c levelCount
	for i := 0; i < nodes; i++ {
		c.add(kids)
	}
	return c
}

// TestExpectKids pins the guesses that keep the lookahead a bound. In the
// benchmark's tree (100 children per parent, the first 1,898 nodes at depth
// 2 parents and the rest leaves) a walk fetched 63 leaves of the far end
// of depth 2 first; guessing by that depth's recent average alone then made
// every other node at depth 2 a leaf, free to launch, and the walk held the
// whole tree (RSS 55-70 MB instead of 28 in one run of six).
func TestExpectKids(t *testing.T) {
	parentOf := func(kidsFetched, grandkids int32) *walkNode {
		return &walkNode{fam: &family{kidsFetched: kidsFetched, grandkids: grandkids}}
	}
	cases := []struct {
		name   string
		seen   []levelCount
		parent *walkNode
		depth  int32
		want   int32
	}{
		{"siblings tell", []levelCount{level(1, 100), level(100, 100)}, parentOf(10, 1000), 2, 100},
		{"siblings say leaves", []levelCount{level(1, 100), level(100, 100)}, parentOf(10, 0), 2, 0},
		{"siblings round up", []levelCount{level(1, 100)}, parentOf(3, 1), 1, 1},
		{"nothing known yet", nil, parentOf(0, 0), 0, 1},
		{"a depth not reached yet takes the shallower one's", []levelCount{level(1, 100), level(100, 100)}, parentOf(0, 0), 2, 100},
		{"a few far leaves do not make a depth free", []levelCount{level(1, 100), level(100, 100), level(63, 0)}, parentOf(0, 0), 2, 100},
		{"a depth shown to be leaves is", []levelCount{level(1, 100), level(100, 100), level(2000, 0)}, parentOf(0, 0), 2, 0},
		{"a depth follows its recent nodes", []levelCount{level(1, 100), level(100, 100), func() levelCount {
			c := level(1898, 100)
			for i := 0; i < 1000; i++ {
				c.add(0)
			}
			return c
		}()}, parentOf(0, 0), 2, 0},
		{"an unvouched guess is never 0 before the evidence", []levelCount{level(1, 0), level(10, 0)}, parentOf(0, 0), 1, 1},
		{"a shallower depth's evidence does not hide the depth's own", []levelCount{level(1, 100), level(2000, 0), level(500, 100)}, parentOf(0, 0), 2, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := &walker{seen: c.seen}
			if got := w.expectKids(c.parent, c.depth); got != c.want {
				t.Errorf("expectKids = %d, want %d", got, c.want)
			}
		})
	}
}
