package clientconf

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// The SASL properties of ZooKeeper's Java client (ZKClientConfig) and the JVM.
const (
	KeyJAASConfig           = "java.security.auth.login.config"
	KeySASLClient           = "zookeeper.sasl.client"
	KeySASLClientConfig     = "zookeeper.sasl.clientconfig"
	KeyServerPrincipal      = "zookeeper.server.principal"
	KeySASLClientUsername   = "zookeeper.sasl.client.username"
	KeySASLCanonicalizeHost = "zookeeper.sasl.client.canonicalize.hostname"
	KeyKrb5Conf             = "java.security.krb5.conf"
	KeyJuteMaxBuffer        = "jute.maxbuffer"
)

// JVMProperties collects the -D system properties zkCli.sh hands the JVM:
// CLIENT_JVMFLAGS, then JVMFLAGS (later ones win, as in Java). The shell
// splits them on blanks without honouring quotes, and so does this.
func JVMProperties(getenv func(string) string) (props map[string]string, source map[string]string) {
	props, source = map[string]string{}, map[string]string{}
	for _, env := range []string{"CLIENT_JVMFLAGS", "JVMFLAGS"} {
		for _, f := range strings.Fields(getenv(env)) {
			kv, ok := strings.CutPrefix(f, "-D")
			if !ok || kv == "" {
				continue // JVM tuning (-Xmx...) means nothing to zkc
			}
			k, v, _ := strings.Cut(kv, "=")
			props[k], source[k] = v, env
		}
	}
	return props, source
}

// jvmKeysUnderstood are the client keys zkc acts on (the TLS ones live in tls.go).
var jvmKeysUnderstood = map[string]bool{
	KeyJAASConfig: true, KeySASLClient: true, KeySASLClientConfig: true, KeyServerPrincipal: true,
	KeySASLClientUsername: true, KeySASLCanonicalizeHost: true, KeyKrb5Conf: true,
	KeySecure: true, KeyKeyStoreLocation: true, KeyKeyStorePassword: true, KeyKeyStoreType: true,
	KeyTrustStoreLocation: true, KeyTrustStorePassword: true, KeyTrustStoreType: true,
	KeyHostnameVerification: true,
	// Harmless for zkc: it always uses its own socket, and never a JVM Subject.
	"zookeeper.clientCnxnSocket": true, "javax.security.auth.useSubjectCredsOnly": true,
}

// jvmKeysIgnored are client settings zkc cannot honour, with the reason.
var jvmKeysIgnored = map[string]string{
	KeyJuteMaxBuffer:              "zkc keeps every request within ZooKeeper's default 1 MiB",
	"zookeeper.server.realm":      "the server's realm comes from krb5.conf's [domain_realm] or the client's realm",
	"java.security.krb5.realm":    "put the realm in krb5.conf (--krb5-conf)",
	"java.security.krb5.kdc":      "put the KDC in krb5.conf (--krb5-conf)",
	"sun.security.krb5.debug":     "use --debug",
	"sun.security.jgss.debug":     "use --debug",
	"sun.security.jgss.native":    "zkc speaks Kerberos itself (gokrb5)",
	"zookeeper.sasl.client.login": "zkc logs in with its own Kerberos client",
}

// clientNamespaces are the prefixes of keys that configure a ZooKeeper
// client; other -D properties (JVMFLAGS is shared with zkServer.sh) are not
// zkCli's business and pass silently.
var clientNamespaces = []string{"zookeeper.sasl.", "zookeeper.ssl.", "zookeeper.client.", "zookeeper.server.principal",
	"zookeeper.server.realm", "java.security.", "sun.security.krb5.", "sun.security.jgss.", "jute."}

