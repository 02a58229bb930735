package transfer

import (
	"strings"

	"github.com/zkc-cli/zkc/walk"
	"github.com/zkc-cli/zkc/zpath"
)

// zkCli's `ls -R` lists a node, then all its children (sorted), then recurses
// into each child. A node is thus listed when its parent is visited, and
// parents are visited in pre-order, so a path's place is (its parent's
// pre-order rank, its name): two streams in this order can be merged
// without holding either.

// splitPath returns a path's parent and name ("/" has parent "").
func splitPath(p string) (parent, name string) {
	if p == "/" {
		return "", ""
	}
	return zpath.Parent(p), zpath.Base(p)
}

// Compare orders relative paths as `ls -R` lists them: -1, 0 or 1.
func Compare(a, b string) int {
	if a == b {
		return 0
	}
	if a == "/" {
		return -1
	}
	if b == "/" {
		return 1
	}
	pa, na := splitPath(a)
	pb, nb := splitPath(b)
	if pa != pb {
		if walk.Less(pa, pb) {
			return -1
		}
		return 1
	}
	if na < nb {
		return -1
	}
	return 1
}

// Join maps a path relative to root back to a full path.
func Join(root, rel string) string {
	switch {
	case rel == "/":
		return root
	case root == "/":
		return rel
	}
	return root + rel
}

// Rel maps a full path under root to its relative form.
func Rel(root, full string) string {
	if full == root {
		return "/"
	}
	if root == "/" {
		return full
	}
	return strings.TrimPrefix(full, root)
}

// Under reports whether rel lies strictly below the relative path top.
func Under(rel, top string) bool {
	if top == "/" {
		return rel != "/"
	}
	return strings.HasPrefix(rel, top+"/")
}
