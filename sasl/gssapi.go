package sasl

import (
	"context"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jcmturner/gokrb5/v8/asn1tools"
	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/chksumtype"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
	"github.com/zkc-cli/zkc/safeio"
)

// KerberosConfig says where the Kerberos credentials come from and how the
// server's principal is built, as ZooKeeper's Java client does.
type KerberosConfig struct {
	// Principal is the client's principal (user or user@REALM). With a
	// ticket cache it may be empty: the cache's principal is used.
	Principal string
	Keytab    string // a keytab file: log in with its key
	Password  string // else a password (never printed)
	// CCache is the ticket cache file (KRB5CCNAME, Krb5LoginModule's
	// ticketCache), used when there is neither keytab nor password.
	CCache   string
	Krb5Conf string // krb5.conf path
	// ServiceUser is zookeeper.sasl.client.username ("zookeeper").
	ServiceUser string
	// ServerPrincipal is zookeeper.server.principal: when set, it is used
	// as is for every server.
	ServerPrincipal string
	// Canonicalize is zookeeper.sasl.client.canonicalize.hostname (the
	// Java default is true).
	Canonicalize bool
	// LookupAddr and LookupHost resolve names (nil: the system resolver).
	LookupAddr func(string) ([]string, error)
	LookupHost func(string) ([]string, error)
}

// Kerberos is a GSSAPI client holding a TGT.
type Kerberos struct {
	cfg      KerberosConfig
	krb5     *config.Config
	cl       *client.Client
	identity string // alice@REALM

	loginMu  sync.Mutex
	loggedIn bool
}

// kdcTimeout bounds every conversation with the KDC, so a KDC that does not
// answer costs seconds, never a hang.
const kdcTimeout = 10 * time.Second

// readKerberosFile reads krb5.conf, a keytab or a ticket cache through
// safeio rather than the library's own loaders: a regular file of at most
// safeio.ConfigLimit bytes, so /dev/zero or a FIFO given by mistake is
// refused instead of exhausting memory or hanging.
func readKerberosFile(path string) ([]byte, error) {
	return safeio.ReadRegular(path, safeio.ConfigLimit)
}

// NewKerberos reads krb5.conf and the keytab or ticket cache; Login then
// talks to the KDC.
func NewKerberos(cfg KerberosConfig) (*Kerberos, error) {
	k := &Kerberos{cfg: cfg}
	if cfg.ServiceUser == "" {
		k.cfg.ServiceUser = "zookeeper"
	}
	fail := func(reason string) (*Kerberos, error) {
		return nil, &Error{Mech: "GSSAPI", Reason: reason, Err: ErrRejected}
	}
	if _, err := os.Stat(cfg.Krb5Conf); err != nil {
		return fail(fmt.Sprintf("cannot read krb5.conf %s: %v", cfg.Krb5Conf, shortErr(err)))
	}
	conf, err := readKerberosFile(cfg.Krb5Conf)
	if err != nil {
		return fail(fmt.Sprintf("cannot read krb5.conf %s: %v", cfg.Krb5Conf, shortErr(err)))
	}
	kc, err := config.NewFromString(string(conf))
	if err != nil {
		return fail(fmt.Sprintf("cannot parse krb5.conf %s: %v", cfg.Krb5Conf, err))
	}
	k.krb5 = kc
	settings := []func(*client.Settings){client.DisablePAFXFAST(true)}
	user, realm := splitPrincipal(cfg.Principal, kc.LibDefaults.DefaultRealm)
	switch {
	case cfg.Keytab != "":
		if user == "" {
			return fail("a keytab needs a principal (--krb5-principal or the JAAS principal)")
		}
		kt := keytab.New()
		b, err := readKerberosFile(cfg.Keytab)
		if err == nil {
			err = kt.Unmarshal(b)
		}
		if err != nil {
			return fail(fmt.Sprintf("cannot read the keytab %s: %v", cfg.Keytab, shortErr(err)))
		}
		k.cl = client.NewWithKeytab(user, realm, kt, kc, settings...)
	case cfg.Password != "":
		if user == "" {
			return fail("a password login needs a principal (--krb5-principal or --sasl-user)")
		}
		k.cl = client.NewWithPassword(user, realm, cfg.Password, kc, settings...)
	default:
		path := cfg.CCache
		if strings.Contains(path, ":") {
			typ, rest, _ := strings.Cut(path, ":")
			if typ != "FILE" {
				return fail(fmt.Sprintf("the ticket cache %s is of type %s; zkc reads FILE: caches only (run kinit -c FILE:/tmp/krb5cc_zkc and set KRB5CCNAME to it)", path, typ))
			}
			path = rest
		}
		cc := new(credentials.CCache)
		b, err := readKerberosFile(path)
		if err == nil {
			err = cc.Unmarshal(b)
		}
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fail(fmt.Sprintf("no Kerberos ticket cache at %s (run kinit, or give a keytab or a password)", path))
			}
			return fail(fmt.Sprintf("cannot read the ticket cache %s: %v", path, shortErr(err)))
		}
		cl, err := client.NewFromCCache(cc, kc, settings...)
		if err != nil {
			return fail(fmt.Sprintf("the ticket cache %s holds no valid ticket-granting ticket (run kinit again): %v", path, shortErr(err)))
		}
		if user != "" && cl.Credentials.CName().PrincipalNameString() != user {
			return fail(fmt.Sprintf("the ticket cache %s is for %s@%s, not %s", path, cl.Credentials.CName().PrincipalNameString(), cl.Credentials.Realm(), cfg.Principal))
		}
		k.cl = cl
	}
	k.identity = k.cl.Credentials.CName().PrincipalNameString() + "@" + k.cl.Credentials.Realm()
	return k, nil
}

