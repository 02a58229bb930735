package sasl

import (
	"strings"
	"testing"
)

// RFC 2831 section 4's two examples: the same user and password, an IMAP and
// an ACAP exchange, with the response and rspauth values the RFC gives.
func TestDigestRFC2831Examples(t *testing.T) {
	cases := []struct {
		name, nonce, cnonce, uri, response, rspauth string
	}{
		{"imap", "OA6MG9tEQGm2hh", "OA6MHXh6VqTrRk", "imap/elwood.innosoft.com",
			"d388dad90d4bbd760a152321f2143af7", "ea40f60335c427b5527b84dbabcdfffd"},
		{"acap", "OA9BSXrbuRhWay", "OA9BSuZWMSpW8m", "acap/elwood.innosoft.com",
			"6084c6db3fede7352c551284490fd0fc", "2f0b3d7c3c2e486600ef710726aa2eae"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &Digest{User: "chris", Password: "secret", cnonce: func() string { return c.cnonce }}
			challenge := `realm="elwood.innosoft.com",nonce="` + c.nonce + `",qop="auth",algorithm=md5-sess,charset=utf-8`
			resp, rspauth, err := d.respond([]byte(challenge), c.uri)
			if err != nil {
				t.Fatal(err)
			}
			dirs, ok := parseDirectives(string(resp))
			if !ok {
				t.Fatalf("unparsable response %q", resp)
			}
			if got := dirs["response"][0]; got != c.response {
				t.Errorf("response = %s, RFC 2831 gives %s", got, c.response)
			}
			if rspauth != c.rspauth {
				t.Errorf("rspauth = %s, RFC 2831 gives %s", rspauth, c.rspauth)
			}
			for _, want := range []string{`username="chris"`, `realm="elwood.innosoft.com"`, `nc=00000001`, `qop=auth`, `digest-uri="` + c.uri + `"`} {
				if !strings.Contains(string(resp), want) {
					t.Errorf("response %q lacks %s", resp, want)
				}
			}
			if strings.Contains(string(resp), "secret") {
				t.Errorf("the password appears in the response: %q", resp)
			}
		})
	}
}

// The whole exchange as ZooKeeper runs it: empty first token, challenge,
// response, rspauth checked.
func TestDigestExchange(t *testing.T) {
	d := &Digest{User: "chris", Password: "secret", cnonce: func() string { return "OA6MHXh6VqTrRk" }}
	x, _ := d.NewExchange("ignored")
	x.(*digestExchange).uri = "imap/elwood.innosoft.com"
	tok, done, err := x.Next(nil)
	if err != nil || done || len(tok) != 0 {
		t.Fatalf("first step = %q %v %v, want an empty token", tok, done, err)
	}
	if _, done, err = x.Next([]byte(`realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8`)); err != nil || done {
		t.Fatalf("second step: %v %v", done, err)
	}
	if _, _, err := x.Next([]byte("rspauth=00000000000000000000000000000000")); err == nil {
		t.Fatal("a wrong rspauth was accepted")
	}
	x2, _ := d.NewExchange("")
	x2.(*digestExchange).uri = "imap/elwood.innosoft.com"
	x2.Next(nil)
	x2.Next([]byte(`realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8`))
	if _, done, err := x2.Next([]byte("rspauth=ea40f60335c427b5527b84dbabcdfffd")); err != nil || !done {
		t.Fatalf("the right rspauth: done=%v err=%v", done, err)
	}
}

func TestDigestRefusesWhatItCannotDo(t *testing.T) {
	d := &Digest{User: "u", Password: "p"}
	for _, ch := range []string{
		`nonce="n",qop="auth-conf",algorithm=md5-sess`,
		`realm="r",qop="auth",algorithm=md5-sess`,
		`nonce="n",algorithm=md5`,
		`nonce="n`,
	} {
		if _, _, err := d.respond([]byte(ch), "zookeeper/zk-sasl-md5"); err == nil {
			t.Errorf("challenge %q accepted", ch)
		} else if strings.Contains(err.Error(), "p\"") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestParseDirectives(t *testing.T) {
	got, ok := parseDirectives(` realm="a",realm="b" , nonce="x\"y",qop="auth,auth-int", charset=utf-8`)
	if !ok || len(got["realm"]) != 2 || got["nonce"][0] != `x"y` || got["qop"][0] != "auth,auth-int" || got["charset"][0] != "utf-8" {
		t.Fatalf("got %v %v", got, ok)
	}
}
