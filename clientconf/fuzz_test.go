package clientconf

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// escape writes s so that ParseProperties reads it back unchanged (as Java's
// Properties.store does).
func escape(s string, key bool) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\\' || r == '=' || r == ':' || r == '#' || r == '!':
			b.WriteString(`\` + string(r))
		case r == ' ' && (key || i == 0):
			b.WriteString(`\ `)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				hi, lo := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3ff+0xDC00
				fmt.Fprintf(&b, `\u%04X\u%04X`, hi, lo)
			} else {
				fmt.Fprintf(&b, `\u%04X`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzParseProperties: any text parses or fails without panicking, and
// whatever parses survives being stored (escaped) and parsed again.
func FuzzParseProperties(f *testing.F) {
	for _, s := range []string{
		"a=b\n", "a: b\r\nc d\n", "# c\n! c\nk=v\\\n  continued\n", `k=\u0041\t\\`, "k=\\u12", "\\=k\\:=v=w",
		"zookeeper.client.secure=true\nzookeeper.ssl.keyStore.password=s3cr3t\n", "k\\\n", "\uFEFFk=v", "=v\n:v\n",
		"k=\\uD83D\\uDE00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		props, err := ParseProperties(text)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(escape(k, true) + "=" + escape(props[k], false) + "\n")
		}
		again, err := ParseProperties(b.String())
		if err != nil {
			t.Fatalf("stored form %q of %q does not parse: %v", b.String(), text, err)
		}
		if len(again) != len(props) {
			t.Fatalf("round trip of %q: %v != %v", text, again, props)
		}
		for k, v := range props {
			if again[k] != v {
				t.Fatalf("round trip of %q: key %q: %q != %q", text, k, again[k], v)
			}
		}
	})
}

// FuzzPropertiesErrorHidesSecret: wherever a secret sits in a properties
// file (a value, a mistyped key, a broken escape next to it), neither the
// parser's nor the TLS settings' error message contains it.
func FuzzPropertiesErrorHidesSecret(f *testing.F) {
	for _, s := range [][2]string{
		{"zookeeper.ssl.keyStore.password=", "\\u12"}, {"", "=\\uZZZZ"}, {"zookeeper.client.secure=", ""},
		{"zookeeper.ssl.trustStore.type=", "\n"}, {"k=\\u00", ""}, {"a\\\n", "=\\u1"}, {"", ""},
		{"zookeeper.ssl.hostnameVerification=", "\n"}, {"\x00", ""}, {"x=\xff", ""},
	} {
		f.Add(s[0], s[1], uint8(0))
		f.Add(s[0], s[1], uint8(1))
	}
	secrets := []string{"S3cretPw77", "hunter2/+=Zq"}
	f.Fuzz(func(t *testing.T, before, after string, which uint8) {
		secret := secrets[int(which)%len(secrets)]
		text := before + secret + after
		props, err := ParseProperties(text)
		if err != nil {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("ParseProperties(%q): the error shows the secret: %v", text, err)
			}
			return
		}
		if _, err := FromProperties(props); err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("FromProperties of %q: the error shows the secret: %v", text, err)
		}
	})
}
