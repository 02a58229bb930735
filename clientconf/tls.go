package clientconf

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zkc-cli/zkc/safeio"
	"software.sslmate.com/src/go-pkcs12"
)

// The zkCli client properties zkc understands (ZKClientConfig / X509Util names).
const (
	KeySecure               = "zookeeper.client.secure"
	KeyKeyStoreLocation     = "zookeeper.ssl.keyStore.location"
	KeyKeyStorePassword     = "zookeeper.ssl.keyStore.password"
	KeyKeyStoreType         = "zookeeper.ssl.keyStore.type"
	KeyTrustStoreLocation   = "zookeeper.ssl.trustStore.location"
	KeyTrustStorePassword   = "zookeeper.ssl.trustStore.password"
	KeyTrustStoreType       = "zookeeper.ssl.trustStore.type"
	KeyHostnameVerification = "zookeeper.ssl.hostnameVerification"
)

// knownKey reports whether k is a property zkc reads; only such keys are
// named in messages.
func knownKey(k string) bool {
	switch k {
	case KeySecure, KeyKeyStoreLocation, KeyKeyStorePassword, KeyKeyStoreType,
		KeyTrustStoreLocation, KeyTrustStorePassword, KeyTrustStoreType, KeyHostnameVerification:
		return true
	}
	return false
}

// Error is a configuration problem worded for the user. Its text never holds
// a password: messages name files and keys, not values.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...interface{}) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Store is a key or trust store: a file, its password and its type.
type Store struct {
	Location string
	Password string // never printed
	Type     string // PEM, PKCS12 or JKS; "" to infer from the file name
}

// Config is the TLS part of a client configuration.
type Config struct {
	Secure               bool // zookeeper.client.secure
	KeyStore             Store
	TrustStore           Store
	HostnameVerification bool // default true, as ZooKeeper's
	// KeyFile is a separate PEM private key (--tls-key); "" when the key store
	// holds the key.
	KeyFile string
}

// String names the files only, so a Config can be logged or printed safely.
func (c *Config) String() string {
	return fmt.Sprintf("clientconf{secure=%v keyStore=%q trustStore=%q hostnameVerification=%v}",
		c.Secure, c.KeyStore.Location, c.TrustStore.Location, c.HostnameVerification)
}

// GoString hides the passwords from %#v as well.
func (c *Config) GoString() string { return c.String() }

// LoadFile reads a -client-configuration properties file (at most
// safeio.ConfigLimit bytes; ctx ends a wait on a FIFO).
func LoadFile(ctx context.Context, path string) (*Config, error) {
	props, err := LoadProperties(ctx, path)
	if err != nil {
		return nil, err
	}
	c, err := FromProperties(props)
	if err != nil {
		return nil, errorf("-client-configuration file %s: %v", path, err)
	}
	// Relative store paths are relative to the working directory, as in Java.
	return c, nil
}

// FromProperties picks the TLS keys out of parsed properties; others are
// ignored, as the Java client ignores keys it does not know.
func FromProperties(p map[string]string) (*Config, error) {
	c := &Config{HostnameVerification: true}
	var err error
	if c.Secure, err = parseBool(p, KeySecure, false); err != nil {
		return nil, err
	}
	if c.HostnameVerification, err = parseBool(p, KeyHostnameVerification, true); err != nil {
		return nil, err
	}
	c.KeyStore = Store{Location: p[KeyKeyStoreLocation], Password: p[KeyKeyStorePassword], Type: p[KeyKeyStoreType]}
	c.TrustStore = Store{Location: p[KeyTrustStoreLocation], Password: p[KeyTrustStorePassword], Type: p[KeyTrustStoreType]}
	for _, s := range []struct {
		key string
		st  Store
	}{{KeyKeyStoreType, c.KeyStore}, {KeyTrustStoreType, c.TrustStore}} {
		if s.st.Type != "" {
			if _, err := normType(s.st.Type); err != nil {
				return nil, fmt.Errorf("%s: %v", s.key, err)
			}
		}
	}
	return c, nil
}

