// Package zpath resolves znode paths typed relative to the shell's current
// znode (cd): "a/b", "./a", "../x". Absolute paths pass through untouched, so
// zkCli's own validation still refuses "/a/../b" exactly as zkCli does.
package zpath

import "strings"

// Resolve returns p made absolute against cwd (an absolute, clean znode
// path; "" means "/"). An empty p is returned as is (the command's own
// validation reports it). A trailing "/" is kept, for sequential creates
// ("create -s lock/"). ".." above the root stays at the root, as in a
// file system.
func Resolve(cwd, p string) string {
	if p == "" || p[0] == '/' {
		return p
	}
	if cwd == "" {
		cwd = "/"
	}
	parts := Split(cwd)
	for _, el := range strings.Split(p, "/") {
		switch el {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, el)
		}
	}
	out := "/" + strings.Join(parts, "/")
	if strings.HasSuffix(p, "/") && out != "/" {
		out += "/"
	}
	return out
}

// Clean is Resolve without the trailing slash: where a path names an
// existing node (cd).
func Clean(cwd, p string) string {
	r := Resolve(cwd, p)
	if len(r) > 1 {
		r = strings.TrimSuffix(r, "/")
	}
	return r
}

// Split returns the names along an absolute path ("/" has none).
func Split(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// Join appends a child's name to a parent path.
func Join(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// Depth is how many levels p lies below root (0 for root itself); p must be
// root or under it.
func Depth(root, p string) int {
	if len(p) <= len(root) {
		return 0
	}
	rest := p[len(root):]
	if root == "/" {
		return strings.Count(rest, "/") + 1
	}
	return strings.Count(rest, "/")
}

// Parent is the parent of an absolute path: "/" for a node directly under
// the root, and for the root itself.
func Parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// Base is the last name of p ("/" for the root).
func Base(p string) string {
	if p == "/" {
		return "/"
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}

// Rel returns p relative to cwd when it lies under it (for display), else p.
func Rel(cwd, p string) string {
	switch {
	case cwd == "" || cwd == "/":
		return p
	case p == cwd:
		return "."
	case strings.HasPrefix(p, cwd+"/"):
		return p[len(cwd)+1:]
	}
	return p
}
