package app_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/zkharness"
)

// Golden transcripts for ACLs, auth, ephemerals, quotas, config/reconfig and
// read-only mode (issue 3). ADDR is the server under test.

const bobHash = "bob:ikIaKsbtGweaHnb/jKn7OHqbunM=" // zkc digest bob:pw

func st(args ...string) step { return run(args...) }
func script(stdin string, args ...string) step {
	return step{args: args, stdin: stdin}
}
func withEnv(env string, args ...string) step {
	return step{args: args, env: []string{env}}
}

var aclCases = []goldenCase{
	{"acl", []step{
		st("-server", "ADDR", "create", "/i3acl", "x"),
		st("-server", "ADDR", "getAcl", "/i3acl"),
		st("-server", "ADDR", "getAcl", "-s", "/i3acl"),
		st("-server", "ADDR", "-o", "json", "getAcl", "/i3acl"),
		st("-server", "ADDR", "create", "/i3acl/secret", "s", "digest:"+bobHash+":cdrwa"),
		// Protected: unreadable without auth, readable with --auth, ZKC_AUTH or addauth.
		st("-server", "ADDR", "get", "/i3acl/secret"),
		st("-server", "ADDR", "getAcl", "/i3acl/secret"),
		st("-server", "ADDR", "--auth", "digest:bob:pw", "get", "/i3acl/secret"),
		st("-server", "ADDR", "--auth", "digest:bob:pw", "getAcl", "/i3acl/secret"),
		st("-server", "ADDR", "--auth", "digest:bob:wrong", "get", "/i3acl/secret"),
		st("-server", "ADDR", "--auth", "digest:alice:x", "--auth", "digest:bob:pw", "whoami"),
		withEnv("ZKC_AUTH=digest:bob:pw", "-server", "ADDR", "get", "/i3acl/secret"),
		script("get /i3acl/secret\naddauth digest bob:pw\nget /i3acl/secret\nwhoami\n", "-server", "ADDR"),
		// A rejected credential names the scheme, never the secret; the
		// session survives it in a script.
		st("-server", "ADDR", "--auth", "foo:topsecret", "ls", "/i3acl"),
		script("addauth foo topsecret\nls /i3acl\n", "-server", "ADDR"),
		// setAcl, with version checks and -s.
		st("-server", "ADDR", "setAcl", "/i3acl", "world:anyone:cdr,ip:127.0.0.1:cdrwa"),
		st("-server", "ADDR", "getAcl", "/i3acl"),
		st("-server", "ADDR", "setAcl", "-v", "99", "/i3acl", "world:anyone:cdrwa"),
		st("-server", "ADDR", "setAcl", "-s", "-v", "1", "/i3acl", "world:anyone:cdrwa"),
		st("-server", "ADDR", "setAcl", "/i3acl/none", "world:anyone:cdrwa"),
		st("-server", "ADDR", "create", "/i3acl/x509", "x", "x509:CN=zkc:r"),
		st("-server", "ADDR", "create", "/i3acl/auth", "x", "auth::cdrwa"),
		st("-server", "ADDR", "--auth", "digest:bob:pw", "create", "/i3acl/auth", "x", "auth::cdrwa"),
		st("-server", "ADDR", "--auth", "digest:bob:pw", "getAcl", "/i3acl/auth"),
	}},
	{"setacl_recursive", []step{
		st("-server", "ADDR", "create", "/i3r"),
		st("-server", "ADDR", "create", "/i3r/a"),
		st("-server", "ADDR", "create", "/i3r/b"),
		st("-server", "ADDR", "create", "/i3r/b/c"),
		// Readable by anyone but only bob may change their ACL.
		st("-server", "ADDR", "create", "/i3r/b/locked", "", "world:anyone:r,digest:"+bobHash+":cdrwa"),
		st("-server", "ADDR", "create", "/i3r/locked2", "", "world:anyone:r,digest:"+bobHash+":cdrwa"),
		st("-server", "ADDR", "setAcl", "-R", "/i3r", "world:anyone:cdra"),
		st("-server", "ADDR", "getAcl", "/i3r/b/c"),
		st("-server", "ADDR", "getAcl", "/i3r/locked2"),
		st("-server", "ADDR", "--auth", "digest:bob:pw", "setAcl", "-R", "/i3r", "world:anyone:cdrwa"),
		st("-server", "ADDR", "getAcl", "/i3r/b/locked"),
		st("-server", "ADDR", "setAcl", "-R", "/i3r/none", "world:anyone:cdrwa"),
		st("-server", "ADDR", "deleteall", "/i3r"),
	}},
	{"ephemerals", []step{
		st("-server", "ADDR", "create", "/i3eph"),
		script("create -e /i3eph/e1\ncreate -e -s /i3eph/e2-\ncreate -e /i3eph2\ngetEphemerals /i3eph\ngetEphemerals /i3eph/e1\ngetEphemerals /nomatch\ngetEphemerals /i3eph2\n", "-server", "ADDR"),
		script("create -e /i3eph/j\ngetEphemerals /i3eph\nwhoami\n", "-server", "ADDR", "-o", "json"),
		// A one-shot session owns no ephemerals.
		st("-server", "ADDR", "getEphemerals"),
		st("-server", "ADDR", "getEphemerals", "i3eph"),
		st("-server", "ADDR", "whoami"),
		st("-server", "ADDR", "whoami", "extra"),
		st("-server", "ADDR", "-o", "json", "whoami"),
		st("digest", "bob:pw"),
		st("digest", "super:pw"),
	}},
	// Bad input: one error line (plus usage), non-zero exit, nothing sent.
	{"bad_input", []step{
		st("-server", "ADDR", "create", "/i3bad", "x", "world:anyone:xyz"),
		st("-server", "ADDR", "create", "/i3bad", "x", "badacl"),
		st("-server", "ADDR", "create", "/i3bad", "x", "world:anyone:cdrwa,junk"),
		st("-server", "ADDR", "create", "/i3bad", "x", "foo:bar:r"),
		st("-server", "ADDR", "create", "/i3bad", "x", "digest:bob:r"),
		st("-server", "ADDR", "create", "/i3bad", "x", "ip:300.1.1.1:r"),
		st("-server", "ADDR", "create", "/i3bad", "x", "world:someone:r"),
		st("-server", "ADDR", "create", "/i3bad", "x", "world:anyone:"),
		st("-server", "ADDR", "setAcl", "/i3bad", "world:anyone:q"),
		st("-server", "ADDR", "setAcl", "/i3bad"),
		st("-server", "ADDR", "setAcl", "-v", "x", "/i3bad", "world:anyone:r"),
		st("-server", "ADDR", "getAcl"),
		st("-server", "ADDR", "addauth", "digest"),
		st("-server", "ADDR", "addauth", "digest", "bob"),
		st("-server", "ADDR", "addauth"),
		st("-server", "ADDR", "--auth", "digest", "ls", "/"),
		st("-server", "ADDR", "--auth", "digest:", "ls", "/"),
		withEnv("ZKC_AUTH=nocolon", "-server", "ADDR", "ls", "/"),
		st("digest", "bob"),
		st("digest"),
		st("-server", "ADDR", "setquota", "-n", "0", "/i3bad"),
		st("-server", "ADDR", "setquota", "-N", "-3", "/i3bad"),
		st("-server", "ADDR", "setquota", "-b", "-1", "/i3bad"),
		st("-server", "ADDR", "setquota", "-n", "x", "/i3bad"),
		st("-server", "ADDR", "setquota", "-n", "99999999999", "/i3bad"),
		st("-server", "ADDR", "setquota", "/i3bad"),
		st("-server", "ADDR", "setquota", "-n", "1", "-b", "2", "/i3bad"),
		st("-server", "ADDR", "setquota", "-n", "1", "/zookeeper/quota/x"),
		st("-server", "ADDR", "setquota", "-n", "1", "i3bad"),
		st("-server", "ADDR", "delquota", "-n", "-b", "/i3bad"),
		st("-server", "ADDR", "listquota", "i3bad"),
		st("-server", "ADDR", "reconfig"),
		st("-server", "ADDR", "reconfig", "-members", "1=10.0.0.1:1:2;3"),
		st("-server", "ADDR", "reconfig", "-add", "server.4=10.0.0.1:1;3"),
		st("-server", "ADDR", "reconfig", "-add", "server.4=10.0.0.1:1:2:voter;3"),
		st("-server", "ADDR", "reconfig", "-add", "server.4=10.0.0.1:1:70000;3"),
		st("-server", "ADDR", "reconfig", "-add", "server.4=:1:2;3"),
		st("-server", "ADDR", "reconfig", "-remove", "x"),
		st("-server", "ADDR", "reconfig", "-remove", "1", "-members", "server.1=10.0.0.1:1:2;3"),
		st("-server", "ADDR", "reconfig", "-file", "/nonexistent.cfg"),
		st("-server", "ADDR", "reconfig", "-file", "/x.cfg", "-members", "server.1=10.0.0.1:1:2;3"),
		st("-server", "ADDR", "reconfig", "-v", "zz", "-remove", "1"),
		// Nothing of the above reached the server.
		st("-server", "ADDR", "stat", "/i3bad"),
		st("-server", "ADDR", "ls", "/zookeeper/quota"),
	}},
	{"config_standalone", []step{
		st("-server", "ADDR", "config"),
		st("-server", "ADDR", "config", "-c"),
		st("-server", "ADDR", "config", "-s"),
		st("-server", "ADDR", "-o", "json", "config"),
		st("-server", "ADDR", "reconfig", "-remove", "1"),
		st("-server", "ADDR", "config", "extra"),
	}},
}