func parseBool(p map[string]string, key string, def bool) (bool, error) {
	v, ok := p[key]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s must be true or false", key)
}

func normType(t string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(t)) {
	case "PEM":
		return "PEM", nil
	case "PKCS12", "P12", "PFX":
		return "PKCS12", nil
	case "JKS":
		return "JKS", nil
	}
	return "", fmt.Errorf("unknown store type (want PEM or PKCS12)")
}

// storeType is the explicit type, else ZooKeeper's guess from the file name,
// else PEM when the file looks like text.
func storeType(s Store, data []byte) (string, error) {
	if s.Type != "" {
		return normType(s.Type)
	}
	switch strings.ToLower(filepath.Ext(s.Location)) {
	case ".pem", ".crt", ".cer", ".key":
		return "PEM", nil
	case ".p12", ".pfx":
		return "PKCS12", nil
	case ".jks":
		return "JKS", nil
	}
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		return "PEM", nil
	}
	return "PKCS12", nil
}

// Merge applies the --tls-ca/--tls-cert/--tls-key flags over c (which may be
// nil) and returns the result; any flag turns TLS on.
func Merge(c *Config, ca, cert, key string) *Config {
	if ca == "" && cert == "" && key == "" {
		return c
	}
	if c == nil {
		c = &Config{HostnameVerification: true}
	}
	c.Secure = true
	if ca != "" {
		c.TrustStore = Store{Location: ca, Type: "PEM"}
	}
	if cert != "" {
		c.KeyStore = Store{Location: cert, Type: "PEM"}
		c.KeyFile = key
	} else if key != "" {
		c.KeyFile = key
	}
	return c
}

