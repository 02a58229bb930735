package clientconf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"hash"
	"unicode/utf16"
)

// pkcs12Certificates reads the certificates of a PKCS#12 file that holds
// only plain certificate bags, as `openssl pkcs12 -export -nokeys` writes
// it. go-pkcs12 reads keytool's trust stores (whose certificates carry
// Java's "trusted" attribute) and key stores, but refuses these; this reads
// just enough of PKCS#12 (RFC 7292) for them: the MAC is verified (SHA-1 or
// SHA-2 HMAC with the PKCS#12 key derivation), and encrypted contents are
// decrypted with PBES2 (PBKDF2 and AES-CBC, openssl 3's default) or
// pbeWithSHAAnd3-KeyTripleDES-CBC. Other bags (keys) are skipped.
func pkcs12Certificates(data []byte, password string) ([]*x509.Certificate, error) {
	var pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  macData `asn1:"optional"`
	}
	if rest, err := asn1.Unmarshal(data, &pfx); err != nil || len(rest) != 0 {
		return nil, errors.New("not a PKCS12 file")
	}
	if pfx.Version != 3 || !pfx.AuthSafe.ContentType.Equal(oidData) {
		return nil, errors.New("unsupported PKCS12 layout")
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, errors.New("not a PKCS12 file")
	}
	bmp := bmpPassword(password)
	if len(pfx.MacData.Mac.Algorithm.Algorithm) == 0 {
		if password != "" {
			return nil, errors.New("the store has no integrity check (MAC) but a password was given")
		}
	} else if err := pfx.MacData.verify(authSafe, bmp); err != nil {
		if password != "" {
			return nil, err
		}
		// Some tools derive the MAC key of an empty password from no
		// bytes at all rather than from a zero-terminated empty string.
		if err := pfx.MacData.verify(authSafe, nil); err != nil {
			return nil, err
		}
		bmp = nil
	}
	var safes []contentInfo
	if _, err := asn1.Unmarshal(authSafe, &safes); err != nil {
		return nil, errors.New("malformed PKCS12 contents")
	}
	var certs []*x509.Certificate
	for _, ci := range safes {
		var plain []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &plain); err != nil {
				return nil, errors.New("malformed PKCS12 contents")
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed struct {
				Version int
				Info    struct {
					ContentType asn1.ObjectIdentifier
					Algorithm   pkix.AlgorithmIdentifier
					Content     []byte `asn1:"tag:0,optional"`
				}
			}
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, errors.New("malformed PKCS12 encrypted contents")
			}
			var err error
			if plain, err = pbeDecrypt(ed.Info.Algorithm, ed.Info.Content, password, bmp); err != nil {
				return nil, err
			}
		default:
			return nil, errors.New("unsupported PKCS12 content (public-key encrypted)")
		}
		var bags []struct {
			ID         asn1.ObjectIdentifier
			Value      asn1.RawValue `asn1:"tag:0,explicit"`
			Attributes asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(plain, &bags); err != nil {
			return nil, errors.New("malformed PKCS12 contents (wrong password?)")
		}
		for _, b := range bags {
			if !b.ID.Equal(oidCertBagType) {
				continue
			}
			var cb struct {
				ID    asn1.ObjectIdentifier
				Value []byte `asn1:"tag:0,explicit"`
			}
			if _, err := asn1.Unmarshal(b.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Certificate) {
				continue
			}
			c, err := x509.ParseCertificate(cb.Value)
			if err != nil {
				return nil, err
			}
			certs = append(certs, c)
		}
	}
	return certs, nil
}

var (
	oidData            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidCertBagType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Certificate = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidPBES2           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidSHA3DES         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidHMACSHA1        = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidSHA1            = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type macData struct {
	Mac struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}
	Salt       []byte
	Iterations int `asn1:"optional,default:1"`
}

// maxIterations bounds the work a crafted file can ask for.
const maxIterations = 10_000_000

func (m *macData) verify(content, bmpPassword []byte) error {
	newHash, blockSize := hashFor(m.Mac.Algorithm.Algorithm)
	if newHash == nil {
		return errors.New("unsupported PKCS12 MAC algorithm")
	}
	if m.Iterations < 1 || m.Iterations > maxIterations {
		return errors.New("unsupported PKCS12 MAC iteration count")
	}
	key := pkcs12KDF(newHash, blockSize, m.Salt, bmpPassword, m.Iterations, 3, newHash().Size())
	mac := hmac.New(newHash, key)
	mac.Write(content)
	if !hmac.Equal(mac.Sum(nil), m.Mac.Digest) {
		return errWrongPassword
	}
	return nil
}

