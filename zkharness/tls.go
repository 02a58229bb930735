package zkharness

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// PKI is a throwaway certificate authority made at test time, with a server
// certificate for 127.0.0.1 and a client certificate, written as PEM files
// in the layout ZooKeeper's PEM key and trust stores expect.
type PKI struct {
	Dir        string
	CAFile     string // the CA certificate (a PEM trust store)
	ServerFile string // server private key + certificate (ZooKeeper's ssl.keyStore)
	ClientCert string // client certificate alone
	ClientKey  string // client private key alone (PKCS#8)
	ClientPEM  string // client key + certificate in one file (zkCli's PEM key store)
	// OtherCAFile is a CA that signed nothing here: trusting only it makes
	// the server's certificate untrusted.
	OtherCAFile string

	CA         *x509.Certificate
	CAKey      crypto.Signer
	Client     tls.Certificate
	ClientLeaf *x509.Certificate
	// ClientTLS is how the harness itself talks TLS to the server.
	ClientTLS *tls.Config
}

// NewPKI makes the certificates under dir (ECDSA P-256: fast to generate,
// and ZooKeeper's PEM reader accepts EC keys).
func NewPKI(dir string) (*PKI, error) {
	p := &PKI{Dir: dir}
	caKey, caCert, err := newCA("zkc test CA")
	if err != nil {
		return nil, err
	}
	p.CA, p.CAKey = caCert, caKey
	_, otherCA, err := newCA("zkc untrusted CA")
	if err != nil {
		return nil, err
	}
	srvKey, srvCert, err := issue(caCert, caKey, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, err
	}
	cliKey, cliCert, err := issue(caCert, caKey, "zkc-client", x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	p.CAFile = filepath.Join(dir, "ca.pem")
	p.OtherCAFile = filepath.Join(dir, "other-ca.pem")
	p.ServerFile = filepath.Join(dir, "server.pem")
	p.ClientCert = filepath.Join(dir, "client-cert.pem")
	p.ClientKey = filepath.Join(dir, "client-key.pem")
	p.ClientPEM = filepath.Join(dir, "client.pem")
	srvKeyPEM, err := keyPEM(srvKey)
	if err != nil {
		return nil, err
	}
	cliKeyPEM, err := keyPEM(cliKey)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		p.CAFile:      certPEM(caCert),
		p.OtherCAFile: certPEM(otherCA),
		p.ServerFile:  append(append(srvKeyPEM, certPEM(srvCert)...), certPEM(caCert)...),
		p.ClientCert:  certPEM(cliCert),
		p.ClientKey:   cliKeyPEM,
		p.ClientPEM:   append(append([]byte{}, cliKeyPEM...), certPEM(cliCert)...),
	}
	for name, b := range files {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			return nil, err
		}
	}
	p.Client = tls.Certificate{Certificate: [][]byte{cliCert.Raw}, PrivateKey: cliKey, Leaf: cliCert}
	p.ClientLeaf = cliCert
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	p.ClientTLS = &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{p.Client}, ServerName: "127.0.0.1"}
	return p, nil
}

func newCA(name string) (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}

// issue signs a certificate for cn; both kinds carry 127.0.0.1 as an IP SAN
// because ZooKeeper's trust manager checks client hosts too.
func issue(ca *x509.Certificate, caKey crypto.Signer, cn string, usage x509.ExtKeyUsage) (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// tlsLines are the zoo.cfg lines of a TLS-only server on port: Netty with a
// PEM key store and trust store, client certificates required (the default).
func (p *PKI) tlsLines(port string) []string {
	return []string{
		"secureClientPort=" + port,
		"secureClientPortAddress=127.0.0.1",
		"serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
		"ssl.keyStore.location=" + p.ServerFile,
		"ssl.keyStore.type=PEM",
		"ssl.trustStore.location=" + p.CAFile,
		"ssl.trustStore.type=PEM",
	}
}

// FourLetterTLS sends a four-letter word over TLS.
func FourLetterTLS(addr, word string, cfg *tls.Config, timeout time.Duration) (string, error) {
	d := &net.Dialer{Timeout: timeout}
	c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return "", err
	}
	return exchange(c, word, timeout)
}
