package app_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
)

// zkcWith runs zkc with extra environment (the SASL tests' secrets and
// CLIENT_JVMFLAGS are never command-line arguments).
func zkcWith(env ...string) *zkharness.Zkc {
	z := *zkc
	z.Env = append([]string{"ZKC_SASL_PASSWORD=", "CLIENT_JVMFLAGS=", "JVMFLAGS=", "KRB5CCNAME=", "KRB5_CONFIG="}, env...)
	return &z
}

func oneLine(t *testing.T, r zkharness.Result, secrets ...string) {
	t.Helper()
	if strings.Count(strings.TrimSuffix(r.Stderr, "\n"), "\n") != 0 {
		t.Errorf("stderr is not one line:\n%s", r.Stderr)
	}
	for _, s := range secrets {
		if strings.Contains(r.Stdout+r.Stderr, s) {
			t.Errorf("a secret shows:\n%s%s", r.Stdout, r.Stderr)
		}
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSASLDigestFlags(t *testing.T) {
	srv := pool.DigestServer(t)
	z := zkcWith("ZKC_SASL_PASSWORD=" + zkharness.DigestAlicePassword)
	r := z.Run("", "-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice", "whoami")
	if r.Code != 0 || !strings.Contains(r.Stdout, "sasl: alice\n") {
		t.Fatalf("whoami: %+v", r)
	}
	r = z.Run("", "-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice", "-o", "json", "whoami")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"sasl":{"mechanism":"DIGEST-MD5","user":"alice"}`) {
		t.Fatalf("whoami -o json: %+v", r)
	}
	// --debug logs the exchange, never the password.
	r = z.Run("", "--debug", "-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice", "ls", "/zookeeper")
	if r.Code != 0 || !strings.Contains(r.Stderr, "SASL DIGEST-MD5: authenticated") || strings.Contains(r.Stderr, zkharness.DigestAlicePassword) {
		t.Fatalf("--debug: %+v", r)
	}
}

// sasl: ACLs in create, getAcl and setAcl, with two users.
func TestSASLDigestACL(t *testing.T) {
	srv := pool.DigestServer(t)
	alice := zkcWith("ZKC_SASL_PASSWORD=" + zkharness.DigestAlicePassword)
	bob := zkcWith("ZKC_SASL_PASSWORD=" + zkharness.DigestBobPassword)
	as := func(z *zkharness.Zkc, user string, args ...string) zkharness.Result {
		return z.Run("", append([]string{"-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", user}, args...)...)
	}
	p := "/sasl-acl-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if r := as(alice, "alice", "create", p, "data", "sasl:alice:cdrwa"); r.Code != 0 {
		t.Fatalf("create: %+v", r)
	}
	if r := as(alice, "alice", "getAcl", p); r.Code != 0 || r.Stdout != "'sasl,'alice\n: cdrwa\n" {
		t.Fatalf("getAcl: %+v", r)
	}
	if r := as(bob, "bob", "get", p); r.Code != 7 {
		t.Fatalf("bob reads alice's node: %+v, want exit 7", r)
	}
	if r := as(alice, "alice", "setAcl", p, "sasl:alice:cdrwa,sasl:bob:r"); r.Code != 0 {
		t.Fatalf("setAcl: %+v", r)
	}
	if r := as(bob, "bob", "get", p); r.Code != 0 || r.Stdout != "data\n" {
		t.Fatalf("bob reads after setAcl: %+v", r)
	}
}

func TestSASLDigestRefusals(t *testing.T) {
	srv := pool.DigestServer(t)
	start := time.Now()
	r := zkcWith().Run("", "-server", srv.Addr(), "ls", "/")
	if r.Code != 7 || !strings.Contains(r.Stderr, "requires SASL authentication") {
		t.Fatalf("unauthenticated: %+v", r)
	}
	oneLine(t, r)
	r = zkcWith("ZKC_SASL_PASSWORD=wrong-pw-123").Run("", "-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice", "ls", "/")
	if r.Code != 7 || !strings.Contains(r.Stderr, "wrong password or unknown user") {
		t.Fatalf("wrong password: %+v", r)
	}
	oneLine(t, r, "wrong-pw-123")
	r = zkcWith().Run("", "-server", srv.Addr(), "--sasl-mech", "DIGEST-MD5", "--sasl-user", "alice", "ls", "/")
	if r.Code != 2 || !strings.Contains(r.Stderr, "ZKC_SASL_PASSWORD") {
		t.Fatalf("no password, no terminal: %+v", r)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("the refusals took %v", d)
	}
}

// An operator's zkCli set-up, unchanged: the JAAS file in CLIENT_JVMFLAGS.
func TestSASLDigestJAAS(t *testing.T) {
	srv := pool.DigestServer(t)
	jaas := writeFile(t, "jaas.conf", fmt.Sprintf(`Client {
  org.apache.zookeeper.server.auth.DigestLoginModule required
  username="bob"
  password="%s";
};
Other {
  org.apache.zookeeper.server.auth.DigestLoginModule required
  username="alice"
  password="%s";
};
`, zkharness.DigestBobPassword, zkharness.DigestAlicePassword))
	r := zkcWith("CLIENT_JVMFLAGS=-Djava.security.auth.login.config="+jaas+" -Xmx64m", "JVMFLAGS=-Djute.maxbuffer=4194304").Run("", "-server", srv.Addr(), "whoami")
	if r.Code != 0 || !strings.Contains(r.Stdout, "sasl: bob\n") || !strings.Contains(r.Stderr, "-Djute.maxbuffer (JVMFLAGS) is not honoured") {
		t.Fatalf("JAAS Client section: %+v", r)
	}
	// zookeeper.sasl.clientconfig names another section, here from the
	// -client-configuration file.
	conf := writeFile(t, "client.properties", "zookeeper.sasl.clientconfig=Other\n")
	r = zkcWith("CLIENT_JVMFLAGS=-Djava.security.auth.login.config="+jaas).Run("", "-server", srv.Addr(), "-client-configuration", conf, "whoami")
	if r.Code != 0 || !strings.Contains(r.Stdout, "sasl: alice\n") {
		t.Fatalf("section Other: %+v", r)
	}
	r = zkcWith("JVMFLAGS=-Djava.security.auth.login.config="+jaas+" -Dzookeeper.sasl.clientconfig=Missing").Run("", "-server", srv.Addr(), "whoami")
	if r.Code != 2 || !strings.Contains(r.Stderr, "no JAAS configuration section named 'Missing'") {
		t.Fatalf("missing section: %+v", r)
	}
	// zookeeper.sasl.client=false turns SASL off, as in zkCli.
	r = zkcWith("CLIENT_JVMFLAGS=-Djava.security.auth.login.config="+jaas+" -Dzookeeper.sasl.client=false").Run("", "-server", srv.Addr(), "ls", "/")
	if r.Code != 7 {
		t.Fatalf("sasl.client=false: %+v", r)
	}
}

func TestSASLKerberosLogins(t *testing.T) {
	k := pool.Kerberos(t)
	ccache := filepath.Join(t.TempDir(), "krb5cc")
	if err := k.KDC.Kinit("alice", zkharness.KerberosAlicePassword, ccache); err != nil {
		t.Fatal(err)
	}
	alice := "sasl: alice@" + zkharness.KerberosRealm + "\n"
	bob := "sasl: bob@" + zkharness.KerberosRealm + "\n"
	jaasKeytab := writeFile(t, "jaas.conf", fmt.Sprintf(`Client {
  com.sun.security.auth.module.Krb5LoginModule required
  useKeyTab=true
  keyTab="%s"
  storeKey=true
  useTicketCache=false
  principal="bob@%s";
};
`, k.BobKeytab, zkharness.KerberosRealm))
	jaasCache := writeFile(t, "jaas-cache.conf", `Client {
  com.sun.security.auth.module.Krb5LoginModule required
  useTicketCache=true;
};
`)
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"flags keytab", nil, []string{"--sasl-mech", "GSSAPI", "--krb5-keytab", k.BobKeytab, "--krb5-principal", "bob", "--krb5-conf", k.KDC.Krb5Conf}, bob},
		{"flags password", []string{"ZKC_SASL_PASSWORD=" + zkharness.KerberosAlicePassword, "KRB5_CONFIG=" + k.KDC.Krb5Conf}, []string{"--sasl-mech", "GSSAPI", "--krb5-principal", "alice"}, alice},
		{"flags ticket cache", []string{"KRB5CCNAME=FILE:" + ccache, "KRB5_CONFIG=" + k.KDC.Krb5Conf}, []string{"--sasl-mech", "GSSAPI"}, alice},
		{"JAAS keytab", []string{"CLIENT_JVMFLAGS=-Djava.security.auth.login.config=" + jaasKeytab + " -Djava.security.krb5.conf=" + k.KDC.Krb5Conf}, nil, bob},
		{"JAAS ticket cache", []string{"JVMFLAGS=-Djava.security.auth.login.config=" + jaasCache, "KRB5CCNAME=" + ccache, "KRB5_CONFIG=" + k.KDC.Krb5Conf}, nil, alice},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := zkcWith(c.env...).Run("", append(append([]string{"-server", k.Server.Addr()}, c.args...), "whoami")...)
			if r.Code != 0 || !strings.Contains(r.Stdout, c.want) {
				t.Fatalf("%+v", r)
			}
			oneLine(t, r, zkharness.KerberosAlicePassword)
		})
	}
	// Unauthenticated: refused.
	r := zkcWith().Run("", "-server", k.Server.Addr(), "get", "/zookeeper")
	if r.Code != 7 || !strings.Contains(r.Stderr, "requires SASL") {
		t.Fatalf("unauthenticated: %+v", r)
	}
}

// Each Kerberos failure: exit 7 within seconds, one line naming the cause.
func TestSASLKerberosFailuresExit7(t *testing.T) {
	k := pool.Kerberos(t)
	dir := t.TempDir()
	port, _ := zkharness.FreePort()
	deadKDC, err := k.KDC.ClientKrb5Conf(dir, "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"wrong password", []string{"ZKC_SASL_PASSWORD=not-the-pw-9"}, []string{"--krb5-principal", "alice", "--krb5-conf", k.KDC.Krb5Conf}, "wrong password"},
		{"unknown principal", []string{"ZKC_SASL_PASSWORD=not-the-pw-9"}, []string{"--krb5-principal", "carol", "--krb5-conf", k.KDC.Krb5Conf}, "does not know the principal carol@ZKC.TEST"},
		{"missing keytab", nil, []string{"--krb5-principal", "bob", "--krb5-keytab", filepath.Join(dir, "none.keytab"), "--krb5-conf", k.KDC.Krb5Conf}, "cannot read the keytab"},
		{"KDC not answering", []string{"ZKC_SASL_PASSWORD=not-the-pw-9"}, []string{"--krb5-principal", "alice", "--krb5-conf", deadKDC}, "cannot reach the KDC"},
		{"no ticket cache", []string{"KRB5CCNAME=" + filepath.Join(dir, "none")}, []string{"--krb5-conf", k.KDC.Krb5Conf}, "no Kerberos ticket cache"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := zkcWith(c.env...).Run("", append(append([]string{"-server", k.Server.Addr(), "--sasl-mech", "GSSAPI"}, c.args...), "ls", "/")...)
			if r.Code != 7 || !strings.Contains(r.Stderr, c.want) {
				t.Fatalf("%+v, want exit 7 naming %q", r, c.want)
			}
			oneLine(t, r, "not-the-pw-9")
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
	// A script fails the same way, line by line, and ends with exit 7.
	r := zkcWith("ZKC_SASL_PASSWORD=not-the-pw-9").Run("ls /\nls /zookeeper\n", "-server", k.Server.Addr(), "--sasl-mech", "GSSAPI",
		"--krb5-principal", "alice", "--krb5-conf", k.KDC.Krb5Conf)
	if r.Code != 7 || strings.Count(r.Stderr, "wrong password") != 2 || strings.Contains(r.Stderr, "not-the-pw-9") {
		t.Fatalf("script: %+v", r)
	}
}

// The same JAAS file and CLIENT_JVMFLAGS log zkCli.sh and zkc in as the same
// identity: an operator's set-up works with zkc unchanged.
func TestSASLSameSetupAsZkCli(t *testing.T) {
	const zkCli = "/usr/share/zookeeper/bin/zkCli.sh"
	if _, err := os.Stat(zkCli); err != nil {
		t.Fatalf("zkCli.sh missing (it comes with Debian's zookeeper package): %v", err)
	}
	digest := pool.DigestServer(t)
	k := pool.Kerberos(t)
	digestJAAS := writeFile(t, "digest.conf", fmt.Sprintf("Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username=\"bob\"\n  password=\"%s\";\n};\n", zkharness.DigestBobPassword))
	krbJAAS := writeFile(t, "krb.conf", fmt.Sprintf("Client {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n  keyTab=\"%s\"\n  storeKey=true\n  useTicketCache=false\n  principal=\"bob@%s\";\n};\n", k.BobKeytab, zkharness.KerberosRealm))
	cases := []struct {
		name, server, flags, want string
	}{
		{"DIGEST-MD5", digest.Addr(), "-Djava.security.auth.login.config=" + digestJAAS, "sasl: bob\n"},
		{"GSSAPI", k.Server.Addr(), "-Djava.security.auth.login.config=" + krbJAAS + " -Djava.security.krb5.conf=" + k.KDC.Krb5Conf, "sasl: bob@" + zkharness.KerberosRealm + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(zkCli, "-server", c.server, "whoami")
			cmd.Env = append(os.Environ(), "CLIENT_JVMFLAGS="+c.flags, "JVMFLAGS=")
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), c.want) {
				t.Fatalf("zkCli.sh: %v\n%s", err, out)
			}
			r := zkcWith("CLIENT_JVMFLAGS="+c.flags).Run("", "-server", c.server, "whoami")
			if r.Code != 0 || !strings.Contains(r.Stdout, c.want) || r.Stderr != "" {
				t.Fatalf("zkc: %+v", r)
			}
		})
	}
}