// TLS builds the *tls.Config, or nil when the configuration is not secure.
// ctx ends a wait for a store given as a FIFO.
func (c *Config) TLS(ctx context.Context) (*tls.Config, error) {
	if c == nil || !c.Secure {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.KeyFile != "" && c.KeyStore.Location == "" {
		return nil, errorf("--tls-key %s needs --tls-cert", c.KeyFile)
	}
	if c.KeyStore.Location != "" {
		cert, err := loadKeyStore(ctx, c.KeyStore, c.KeyFile)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	if c.TrustStore.Location != "" {
		roots, err := loadTrustStore(ctx, c.TrustStore)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = roots
	}
	if !c.HostnameVerification {
		// Verify the chain but not the name: Go has no switch for that, so
		// verification moves into VerifyConnection.
		roots := cfg.RootCAs
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("server sent no certificate")
			}
			inter := x509.NewCertPool()
			for _, ic := range cs.PeerCertificates[1:] {
				inter.AddCert(ic)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
			return err
		}
	}
	return cfg, nil
}

// readLimited reads a configuration file, store or key: at most
// safeio.ConfigLimit bytes. The error is the bare reason; callers name the
// file.
func readLimited(ctx context.Context, path string) ([]byte, error) {
	b, err := safeio.ReadFile(ctx, path, safeio.ConfigLimit)
	var tl *safeio.TooLargeError
	var pe *os.PathError
	switch {
	case errors.As(err, &tl):
		return nil, fmt.Errorf("larger than %d bytes (the limit for configuration files, stores and keys)", tl.Limit)
	case errors.Is(err, context.Canceled):
		return nil, errors.New("interrupted")
	case errors.As(err, &pe):
		return nil, pe.Err
	}
	return b, err
}

func readStore(ctx context.Context, what string, s Store) ([]byte, string, error) {
	data, err := readLimited(ctx, s.Location)
	if err != nil {
		return nil, "", errorf("cannot read %s %s: %v", what, s.Location, err)
	}
	typ, err := storeType(s, data)
	if err != nil {
		return nil, "", errorf("%s %s: %v", what, s.Location, err)
	}
	if typ == "JKS" {
		return nil, "", errorf("%s %s: JKS stores are not supported; convert it with "+
			"'keytool -importkeystore -srckeystore %s -destkeystore store.p12 -deststoretype PKCS12' and use type PKCS12",
			what, s.Location, filepath.Base(s.Location))
	}
	return data, typ, nil
}

func loadKeyStore(ctx context.Context, s Store, keyFile string) (tls.Certificate, error) {
	data, typ, err := readStore(ctx, "key store", s)
	if err != nil {
		return tls.Certificate{}, err
	}
	if typ == "PKCS12" {
		key, leaf, chain, err := pkcs12.DecodeChain(data, s.Password)
		if err != nil {
			return tls.Certificate{}, errorf("key store %s (PKCS12): %v", s.Location, pkcs12Reason(err))
		}
		cert := tls.Certificate{PrivateKey: key, Leaf: leaf, Certificate: [][]byte{leaf.Raw}}
		for _, c := range chain {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
		return cert, nil
	}
	keyPEM := data
	keyWhere := s.Location
	if keyFile != "" {
		if keyPEM, err = readLimited(ctx, keyFile); err != nil {
			return tls.Certificate{}, errorf("cannot read private key %s: %v", keyFile, err)
		}
		keyWhere = keyFile
	}
	certPEM, keyOnly, err := splitPEM(data, keyPEM)
	if err != nil {
		return tls.Certificate{}, errorf("%s: %v", keyWhere, err)
	}
	if len(certPEM) == 0 {
		return tls.Certificate{}, errorf("key store %s holds no CERTIFICATE block", s.Location)
	}
	if len(keyOnly) == 0 {
		return tls.Certificate{}, errorf("no private key in %s (give --tls-key, or put the key in the same PEM file)", keyWhere)
	}
	cert, err := tls.X509KeyPair(certPEM, keyOnly)
	if err != nil {
		return tls.Certificate{}, errorf("key store %s: %v", s.Location, err)
	}
	return cert, nil
}

// splitPEM returns the CERTIFICATE blocks of certData and the private-key
// block of keyData (both may be the same file).
func splitPEM(certData, keyData []byte) (certs, key []byte, err error) {
	for rest := certData; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			certs = append(certs, pem.EncodeToMemory(b)...)
		}
	}
	for rest := keyData; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch b.Type {
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			return certs, pem.EncodeToMemory(b), nil
		case "ENCRYPTED PRIVATE KEY":
			return nil, nil, errors.New("encrypted PEM private keys are not supported; decrypt it " +
				"(openssl pkcs8 -in key.pem -out plain.pem) or use a PKCS12 key store")
		}
	}
	return certs, nil, nil
}

func loadTrustStore(ctx context.Context, s Store) (*x509.CertPool, error) {
	data, typ, err := readStore(ctx, "trust store", s)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	n := 0
	if typ == "PKCS12" {
		// keytool's trust stores mark each certificate as trusted; openssl's
		// (pkcs12 -export -nokeys) hold plain certificate bags: accept both.
		certs, err := pkcs12.DecodeTrustStore(data, s.Password)
		if err != nil {
			var err2 error
			if certs, err2 = pkcs12Certificates(data, s.Password); err2 != nil {
				if !errors.Is(err, pkcs12.ErrIncorrectPassword) {
					err = err2
				}
				return nil, errorf("trust store %s (PKCS12): %v", s.Location, pkcs12Reason(err))
			}
		}
		for _, c := range certs {
			pool.AddCert(c)
			n++
		}
	} else {
		for rest := data; ; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, errorf("trust store %s: %v", s.Location, err)
			}
			pool.AddCert(c)
			n++
		}
	}
	if n == 0 {
		return nil, errorf("trust store %s holds no certificates", s.Location)
	}
	return pool, nil
}

// pkcs12Reason words the library's errors; a wrong password is the usual one.
func pkcs12Reason(err error) string {
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return "wrong password (or not a PKCS12 file)"
	}
	return strings.TrimPrefix(err.Error(), "pkcs12: ")
}
