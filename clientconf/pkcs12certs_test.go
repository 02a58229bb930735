package clientconf

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// TestPKCS12TrustStores: trust stores as openssl writes them (plain
// certificate bags; AES or 3DES; SHA-256 or SHA-1 MACs; with or without a
// password) load as well as keytool's (certificates marked trusted); a wrong
// password or an altered file is refused with one clear reason that never
// shows the password.
func TestPKCS12TrustStores(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is needed to make openssl's PKCS12 stores")
		}
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	ca := selfSigned(t, "zkc test CA")
	caPEM := filepath.Join(dir, "ca.pem")
	os.WriteFile(caPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o600)
	const pw = "tru5t-S3cret"
	mk := func(name, pass string, extra ...string) string {
		out := filepath.Join(dir, name)
		args := append([]string{"pkcs12", "-export", "-nokeys", "-in", caPEM, "-out", out, "-passout", "pass:" + pass}, extra...)
		if b, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, b)
		}
		return out
	}
	keytool, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{ca}, pw)
	if err != nil {
		t.Fatal(err)
	}
	keytoolFile := filepath.Join(dir, "keytool.p12")
	os.WriteFile(keytoolFile, keytool, 0o600)
	aes := mk("aes.p12", pw)
	altered := filepath.Join(dir, "altered.p12")
	b, _ := os.ReadFile(aes)
	b[len(b)/2] ^= 0x40
	os.WriteFile(altered, b, 0o600)

	cases := []struct {
		name, file, password string
		wantErr              string // "" for success
	}{
		{"openssl default (PBES2 AES-256, HMAC-SHA256)", aes, pw, ""},
		{"openssl 3DES with a SHA-1 MAC", mk("3des.p12", pw, "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"), pw, ""},
		{"openssl AES-128", mk("aes128.p12", pw, "-certpbe", "AES-128-CBC"), pw, ""},
		{"openssl without a password", mk("nopw.p12", ""), "", ""},
		{"openssl unencrypted certificates", mk("plain.p12", pw, "-certpbe", "NONE"), pw, ""},
		{"keytool's trusted certificates", keytoolFile, pw, ""},
		{"wrong password", aes, "not-" + pw, "wrong password"},
		{"altered file", altered, pw, "trust store"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool, err := loadTrustStore(context.Background(), Store{Location: tc.file, Password: tc.password, Type: "PKCS12"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ca.Verify(x509.VerifyOptions{Roots: pool}); err != nil {
				t.Fatalf("the CA is not in the pool: %v", err)
			}
		})
	}
}

func selfSigned(t *testing.T, cn string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
