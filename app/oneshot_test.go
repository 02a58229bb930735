package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

// step is one zkc invocation; ADDR in an argument is the test server, env
// adds environment variables (KEY=VALUE).
type step struct {
	args  []string
	stdin string
	env   []string
}

// goldenCase is a named list of steps with one golden transcript.
type goldenCase struct {
	name  string
	steps []step
}

func run(args ...string) step { return step{args: args} }

// Each case runs its steps against a real server and compares the whole
// transcript (stdout, stderr, exit code of every step) with
// testdata/oneshot/<name>.golden. Every case works under its own /<name> tree.
var oneShotCases = []goldenCase{
	{"create_get", []step{
		run("-server", "ADDR", "create", "/create_get", "hello"),
		run("-server", "ADDR", "get", "/create_get"),
		run("-server", "ADDR", "get", "-s", "/create_get"),
		run("-server", "ADDR", "create", "/create_get/b", "2"),
		run("-server", "ADDR", "create", "/create_get/a"),
		run("-server", "ADDR", "ls", "/create_get"),
		run("-server", "ADDR", "ls", "-s", "/create_get"),
		run("-server", "ADDR", "get", "/create_get/a"),
		run("--server", "ADDR", "create", "/create_get/empty", ""),
		run("--server=ADDR", "get", "/create_get/empty"),
		run("-server", "ADDR", "stat", "/create_get/b"),
		run("-server", "ADDR", "set", "-s", "/create_get/b", "22"),
		run("-server", "ADDR", "set", "/create_get/b", "-v", "1", "23"),
		run("-server", "ADDR", "get", "/create_get/b"),
		run("-server", "ADDR", "delete", "-v", "2", "/create_get/b"),
		run("-server", "ADDR", "ls", "/create_get"),
	}},
	{"errors", []step{
		run("-server", "ADDR", "create", "/errors", "x"),
		run("-server", "ADDR", "create", "/errors/c", "x"),
		run("-server", "ADDR", "get", "/errors/missing"),
		run("-server", "ADDR", "create", "/errors", "again"),
		run("-server", "ADDR", "create", "/errors/nop/child"),
		run("-server", "ADDR", "delete", "/errors"),
		run("-server", "ADDR", "set", "-v", "99", "/errors", "y"),
		run("-server", "ADDR", "delete", "-v", "99", "/errors/c"),
		run("-server", "ADDR", "stat", "/errors/missing"),
		run("-server", "ADDR", "delete", "/"),
		run("-server", "ADDR", "delete", "/zookeeper"),
		run("-server", "ADDR", "create", "-e", "/errors/eph"),
		run("-server", "ADDR", "get", "errors"),
		run("-server", "ADDR", "get", "/errors/"),
		run("-server", "ADDR", "get", "/errors//x"),
		run("-server", "ADDR", "get", "/errors/./x"),
		run("-server", "ADDR", "get", ""),
		run("-server", "ADDR", "ls", "/errors/missing"),
	}},
	{"usage", []step{
		run("-server", "ADDR", "get"),
		run("-server", "ADDR", "create"),
		run("-server", "ADDR", "set", "/usage"),
		run("-server", "ADDR", "create", "-t", "abc", "/usage"),
		run("-server", "ADDR", "create", "-t", "0", "/usage"),
		run("-server", "ADDR", "create", "-t", "1099511627776", "/usage"),
		run("-server", "ADDR", "create", "-e", "-t", "10", "/usage"),
		run("-server", "ADDR", "create", "-c", "-s", "/usage"),
		run("-server", "ADDR", "ls", "-x", "/"),
		run("-server", "ADDR", "ls", "--bogus", "/"),
		run("-server", "ADDR", "delete", "-v", "abc", "/usage"),
		run("-server", "ADDR", "set", "-v"),
		run("-server", "ADDR", "deleteall", "/usage", "-b", "abc"),
		run("-server", "ADDR", "create", "/usage", "x", "world:anyone:xyz"),
		run("-server", "ADDR", "create", "/usage", "x", "badacl"),
		run("-server", "ADDR", "create", "/neg", "-1"),
		run("-server", "ADDR", "stat", "/usage"),
		run("-server", "ADDR", "bogus"),
		run("-server", "ADDR", "ls2", "/"),
		run("-server", "ADDR", "LS", "/"),
		run("-server", "ADDR", "version", "extra"),
	}},
	{"sequential", []step{
		run("-server", "ADDR", "create", "/sequential"),
		run("-server", "ADDR", "create", "-s", "/sequential/s-", "a"),
		run("-server", "ADDR", "create", "-s", "/sequential/s-", "b"),
		run("-server", "ADDR", "create", "-s", "/sequential/"),
		run("-server", "ADDR", "ls", "/sequential"),
	}},
	{"node_kinds", []step{
		run("-server", "ADDR", "create", "/node_kinds"),
		run("-server", "ADDR", "create", "-t", "60000", "/node_kinds/ttl", "t"),
		run("-server", "ADDR", "create", "-t", "60000", "-s", "/node_kinds/ttls-"),
		run("-server", "ADDR", "create", "-c", "/node_kinds/container"),
		run("-server", "ADDR", "create", "-e", "/node_kinds/eph", "gone-at-exit"),
		// One-shot closes its session: the ephemeral is already gone.
		run("-server", "ADDR", "stat", "/node_kinds/eph"),
		run("-server", "ADDR", "get", "-s", "/node_kinds/ttl"),
		run("-server", "ADDR", "ls", "/node_kinds"),
	}},
	{"deleteall", []step{
		run("-server", "ADDR", "create", "/deleteall"),
		run("-server", "ADDR", "create", "/deleteall/a"),
		run("-server", "ADDR", "create", "/deleteall/a/b"),
		run("-server", "ADDR", "create", "/deleteall/a/b/c"),
		run("-server", "ADDR", "create", "/deleteall/d"),
		run("-server", "ADDR", "deleteall", "/deleteall/a", "-b", "2"),
		run("-server", "ADDR", "ls", "/deleteall"),
		run("-server", "ADDR", "deleteall", "/deleteall"),
		run("-server", "ADDR", "ls", "/deleteall"),
		run("-server", "ADDR", "deleteall", "/deleteall"),
		run("-server", "ADDR", "deleteall", "/zookeeper"),
		run("-server", "ADDR", "deleteall", "/"),
	}},
	{"ls_recursive", []step{
		run("-server", "ADDR", "create", "/ls_recursive"),
		run("-server", "ADDR", "create", "/ls_recursive/a"),
		run("-server", "ADDR", "create", "/ls_recursive/a/s-0000000000"),
		run("-server", "ADDR", "create", "/ls_recursive/a/s-0000000001"),
		run("-server", "ADDR", "create", "/ls_recursive/a/s-0000000000/deep"),
		run("-server", "ADDR", "create", "/ls_recursive/a/s-0000000000/deep/x"),
		run("-server", "ADDR", "create", "/ls_recursive/a/s-0000000001/deep2"),
		run("-server", "ADDR", "create", "/ls_recursive/a-b"),
		run("-server", "ADDR", "create", "/ls_recursive/a-b/z"),
		run("-server", "ADDR", "ls", "-R", "/ls_recursive/a"),
		run("-server", "ADDR", "ls", "-R", "/ls_recursive"),
		run("-server", "ADDR", "ls", "-Rs", "/ls_recursive/a-b"),
		run("-server", "ADDR", "ls", "-R", "/ls_recursive/none"),
	}},
	{"dashes", []step{
		run("-server", "ADDR", "create", "/dashes"),
		run("-server", "ADDR", "create", "--", "/dashes/n", "-1"),
		run("-server", "ADDR", "get", "/dashes/n"),
		run("-server", "ADDR", "set", "-s", "-v", "0", "--", "/dashes/n", "-2"),
		run("-server", "ADDR", "get", "-s", "-b", "/dashes/n"),
		run("-server", "ADDR", "get", "-sb", "/dashes/n"),
		run("-server", "ADDR", "set", "-b", "/dashes/n", "/+7/AEFC"),
		run("-server", "ADDR", "get", "-x", "/dashes/n"),
		run("-server", "ADDR", "get", "/dashes/n"),
		run("-server", "ADDR", "set", "-b", "/dashes/n", "%%%"),
	}},
	{"chroot", []step{
		run("-server", "ADDR", "create", "/chroot"),
		run("-server", "ADDR/chroot", "create", "/a", "in-chroot"),
		run("-server", "ADDR/chroot", "create", "-s", "/s-"),
		run("-server", "ADDR/chroot", "ls", "/"),
		run("-server", "ADDR/chroot", "ls", "-R", "/"),
		run("-server", "ADDR/chroot", "get", "/a"),
		run("-server", "ADDR/chroot", "get", "/missing"),
		run("-server", "ADDR", "get", "/chroot/a"),
		run("-server", "ADDR/chroot/none", "ls", "/"),
		run("-server", "ADDR/chroot", "getAllChildrenNumber", "/"),
	}},
	{"misc", []step{
		run("-server", "ADDR", "create", "/misc"),
		run("-server", "ADDR", "create", "/misc/a"),
		run("-server", "ADDR", "create", "/misc/a/b"),
		run("-server", "ADDR", "getAllChildrenNumber", "/misc"),
		run("-server", "ADDR", "getAllChildrenNumber", "/misc/none"),
		run("-server", "ADDR", "sync", "/misc"),
		run("-server", "ADDR", "sync", "/misc/none"),
		run("-server", "ADDR", "version"),
		run("-server", "127.0.0.1:1", "version"),
	}},
	{"global_flags", []step{
		run("-server", "", "ls", "/"),
		run("-server", "127.0.0.1:99999", "ls", "/"),
		run("-server", "127.0.0.1:x", "ls", "/"),
		run("-server", "127.0.0.1:1,", "ls", "/"),
		run("-server", "ADDR/bad//chroot", "ls", "/"),
		run("-server", "ADDR", "-timeout", "abc", "ls", "/"),
		run("-server", "ADDR", "-timeout", "-5", "ls", "/"),
		run("-server", "127.0.0.1:1", "ls", "/"),
		run("-server", "127.0.0.1:1,127.0.0.1:2", "ls", "/"),
		run("-server", "127.0.0.1:1", "-timeout", "1500", "-waitforconnection", "ls", "/"),
		run("-server", "127.0.0.1:1,ADDR", "ls", "/zookeeper"),
		run("-server", "ADDR", "-o", "yaml", "ls", "/"),
		run("-server", "ADDR", "--bogus", "ls", "/"),
	}},
	{"script", []step{
		{args: []string{"-server", "ADDR"}, stdin: "create /script 1\n# a comment\n\nget /script\nget /script/missing\nls /script\n"},
		{args: []string{"-server", "ADDR"}, stdin: "get /script/missing\n"},
		{args: []string{"-server", "ADDR", "--stop-on-error"}, stdin: "get /script\nget /script/missing\nget /script\n"},
		{args: []string{"-server", "ADDR"}, stdin: "create -e /script/eph\nls /script\nquit\nls /\n"},
		{args: []string{"-server", "ADDR"}, stdin: "create /script/q \"a b\"\nget /script/q\ncreate /script/r 'c d'\nget /script/r\nbogus\n"},
		{args: []string{"-server", "ADDR"}, stdin: "deleteall /script\n"},
	}},
}

