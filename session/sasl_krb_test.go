package session

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/sasl"
	"github.com/zkc-cli/zkc/zkharness"
)

const testRealm = zkharness.KerberosRealm

var krb *zkharness.KerberosFixture

func kerberos(t *testing.T) *zkharness.KerberosFixture {
	t.Helper()
	krb = pool.Kerberos(t)
	return krb
}

func krbClient(t *testing.T, cfg sasl.KerberosConfig) (*sasl.Kerberos, error) {
	t.Helper()
	if cfg.Krb5Conf == "" {
		cfg.Krb5Conf = krb.KDC.Krb5Conf
	}
	k, err := sasl.NewKerberos(cfg)
	if err != nil {
		return nil, err
	}
	return k, k.Login(context.Background(), 10*time.Second)
}

func TestSASLKerberos(t *testing.T) {
	k := kerberos(t)
	ccache := filepath.Join(t.TempDir(), "krb5cc")
	if err := k.KDC.Kinit("alice", zkharness.KerberosAlicePassword, ccache); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  sasl.KerberosConfig
		want string
	}{
		{"password", sasl.KerberosConfig{Principal: "alice", Password: zkharness.KerberosAlicePassword}, "alice@" + testRealm},
		{"keytab", sasl.KerberosConfig{Principal: "bob@" + testRealm, Keytab: k.BobKeytab}, "bob@" + testRealm},
		{"ticket cache", sasl.KerberosConfig{CCache: "FILE:" + ccache}, "alice@" + testRealm},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, err := krbClient(t, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var debug logBuffer
			s, err := openSASL(t, k.Server.Addr(), cl, &debug)
			if err != nil {
				t.Fatalf("%v\n%s\nserver log:\n%s", err, debug.String(), k.Server.LogTail())
			}
			ids, err := s.WhoAmI(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, id := range ids {
				found = found || (id.AuthScheme == "sasl" && id.User == c.want)
			}
			if !found || s.SASLIdentity() != c.want {
				t.Fatalf("whoami = %v, identity %q; want sasl %s", ids, s.SASLIdentity(), c.want)
			}
			clone, err := s.Clone(context.Background()) // ACLPool's sessions
			if err != nil {
				t.Fatal(err)
			}
			defer clone.Close()
			if clone.SASLIdentity() != c.want {
				t.Fatalf("the clone is %q, want %s", clone.SASLIdentity(), c.want)
			}
			if strings.Contains(debug.String(), zkharness.KerberosAlicePassword) {
				t.Fatal("the password is in the debug log")
			}
		})
	}
}

func TestSASLKerberosRefusesUnauthenticated(t *testing.T) {
	k := kerberos(t)
	s := open(t, k.Server.Addr())
	if _, _, err := s.Get(context.Background(), "/", false); !errors.Is(err, ErrSASLRequired) {
		t.Fatalf("unauthenticated get / = %v, want ErrSASLRequired", err)
	}
}

// Each failure ends within seconds, with one line that names its cause.
func TestSASLKerberosFailures(t *testing.T) {
	k := kerberos(t)
	dir := t.TempDir()
	port, _ := zkharness.FreePort()
	deadKDC, err := k.KDC.ClientKrb5Conf(dir, "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  sasl.KerberosConfig
		want string
	}{
		{"wrong password", sasl.KerberosConfig{Principal: "alice", Password: "not-it"}, "wrong password"},
		{"unknown principal", sasl.KerberosConfig{Principal: "carol", Password: "x"}, "does not know the principal carol@"},
		{"missing keytab", sasl.KerberosConfig{Principal: "bob", Keytab: filepath.Join(dir, "none.keytab")}, "cannot read the keytab"},
		{"no ticket cache", sasl.KerberosConfig{CCache: filepath.Join(dir, "nocache")}, "no Kerberos ticket cache"},
		{"KDC not answering", sasl.KerberosConfig{Principal: "alice", Password: zkharness.KerberosAlicePassword, Krb5Conf: deadKDC}, "cannot reach the KDC"},
		{"unknown server principal", sasl.KerberosConfig{Principal: "alice", Password: zkharness.KerberosAlicePassword, ServerPrincipal: "zookeeper/nohost"}, "server principal zookeeper/nohost"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			cl, err := krbClient(t, c.cfg)
			if err == nil {
				_, err = openSASL(t, k.Server.Addr(), cl, nil)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, sasl.ErrRejected) {
				t.Fatalf("err = %v, want one naming %q", err, c.want)
			}
			if strings.Contains(err.Error(), zkharness.KerberosAlicePassword) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error shows the password or is not one line: %q", err)
			}
			if d := time.Since(start); d > 8*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}
