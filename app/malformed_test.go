package app_test

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/commands"
)

// snapshotTree reads every node's data and version through the library, so a
// test can prove that bad input sent nothing to the server.
func snapshotTree(t *testing.T, c *zk.Conn) string {
	t.Helper()
	var lines []string
	var walk func(p string)
	walk = func(p string) {
		data, st, err := c.Get(p)
		if err == zk.ErrNoNode {
			return
		}
		if err == zk.ErrNoAuth {
			// Nodes other tests protect with ACLs: their stat still shows
			// any change (exists needs no permission).
			_, st, err = c.Exists(p)
			data = []byte("<unreadable>")
		}
		if err != nil {
			t.Fatalf("snapshot %s: %v", p, err)
		}
		lines = append(lines, p+" v"+itoa(st.Version)+" a"+itoa(st.Aversion)+" "+string(data))
		kids, _, err := c.Children(p)
		if err != nil && err != zk.ErrNoNode && err != zk.ErrNoAuth {
			t.Fatalf("snapshot %s: %v", p, err)
		}
		for _, k := range kids {
			if p == "/" {
				walk("/" + k)
			} else {
				walk(p + "/" + k)
			}
		}
	}
	walk("/")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// TestMalformedInput runs zkc with bad invocations: each must exit non-zero
// with a short message, never a panic, and leave the server's tree as it was.
func TestMalformedInput(t *testing.T) {
	addr := server(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badEscape := write("bad-escape.properties", "zookeeper.client.secure=true\nzookeeper.ssl.keyStore.password=\\u12zz\n")
	badBool := write("bad-bool.properties", "zookeeper.client.secure=maybe\n")
	badType := write("bad-type.properties", "zookeeper.client.secure=true\nzookeeper.ssl.trustStore.type=BKS\n")
	binary := write("binary.properties", "\x00\x01\x02\xff\xfe")
	noStore := write("no-store.properties", "zookeeper.client.secure=true\nzookeeper.ssl.trustStore.location="+filepath.Join(dir, "missing.pem")+"\n")
	notPEM := write("not-a-cert.pem", "hello\n")

	S := func(args ...string) []string { return append([]string{"-server", addr}, args...) }
	cases := []struct {
		name  string
		args  []string
		stdin string
		needs string // a command the row needs (it fails, never skips, without it)
		code  int    // 0: any non-zero code
	}{
		// paths
		{"relative path resolves against /", S("get", "noslash"), "", "", 3},
		{"double slash", S("get", "/a//b"), "", "", 2},
		{"trailing slash", S("create", "/a/"), "", "", 2},
		{"dot segment", S("create", "/a/./b"), "", "", 2},
		{"dotdot segment", S("create", "/a/.."), "", "", 2},
		{"empty path", S("get", ""), "", "", 2},
		{"control character", S("create", "/bad\x01name"), "", "", 2},
		{"relative delete", S("delete", "x"), "", "", 3},
		{"relative sync", S("sync", "x"), "", "", 3},
		{"relative ls -R", S("ls", "-R", "x"), "", "", 3},
		{"absolute dotdot", S("get", "/a/../b"), "", "", 2},
		// flags and arity
		{"unknown shorthand", S("get", "-z", "/"), "", "", 2},
		{"unknown long flag", S("ls", "--bogus", "/"), "", "", 2},
		{"-t without value", S("create", "/m", "-t"), "", "", 2},
		{"missing path", S("get"), "", "", 2},
		{"create without path", S("create"), "", "", 2},
		{"set without data", S("set", "/m"), "", "", 2},
		{"too many args", S("ls", "/", "a", "b"), "", "", 2},
		// (create ignores what follows the ACL, as zkCli: testdata/transcripts/runbooks)
		{"create -f too many args", S("create", "-f", "-", "/m", "world:anyone:cdrwa", "extra"), "d", "", 2},
		{"set too many args", S("set", "/m", "d", "1", "extra"), "", "", 2},
		{"container and ephemeral", S("create", "-c", "-e", "/m"), "", "", 2},
		{"ttl and ephemeral", S("create", "-e", "-t", "100", "/m"), "", "", 2},
		// numbers
		{"ttl not a number", S("create", "-t", "abc", "/m"), "", "", 2},
		{"ttl negative", S("create", "-t", "-5", "/m"), "", "", 2},
		{"ttl too large", S("create", "-t", "99999999999999999999", "/m"), "", "", 2},
		{"version not a number", S("set", "-v", "abc", "/m", "d"), "", "", 2},
		{"version fractional", S("delete", "-v", "1.5", "/m"), "", "", 2},
		{"batch not a number", S("deleteall", "/m", "-b", "zero"), "", "", 2},
		{"timeout not a number", S("-timeout", "abc", "ls", "/"), "", "", 2},
		{"timeout negative", S("-timeout", "-1", "ls", "/"), "", "", 2},
		{"timeout zero", S("-timeout", "0", "ls", "/"), "", "", 2},
		{"timeout overflow", S("-timeout", "99999999999999999999", "ls", "/"), "", "", 2},
		// ACLs
		{"acl unknown permission", S("create", "/m", "d", "world:anyone:xyz"), "", "", 2},
		{"acl no colon", S("create", "/m", "d", "bogus"), "", "", 2},
		{"acl unknown scheme", S("create", "/m", "d", "nosuch:id:r"), "", "", 2},
		{"acl digest without hash", S("create", "/m", "d", "digest:bob:cdrwa"), "", "", 2},
		{"acl bad ip", S("create", "/m", "d", "ip:999.1.1.1:r"), "", "", 2},
		{"acl empty entry", S("create", "/m", "d", "world:anyone:r,,"), "", "", 2},
		{"setAcl bad permission", S("setAcl", "/", "world:anyone:q"), "", "setAcl", 2},
		// watch modes
		{"addWatch bad mode", S("addWatch", "-m", "BOGUS", "/"), "", "addWatch", 2},
		{"addWatch mode missing", S("addWatch", "/", "-m"), "", "addWatch", 2},
		{"removewatches relative", S("removewatches", "x"), "", "removewatches", 1},
		// quotas
		{"setquota not a number", S("setquota", "-n", "abc", "/zookeeper"), "", "setquota", 2},
		{"setquota no option", S("setquota", "/zookeeper"), "", "setquota", 2},
		{"setquota negative", S("setquota", "-b", "-5", "/zookeeper"), "", "setquota", 2},
		{"listquota no path", S("listquota"), "", "listquota", 2},
		// connect strings
		{"empty server", []string{"-server", "", "ls", "/"}, "", "", 2},
		{"port not a number", []string{"-server", "127.0.0.1:http", "ls", "/"}, "", "", 2},
		{"port zero", []string{"-server", "127.0.0.1:0", "ls", "/"}, "", "", 2},
		{"port too large", []string{"-server", "127.0.0.1:70000", "ls", "/"}, "", "", 2},
		{"empty hosts", []string{"-server", ",,", "ls", "/"}, "", "", 2},
		{"chroot trailing slash", []string{"-server", addr + "/app/", "ls", "/"}, "", "", 2},
		{"chroot double slash", []string{"-server", addr + "/a//b", "ls", "/"}, "", "", 2},
		{"unclosed IPv6", []string{"-server", "[::1:2181", "ls", "/"}, "", "", 2},
		// client configuration and TLS files
		{"client configuration missing", S("-client-configuration", filepath.Join(dir, "nowhere.properties"), "ls", "/"), "", "", 2},
		{"client configuration is a directory", S("-client-configuration", dir, "ls", "/"), "", "", 2},
		{"client configuration bad escape", S("-client-configuration", badEscape, "ls", "/"), "", "", 2},
		{"client configuration bad boolean", S("-client-configuration", badBool, "ls", "/"), "", "", 2},
		{"client configuration bad store type", S("-client-configuration", badType, "ls", "/"), "", "", 2},
		{"client configuration binary", S("-client-configuration", binary, "ls", "/"), "", "", 2},
		{"trust store missing", S("-client-configuration", noStore, "ls", "/"), "", "", 2},
		{"tls-ca missing", S("--tls-ca", filepath.Join(dir, "none.pem"), "ls", "/"), "", "", 2},
		{"tls-ca not a certificate", S("--tls-ca", notPEM, "ls", "/"), "", "", 2},
		// four-letter words
		{"unknown 4lw", S("4lw", "bogus"), "", "4lw", 2},
		{"4lw without word", S("4lw"), "", "4lw", 2},
		// output, commands, scripts
		{"unknown output", S("-o", "yaml", "ls", "/"), "", "", 2},
		// tree tools
		{"find unknown test", S("find", "/", "-frob"), "", "find", 2},
		{"find -exec without ;", S("find", "/", "-exec", "delete", "{}"), "", "find", 2},
		{"find bad size", S("find", "/", "-size", "lots"), "", "find", 2},
		{"find -print0 with -exec", S("find", "/m", "-print0", "-exec", "delete", "{}", ";"), "", "find", 2},
		{"grep bad regexp", S("grep", "a(", "/"), "", "grep", 2},
		{"du bad --by", S("du", "--by", "size", "/"), "", "du", 2},
		{"tree negative depth", S("tree", "-L", "-1", "/"), "", "tree", 2},
		{"cd in one-shot mode", S("cd", "/"), "", "cd", 2},
		{"unknown command", S("frobnicate", "/"), "", "", 127},
		{"wrong case command", S("GET", "/"), "", "", 127},
		{"script bad path", S(), "get /a//b\n", "", 2},
		{"script cd to a missing node", S("--stop-on-error"), "cd /nowhere\ncreate m x\n", "", 3},
		{"script bad flag stops", S("--stop-on-error"), "create -q /m\ncreate /m2\n", "", 2},
		{"script unknown command", S(), "frobnicate /\n", "", 127},
	}
	c := libConn(t, addr)
	before := snapshotTree(t, c)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needs != "" && commands.Lookup(tc.needs) == nil {
				t.Fatalf("the row needs command %s, which zkc does not have", tc.needs)
			}
			r := zkc.Run(tc.stdin, tc.args...)
			if r.Code == 0 || (tc.code != 0 && r.Code != tc.code) {
				t.Errorf("exit %d, want %d (non-zero); stderr %q", r.Code, tc.code, r.Stderr)
			}
			if n := strings.Count(r.Stderr, "\n"); n > 4 || strings.TrimSpace(r.Stderr) == "" {
				t.Errorf("want 1 to 4 lines on stderr, got %d:\n%s", n, r.Stderr)
			}
			for _, bad := range []string{"panic", "goroutine ", ".go:", "runtime."} {
				if strings.Contains(r.Stderr, bad) {
					t.Errorf("stderr looks like a crash (%q):\n%s", bad, r.Stderr)
				}
			}
		})
	}
	if after := snapshotTree(t, c); after != before {
		t.Errorf("the tree changed:\n--- before\n%s\n--- after\n%s", before, after)
	}
}