func TestOneShotGolden(t *testing.T) {
	addr := server(t)
	// Start from a clean tree so golden sequential names and versions repeat.
	for _, c := range oneShotCases {
		zkc.Run("", "-server", addr, "deleteall", "/"+c.name)
	}
	runGoldenCases(t, addr, "oneshot", oneShotCases, nil)
}

// runGoldenCases runs each case's steps against addr and compares the
// normalised transcript with testdata/<dir>/<name>.golden.
func runGoldenCases(t *testing.T, addr, dir string, cases []goldenCase, normalize func(string) string) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range c.steps {
				args := make([]string, len(s.args))
				for i, a := range s.args {
					args[i] = strings.ReplaceAll(a, "ADDR", addr)
				}
				z := *zkc
				z.Env = append(append([]string(nil), z.Env...), s.env...)
				r := z.Run(s.stdin, args...)
				for _, e := range s.env {
					b.WriteString("# env: " + e + "\n")
				}
				if s.stdin != "" {
					b.WriteString("# stdin:\n" + s.stdin)
				}
				b.WriteString(r.Transcript(s.args))
			}
			got := zkharness.Normalize(strings.ReplaceAll(b.String(), addr, "ADDR"))
			got = normalizeJSON(got)
			if normalize != nil {
				got = normalize(got)
			}
			zkharness.CheckGolden(t, filepath.Join("..", "testdata", dir, c.name+".golden"), got)
		})
	}
}
