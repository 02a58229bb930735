package zkharness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// SASL makes a server require SASL authentication
// (sessionRequireClientSASLAuth=true: an unauthenticated client's first
// request closes its session with code -124).
type SASL struct {
	// DigestUsers are the DIGEST-MD5 users (user -> password) of the
	// server's DigestLoginModule.
	DigestUsers map[string]string
	// KDC makes the server a Kerberos service (zookeeper/localhost) of the
	// KDC's realm instead.
	KDC *KDC
}

// saslSetup writes the server's JAAS file into dir and returns the zoo.cfg
// lines and JVM properties.
func (a *SASL) saslSetup(dir string) (lines []string, props map[string]string, err error) {
	jaas := filepath.Join(dir, "server-jaas.conf")
	var body string
	props = map[string]string{"java.security.auth.login.config": jaas}
	switch {
	case a.KDC != nil:
		keytab, err := a.KDC.ServiceKeytab()
		if err != nil {
			return nil, nil, err
		}
		body = fmt.Sprintf("Server {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n  keyTab=%q\n  storeKey=true\n  useTicketCache=false\n  principal=%q;\n};\n",
			keytab, a.KDC.ServicePrincipal())
		props["java.security.krb5.conf"] = a.KDC.Krb5Conf
		props["sun.security.krb5.disableReferrals"] = "true"
	default:
		users := make([]string, 0, len(a.DigestUsers))
		for u, pw := range a.DigestUsers {
			users = append(users, fmt.Sprintf("  user_%s=%q", u, pw))
		}
		sort.Strings(users)
		body = "Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n" + strings.Join(users, "\n") + ";\n};\n"
	}
	if err := os.WriteFile(jaas, []byte(body), 0o600); err != nil {
		return nil, nil, err
	}
	lines = []string{
		"authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
		"sessionRequireClientSASLAuth=true",
	}
	return lines, props, nil
}

// Test identities of the SASL fixtures.
const (
	DigestAlice, DigestAlicePassword = "alice", "alice-secret"
	DigestBob, DigestBobPassword     = "bob", "bob-secret"
	KerberosRealm                    = "ZKC.TEST"
	KerberosAlicePassword            = "alice-krb-pw" // principal alice: password login
	// Principal bob logs in with the keytab KerberosFixture.BobKeytab.
)

// DigestServer is the pool's standalone server requiring DIGEST-MD5 SASL,
// with the users alice and bob.
func (p *Pool) DigestServer(t testing.TB) *Server {
	t.Helper()
	return p.Standalone(t, "sasl-digest", Config{SASL: &SASL{DigestUsers: map[string]string{
		DigestAlice: DigestAlicePassword, DigestBob: DigestBobPassword}}})
}

// KerberosFixture is a KDC with the principals alice (password) and bob
// (keytab) and a standalone ZooKeeper requiring Kerberos.
type KerberosFixture struct {
	KDC       *KDC
	Server    *Server
	BobKeytab string
}

// Kerberos returns the pool's Kerberos fixture, started on first use.
func (p *Pool) Kerberos(t testing.TB) *KerberosFixture {
	t.Helper()
	kdc := p.KDC(t, KerberosRealm)
	p.mu.Lock()
	f, err := p.krbFixture, p.krbErr
	if f == nil && err == nil {
		f = &KerberosFixture{KDC: kdc, BobKeytab: filepath.Join(kdc.Dir, "bob.keytab")}
		if err = kdc.AddUser("alice", KerberosAlicePassword); err == nil {
			err = kdc.AddKeytab("bob", f.BobKeytab)
		}
		p.krbFixture, p.krbErr = f, err
	}
	p.mu.Unlock()
	if err != nil {
		p.unavailableKDC(t, err)
	}
	f.Server = p.Standalone(t, "sasl-krb", Config{SASL: &SASL{KDC: kdc}})
	return f
}
