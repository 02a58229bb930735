package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// fakeZK is an in-memory ZooKeeper tree behind the Client interface: the
// fast layer under the real-server transcripts (which stay the authority).
// It keeps versions, child counts and ACLs; zxids and times are counters.
type fakeZK struct {
	mu    sync.Mutex
	zxid  int64
	nodes map[string]*fakeNode
}

type fakeNode struct {
	data []byte
	acl  []zk.ACL
	stat zk.Stat
	seq  int32
}

func newFakeZK() *fakeZK {
	f := &fakeZK{nodes: map[string]*fakeNode{}}
	for _, p := range []string{"/", "/zookeeper", "/zookeeper/quota"} {
		f.nodes[p] = &fakeNode{acl: zk.WorldACL(zk.PermAll)}
	}
	f.nodes["/"].stat.NumChildren = 1
	f.nodes["/zookeeper"].stat.NumChildren = 1
	return f
}

func parentOf(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

func (f *fakeZK) node(p string) (*fakeNode, error) {
	n, ok := f.nodes[p]
	if !ok {
		return nil, zk.ErrNoNode
	}
	return n, nil
}

func (f *fakeZK) kids(p string) []string {
	var out []string
	for q := range f.nodes {
		if q != "/" && parentOf(q) == p {
			out = append(out, q[strings.LastIndexByte(q, '/')+1:])
		}
	}
	return out
}

func (f *fakeZK) Get(_ context.Context, p string, _ bool) ([]byte, *zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return nil, nil, err
	}
	st := n.stat
	return n.data, &st, nil
}

func (f *fakeZK) Exists(_ context.Context, p string, _ bool) (bool, *zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return false, nil, nil
	}
	st := n.stat
	return true, &st, nil
}

func (f *fakeZK) Children(_ context.Context, p string, _ bool) ([]string, *zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return nil, nil, err
	}
	st := n.stat
	return f.kids(p), &st, nil
}

func (f *fakeZK) MultiReadInto(ctx context.Context, ops []session.ReadOp, _ []session.ReadResult) ([]session.ReadResult, error) {
	out := make([]session.ReadResult, len(ops))
	for i, op := range ops {
		r := &out[i]
		if op.Data {
			r.Data, r.Stat, r.Err = f.Get(ctx, op.Path, false)
		} else {
			r.Children, _, r.Err = f.Children(ctx, op.Path, false)
		}
	}
	return out, nil
}

func (f *fakeZK) GetACL(_ context.Context, p string) ([]zk.ACL, *zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return nil, nil, err
	}
	st := n.stat
	return n.acl, &st, nil
}

func (f *fakeZK) Create(_ context.Context, p string, data []byte, mode session.CreateMode, acl []zk.ACL) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parent, err := f.node(parentOf(p))
	if err != nil {
		return "", err
	}
	if mode.Sequential {
		p = fmt.Sprintf("%s%010d", p, parent.seq)
	}
	if _, ok := f.nodes[p]; ok {
		return "", zk.ErrNodeExists
	}
	parent.seq++
	parent.stat.Cversion++
	parent.stat.NumChildren++
	f.zxid++
	n := &fakeNode{data: data, acl: acl}
	n.stat = zk.Stat{Czxid: f.zxid, Mzxid: f.zxid, Pzxid: f.zxid, Ctime: 1e12, Mtime: 1e12, DataLength: int32(len(data))}
	f.nodes[p] = n
	return p, nil
}

func (f *fakeZK) Set(_ context.Context, p string, data []byte, version int32) (*zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return nil, err
	}
	if version >= 0 && version != n.stat.Version {
		return nil, zk.ErrBadVersion
	}
	f.zxid++
	n.data = data
	n.stat.Version++
	n.stat.Mzxid = f.zxid
	n.stat.DataLength = int32(len(data))
	st := n.stat
	return &st, nil
}

func (f *fakeZK) Delete(_ context.Context, p string, version int32) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return err
	}
	if version >= 0 && version != n.stat.Version {
		return zk.ErrBadVersion
	}
	if len(f.kids(p)) > 0 {
		return zk.ErrNotEmpty
	}
	delete(f.nodes, p)
	parent := f.nodes[parentOf(p)]
	parent.stat.NumChildren--
	parent.stat.Cversion++
	return nil
}

func (f *fakeZK) SetACL(_ context.Context, p string, acl []zk.ACL, version int32) (*zk.Stat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.node(p)
	if err != nil {
		return nil, err
	}
	if version >= 0 && version != n.stat.Aversion {
		return nil, zk.ErrBadVersion
	}
	n.acl = acl
	n.stat.Aversion++
	st := n.stat
	return &st, nil
}

