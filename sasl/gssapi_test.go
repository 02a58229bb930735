package sasl

import (
	"errors"
	"strings"
	"testing"
)

// The server principal as the Java client's SaslServerPrincipal builds it.
func TestServicePrincipal(t *testing.T) {
	addr := func(ip string) ([]string, error) {
		switch ip {
		case "127.0.0.1":
			return []string{"localhost."}, nil
		case "10.0.0.5":
			return []string{"zk1.example.com."}, nil
		}
		return nil, errors.New("no PTR")
	}
	host := func(h string) ([]string, error) {
		if h == "zk-alias" {
			return []string{"10.0.0.5"}, nil
		}
		return nil, errors.New("no such host")
	}
	cases := []struct {
		cfg  KerberosConfig
		host string
		want string
	}{
		{KerberosConfig{}, "127.0.0.1", "zookeeper/localhost"},
		{KerberosConfig{Canonicalize: true}, "127.0.0.1", "zookeeper/localhost"},
		{KerberosConfig{}, "zk-alias", "zookeeper/zk-alias"},
		{KerberosConfig{Canonicalize: true}, "zk-alias", "zookeeper/zk1.example.com"},
		{KerberosConfig{Canonicalize: true}, "ZK.Example.COM", "zookeeper/zk.example.com"},
		{KerberosConfig{}, "10.9.9.9", "zookeeper/10.9.9.9"},
		{KerberosConfig{ServiceUser: "zk"}, "127.0.0.1", "zk/localhost"},
		{KerberosConfig{ServerPrincipal: "zookeeper/fixed@R"}, "127.0.0.1", "zookeeper/fixed@R"},
	}
	for _, c := range cases {
		c.cfg.LookupAddr, c.cfg.LookupHost = addr, host
		if c.cfg.ServiceUser == "" {
			c.cfg.ServiceUser = "zookeeper"
		}
		k := &Kerberos{cfg: c.cfg}
		if got := k.ServicePrincipal(c.host); got != c.want {
			t.Errorf("%+v %s: %s, want %s", c.cfg, c.host, got, c.want)
		}
	}
}

// gokrb5's error texts become one line naming the cause, without the password.
func TestDescribeKerberosErrors(t *testing.T) {
	k := &Kerberos{cfg: KerberosConfig{Password: "pw-secret"}, identity: "alice@R"}
	cases := []struct{ err, want string }{
		{"[Root cause: KDC_Error] KDC_Error: AS Exchange Error: kerberos error response from KDC: KRB Error: (37) KRB_AP_ERR_SKEW Clock skew too great", "clock skew"},
		{"[Root cause: KDC_Error] KDC_Error: AS Exchange Error: kerberos error response from KDC: KRB Error: (6) KDC_ERR_C_PRINCIPAL_UNKNOWN Client not found", "does not know the principal alice@R"},
		{"[Root cause: KDC_Error] KRB Error: (24) KDC_ERR_PREAUTH_FAILED", "wrong password"},
		{"[Root cause: KRBMessage_Handling_Error] AS Exchange Error: AS_REP is not valid or client password/keytab incorrect < Decrypting_Error: pw-secret", "wrong password"},
		{"[Root cause: KDC_Error] KRB Error: (32) KRB_AP_ERR_TKT_EXPIRED", "run kinit again"},
	}
	for _, c := range cases {
		err := k.describe(errors.New(c.err), "zookeeper/localhost")
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "pw-secret") || !errors.Is(err, ErrRejected) {
			t.Errorf("%s -> %v, want %q", c.err, err, c.want)
		}
	}
}

func TestUnrotate(t *testing.T) {
	hdr := []byte{5, 4, 1, 0xff, 0, 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1}
	tok := append(append([]byte{}, hdr...), 'c', 'd', 'e', 'a', 'b') // "abcde" rotated right by 3
	out := unrotate(tok)
	if string(out[16:]) != "abcde" || out[7] != 0 {
		t.Fatalf("unrotate = %q (rrc %d)", out[16:], out[7])
	}
}