var errWrongPassword = errors.New("wrong password (or the store was altered)")

func hashFor(oid asn1.ObjectIdentifier) (func() hash.Hash, int) {
	switch {
	case oid.Equal(oidSHA1):
		return sha1.New, 64
	case oid.Equal(oidSHA256):
		return sha256.New, 64
	case oid.Equal(oidSHA384):
		return sha512.New384, 128
	case oid.Equal(oidSHA512):
		return sha512.New, 128
	}
	return nil, 0
}

// pkcs12KDF is RFC 7292 appendix B.2's key derivation.
func pkcs12KDF(newHash func() hash.Hash, v int, salt, password []byte, iterations int, id byte, size int) []byte {
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := bytes.Repeat([]byte{id}, v)
	in := append(fill(salt), fill(password)...)
	var out []byte
	for len(out) < size {
		h := newHash()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for i := 1; i < iterations; i++ {
			h.Reset()
			h.Write(a)
			a = h.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= size {
			break
		}
		b := fill(a)[:v]
		for j := 0; j < len(in); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				x := int(in[j+k]) + int(b[k]) + carry
				in[j+k] = byte(x)
				carry = x >> 8
			}
		}
	}
	return out[:size]
}

// bmpPassword is the password as PKCS#12 wants it for MACs and its own
// PBE schemes: UTF-16 big-endian with a terminating zero.
func bmpPassword(p string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(p)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

func pbeDecrypt(alg pkix.AlgorithmIdentifier, data []byte, password string, bmp []byte) ([]byte, error) {
	var block cipher.Block
	var iv []byte
	switch {
	case alg.Algorithm.Equal(oidSHA3DES):
		var params struct {
			Salt       []byte
			Iterations int
		}
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil || params.Iterations < 1 || params.Iterations > maxIterations {
			return nil, errors.New("malformed PKCS12 encryption parameters")
		}
		key := pkcs12KDF(sha1.New, 64, params.Salt, bmp, params.Iterations, 1, 24)
		iv = pkcs12KDF(sha1.New, 64, params.Salt, bmp, params.Iterations, 2, 8)
		var err error
		if block, err = des.NewTripleDESCipher(key); err != nil {
			return nil, err
		}
	case alg.Algorithm.Equal(oidPBES2):
		var params struct {
			KDF    pkix.AlgorithmIdentifier
			Scheme pkix.AlgorithmIdentifier
		}
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil || !params.KDF.Algorithm.Equal(oidPBKDF2) {
			return nil, errors.New("unsupported PKCS12 encryption (PBES2 without PBKDF2)")
		}
		var kdf struct {
			Salt       []byte
			Iterations int
			KeyLength  int                      `asn1:"optional"`
			PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil || kdf.Iterations < 1 || kdf.Iterations > maxIterations {
			return nil, errors.New("malformed PKCS12 encryption parameters")
		}
		prf := sha1.New
		switch p := kdf.PRF.Algorithm; {
		case len(p) == 0 || p.Equal(oidHMACSHA1):
		case p.Equal(oidHMACSHA256):
			prf = sha256.New
		case p.Equal(oidHMACSHA512):
			prf = sha512.New
		default:
			return nil, errors.New("unsupported PKCS12 encryption (PBKDF2 hash)")
		}
		var keyLen int
		switch s := params.Scheme.Algorithm; {
		case s.Equal(oidAES128CBC):
			keyLen = 16
		case s.Equal(oidAES192CBC):
			keyLen = 24
		case s.Equal(oidAES256CBC):
			keyLen = 32
		default:
			return nil, errors.New("unsupported PKCS12 encryption (cipher)")
		}
		if _, err := asn1.Unmarshal(params.Scheme.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
			return nil, errors.New("malformed PKCS12 encryption parameters")
		}
		// PBES2 takes the password as it is (UTF-8), not as BMPString.
		key, err := pbkdf2.Key(prf, password, kdf.Salt, kdf.Iterations, keyLen)
		if err != nil {
			return nil, err
		}
		if block, err = aes.NewCipher(key); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("unsupported PKCS12 encryption (openssl's legacy RC2 is not supported: export the " +
			"store again with -certpbe AES-256-CBC, the default of openssl 3)")
	}
	bs := block.BlockSize()
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, errors.New("malformed PKCS12 encrypted contents")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > bs || pad > len(out) {
		return nil, errWrongPassword
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, errWrongPassword
		}
	}
	return out[:len(out)-pad], nil
}
