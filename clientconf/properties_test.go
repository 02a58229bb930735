package clientconf

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestParseProperties(t *testing.T) {
	cases := []struct {
		name, text string
		want       map[string]string
		err        string
	}{
		{"equals", "a=b\n", map[string]string{"a": "b"}, ""},
		{"colon and blanks", "  a :  b c  \n", map[string]string{"a": "b c  "}, ""},
		{"blank separator", "a b\n", map[string]string{"a": "b"}, ""},
		{"comments", "# x=y\n! z=w\n  # indented\na=1", map[string]string{"a": "1"}, ""},
		{"continuation", "a=one \\\n    two\\\n three\n", map[string]string{"a": "one twothree"}, ""},
		{"escaped backslash ends no line", "a=x\\\\\nb=y\n", map[string]string{"a": `x\`, "b": "y"}, ""},
		{"escapes", `a=\t\n\u0041\:\=\q`, map[string]string{"a": "\t\nA:=q"}, ""},
		{"escaped key separator", `k\=ey\ x=v`, map[string]string{"k=ey x": "v"}, ""},
		{"surrogate pair", `a=\uD83D\uDE00`, map[string]string{"a": "😀"}, ""},
		{"CRLF and CR", "a=1\r\nb=2\rc=3", map[string]string{"a": "1", "b": "2", "c": "3"}, ""},
		{"empty value", "a=\nb\n", map[string]string{"a": "", "b": ""}, ""},
		{"later wins", "a=1\na=2\n", map[string]string{"a": "2"}, ""},
		{"BOM", "\uFEFFa=1", map[string]string{"a": "1"}, ""},
		{"bad unicode escape", "a=1\nsecret=\\u12G4\n", nil, "line 2: value: malformed"},
		{"bad escape in a known key's value", "zookeeper.ssl.keyStore.password=\\u12G4\n", nil, "line 1: value of zookeeper.ssl.keyStore.password: malformed"},
		{"binary", "a=\x00", nil, "not a text file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseProperties(tc.text)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestConfigHidesPasswords(t *testing.T) {
	c, err := FromProperties(map[string]string{KeySecure: "true", KeyKeyStoreLocation: "k.p12", KeyKeyStorePassword: "hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "hunter2") {
			t.Fatalf("%s shows the password", s)
		}
	}
	if _, err := c.TLS(context.Background()); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("TLS() with a missing store: %v", err)
	}
}

// TestJAASErrorsHideValues: a JAAS file mistyped around a password (the =
// forgotten, an extra value, a password where the control flag goes) is
// refused without the password in the message.
func TestJAASErrorsHideValues(t *testing.T) {
	for _, text := range []string{
		`Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="bob" password "S3CRETpw"; };`,
		`Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="bob" password=S3CRETpw "x"; };`,
		`Client { org.apache.zookeeper.server.auth.DigestLoginModule S3CRETpw username="bob"; };`,
		`Client { "S3CRETpw" };`,
	} {
		_, err := ParseJAAS(text)
		if err == nil {
			t.Errorf("%s: accepted", text)
			continue
		}
		if strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}
