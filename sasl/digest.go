package sasl

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ZooKeeper's server side is hard-wired to this protocol and server name:
// its DIGEST-MD5 realm is "zk-sasl-md5" and the digest-uri
// "zookeeper/zk-sasl-md5" (ZooKeeperSaslClient, SecurityUtils).
const (
	digestProtocol = "zookeeper"
	digestServer   = "zk-sasl-md5"
)

// Digest is a DIGEST-MD5 client (RFC 2831, qop=auth: authentication only,
// as ZooKeeper's server offers by default).
type Digest struct {
	User     string
	Password string // never printed
	// AuthzID is sent as authzid when set (ZooKeeper's client sends none).
	AuthzID string
	// cnonce makes the exchange reproducible in tests; nil: random.
	cnonce func() string
}

// Mechanism implements Client.
func (d *Digest) Mechanism() string { return "DIGEST-MD5" }

// Identity implements Client.
func (d *Digest) Identity() string { return d.User }

// String never shows the password.
func (d *Digest) String() string { return "DIGEST-MD5 user " + d.User }

// NewExchange implements Client; DIGEST-MD5 does not depend on the host.
func (d *Digest) NewExchange(string) (Exchange, error) {
	return &digestExchange{d: d, uri: digestProtocol + "/" + digestServer}, nil
}

type digestExchange struct {
	d       *Digest
	uri     string
	step    int
	rspauth string // expected server proof
}

func (x *digestExchange) Next(server []byte) ([]byte, bool, error) {
	x.step++
	switch x.step {
	case 1:
		// ZooKeeper's client opens with an empty token; the server answers
		// with its digest-challenge.
		return []byte{}, false, nil
	case 2:
		resp, rspauth, err := x.d.respond(server, x.uri)
		if err != nil {
			return nil, false, err
		}
		x.rspauth = rspauth
		return resp, false, nil
	case 3:
		got, ok := parseDirectives(string(server))
		if !ok || got["rspauth"] == nil {
			return nil, false, &Error{Mech: "DIGEST-MD5", Reason: "the server's final message carries no rspauth", Err: errors.New("no rspauth")}
		}
		if subtle.ConstantTimeCompare([]byte(got["rspauth"][0]), []byte(x.rspauth)) != 1 {
			return nil, false, &Error{Mech: "DIGEST-MD5", Reason: "the server's rspauth does not match: it does not know this password (or is not the server it claims)", Err: ErrRejected}
		}
		return nil, true, nil
	}
	return nil, true, nil
}

// respond answers a digest-challenge; it returns the digest-response and the
// rspauth value the server must send back.
func (d *Digest) respond(challenge []byte, uri string) (resp []byte, rspauth string, err error) {
	fail := func(reason string) ([]byte, string, error) {
		return nil, "", &Error{Mech: "DIGEST-MD5", Reason: reason, Err: errors.New(reason)}
	}
	dirs, ok := parseDirectives(string(challenge))
	if !ok {
		return fail("the server's challenge is malformed")
	}
	one := func(k string) string {
		if v := dirs[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	nonce := one("nonce")
	if nonce == "" {
		return fail("the server's challenge has no nonce")
	}
	if a := one("algorithm"); a != "md5-sess" {
		return fail(fmt.Sprintf("the server's challenge asks for algorithm %q, not md5-sess", a))
	}
	qops := strings.Split(one("qop"), ",")
	if one("qop") == "" {
		qops = []string{"auth"}
	}
	hasAuth := false
	for _, q := range qops {
		if strings.TrimSpace(q) == "auth" {
			hasAuth = true
		}
	}
	if !hasAuth {
		return fail("the server offers only integrity or privacy protection (qop " + one("qop") + "), which zkc does not implement")
	}
	realm := one("realm")
	utf8Charset := strings.EqualFold(one("charset"), "utf-8")
	cnonce := ""
	if d.cnonce != nil {
		cnonce = d.cnonce()
	} else {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return fail("no randomness for the cnonce: " + err.Error())
		}
		cnonce = base64.RawStdEncoding.EncodeToString(b)
	}
	const nc = "00000001"
	response := digestResponse(d.User, realm, d.Password, d.AuthzID, nonce, cnonce, nc, uri, "AUTHENTICATE", utf8Charset)
	rspauth = digestResponse(d.User, realm, d.Password, d.AuthzID, nonce, cnonce, nc, uri, "", utf8Charset)

	var b strings.Builder
	if utf8Charset {
		b.WriteString("charset=utf-8,")
	}
	fmt.Fprintf(&b, "username=%s,", quote(d.User))
	if realm != "" {
		fmt.Fprintf(&b, "realm=%s,", quote(realm))
	}
	fmt.Fprintf(&b, "nonce=%s,nc=%s,cnonce=%s,digest-uri=%s,maxbuf=65536,response=%s,qop=auth",
		quote(nonce), nc, quote(cnonce), quote(uri), response)
	if d.AuthzID != "" {
		fmt.Fprintf(&b, ",authzid=%s", quote(d.AuthzID))
	}
	return []byte(b.String()), rspauth, nil
}

// digestResponse is RFC 2831 2.1.2.1's response-value (method
// "AUTHENTICATE") or 2.1.3's rspauth (method "").
func digestResponse(user, realm, password, authzid, nonce, cnonce, nc, uri, method string, utf8Charset bool) string {
	if utf8Charset {
		// The user name and password are hashed in ISO 8859-1 when every
		// character fits, as RFC 2831 2.1.2.1 says (and Java does).
		user, password = latin1IfPossible(user), latin1IfPossible(password)
		realm = latin1IfPossible(realm)
	}
	h := md5.Sum([]byte(user + ":" + realm + ":" + password))
	a1 := string(h[:]) + ":" + nonce + ":" + cnonce
	if authzid != "" {
		a1 += ":" + authzid
	}
	a2 := method + ":" + uri
	kd := hexMD5(hexMD5(a1) + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + hexMD5(a2))
	return kd
}

func hexMD5(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// latin1IfPossible re-encodes a UTF-8 string as ISO 8859-1 bytes when all its
// characters are below U+0100.
func latin1IfPossible(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff || r == utf8.RuneError {
			return s
		}
		out = append(out, byte(r))
	}
	return string(out)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// parseDirectives reads RFC 2831's comma-separated name=value list (values
// plain or quoted with backslash escapes). Repeated names keep every value.
func parseDirectives(s string) (map[string][]string, bool) {
	out := map[string][]string{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == '\r' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return out, true
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq <= 0 {
			return nil, false
		}
		name := strings.ToLower(strings.TrimSpace(s[i : i+eq]))
		i += eq + 1
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					i++
					closed = true
					break
				}
				val.WriteByte(c)
				i++
			}
			if !closed {
				return nil, false
			}
		} else {
			j := i
			for j < len(s) && s[j] != ',' {
				j++
			}
			val.WriteString(strings.TrimSpace(s[i:j]))
			i = j
		}
		out[name] = append(out[name], val.String())
	}
}