func splitPrincipal(p, defaultRealm string) (user, realm string) {
	if i := strings.LastIndexByte(p, '@'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return p, defaultRealm
}

// Login gets the ticket-granting ticket (a ticket cache already holds one).
// It fails within timeout with one line naming the cause.
func (k *Kerberos) Login(ctx context.Context, timeout time.Duration) error {
	if k.cfg.Keytab == "" && k.cfg.Password == "" {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- k.cl.Login() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return k.describe(err, "")
		}
		return nil
	case <-timer.C:
		return &Error{Mech: "GSSAPI", Reason: fmt.Sprintf("the KDC %s did not answer within %v", k.kdcs(), timeout), Err: ErrRejected}
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (k *Kerberos) kdcs() string {
	realm := k.cl.Credentials.Realm()
	for _, r := range k.krb5.Realms {
		if r.Realm == realm && len(r.KDC) > 0 {
			return "of " + realm + " (" + strings.Join(r.KDC, ", ") + ")"
		}
	}
	return "of " + realm
}

var krbErrorCode = regexp.MustCompile(`\((\d+)\) (K[A-Z_]+)`)

// describe words a gokrb5 error for an operator; spn is the service
// principal asked for ("" during login).
func (k *Kerberos) describe(err error, spn string) error {
	msg := err.Error()
	if k.cfg.Password != "" {
		msg = strings.ReplaceAll(msg, k.cfg.Password, "<hidden>")
	}
	who := k.identity
	reason := ""
	if m := krbErrorCode.FindStringSubmatch(msg); m != nil {
		code, _ := strconv.Atoi(m[1])
		switch code {
		case 6:
			reason = fmt.Sprintf("the KDC does not know the principal %s (KDC_ERR_C_PRINCIPAL_UNKNOWN)", who)
		case 7:
			reason = fmt.Sprintf("the KDC does not know the server principal %s (KDC_ERR_S_PRINCIPAL_UNKNOWN: check zookeeper.sasl.client.username, zookeeper.server.principal and the host name in -server)", spn)
		case 18:
			reason = fmt.Sprintf("the KDC says the credentials of %s are revoked or locked (KDC_ERR_CLIENT_REVOKED)", who)
		case 23:
			reason = fmt.Sprintf("the password of %s has expired (KDC_ERR_KEY_EXPIRED)", who)
		case 24:
			reason = fmt.Sprintf("wrong password or stale keytab for %s (KDC_ERR_PREAUTH_FAILED)", who)
		case 31, 41:
			reason = "the ticket does not match its key (" + m[2] + ": a stale keytab on the server?)"
		case 32:
			reason = fmt.Sprintf("the Kerberos ticket of %s has expired (KRB_AP_ERR_TKT_EXPIRED: run kinit again)", who)
		case 37:
			reason = "clock skew too great between this machine and the KDC (KRB_AP_ERR_SKEW: sync the clocks, e.g. with NTP)"
		case 68:
			reason = "the KDC does not serve that realm (KDC_ERR_WRONG_REALM: check default_realm and the principal's realm)"
		default:
			reason = fmt.Sprintf("the KDC refused: %s (%d)", m[2], code)
		}
	} else {
		switch {
		case strings.Contains(msg, "Networking_Error"):
			reason = fmt.Sprintf("cannot reach the KDC %s: %s", k.kdcs(), lastCause(msg))
		case strings.Contains(msg, "password/keytab incorrect") || strings.Contains(msg, "Decrypting_Error") || strings.Contains(msg, "integrity verification"):
			reason = fmt.Sprintf("wrong password or stale keytab for %s (the KDC's answer cannot be decrypted with it)", who)
		default:
			reason = lastCause(msg)
		}
	}
	return &Error{Mech: "GSSAPI", Reason: reason, Err: ErrRejected}
}

// lastCause is the innermost part of gokrb5's "a < b < c" error chain.
func lastCause(msg string) string {
	if i := strings.Index(msg, "] "); strings.HasPrefix(msg, "[Root cause") && i > 0 {
		msg = msg[i+2:]
	}
	parts := strings.Split(msg, " < ")
	return strings.TrimSpace(parts[len(parts)-1])
}

func shortErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Mechanism implements Client.
func (k *Kerberos) Mechanism() string { return "GSSAPI" }

// Identity implements Client: the full principal, as the server's whoami shows it.
func (k *Kerberos) Identity() string { return k.identity }

// ServicePrincipal is the server principal for host, built as the Java
// client's SaslServerPrincipal does: zookeeper.server.principal when set,
// else ServiceUser/hostname, where a literal IP address is turned into its
// name by reverse lookup (Java's InetSocketAddress.getHostName does this even
// without canonicalization) and with Canonicalize the name is replaced by
// the canonical name of its address.
func (k *Kerberos) ServicePrincipal(host string) string {
	if k.cfg.ServerPrincipal != "" {
		return k.cfg.ServerPrincipal
	}
	lookupAddr, lookupHost := k.cfg.LookupAddr, k.cfg.LookupHost
	if lookupAddr == nil {
		lookupAddr = net.LookupAddr
	}
	if lookupHost == nil {
		lookupHost = net.LookupHost
	}
	name := host
	reverse := func(ip string) string {
		if names, err := lookupAddr(ip); err == nil && len(names) > 0 {
			return strings.TrimSuffix(names[0], ".")
		}
		return ip
	}
	if net.ParseIP(host) != nil {
		name = reverse(host)
	} else if k.cfg.Canonicalize {
		if addrs, err := lookupHost(host); err == nil && len(addrs) > 0 {
			if canon := reverse(addrs[0]); canon != addrs[0] {
				name = canon
			}
		}
	}
	return k.cfg.ServiceUser + "/" + strings.ToLower(name)
}

// Prepare logs in to the KDC before zkc connects to any server.
func (k *Kerberos) Prepare() error { return k.ensureLogin() }

// ensureLogin logs in once (NewExchange runs on every connection).
func (k *Kerberos) ensureLogin() error {
	k.loginMu.Lock()
	defer k.loginMu.Unlock()
	if k.loggedIn {
		return nil
	}
	if err := k.Login(context.Background(), kdcTimeout); err != nil {
		return err
	}
	k.loggedIn = true
	return nil
}

// NewExchange implements Client: it gets (or reuses) the service ticket for
// host's principal.
func (k *Kerberos) NewExchange(host string) (Exchange, error) {
	spn := k.ServicePrincipal(host)
	name := spn
	if i := strings.LastIndexByte(name, '@'); i >= 0 {
		name = name[:i] // gokrb5 finds the realm from domain_realm / the client's
	}
	if err := k.ensureLogin(); err != nil {
		return nil, err
	}
	type ticket struct {
		tkt messages.Ticket
		key types.EncryptionKey
		err error
	}
	got := make(chan ticket, 1)
	go func() {
		tkt, key, err := k.cl.GetServiceTicket(name)
		got <- ticket{tkt, key, err}
	}()
	var t ticket
	select {
	case t = <-got:
	case <-time.After(kdcTimeout):
		return nil, &Error{Mech: "GSSAPI", Reason: fmt.Sprintf("the KDC %s did not answer within %v", k.kdcs(), kdcTimeout), Err: ErrRejected}
	}
	tkt, key, err := t.tkt, t.key, t.err
	if err != nil {
		return nil, k.describe(err, spn)
	}
	return &gssExchange{k: k, spn: spn, tkt: tkt, key: key}, nil
}

type gssExchange struct {
	k    *Kerberos
	spn  string
	tkt  messages.Ticket
	key  types.EncryptionKey
	seq  int64
	step int
	// negotiated: the security-layer answer is sent; the server's next
	// answer ends the exchange.
	negotiated bool
}

func (x *gssExchange) fail(reason string) error {
	return &Error{Mech: "GSSAPI", Reason: reason, Err: ErrRejected}
}

func (x *gssExchange) Next(server []byte) ([]byte, bool, error) {
	x.step++
	switch {
	case x.step == 1:
		tok, err := x.apReq()
		if err != nil {
			return nil, false, x.fail("cannot build the Kerberos request for " + x.spn + ": " + err.Error())
		}
		return tok, false, nil
	case x.negotiated:
		// The server's final, empty answer: authenticated.
		return nil, true, nil
	case len(server) == 0:
		// No mutual authentication was asked for, so a server may answer
		// the AP-REQ with nothing and send its offer on the next round.
		return []byte{}, false, nil
	case len(server) >= 2 && server[0] == 0x05 && server[1] == 0x04:
		x.negotiated = true
		return x.securityLayer(server)
	}
	return nil, false, x.fail(fmt.Sprintf("the server did not accept the Kerberos ticket for %s", x.spn))
}

// securityLayer answers RFC 4752 3.1's wrapped offer of security layers:
// no security layer, max buffer 0, authzid our principal (as Java's client).
func (x *gssExchange) securityLayer(server []byte) ([]byte, bool, error) {
	var wt gssapi.WrapToken
	if err := wt.Unmarshal(unrotate(server), true); err != nil {
		return nil, false, x.fail("the server's security-layer message is malformed: " + err.Error())
	}
	if ok, err := wt.Verify(x.key, keyusage.GSSAPI_ACCEPTOR_SEAL); !ok {
		return nil, false, x.fail(fmt.Sprintf("the server's security-layer message does not verify (%v)", err))
	}
	if len(wt.Payload) != 4 || wt.Payload[0]&1 == 0 {
		return nil, false, x.fail("the server requires a SASL security layer (integrity or privacy), which zkc does not implement")
	}
	payload := append([]byte{1, 0, 0, 0}, x.k.identity...)
	reply := &gssapi.WrapToken{
		Flags:     0,
		EC:        wt.EC,
		RRC:       0,
		SndSeqNum: uint64(x.seq), // Java's acceptor expects the authenticator's number
		Payload:   payload,
	}
	if err := reply.SetCheckSum(x.key, keyusage.GSSAPI_INITIATOR_SEAL); err != nil {
		return nil, false, x.fail("cannot sign the security-layer answer: " + err.Error())
	}
	b, err := reply.Marshal()
	if err != nil {
		return nil, false, x.fail("cannot encode the security-layer answer: " + err.Error())
	}
	return b, false, nil
}

// unrotate undoes RFC 4121's right rotation of a wrap token's body.
func unrotate(b []byte) []byte {
	if len(b) < 16 {
		return b
	}
	rrc := int(binary.BigEndian.Uint16(b[6:8]))
	body := b[16:]
	if rrc == 0 || len(body) == 0 {
		return b
	}
	rrc %= len(body)
	out := make([]byte, len(b))
	copy(out, b[:16])
	binary.BigEndian.PutUint16(out[6:8], 0)
	copy(out[16:], body[rrc:])
	copy(out[16+len(body)-rrc:], body[:rrc])
	return out
}

// apReq is the initial GSS-API token: the Kerberos mechanism's OID, token id
// 01 00 and an AP-REQ whose authenticator carries the GSS checksum (RFC
// 4121 4.1.1) with integrity and confidentiality flags and no mutual
// authentication.
func (x *gssExchange) apReq() ([]byte, error) {
	creds := x.k.cl.Credentials
	auth, err := types.NewAuthenticator(creds.Domain(), creds.CName())
	if err != nil {
		return nil, err
	}
	x.seq = auth.SeqNumber
	ck := make([]byte, 24)
	binary.LittleEndian.PutUint32(ck[:4], 16)
	binary.LittleEndian.PutUint32(ck[20:24], uint32(gssapi.ContextFlagInteg|gssapi.ContextFlagConf))
	auth.Cksum = types.Checksum{CksumType: chksumtype.GSSAPI, Checksum: ck}
	req, err := messages.NewAPReq(x.tkt, x.key, auth)
	if err != nil {
		return nil, err
	}
	body, err := req.Marshal()
	if err != nil {
		return nil, err
	}
	// gokrb5's OID is gofork's type: convert it, or encoding/asn1 writes a
	// SEQUENCE of INTEGERs.
	oid, err := asn1.Marshal(asn1.ObjectIdentifier(gssapi.OIDKRB5.OID()))
	if err != nil {
		return nil, err
	}
	b := append(oid, 0x01, 0x00)
	b = append(b, body...)
	return asn1tools.AddASNAppTag(b, 0), nil
}
