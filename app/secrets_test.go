package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsNotShown: credentials given with --auth or ZKC_AUTH never appear
// in --debug logs, error messages or any other output, whether the command
// works or fails.
func TestSecretsNotShown(t *testing.T) {
	addr := server(t)
	const secret = "s3cretPW-do-not-print"
	cases := []struct {
		name  string
		env   []string
		args  []string
		stdin string
	}{
		{"--auth with --debug", nil, []string{"--debug", "--auth", "digest:bob:" + secret, "-server", addr, "ls", "/"}, ""},
		{"--auth unreachable", nil, []string{"--debug", "--auth", "digest:bob:" + secret, "-server", "127.0.0.1:1", "ls", "/"}, ""},
		{"--auth bad scheme", nil, []string{"--debug", "--auth", "nosuch:" + secret, "-server", addr, "ls", "/"}, ""},
		{"ZKC_AUTH with --debug", []string{"ZKC_AUTH=digest:bob:" + secret}, []string{"--debug", "-server", addr, "get", "/none"}, ""},
		{"script with --debug", []string{"ZKC_AUTH=digest:bob:" + secret}, []string{"--debug", "-server", addr}, "ls /\nget /none\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z := *zkc
			z.Env = tc.env
			r := z.Run(tc.stdin, tc.args...)
			if strings.Contains(r.Stdout+r.Stderr, secret) {
				t.Fatalf("the secret shows:\n--- stdout\n%s\n--- stderr\n%s", r.Stdout, r.Stderr)
			}
			if strings.Contains(r.Stderr, "panic") {
				t.Fatalf("panic: %s", r.Stderr)
			}
		})
	}
}

// TestCredentialsNeverEchoed: a secret typed where zkc did not expect it (a
// password as the auth scheme, a plaintext password as a digest ACL id, a
// broken ACL or properties line) is refused or rejected without any part of
// it on stdout or stderr, with --debug on; nothing is created.
func TestCredentialsNeverEchoed(t *testing.T) {
	addr := server(t)
	dir := t.TempDir()
	props := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	S := func(args ...string) []string { return append([]string{"--debug", "-server", addr}, args...) }
	cases := []struct {
		name   string
		secret string
		args   []string
		stdin  string
		code   int
	}{
		{"password as the --auth scheme", "S3CRETa", S("--auth", "S3CRETa:x", "ls", "/"), "", 7},
		{"--auth scheme with a blank", "S3CRETb", S("--auth", "S3CRETb pw:x", "ls", "/"), "", 2},
		{"--auth without credential", "S3CRETc", S("--auth", "S3CRETc:", "ls", "/"), "", 2},
		{"plaintext digest id", "S3CRETd", S("create", "/sec-a", "d", "digest:bob:S3CRETd:cdrwa"), "", 2},
		{"digest id without perms", "S3CRETe", S("setAcl", "/", "digest:bob:S3CRETe"), "", 2},
		{"password as an ACL scheme", "S3CRETf", S("create", "/sec-b", "d", "S3CRETf:x:cdrwa"), "", 2},
		{"password as ACL perms", "S3CRETg", S("create", "/sec-b", "d", "world:anyone:S3CRETg"), "", 2},
		{"password as an ip id", "S3CRETh", S("setAcl", "/", "ip:S3CRETh:r"), "", 2},
		{"script addauth rejected, stop-on-error", "S3CRETi", S("--stop-on-error"), "addauth S3CRETi pw\nls /\n", 7},
		{"script plaintext digest ACL, stop-on-error", "S3CRETj", S("--stop-on-error"), "addauth digest bob:S3CRETk\ncreate /sec-c d digest:bob:S3CRETj:cdrwa\n", 2},
		{"properties value with a bad escape", "S3CRETl", S("-client-configuration",
			props("value.properties", "zookeeper.client.secure=true\nzookeeper.ssl.keyStore.password=S3CRETl\\u12zz\n"), "ls", "/"), "", 2},
		{"properties password as a key", "S3CRETm", S("-client-configuration",
			props("key.properties", "S3CRETm=\\u1\n"), "ls", "/"), "", 2},
		{"user:password@ in the connect string", "S3CRETp", []string{"--debug", "-server", "bob:S3CRETp@" + addr, "ls", "/"}, "", 2},
		{"user:password@ in a 4lw AdminServer URL", "S3CRETq", []string{"-server", "http://bob:S3CRETq@" + addr, "4lw", "ruok"}, "", 2},
		{"properties bad boolean", "S3CRETn", S("-client-configuration",
			props("bool.properties", "zookeeper.client.secure=S3CRETn\n"), "ls", "/"), "", 2},
		{"properties bad store type", "S3CRETo", S("-client-configuration",
			props("type.properties", "zookeeper.client.secure=true\nzookeeper.ssl.trustStore.type=S3CRETo\n"), "ls", "/"), "", 2},
	}
	c := libConn(t, addr)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := zkc.Run(tc.stdin, tc.args...)
			if r.Code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", r.Code, tc.code, r.Stderr)
			}
			if strings.Contains(r.Stdout+r.Stderr, tc.secret) {
				t.Errorf("the secret shows:\n--- stdout\n%s\n--- stderr\n%s", r.Stdout, r.Stderr)
			}
			if strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "goroutine") {
				t.Errorf("panic: %s", r.Stderr)
			}
		})
	}
	for _, p := range []string{"/sec-a", "/sec-b", "/sec-c"} {
		if ok, _, _ := c.Exists(p); ok {
			t.Errorf("%s was created", p)
		}
	}
}