// IgnoredProperties names, one line each, the client properties zkc does not
// honour; source says where each came from.
func IgnoredProperties(props, source map[string]string) []string {
	var out []string
	for k := range props {
		if jvmKeysUnderstood[k] {
			continue
		}
		if why, ok := jvmKeysIgnored[k]; ok {
			out = append(out, fmt.Sprintf("-D%s (%s) is not honoured: %s", k, source[k], why))
			continue
		}
		for _, ns := range clientNamespaces {
			if strings.HasPrefix(k, ns) {
				out = append(out, fmt.Sprintf("-D%s (%s) is not a client setting zkc knows; it is ignored", k, source[k]))
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// SASLSettings is what zkCli's configuration says about SASL.
type SASLSettings struct {
	Enabled         bool   // zookeeper.sasl.client (default true)
	JAASFile        string // java.security.auth.login.config
	Section         string // zookeeper.sasl.clientconfig (default Client)
	SectionExplicit bool
	ServerPrincipal string // zookeeper.server.principal
	ServiceUser     string // zookeeper.sasl.client.username (default zookeeper)
	Canonicalize    bool   // zookeeper.sasl.client.canonicalize.hostname (default true)
	Krb5Conf        string // java.security.krb5.conf
}

// SASLFromProperties reads the SASL keys (system properties overlaid by the
// -client-configuration file, as ZKClientConfig does).
func SASLFromProperties(p map[string]string) (SASLSettings, error) {
	s := SASLSettings{Section: "Client", ServiceUser: "zookeeper"}
	var err error
	if s.Enabled, err = parseBool(p, KeySASLClient, true); err != nil {
		return s, err
	}
	if s.Canonicalize, err = parseBool(p, KeySASLCanonicalizeHost, true); err != nil {
		return s, err
	}
	s.JAASFile = strings.TrimSpace(p[KeyJAASConfig])
	if v := strings.TrimSpace(p[KeySASLClientConfig]); v != "" {
		s.Section, s.SectionExplicit = v, true
	}
	if v := strings.TrimSpace(p[KeySASLClientUsername]); v != "" {
		s.ServiceUser = v
	}
	s.ServerPrincipal = strings.TrimSpace(p[KeyServerPrincipal])
	s.Krb5Conf = strings.TrimSpace(p[KeyKrb5Conf])
	return s, nil
}

// JAASLogin is the client login a JAAS section describes.
type JAASLogin struct {
	Mechanism string // DIGEST-MD5 or GSSAPI
	// DIGEST-MD5
	Username, Password string
	// GSSAPI (Krb5LoginModule)
	Principal      string
	UseKeyTab      bool
	KeyTab         string
	UseTicketCache bool
	TicketCache    string
	// Warnings name the options zkc does not honour, one line each.
	Warnings []string
}

// krb5OptionsUnderstood are the Krb5LoginModule options zkc acts on or that
// mean nothing for a client that never prompts and holds no JVM Subject.
var krb5OptionsUnderstood = map[string]bool{
	"useKeyTab": true, "keyTab": true, "principal": true, "useTicketCache": true, "ticketCache": true,
	"storeKey": true, "doNotPrompt": true, "isInitiator": true, "refreshKrb5Config": true, "renewTGT": true,
	"clearPass": true,
}

// LoginFromJAAS picks the section's login module.
func LoginFromJAAS(text, file, section string) (*JAASLogin, error) {
	sections, err := ParseJAAS(text)
	if err != nil {
		return nil, fmt.Errorf("JAAS file %s: %v", file, err)
	}
	entries, ok := sections[section]
	if !ok {
		return nil, fmt.Errorf("no JAAS configuration section named '%s' was found in %s", section, file)
	}
	var l *JAASLogin
	var warnings []string
	for _, e := range entries {
		if l != nil {
			warnings = append(warnings, fmt.Sprintf("JAAS %s: only the first login module is used; %s is ignored", section, e.Module))
			continue
		}
		switch e.Module {
		case DigestLoginModule:
			l = &JAASLogin{Mechanism: "DIGEST-MD5", Username: e.Options["username"], Password: e.Options["password"]}
			for k := range e.Options {
				if k != "username" && k != "password" {
					warnings = append(warnings, fmt.Sprintf("JAAS %s: DigestLoginModule option %s is not honoured", section, k))
				}
			}
			if l.Username == "" {
				return nil, fmt.Errorf("JAAS %s in %s: DigestLoginModule has no username", section, file)
			}
		case Krb5LoginModule:
			o := e.Options
			l = &JAASLogin{Mechanism: "GSSAPI", Principal: o["principal"], KeyTab: o["keyTab"], TicketCache: o["ticketCache"]}
			l.UseKeyTab = strings.EqualFold(o["useKeyTab"], "true")
			l.UseTicketCache = strings.EqualFold(o["useTicketCache"], "true")
			for k, v := range o {
				switch {
				case k == "debug":
					warnings = append(warnings, fmt.Sprintf("JAAS %s: Krb5LoginModule debug=%s is not honoured; use --debug", section, v))
				case !krb5OptionsUnderstood[k]:
					warnings = append(warnings, fmt.Sprintf("JAAS %s: Krb5LoginModule option %s is not honoured", section, k))
				}
			}
			if l.UseKeyTab && l.KeyTab == "" {
				return nil, fmt.Errorf("JAAS %s in %s: useKeyTab=true but no keyTab", section, file)
			}
			if l.Principal == "*" {
				return nil, fmt.Errorf("JAAS %s in %s: principal=* (any principal of the keytab) is not supported; name the principal", section, file)
			}
		default:
			return nil, fmt.Errorf("JAAS %s in %s: login module %s cannot be used by zkc (DigestLoginModule or Krb5LoginModule)", section, file, e.Module)
		}
	}
	if l == nil {
		return nil, fmt.Errorf("JAAS section %s in %s has no login module", section, file)
	}
	sort.Strings(warnings)
	l.Warnings = warnings
	if strings.Contains(l.KeyTab+l.Principal+l.Username+l.TicketCache, "${") {
		return nil, fmt.Errorf("JAAS %s in %s: ${...} property expansion is not supported; write the value out", section, file)
	}
	return l, nil
}

// LoadProperties reads a -client-configuration file's properties (bounded,
// as LoadFile).
func LoadProperties(ctx context.Context, path string) (map[string]string, error) {
	b, err := readLimited(ctx, path)
	if err != nil {
		return nil, errorf("cannot read -client-configuration file %s: %v", path, err)
	}
	props, err := ParseProperties(string(b))
	if err != nil {
		return nil, errorf("-client-configuration file %s: %v", path, err)
	}
	return props, nil
}

// ReadJAASFile reads a JAAS configuration file (bounded).
func ReadJAASFile(ctx context.Context, path string) (string, error) {
	b, err := readLimited(ctx, path)
	if err != nil {
		return "", errorf("cannot read the JAAS file %s (%s): %v", path, KeyJAASConfig, err)
	}
	return string(b), nil
}
