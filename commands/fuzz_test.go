package commands

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// FuzzParseACL: any string parses or fails without panicking; what parses
// has permissions within cdrwa and survives rendering and parsing again.
func FuzzParseACL(f *testing.F) {
	for _, s := range []string{
		"world:anyone:cdrwa", "digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:r", "ip:10.0.0.0/8:rw,auth::a",
		"ip:::1:r", "world:anyone:", "x509:CN=a,O=b:r", "::", "", ",", "world:anyone:cdrwaz", "sasl:a@B:cd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		acls, err := ParseACL(s)
		if err != nil {
			if len(acls) != 0 {
				t.Fatalf("ParseACL(%q) returned ACLs with an error", s)
			}
			return
		}
		if len(acls) == 0 {
			t.Fatalf("ParseACL(%q) returned nothing without an error", s)
		}
		var parts []string
		for _, a := range acls {
			if a.Perms <= 0 || a.Perms > 31 {
				t.Fatalf("ParseACL(%q): perms %d", s, a.Perms)
			}
			parts = append(parts, a.Scheme+":"+a.ID+":"+PermString(a.Perms))
		}
		again, err := ParseACL(strings.Join(parts, ","))
		if err != nil || len(again) != len(acls) {
			t.Fatalf("ParseACL(%q) = %v, but its rendering %q gives %v, %v", s, acls, strings.Join(parts, ","), again, err)
		}
		for i := range acls {
			if again[i] != acls[i] {
				t.Fatalf("round trip of %q: %v != %v", s, again[i], acls[i])
			}
		}
	})
}

// FuzzRewriteSingleDash: the rewrite never panics, keeps the number of
// arguments, only ever adds one dash, and leaves everything after "--" alone.
func FuzzRewriteSingleDash(f *testing.F) {
	for _, s := range []string{"-file x.cfg", "-sw /a", "-- -file", "-members=a,b -v 3", "--file y", "- -", "-=", "-f=ile"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
		fs.String("file", "", "")
		fs.String("members", "", "")
		fs.BoolP("stat", "s", false, "")
		fs.BoolP("watch", "w", false, "")
		args := strings.Split(line, " ")
		out := RewriteSingleDash(args, fs)
		if len(out) != len(args) {
			t.Fatalf("RewriteSingleDash(%q) = %q: length changed", args, out)
		}
		afterDashes := false
		for i := range args {
			if afterDashes && out[i] != args[i] {
				t.Fatalf("RewriteSingleDash(%q) changed %q after --", args, args[i])
			}
			if out[i] != args[i] && out[i] != "-"+args[i] {
				t.Fatalf("RewriteSingleDash(%q): %q became %q", args, args[i], out[i])
			}
			if args[i] == "--" {
				afterDashes = true
			}
		}
	})
}

// FuzzACLErrorHidesSecret: whatever surrounds a secret in an ACL argument
// (a password typed as a digest id, as permissions, as a scheme...), a
// refusal's message never contains it.
func FuzzACLErrorHidesSecret(f *testing.F) {
	for _, s := range [][2]string{
		{"digest:bob:", ":cdrwa"}, {"digest:bob:", ""}, {"", ":x:cdrwa"}, {"ip:", ":r"}, {"world:", ":r"},
		{"world:anyone:r,digest:bob:", ":cdrwa"}, {"x509:", ""}, {"digest:", ":bob:r"}, {"", ""}, {"world:anyone:", ""},
	} {
		f.Add(s[0], s[1], uint8(0))
		f.Add(s[0], s[1], uint8(1))
	}
	secrets := []string{"S3cretPw77", "hunter2/+=Zq"}
	f.Fuzz(func(t *testing.T, before, after string, which uint8) {
		secret := secrets[int(which)%len(secrets)]
		acl := before + secret + after
		if _, err := ParseACL(acl); err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("ParseACL(%q): the error shows the secret: %v", acl, err)
		}
		// What is accepted never carries a password as a digest id.
		if acls, err := ParseACL(acl); err == nil {
			for _, a := range acls {
				if a.Scheme == "digest" && (!validDigestID(a.ID) || HasPlainDigestID(acl)) {
					t.Fatalf("ParseACL(%q) accepted the digest id %q", acl, a.ID)
				}
			}
		}
	})
}
