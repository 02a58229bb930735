package app_test

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/zkharness"
	"software.sslmate.com/src/go-pkcs12"
)

// TestTLS runs zkc against a real TLS-only ZooKeeper (Netty, secureClientPort,
// client certificates required) with certificates made for this run.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	pki, err := zkharness.NewPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := pool.Standalone(t, "tls", zkharness.Config{TLS: pki})
	addr := srv.Addr()

	// PKCS12 stores as keytool would make them, with passwords to hide.
	const keyPW, trustPW = "k3ystore-S3cret", "tru5tstore-S3cret"
	p12, err := pkcs12.Modern.Encode(pki.Client.PrivateKey, pki.ClientLeaf, []*x509.Certificate{pki.CA}, keyPW)
	if err != nil {
		t.Fatal(err)
	}
	trust12, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{pki.CA}, trustPW)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyP12 := write("client.p12", string(p12))
	trustP12 := write("trust.p12", string(trust12))
	pemProps := write("pem.properties", "# zkCli client configuration\n"+
		"zookeeper.client.secure=true\n"+
		"zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty\n"+
		"zookeeper.ssl.keyStore.location: "+pki.ClientPEM+"\n"+
		"zookeeper.ssl.keyStore.type=PEM\n"+
		"zookeeper.ssl.trustStore.location = "+pki.CAFile+"\n"+
		"zookeeper.ssl.trustStore.type=PEM\n")
	p12Props := write("p12.properties", "zookeeper.client.secure=true\n"+
		"zookeeper.ssl.keyStore.location="+keyP12+"\n"+
		"zookeeper.ssl.keyStore.password="+keyPW+"\n"+
		"zookeeper.ssl.keyStore.type=PKCS12\n"+
		"zookeeper.ssl.trustStore.location="+trustP12+"\n"+
		"zookeeper.ssl.trustStore.password="+trustPW+"\n"+
		"zookeeper.ssl.trustStore.type=PKCS12\n"+
		"zookeeper.ssl.hostnameVerification=true\n")
	// A trust store as openssl writes it: plain certificate bags, no
	// trusted-certificate attribute.
	opensslTrust := filepath.Join(dir, "openssl-trust.p12")
	if b, err := exec.Command("openssl", "pkcs12", "-export", "-nokeys", "-in", pki.CAFile,
		"-out", opensslTrust, "-passout", "pass:"+trustPW).CombinedOutput(); err != nil {
		t.Fatalf("openssl pkcs12 -export -nokeys: %v\n%s", err, b)
	}
	opensslProps := write("openssl.properties", "zookeeper.client.secure=true\n"+
		"zookeeper.ssl.keyStore.location="+keyP12+"\n"+
		"zookeeper.ssl.keyStore.password="+keyPW+"\n"+
		"zookeeper.ssl.trustStore.location="+opensslTrust+"\n"+
		"zookeeper.ssl.trustStore.password="+trustPW+"\n")
	wrongPW := write("wrongpw.properties", "zookeeper.client.secure=true\n"+
		"zookeeper.ssl.keyStore.location="+keyP12+"\n"+
		"zookeeper.ssl.keyStore.password=not-"+keyPW+"\n"+
		"zookeeper.ssl.trustStore.location="+trustP12+"\n"+
		"zookeeper.ssl.trustStore.password="+trustPW+"\n")

	pemFlags := []string{"-server", addr, "--tls-ca", pki.CAFile, "--tls-cert", pki.ClientCert, "--tls-key", pki.ClientKey}
	ok := []struct {
		name       string
		args       []string
		wantStdout string
	}{
		{"PEM via flags creates", append(append([]string{}, pemFlags...), "create", "/tls-node", "secure data"), ""},
		{"PEM via flags reads", append(append([]string{}, pemFlags...), "get", "/tls-node"), "secure data\n"},
		{"PEM via properties", []string{"-server", addr, "-client-configuration", pemProps, "get", "/tls-node"}, "secure data\n"},
		{"PKCS12 via properties", []string{"-server", addr, "-client-configuration", p12Props, "get", "/tls-node"}, "secure data\n"},
		{"PKCS12 trust store from openssl", []string{"-server", addr, "-client-configuration", opensslProps, "get", "/tls-node"}, "secure data\n"},
		{"PKCS12 script", []string{"-server", addr, "-client-configuration", p12Props}, "[tls-node, zookeeper]\n"},
		{"PKCS12 with --debug", []string{"--debug", "-server", addr, "-client-configuration", p12Props, "get", "/tls-node"}, "secure data\n"},
		// Four-letter words go over the same TLS configuration as sessions.
		{"4lw over TLS (flags)", append(append([]string{}, pemFlags...), "4lw", "ruok"), "imok"},
		{"4lw over TLS (properties)", []string{"-server", addr, "-client-configuration", p12Props, "4lw", "isro"}, "rw"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			stdin := ""
			if !strings.Contains(strings.Join(tc.args, " "), " get ") && !strings.Contains(strings.Join(tc.args, " "), " create ") {
				stdin = "ls /\n"
			}
			r := zkc.Run(stdin, tc.args...)
			// A script also prints zkCli's WATCHER block for the connection.
			if r.Code != 0 || !strings.HasSuffix(r.Stdout, tc.wantStdout) || (stdin == "" && r.Stdout != tc.wantStdout) {
				t.Fatalf("exit %d, stdout %q (want %q), stderr %q", r.Code, r.Stdout, tc.wantStdout, r.Stderr)
			}
			if strings.Contains(r.Stderr+r.Stdout, keyPW) || strings.Contains(r.Stderr+r.Stdout, trustPW) {
				t.Errorf("output shows a keystore password: %q", r.Stderr)
			}
		})
	}

	// An export reads ACLs over 8 more sessions (session.ACLPool): they
	// connect with the same TLS settings, and every node's ACL is in the file.
	t.Run("export over TLS reads ACLs on more sessions", func(t *testing.T) {
		var script strings.Builder
		script.WriteString("create /tls-tree x\n")
		for i := 0; i < 500; i++ {
			fmt.Fprintf(&script, "create /tls-tree/n%03d v\n", i)
		}
		if r := zkc.Run(script.String(), pemFlags...); r.Code != 0 {
			t.Fatalf("building the tree: exit %d, %s", r.Code, r.Stderr)
		}
		file := filepath.Join(dir, "tls-tree.ndjson")
		// The 8 open in the background and the export may end before the
		// last of them is up: at least one must have come up over TLS. On
		// a loaded machine none may be up before the export ends, which
		// proves nothing either way: that is tried again.
		for attempt := 1; ; attempt++ {
			r := zkc.Run("", append(append([]string{"--debug"}, pemFlags...), "export", "/tls-tree", "-f", file)...)
			if r.Code != 0 {
				t.Fatalf("export: exit %d, %s", r.Code, r.Stderr)
			}
			n := strings.Count(r.Stderr, "authenticated: id=")
			if n > 9 {
				t.Fatalf("%d sessions established, want the main one and 1 to 8 for ACLs", n)
			}
			if n >= 2 {
				break
			}
			if attempt == 3 {
				t.Fatalf("%d sessions established in each of 3 exports, want the main one and 1 to 8 for ACLs", n)
			}
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), `"acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}]`); n != 501 {
			t.Errorf("%d nodes with their ACL in the export, want 501", n)
		}
	})

	// Failures must be quick (a dial/handshake failure, not the session
	// timeout of 60 s given here) and say what is wrong in one line.
	bad := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"plaintext client on the TLS port", []string{"-server", addr, "-timeout", "60000", "ls", "/"}, 8, "TLS-only port"},
		{"untrusted server certificate", []string{"-server", addr, "-timeout", "60000", "--tls-ca", pki.OtherCAFile,
			"--tls-cert", pki.ClientCert, "--tls-key", pki.ClientKey, "ls", "/"}, 8, "not trusted"},
		{"missing client certificate", []string{"-server", addr, "-timeout", "60000", "--tls-ca", pki.CAFile, "ls", "/"}, 8, "client certificate"},
		{"wrong PKCS12 password", []string{"-server", addr, "-client-configuration", wrongPW, "ls", "/"}, 2, "wrong password"},
		{"key store missing", []string{"-server", addr, "--tls-ca", pki.CAFile, "--tls-cert", filepath.Join(dir, "nope.pem"), "ls", "/"}, 2, "cannot read key store"},
		{"key without cert", []string{"-server", addr, "--tls-key", pki.ClientKey, "ls", "/"}, 2, "needs --tls-cert"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := zkc.Run("", tc.args...)
			elapsed := time.Since(start)
			t.Logf("stderr: %s", r.Stderr)
			if r.Code != tc.code || !strings.Contains(r.Stderr, tc.contains) {
				t.Fatalf("exit %d (want %d), stderr %q (want it to contain %q)", r.Code, tc.code, r.Stderr, tc.contains)
			}
			if n := strings.Count(strings.TrimSpace(r.Stderr), "\n"); n > 0 {
				t.Errorf("want one line on stderr, got %d:\n%s", n+1, r.Stderr)
			}
			if elapsed > 30*time.Second {
				t.Errorf("took %v: a TLS failure should not wait for the 60 s session timeout", elapsed)
			}
			for _, pw := range []string{keyPW, trustPW} {
				if strings.Contains(r.Stderr+r.Stdout, pw) {
					t.Errorf("output shows a password: %q", r.Stderr)
				}
			}
		})
	}
}