func TestIssue3Golden(t *testing.T) {
	addr := server(t)
	for _, p := range []string{"/i3acl", "/i3r", "/i3eph", "/i3eph2", "/i3bad"} {
		zkc.Run("", "--auth", "digest:bob:pw", "-server", addr, "deleteall", p)
	}
	runGoldenCases(t, addr, "acl", aclCases, nil)
}

var quotaCases = []goldenCase{
	{"quota", []step{
		st("-server", "ADDR", "create", "/i3q"),
		st("-server", "ADDR", "create", "/i3q/a", "1234"),
		st("-server", "ADDR", "listquota", "/i3q"),
		st("-server", "ADDR", "setquota", "-n", "10", "/i3q"),
		st("-server", "ADDR", "listquota", "/i3q"),
		st("-server", "ADDR", "setquota", "-b", "3", "/i3q"),
		st("-server", "ADDR", "setquota", "-n", "1", "/i3q"),
		st("-server", "ADDR", "setquota", "-N", "3", "/i3q"),
		st("-server", "ADDR", "setquota", "-B", "100", "/i3q"),
		st("-server", "ADDR", "listquota", "/i3q"),
		st("-server", "ADDR", "-o", "json", "listquota", "/i3q"),
		// Hard limits are enforced (the server runs with enforceQuota=true).
		st("-server", "ADDR", "create", "/i3q/b"),
		st("-server", "ADDR", "create", "/i3q/c"),
		st("-server", "ADDR", "set", "/i3q/a", strings.Repeat("x", 200)),
		st("-server", "ADDR", "setquota", "-n", "5", "/i3q/a"),
		st("-server", "ADDR", "setquota", "-n", "5", "/"),
		st("-server", "ADDR", "setquota", "-n", "5", "/i3q/missing"),
		st("-server", "ADDR", "delquota", "-N", "/i3q"),
		st("-server", "ADDR", "create", "/i3q/c"),
		st("-server", "ADDR", "listquota", "/i3q"),
		st("-server", "ADDR", "delquota", "/i3q"),
		st("-server", "ADDR", "listquota", "/i3q"),
		st("-server", "ADDR", "delquota", "/i3q"),
		st("-server", "ADDR", "delquota", "-n", "/i3q"),
		// Deeper quota: its parents under /zookeeper/quota go with it.
		st("-server", "ADDR", "create", "/i3q/d"),
		st("-server", "ADDR", "create", "/i3q/d/e"),
		st("-server", "ADDR", "setquota", "-b", "10", "/i3q/d/e"),
		st("-server", "ADDR", "setquota", "-n", "10", "/i3q"),
		st("-server", "ADDR", "ls", "-R", "/zookeeper/quota"),
		st("-server", "ADDR", "delquota", "/i3q/d/e"),
		st("-server", "ADDR", "ls", "/zookeeper/quota"),
		st("-server", "ADDR", "deleteall", "/i3q"),
	}},
}

