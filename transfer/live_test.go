package transfer

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/zkharness"
)

// fastContainers makes the server delete empty containers and expired TTL
// nodes within a fraction of a second, so tests can see the node types.
var fastContainers = zkharness.Config{JVMProps: map[string]string{"znode.container.checkIntervalMs": "100"}}

func open(t *testing.T, srv *zkharness.Server, creds ...session.Credential) *session.Session {
	t.Helper()
	target, err := session.ParseConnectString(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.Open(context.Background(), session.Options{Target: target, Timeout: 10 * time.Second, Auth: creds})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func digestID(user, pass string) string {
	h := sha1.Sum([]byte(user + ":" + pass))
	return user + ":" + base64.StdEncoding.EncodeToString(h[:])
}

func mustCreate(t *testing.T, s *session.Session, p string, data []byte, mode session.CreateMode, acl []zk.ACL) string {
	t.Helper()
	if acl == nil {
		acl = zk.WorldACL(zk.PermAll)
	}
	got, err := s.Create(context.Background(), p, data, mode, acl)
	if err != nil {
		t.Fatalf("create %s: %v", p, err)
	}
	return got
}

// export reads root into an export held in memory.
func export(t *testing.T, s *session.Session, root string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if err := ReadTree(context.Background(), s, root, TreeOptions{ACL: true}, w.Write); err != nil {
		t.Fatalf("export %s: %v", root, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func reader(t *testing.T, b []byte) Next {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), "export")
	if err != nil {
		t.Fatal(err)
	}
	return r.Next
}

func diffLive(t *testing.T, a *session.Session, ra string, b *session.Session, rb string) []string {
	t.Helper()
	ctx := context.Background()
	na, stopA := Pull(ctx, func(ctx context.Context, emit func(*Node) error) error {
		return ReadTree(ctx, a, ra, TreeOptions{ACL: true}, emit)
	})
	defer stopA()
	nb, stopB := Pull(ctx, func(ctx context.Context, emit func(*Node) error) error {
		return ReadTree(ctx, b, rb, TreeOptions{ACL: true}, emit)
	})
	defer stopB()
	var out []string
	err := Diff(ctx, na, nb, DiffOptions{}, func(c Change) error {
		out = append(out, string(c.Kind)+" "+c.Path+" "+strings.Join(c.What, ","))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExportImportDiffRoundTrip: export a tree with every kind of node,
// import it into an empty second server, and diff finds nothing.
func TestExportImportDiffRoundTrip(t *testing.T) {
	ctx := context.Background()
	bob := session.Credential{Scheme: "digest", Auth: []byte("bob:secret")}
	a := open(t, pool.Standalone(t, "a", fastContainers), bob)
	b := open(t, pool.Standalone(t, "b", fastContainers), bob)

	bobOnly := []zk.ACL{{Perms: zk.PermAll, Scheme: "digest", ID: digestID("bob", "secret")}}
	mixed := []zk.ACL{{Perms: zk.PermAll, Scheme: "ip", ID: "127.0.0.1"}, {Perms: zk.PermRead, Scheme: "world", ID: "anyone"}}
	big := bytes.Repeat([]byte("0123456789"), 100_000)
	mustCreate(t, a, "/rt", []byte("root"), session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/bin", []byte{0, 1, 2, 0xff}, session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/null", nil, session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/empty", []byte{}, session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/big", big, session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/üni code", []byte("ünï"), session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/locked", []byte("l"), session.CreateMode{}, bobOnly)
	mustCreate(t, a, "/rt/locked/kid", []byte("k"), session.CreateMode{}, bobOnly)
	mustCreate(t, a, "/rt/mixed", []byte("m"), session.CreateMode{}, mixed)
	mustCreate(t, a, "/rt/seq", nil, session.CreateMode{}, nil)
	var seqs []string
	for i := 0; i < 3; i++ {
		seqs = append(seqs, mustCreate(t, a, "/rt/seq/lock-", []byte("s"), session.CreateMode{Sequential: true}, nil))
	}
	mustCreate(t, a, "/rt/eph", []byte("e"), session.CreateMode{Ephemeral: true}, nil)
	mustCreate(t, a, "/rt/box", nil, session.CreateMode{Container: true}, nil)
	mustCreate(t, a, "/rt/box/c", []byte("c"), session.CreateMode{}, nil)
	mustCreate(t, a, "/rt/lease", []byte("t"), session.CreateMode{TTL: time.Hour}, nil)

	file := export(t, a, "/rt")
	if strings.Contains(file.String(), `"redacted":true`) {
		t.Fatalf("a session with ADMIN exported a redacted digest:\n%s", file)
	}

	im := NewImporter(ctx, b, "/copy", ImportOptions{
		Containers: []string{"/copy/box"},
		TTLs:       []TTLRule{{Glob: "/copy/lease", TTL: time.Second}},
	})
	if err := im.Run(ctx, reader(t, file.Bytes())); err != nil {
		t.Fatalf("import: %v", err)
	}
	c := im.Counts()
	if c.Created != 16 || c.Ephemeral != 1 || c.Failed != 0 {
		t.Fatalf("counts %+v, want 16 created, 1 ephemeral, 0 failed", c)
	}
	for _, p := range seqs {
		if ok, _, _ := b.Exists(ctx, strings.Replace(p, "/rt", "/copy", 1), false); !ok {
			t.Errorf("sequential node %s not recreated under its exact name", p)
		}
	}
	if d := diffLive(t, a, "/rt", b, "/copy"); len(d) != 0 {
		t.Fatalf("diff after the round trip: %q", d)
	}
	// A re-run changes nothing, whatever the mode.
	for _, mode := range []OnExists{ExistsFail, ExistsSkip, ExistsOverwrite} {
		im := NewImporter(ctx, b, "/copy", ImportOptions{OnExists: mode})
		if err := im.Run(ctx, reader(t, file.Bytes())); err != nil {
			t.Fatalf("re-run %s: %v", mode, err)
		}
		if c := im.Counts(); c.Unchanged != 16 || c.Created+c.Failed+c.Overwritten+c.Skipped != 0 {
			t.Errorf("re-run %s: %+v, want 16 unchanged and nothing else", mode, c)
		}
	}
	// The node types the flags asked for: the TTL node expires, the
	// container goes once its child does.
	if err := b.Delete(ctx, "/copy/box/c", -1); err != nil {
		t.Fatal(err)
	}
	gone := func(p string) bool {
		for i := 0; i < 100; i++ {
			if ok, _, err := b.Exists(ctx, p, false); err == nil && !ok {
				return true
			}
			time.Sleep(100 * time.Millisecond)
		}
		return false
	}
	if !gone("/copy/lease") {
		t.Error("/copy/lease was not recreated as a TTL node")
	}
	if !gone("/copy/box") {
		t.Error("/copy/box was not recreated as a container")
	}
}

// TestRedactedDigestIsNeverWrittenBack: a session without ADMIN exports a
// digest entry as user:x; import refuses that node rather than lock it.
func TestRedactedDigestIsNeverWrittenBack(t *testing.T) {
	ctx := context.Background()
	srv := pool.Standalone(t, "a", fastContainers)
	owner := open(t, srv, session.Credential{Scheme: "digest", Auth: []byte("carol:pw")})
	mustCreate(t, owner, "/redact", nil, session.CreateMode{}, nil)
	mustCreate(t, owner, "/redact/n", []byte("v"), session.CreateMode{}, []zk.ACL{
		{Perms: zk.PermAll, Scheme: "digest", ID: digestID("carol", "pw")},
		{Perms: zk.PermRead, Scheme: "world", ID: "anyone"},
	})
	stranger := open(t, srv)
	file := export(t, stranger, "/redact")
	if !strings.Contains(file.String(), `"id":"carol:x","perms":"cdrwa","redacted":true`) {
		t.Fatalf("redacted entry not marked:\n%s", file)
	}
	var notes []string
	im := NewImporter(ctx, stranger, "/redact-copy", ImportOptions{Note: func(p, m string) { notes = append(notes, p+": "+m) }})
	if err := im.Run(ctx, reader(t, file.Bytes())); err != nil {
		t.Fatal(err)
	}
	if c := im.Counts(); c.Created != 1 || c.Failed != 1 {
		t.Fatalf("counts %+v, want the parent created and the redacted node failed", c)
	}
	if ok, _, _ := stranger.Exists(ctx, "/redact-copy/n", false); ok {
		t.Fatal("the node with a redacted ACL was created")
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "could not read") {
		t.Fatalf("notes %q", notes)
	}
}

// TestExportMarksUnreadableNodes: a node without READ is an error line;
// the rest of the tree is exported.
func TestExportMarksUnreadableNodes(t *testing.T) {
	srv := pool.Standalone(t, "a", fastContainers)
	owner := open(t, srv, session.Credential{Scheme: "digest", Auth: []byte("dave:pw")})
	mustCreate(t, owner, "/unread", nil, session.CreateMode{}, nil)
	mustCreate(t, owner, "/unread/a", []byte("a"), session.CreateMode{}, nil)
	mustCreate(t, owner, "/unread/secret", []byte("s"), session.CreateMode{}, []zk.ACL{{Perms: zk.PermAll, Scheme: "digest", ID: digestID("dave", "pw")}})
	mustCreate(t, owner, "/unread/z", []byte("z"), session.CreateMode{}, nil)
	stranger := open(t, srv)
	var got []string
	for _, n := range readNodes(t, export(t, stranger, "/unread").Bytes()) {
		got = append(got, n.Path+"="+n.Error)
	}
	if strings.Join(got, " ") != "/= /a= /secret=NoAuth /z=" {
		t.Fatalf("export lines %q", got)
	}
}

func exportKeepGoing(t *testing.T, s *session.Session, root string) *bytes.Buffer {
	return export(t, s, root)
}
