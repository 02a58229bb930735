package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// Every request known to crash or corrupt a ZooKeeper 3.8 server is refused
// before it is sent, through any command and through a chroot; the quota
// commands still work; and the server, restarted afterwards, comes back with
// its data (a crashing transaction would have been replayed and killed it).
func TestServerHarmGuard(t *testing.T) {
	srv := pool.Standalone(t, "guard", zkharness.Config{})
	addr := srv.Addr()
	must := func(args ...string) {
		t.Helper()
		if r := zkc.Run("", append([]string{"-server", addr}, args...)...); r.Code != 0 {
			t.Fatalf("zkc %v: exit %d, %s", args, r.Code, r.Stderr)
		}
	}
	must("create", "/gq", "x")
	must("create", "/gq/a", "y")
	must("setquota", "-n", "10", "/gq")
	must("create", "/zookeeper-app")
	must("create", "/zookeeper-app/zookeeper_limits", "x")
	must("create", "/zookeeper-app/ok", "x")

	chroot := addr + "/zookeeper"
	cases := []struct {
		name   string
		server string
		args   []string
		want   string // in stderr
	}{
		{"setquota on /", addr, []string{"setquota", "-n", "10", "/"}, "cannot set a quota on /"},
		{"root quota record by create", addr, []string{"create", "/zookeeper/quota/zookeeper_limits", "count=10,bytes=-1"}, "quota store; use delquota"},
		{"create under /zookeeper", addr, []string{"create", "/zookeeper/x"}, "ZooKeeper's own node"},
		{"malformed stats record", addr, []string{"set", "/zookeeper/quota/gq/zookeeper_stats", "count"}, "quota store"},
		{"delete a quota record", addr, []string{"delete", "/zookeeper/quota/gq/zookeeper_limits"}, "use delquota"},
		{"delete /zookeeper", addr, []string{"delete", "/zookeeper"}, "Arguments are not valid : /zookeeper (it is ZooKeeper's own node"},
		{"deleteall the quota store", addr, []string{"deleteall", "/zookeeper/quota"}, "quota store; use delquota"},
		{"deleteall /zookeeper", addr, []string{"deleteall", "/zookeeper"}, "delquota"},
		{"deleteall through chroot /zookeeper", chroot, []string{"deleteall", "/quota"}, "the server path /zookeeper/quota"},
		{"delete a record through chroot", chroot, []string{"delete", "/quota/gq/zookeeper_stats"}, "the server path /zookeeper/quota/gq/zookeeper_stats"},
		{"create the root record through chroot", chroot, []string{"create", "/quota/zookeeper_limits", "count=1"}, "the server path"},
		{"set the config through chroot", chroot, []string{"set", "/config", "x"}, "reconfig"},
		{"setAcl in the quota store", addr, []string{"setAcl", "/zookeeper/quota/gq", "world:anyone:r"}, "quota store"},
		{"setAcl -R over /zookeeper", addr, []string{"setAcl", "-R", "/zookeeper", "world:anyone:r"}, "ZooKeeper's own node"},
		{"delete a lookalike record", addr, []string{"delete", "/zookeeper-app/zookeeper_limits"}, "crashes"},
		{"deleteall over a lookalike record", addr, []string{"deleteall", "/zookeeper-app"}, "/zookeeper-app/zookeeper_limits"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := zkc.Run("", append([]string{"-server", c.server}, c.args...)...)
			if r.Code == 0 || !strings.Contains(r.Stderr, c.want) {
				t.Fatalf("zkc %v: exit %d, stderr %q; want a refusal mentioning %q", c.args, r.Code, r.Stderr, c.want)
			}
			if !srv.Running() {
				t.Fatalf("the server died after %v", c.args)
			}
		})
	}

	// The quota commands go on working.
	must("listquota", "/gq")
	must("delquota", "-n", "/gq")
	must("delquota", "/gq")
	must("setquota", "-N", "5", "/gq")

	srv.Stop()
	if err := srv.Start(); err != nil {
		t.Fatalf("the server does not come back after the guarded requests: %v", err)
	}
	// Wait for a session, then check nothing was lost or half-applied.
	deadline := time.Now().Add(20 * time.Second)
	var r zkharness.Result
	for time.Now().Before(deadline) {
		if r = zkc.Run("", "-server", addr, "ls", "-R", "/zookeeper-app"); r.Code == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.Code != 0 || !strings.Contains(r.Stdout, "/zookeeper-app/zookeeper_limits") {
		t.Fatalf("after restart, ls -R /zookeeper-app: exit %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	r = zkc.Run("", "-server", addr, "listquota", "/gq")
	if r.Code != 0 || !strings.Contains(r.Stdout, "countHardLimit=5") {
		t.Fatalf("after restart, listquota /gq: exit %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	r = zkc.Run("", "-server", addr, "ls", "/zookeeper/quota")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "[gq]" {
		t.Fatalf("after restart, ls /zookeeper/quota: exit %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
}