func TestQuotaGolden(t *testing.T) {
	addr := pool.Standalone(t, "quota", zkharness.Config{Extra: map[string]string{"enforceQuota": "true"}}).Addr()
	runGoldenCases(t, addr, "quota", quotaCases, nil)
}

var (
	reCfgVersion = regexp.MustCompile(`(?m)(version=|"version":"|^)[0-9a-f]{9,}\b`)
	reElection   = regexp.MustCompile(`:\d+:participant`)
	reServerID   = regexp.MustCompile(`server\.\d=`)
)

// TestEnsembleReconfigAndReadOnly runs against one 3-node ensemble started
// with reconfigEnabled, a super user and read-only mode: first reconfig
// removes and re-adds a member, then two members are stopped and the third,
// now read-only, serves reads to -r clients only.
func TestEnsembleReconfigAndReadOnly(t *testing.T) {
	e := pool.Ensemble(t, "issue3", zkharness.Config{
		// A 3.5+ server in read-only mode creates only local sessions.
		Extra: map[string]string{"reconfigEnabled": "true", "localSessionsEnabled": "true"},
		JVMProps: map[string]string{
			"zookeeper.DigestAuthenticationProvider.superDigest": commands.DigestID("super:pw"),
			"readonlymode.enabled":                               "true",
		},
	})
	leader := e.Leader()
	if leader == nil {
		t.Fatal("no leader")
	}
	// Remove a follower (removing the leader forces an election the next
	// steps would have to wait for).
	var victim, other *zkharness.Server
	for _, s := range e.Servers {
		if s != leader {
			if victim == nil {
				victim = s
			} else {
				other = s
			}
		}
	}
	addr := leader.Addr() + "," + other.Addr()
	cfg := zkc.Run("", "-server", addr, "config")
	var spec string
	for _, line := range strings.Split(cfg.Stdout, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && k == "server."+strconv.Itoa(victim.ID) {
			spec = v
		}
	}
	if spec == "" {
		t.Fatalf("server.%d missing from config:\n%s", victim.ID, cfg.Stdout)
	}
	id := strconv.Itoa(victim.ID)
	cases := []goldenCase{{"reconfig", []step{
		st("-server", "ADDR", "config", "-c"),
		st("-server", "ADDR", "reconfig", "-remove", id),
		st("-server", "ADDR", "--auth", "digest:super:pw", "reconfig", "-remove", id),
		st("-server", "ADDR", "config"),
		st("-server", "ADDR", "--auth", "digest:super:pw", "reconfig", "-v", "1", "-add", "server."+id+"="+spec),
		st("-server", "ADDR", "--auth", "digest:super:pw", "reconfig", "-s", "-add", "server."+id+"="+spec),
		st("-server", "ADDR", "-o", "json", "config"),
		st("-server", "ADDR", "--auth", "digest:super:pw", "reconfig", "-members", "server.1=10.0.0.1:1:2;3,server.1=10.0.0.1:4:5;6"),
	}}}
	norm := func(s string) string {
		s = reCfgVersion.ReplaceAllString(s, "${1}VERSION")
		s = reElection.ReplaceAllString(s, ":PORT:participant")
		s = strings.ReplaceAll(s, "-remove "+id+"\n", "-remove ID\n")
		return reServerID.ReplaceAllString(s, "server.N=")
	}
	runGoldenCases(t, addr, "reconfig", cases, norm)

	// The config must really have lost and regained the member.
	after := zkc.Run("", "-server", addr, "config")
	if !strings.Contains(after.Stdout, "server."+id+"=") {
		t.Errorf("server.%d not back in config:\n%s", victim.ID, after.Stdout)
	}

	// The non-incremental forms, with the whole current membership: -members
	// and -file (read whole, never as -f ile) each commit a new configuration.
	var members []string
	for _, line := range strings.Split(after.Stdout, "\n") {
		if strings.HasPrefix(line, "server.") {
			members = append(members, line)
		}
	}
	cfgFile := filepath.Join(t.TempDir(), "members.cfg")
	if err := os.WriteFile(cfgFile, []byte(after.Stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"reconfig", "-members", strings.Join(members, ",")},
		{"reconfig", "-file", cfgFile},
	} {
		r := zkc.Run("", append([]string{"-server", addr, "--auth", "digest:super:pw"}, args...)...)
		if r.Code != 0 || !strings.HasPrefix(r.Stdout, "Committed new configuration:\n") || !strings.Contains(r.Stdout, "server."+id+"=") {
			t.Errorf("%v: exit %d\nstdout %s\nstderr %s", args, r.Code, r.Stdout, r.Stderr)
		}
	}

	t.Run("readonly", func(t *testing.T) { testReadOnly(t, e) })
}

