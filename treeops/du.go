package treeops

import (
	"container/heap"
	"sort"
)

// DuEntry is one node's totals: Bytes and Nodes over its whole subtree
// (itself included), Children its direct children.
type DuEntry struct {
	Path     string
	Depth    int
	Bytes    int64
	Nodes    int64
	Children int64
}

// Du sums data bytes and node counts per subtree from nodes in pre-order
// (the walk's order). Each node's totals are final once the walk has left
// its subtree; Add then hands them to Done (post-order, as du prints).
// Memory is the open ancestors only.
type Du struct {
	Done  func(e DuEntry) error
	stack []DuEntry
}

// Add takes the next node in pre-order with its own data size and child count.
func (d *Du) Add(path string, depth int, bytes, children int64) error {
	if err := d.closeTo(depth); err != nil {
		return err
	}
	d.stack = append(d.stack, DuEntry{Path: path, Depth: depth, Bytes: bytes, Nodes: 1, Children: children})
	return nil
}

// Finish closes the remaining open nodes, the root last.
func (d *Du) Finish() error { return d.closeTo(0) }

// closeTo completes the open nodes at depth >= depth, deepest first, adding
// each one's totals to its parent.
func (d *Du) closeTo(depth int) error {
	for len(d.stack) > 0 && d.stack[len(d.stack)-1].Depth >= depth {
		e := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if len(d.stack) > 0 {
			p := &d.stack[len(d.stack)-1]
			p.Bytes += e.Bytes
			p.Nodes += e.Nodes
		}
		if d.Done != nil {
			if err := d.Done(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// DuKey picks the measure --top ranks by.
type DuKey string

const (
	ByBytes    DuKey = "bytes"
	ByNodes    DuKey = "nodes"
	ByChildren DuKey = "children"
)

// Of returns e's measure for the key.
func (k DuKey) Of(e DuEntry) int64 {
	switch k {
	case ByNodes:
		return e.Nodes
	case ByChildren:
		return e.Children
	}
	return e.Bytes
}

// Top keeps the N largest entries by a key, in O(N) memory.
type Top struct {
	N   int
	Key DuKey
	h   topHeap
}

// Offer considers e.
func (t *Top) Offer(e DuEntry) {
	t.h.key = t.Key
	if t.N <= 0 {
		return
	}
	if len(t.h.items) < t.N {
		heap.Push(&t.h, e)
		return
	}
	if t.h.less(t.h.items[0], e) {
		t.h.items[0] = e
		heap.Fix(&t.h, 0)
	}
}

// Sorted returns the kept entries, largest first (ties by path).
func (t *Top) Sorted() []DuEntry {
	out := append([]DuEntry(nil), t.h.items...)
	sort.Slice(out, func(i, j int) bool { return t.h.less(out[j], out[i]) })
	return out
}

// topHeap is a min-heap: the smallest kept entry on top.
type topHeap struct {
	key   DuKey
	items []DuEntry
}

func (h *topHeap) less(a, b DuEntry) bool {
	ka, kb := h.key.Of(a), h.key.Of(b)
	if ka != kb {
		return ka < kb
	}
	return a.Path > b.Path // on ties the earlier path ranks higher
}

func (h *topHeap) Len() int           { return len(h.items) }
func (h *topHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *topHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topHeap) Push(x interface{}) { h.items = append(h.items, x.(DuEntry)) }
func (h *topHeap) Pop() interface{} {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
