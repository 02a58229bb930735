package commands

import (
	"context"
	"os"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/walk"
	"github.com/zkc-cli/zkc/zpath"
)

// treeOptions are tree's flags.
type treeOptions struct {
	levels     int
	dirs, size bool
}

func newTree() *Command {
	o := &treeOptions{}
	c := &Command{
		Name:  "tree",
		Usage: "tree [-L depth] [-d] [-s] [path]",
		Short: "Draw the subtree as tree(1) draws directories",
		Long: "Siblings are sorted as ls sorts them; branches are box-drawing characters, or ASCII when the\n" +
			"locale (LC_ALL, LC_CTYPE, LANG) is not UTF-8. -L limits the depth, -d draws only nodes with\n" +
			"children, -s adds each node's data size and child count. A closing line counts the nodes\n" +
			"drawn (the root included) and with -s their data bytes. Without a path tree starts at the\n" +
			"current znode. Nodes the server refuses to read are reported on stderr and drawn without\n" +
			"their subtree; tree then exits non-zero.\n" +
			"With -o json: one nested document {\"path\",\"name\",[\"bytes\",\"numChildren\",]\"children\":[...]}.",
		Example: "tree /app\ntree -L 2 -s /\ntree -d /services",
		Args:    []ArgKind{ArgPath},
		MaxArgs: 1,
		Flags: func(fs *pflag.FlagSet) {
			fs.IntVarP(&o.levels, "level", "L", 0, "descend only this many levels below path")
			fs.BoolVarP(&o.dirs, "nodes-with-children", "d", false, "draw only nodes that have children")
			fs.BoolVarP(&o.size, "size", "s", false, "show each node's data size and child count")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runTree(ctx, env, c, o, args)
	}
	return c
}

func runTree(ctx context.Context, env *Env, c *Command, o *treeOptions, args []string) error {
	if o.levels < 0 {
		return UsageError(c, "tree: -L needs a number > 0")
	}
	root := env.Cwd()
	if len(args) == 1 {
		root = args[0]
	}
	run := newTreeRun(env, "nodes drawn")
	run.visitRefused = true
	glyphs := format.ASCIIGlyphs
	if utf8Locale(os.Getenv) {
		glyphs = format.UnicodeGlyphs
	}
	prefixer := &format.TreePrefixer{Glyphs: glyphs}
	// JSON is one nested document, built as the walk goes (so its
	// memory grows with the tree); text streams one line per node.
	nested := env.JSON()
	var doc []*format.TreeDocNode // the open nodes, by depth
	var rootDoc *format.TreeDocNode
	opts := walk.Options{Data: o.size || o.dirs}
	if o.levels > 0 {
		opts.Levels = o.levels + 1
	}
	var nodes, bytes int64
	emit := func(n treeLine) error {
		nodes++
		if n.stat != nil {
			bytes += int64(n.stat.DataLength)
		}
		if nested {
			d := &format.TreeDocNode{Path: n.path, Name: zpath.Base(n.path), Children: []*format.TreeDocNode{}}
			if o.size && n.stat != nil {
				d.Bytes, d.NumChildren = &n.stat.DataLength, &n.stat.NumChildren
			}
			doc = append(doc[:n.depth], d)
			if n.depth == 0 {
				rootDoc = d
			} else {
				p := doc[n.depth-1]
				p.Children = append(p.Children, d)
			}
			return nil
		}
		name := zpath.Base(n.path)
		if n.depth == 0 {
			name = root // drawn as given, as tree(1) does
		}
		return run.print(format.TreeNode{Path: n.path, Name: name, Prefix: prefixer.Prefix(n.depth, n.last),
			Depth: n.depth, Stat: n.stat, Sizes: o.size})
	}
	// lastKid[d] is the last child of the open node at depth d: a node
	// is its parent's last when it is that child.
	var lastKid []string
	var shown []treeLine // -d: drawn once the tree is known
	err := run.walk(ctx, root, opts, func(n *walk.Node) error {
		tl := treeLine{path: n.Path, depth: n.Depth, stat: n.Stat, last: true}
		if n.Depth > 0 {
			tl.last = lastKid[n.Depth-1] == n.Path
		}
		lastKid = append(lastKid[:n.Depth], "")
		if len(n.Kids) > 0 {
			lastKid[n.Depth] = n.Kids[len(n.Kids)-1]
		}
		if o.dirs {
			if n.Depth == 0 || n.Stat != nil && n.Stat.NumChildren > 0 {
				shown = append(shown, tl)
			}
			return nil
		}
		return emit(tl)
	})
	if o.dirs {
		markLast(shown)
		for _, n := range shown {
			if werr := emit(n); werr != nil {
				return werr
			}
		}
	}
	if nodes > 0 {
		if werr := run.print(format.TreeDoc{Root: rootDoc}); werr != nil {
			return werr
		}
		if werr := run.print(format.TreeSummary{Nodes: nodes, Bytes: bytes, Sizes: o.size}); werr != nil {
			return werr
		}
	}
	if ferr := run.flush(); ferr != nil {
		return ferr
	}
	return err
}

// treeLine is one node tree draws.
type treeLine struct {
	path  string
	depth int
	last  bool
	stat  *zk.Stat
}

// markLast sets Last on nodes given in pre-order: a node is last when no
// sibling follows it before the walk climbs above its depth.
func markLast(nodes []treeLine) {
	var later []bool // later[d]: a sibling at depth d follows
	for i := len(nodes) - 1; i >= 0; i-- {
		d := nodes[i].depth
		if d >= len(later) {
			later = append(later, make([]bool, d+1-len(later))...)
		}
		nodes[i].last = !later[d]
		later[d] = true
		for k := d + 1; k < len(later); k++ {
			later[k] = false
		}
	}
}

// utf8Locale reports whether the locale's character set is UTF-8, as the
// C library decides: the first of LC_ALL, LC_CTYPE, LANG that is set.
func utf8Locale(getenv func(string) string) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}