func testReadOnly(t *testing.T, e *zkharness.Ensemble) {
	if r := zkc.Run("", "-server", e.ConnectString(), "create", "/i3ro", "data"); r.Code != 0 && r.Code != commands.ExitNodeExists {
		t.Fatalf("create: %+v", r)
	}
	ro := e.Servers[0]
	for _, s := range e.Servers[1:] {
		s.Stop()
	}
	// Bring the quorum back, so the pool's ensemble stays usable (-count=2).
	t.Cleanup(func() {
		for _, s := range e.Servers[1:] {
			if err := s.Launch(); err != nil {
				t.Error(err)
			}
		}
		if err := e.WaitServing(90 * time.Second); err != nil {
			t.Error(err)
		}
		for deadline := time.Now().Add(60 * time.Second); e.Leader() == nil && time.Now().Before(deadline); {
			time.Sleep(200 * time.Millisecond)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := zkharness.FourLetter(ro.Addr(), "isro", time.Second)
		if out == "ro" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %d never became read-only (isro=%q)", ro.ID, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	cases := []goldenCase{{"readonly", []step{
		st("-server", "ADDR", "-r", "get", "/i3ro"),
		st("-server", "ADDR", "-r", "ls", "/i3ro"),
		st("-server", "ADDR", "-r", "create", "/i3ro/x"),
		st("-server", "ADDR", "-r", "set", "/i3ro", "new"),
		st("-server", "ADDR", "get", "/i3ro"),
	}}}
	runGoldenCases(t, ro.Addr(), "readonly", cases, nil)

	// The session reports the read-only state the prompt shows.
	target, err := session.ParseConnectString(ro.Addr())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := session.Open(ctx, session.Options{Target: target, Timeout: 10 * time.Second, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer s.Close()
	if got := s.State(); got != session.StateConnectedReadOnly {
		t.Errorf("state = %s, want %s", got, session.StateConnectedReadOnly)
	}
}