func (f *fakeZK) Sync(_ context.Context, p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, err := f.node(p)
	return err
}

func (f *fakeZK) GetAllChildrenNumber(_ context.Context, p string) (int32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.node(p); err != nil {
		return 0, err
	}
	n := int32(0)
	for q := range f.nodes {
		if q != p && strings.HasPrefix(q, strings.TrimSuffix(p, "/")+"/") {
			n++
		}
	}
	return n, nil
}

func (f *fakeZK) GetEphemerals(context.Context, string) ([]string, error) { return nil, nil }
func (f *fakeZK) WhoAmI(context.Context) ([]session.ClientInfo, error) {
	return []session.ClientInfo{{AuthScheme: "ip", User: "127.0.0.1"}}, nil
}
func (f *fakeZK) GetConfig(context.Context, bool) ([]byte, *zk.Stat, error) {
	return nil, &zk.Stat{}, nil
}
func (f *fakeZK) Subscribe(func(session.Event)) func() { return func() {} }
func (f *fakeZK) Timeout() time.Duration               { return 10 * time.Second }
func (f *fakeZK) Target() session.Target {
	return session.Target{Raw: "fake:2181", Hosts: []string{"fake:2181"}}
}
func (f *fakeZK) SASLLogin() (string, string) { return "", "" }

// fakeConn is a Connector whose verbs get the fake as their Client.
type fakeConn struct{ zk *fakeZK }

var errNoRealSession = errors.New("the fast tests have no real session")

func (c fakeConn) Client(context.Context) (Client, error)            { return c.zk, nil }
func (c fakeConn) Session(context.Context) (*session.Session, error) { return nil, errNoRealSession }
func (c fakeConn) Current() *session.Session                         { return nil }
func (c fakeConn) Reconnect(context.Context, string) error           { return errNoRealSession }
func (c fakeConn) Close()                                            {}
func (c fakeConn) OpenOther(context.Context, string) (*session.Session, error) {
	return nil, errNoRealSession
}

// fakeRun runs command lines against one fake tree, as one-shot runs would,
// and returns each one's stdout, stderr and exit code.
func fakeRun(t *testing.T, f *fakeZK, output string, line ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Out: &out, Err: &errb, Mode: ModeOneShot, Output: output, Conn: fakeConn{f}, Colors: PlainPalette()}
	style := format.PlainStyle()
	style.Loc = time.UTC
	p, err := format.New(output, &out, &errb, style)
	if err != nil {
		t.Fatal(err)
	}
	env.Printer = p
	err = ExecuteLine(context.Background(), env, line)
	PrintError(&errb, err, PlainPalette().Error)
	return out.String(), errb.String(), ExitCode(err)
}

