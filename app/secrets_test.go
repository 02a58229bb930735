package app_test

import (
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
