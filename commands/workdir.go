package commands

import (
	"sync"

	"github.com/zkc-cli/zkc/zpath"
)

// WorkDir is the shell's current znode, which cd changes and relative paths
// resolve against. The shell owns one for its whole run; one-shot mode has
// none (relative paths resolve against "/", the chroot's root).
type WorkDir struct {
	mu        sync.Mutex
	cur, prev string
}

// NewWorkDir starts at "/".
func NewWorkDir() *WorkDir { return &WorkDir{cur: "/", prev: "/"} }

// Get returns the current znode.
func (d *WorkDir) Get() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cur
}

// Previous returns the znode before the last cd (cd -).
func (d *WorkDir) Previous() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.prev
}

// Set changes the current znode, remembering the old one for cd -.
func (d *WorkDir) Set(p string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prev, d.cur = d.cur, p
}

// Cwd is the current znode: the shell's, or "/" in one-shot mode.
func (e *Env) Cwd() string {
	if e.Dir == nil {
		return "/"
	}
	return e.Dir.Get()
}

// Resolve makes a path typed by the user absolute (see zpath.Resolve).
func (e *Env) Resolve(p string) string { return zpath.Resolve(e.Cwd(), p) }

// ArgKindAt is the kind of the positional argument at index i (the last
// kind repeats for commands without an upper bound).
func (c *Command) ArgKindAt(i int) ArgKind {
	switch {
	case c.MaxArgs >= 0 && i >= c.MaxArgs:
		return ArgNone
	case i < len(c.Args):
		return c.Args[i]
	case len(c.Args) > 0 && c.MaxArgs < 0:
		return c.Args[len(c.Args)-1]
	}
	return ArgNone
}

// resolveArgs makes the znode-path positionals absolute. Commands that parse
// their own arguments (NoFlags) resolve theirs.
func (c *Command) resolveArgs(env *Env, args []string) []string {
	if c.NoFlags || c.OwnPaths {
		return args
	}
	out := args
	for i, a := range args {
		if c.ArgKindAt(i) != ArgPath {
			continue
		}
		if r := env.Resolve(a); r != a {
			if &out[0] == &args[0] {
				out = append([]string(nil), args...)
			}
			out[i] = r
		}
	}
	return out
}