// The verbs' run functions against the fake: what they print for each
// outcome, on which stream, with which exit code.
func TestVerbsOnFakeSession(t *testing.T) {
	f := newFakeZK()
	statBlock := "cZxid = 0x1\nctime = Sun Sep 09 01:46:40 UTC 2001\nmZxid = 0x1\nmtime = Sun Sep 09 01:46:40 UTC 2001\n" +
		"pZxid = 0x1\ncversion = 0\ndataVersion = 0\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 5\nnumChildren = 0\n"
	cases := []struct {
		output       string
		line         []string
		stdout, errs string
		code         int
	}{
		{"text", []string{"create", "/a", "hello"}, "", "Created /a\n", ExitOK},
		{"text", []string{"get", "/a"}, "hello\n", "", ExitOK},
		{"text", []string{"get", "-s", "/a"}, "hello\n" + statBlock, "", ExitOK},
		{"text", []string{"stat", "/a"}, statBlock, "", ExitOK},
		{"text", []string{"get", "-b", "/a"}, "aGVsbG8=\n", "", ExitOK},
		{"json", []string{"get", "/a"}, `{"path":"/a","data":"hello","encoding":"utf-8","stat":{"cZxid":1,"ctime":"2001-09-09T01:46:40Z","mZxid":1,"mtime":"2001-09-09T01:46:40Z","pZxid":1,"cversion":0,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":5,"numChildren":0}}` + "\n", "", ExitOK},
		{"json", []string{"get", "-x", "/a"}, "", "-x cannot be combined with -o json\nget [-s] [-w] [-b] [-x] path\n", ExitUsage},
		{"text", []string{"create", "/a", "again"}, "", "Node already exists: /a\n", ExitNodeExists},
		{"text", []string{"create", "/a/b"}, "", "Created /a/b\n", ExitOK},
		{"text", []string{"create", "-s", "/a/s-"}, "", "Created /a/s-0000000001\n", ExitOK},
		{"json", []string{"create", "/a/c", "x"}, `{"path":"/a/c","created":"/a/c"}` + "\n", "", ExitOK},
		{"text", []string{"ls", "/a"}, "[b, c, s-0000000001]\n", "", ExitOK},
		{"json", []string{"ls", "/a/b"}, `{"path":"/a/b","children":[],"stat":{"cZxid":2,"ctime":"2001-09-09T01:46:40Z","mZxid":2,"mtime":"2001-09-09T01:46:40Z","pZxid":2,"cversion":0,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":0,"numChildren":0}}` + "\n", "", ExitOK},
		{"text", []string{"ls", "-R", "/a"}, "/a\n/a/b\n/a/c\n/a/s-0000000001\n", "", ExitOK},
		{"json", []string{"ls", "-R", "/a/b"}, `{"path":"/a/b"}` + "\n", "", ExitOK},
		{"text", []string{"getAllChildrenNumber", "/a"}, "3\n", "", ExitOK},
		{"text", []string{"set", "-v", "7", "/a", "x"}, "", "version No is not valid : /a\n", ExitBadVersion},
		{"text", []string{"set", "/a", "bye"}, "", "", ExitOK},
		{"text", []string{"get", "/a"}, "bye\n", "", ExitOK},
		{"text", []string{"delete", "/a"}, "", "Node not empty: /a\n", ExitNotEmpty},
		{"text", []string{"delete", "/a/b"}, "", "", ExitOK},
		{"text", []string{"stat", "/a/b"}, "", "Node does not exist: /a/b\n", ExitNoNode},
		{"text", []string{"get", "/a/"}, "", "Path must not end with / character\n", ExitUsage},
		{"text", []string{"getAcl", "/a"}, "'world,'anyone\n: cdrwa\n", "", ExitOK},
		{"json", []string{"getAcl", "/a/c"}, `{"path":"/a/c","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{"cZxid":4,"ctime":"2001-09-09T01:46:40Z","mZxid":4,"mtime":"2001-09-09T01:46:40Z","pZxid":4,"cversion":0,"dataVersion":0,"aclVersion":0,"ephemeralOwner":0,"dataLength":1,"numChildren":0}}` + "\n", "", ExitOK},
		{"text", []string{"sync", "/a"}, "Sync is OK\n", "", ExitOK},
		{"json", []string{"sync", "/a"}, `{"path":"/a","synced":true}` + "\n", "", ExitOK},
		{"text", []string{"whoami"}, "Auth scheme: User\nip: 127.0.0.1\n", "", ExitOK},
		{"text", []string{"setquota", "-n", "5", "/a"}, "", "", ExitOK},
		{"text", []string{"listquota", "/a"}, "Output quota for /a count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=-1\nOutput stat for /a count=0,bytes=0\n",
			"absolute path is /zookeeper/quota/a/zookeeper_limits\n", ExitOK},
		{"json", []string{"listquota", "/a"}, `{"path":"/a","limits":{"byteHardLimit":-1,"bytes":-1,"count":5,"countHardLimit":-1},"usage":{"bytes":0,"count":0}}` + "\n", "", ExitOK},
		{"text", []string{"setquota", "-n", "5", "/a/c"}, "", "/a/c has a parent /a which has a quota\n", ExitError},
		{"text", []string{"delquota", "/a"}, "", "", ExitOK},
		{"text", []string{"listquota", "/a"}, "", "absolute path is /zookeeper/quota/a/zookeeper_limits\nquota for /a does not exist.\n", ExitNoNode},
		{"text", []string{"version"}, "ZooKeeper CLI version: zkc " + Version + "\n", "", ExitOK},
	}
	for _, c := range cases {
		out, errs, code := fakeRun(t, f, c.output, c.line...)
		if out != c.stdout || errs != c.errs || code != c.code {
			t.Errorf("-o %s %s:\n stdout %q\n   want %q\n stderr %q\n   want %q\n exit %d, want %d",
				c.output, strings.Join(c.line, " "), out, c.stdout, errs, c.errs, code, c.code)
		}
	}
	// Nothing the fake was asked to do left it inconsistent.
	for p, n := range f.nodes {
		if got := int32(len(f.kids(p))); got != n.stat.NumChildren && p != "/" {
			t.Errorf("%s: numChildren %d, %d children", p, n.stat.NumChildren, got)
		}
	}
	paths := make([]string, 0, len(f.nodes))
	for p := range f.nodes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if want := "/ /a /a/c /a/s-0000000001 /zookeeper /zookeeper/quota"; strings.Join(paths, " ") != want {
		t.Errorf("tree %v, want %s", paths, want)
	}
}
