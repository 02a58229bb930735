package transfer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/zkc-cli/zkc/session"
)

// Endpoint is one side of cp, mv or diff: a path on the current session, a
// path on another ensemble (zk://host:port[,host:port]/path), or an export
// file (file:NAME, or a name ending in .ndjson, .ndjson.gz, .jsonl or
// .jsonl.gz; "-" is stdin).
type Endpoint struct {
	Server string // connect string of another ensemble; "" is the current session
	Path   string // znode path (relative ones are resolved by the caller)
	File   string // export file name
}

// ParseEndpoint reads one side. A chroot written in a zk:// URL is simply
// part of the path: /app/config under chroot /app is the server's
// /app/config either way.
func ParseEndpoint(arg string) (Endpoint, error) {
	switch {
	case arg == "-":
		return Endpoint{File: "-"}, nil
	case strings.HasPrefix(arg, "file:"):
		name := strings.TrimPrefix(arg, "file:")
		if name == "" {
			return Endpoint{}, fmt.Errorf("file: needs a file name")
		}
		return Endpoint{File: name}, nil
	case strings.HasPrefix(arg, "zk://"):
		rest := strings.TrimPrefix(arg, "zk://")
		hosts, p, found := strings.Cut(rest, "/")
		p = "/" + p
		if !found {
			p = "/"
		}
		if len(p) > 1 {
			p = strings.TrimSuffix(p, "/")
		}
		if hosts == "" {
			return Endpoint{}, fmt.Errorf("%s: no host (want zk://host:port[,host:port]/path)", arg)
		}
		if _, err := session.ParseConnectString(hosts); err != nil {
			return Endpoint{}, fmt.Errorf("%s: %v", arg, err)
		}
		if err := session.ValidatePath(p, false); err != nil {
			return Endpoint{}, fmt.Errorf("%s: %v", arg, err)
		}
		return Endpoint{Server: hosts, Path: p}, nil
	}
	for _, ext := range []string{".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz"} {
		if strings.HasSuffix(arg, ext) {
			return Endpoint{File: arg}, nil
		}
	}
	return Endpoint{Path: arg}, nil
}

// String names the side in messages.
func (e Endpoint) String() string {
	switch {
	case e.File != "":
		return e.File
	case e.Server != "":
		return "zk://" + e.Server + e.Path
	}
	return e.Path
}

// Tree is an opened side, read in `ls -R` order.
type Tree struct {
	Root  string // the znode path its "/" stands for
	Next  Next
	close func()
}

// Close ends the reading and releases what it holds.
func (t *Tree) Close() {
	if t.close != nil {
		t.close()
	}
}

// Sessions gives the session of an endpoint: the current one for "", or a
// new one to server with the current settings (release closes that).
type Sessions func(ctx context.Context, server string) (s *session.Session, release func(), err error)

// OpenTree opens a side for reading: a file is read (and checked) as it
// goes; a live tree is read by ReadTree.
func OpenTree(ctx context.Context, e Endpoint, sessions Sessions, stdin io.Reader, o TreeOptions) (*Tree, error) {
	if e.File != "" {
		f, err := OpenFile(ctx, e.File, stdin)
		if err != nil {
			return nil, err
		}
		r, err := NewReader(f, e.File)
		if err != nil {
			f.Close()
			return nil, err
		}
		return &Tree{Root: r.Header.Root, Next: r.Next, close: func() { f.Close() }}, nil
	}
	s, release, err := sessions(ctx, e.Server)
	if err != nil {
		return nil, err
	}
	next, stop := Pull(ctx, func(ctx context.Context, emit func(*Node) error) error {
		return ReadTree(ctx, s, e.Path, o, emit)
	})
	return &Tree{Root: e.Path, Next: next, close: func() { stop(); release() }}, nil
}
