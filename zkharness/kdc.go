package zkharness

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// KDC is an MIT Kerberos KDC (Debian's krb5-kdc) on a free loopback port
// with a throw-away realm; its database, krb5.conf, kdc.conf and keytabs live
// under its own temporary folder, never /etc.
type KDC struct {
	Realm    string
	Port     int
	Dir      string
	Krb5Conf string // the krb5.conf for clients and servers of this realm
	kdcConf  string
	cmd      *exec.Cmd
	exited   chan struct{}

	keytabOnce sync.Once
	keytab     string
	keytabErr  error
}

// KDC programs of Debian's krb5-kdc / krb5-admin-server packages.
var kdcPrograms = []string{"/usr/sbin/krb5kdc", "/usr/sbin/kdb5_util", "/usr/sbin/kadmin.local"}

// KDCAvailable reports why a KDC cannot be started here, or nil.
func KDCAvailable() error {
	for _, p := range kdcPrograms {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("MIT Kerberos is not installed (%s missing; run `make deps` or apt-get install krb5-kdc krb5-admin-server krb5-user)", p)
		}
	}
	return nil
}

// StartKDC creates realm's database and starts krb5kdc in the foreground.
func StartKDC(realm string) (*KDC, error) {
	if err := KDCAvailable(); err != nil {
		return nil, err
	}
	port, err := freeTCPAndUDPPort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "zkc-kdc-")
	if err != nil {
		return nil, err
	}
	k := &KDC{Realm: realm, Port: port, Dir: dir, Krb5Conf: filepath.Join(dir, "krb5.conf"), kdcConf: filepath.Join(dir, "kdc.conf")}
	if err := k.writeConfigs(); err != nil {
		k.Close()
		return nil, err
	}
	if out, err := k.run("/usr/sbin/kdb5_util", "create", "-s", "-r", realm, "-P", "zkc-test-master"); err != nil {
		k.Close()
		return nil, fmt.Errorf("kdb5_util create: %v: %s", err, out)
	}
	if err := k.start(); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// ClientKrb5Conf writes another krb5.conf for the realm into dir, whose KDC
// is at addr: a test points a client at a KDC that does not answer.
func (k *KDC) ClientKrb5Conf(dir, addr string) (string, error) {
	p := filepath.Join(dir, "krb5-"+strings.NewReplacer(":", "_", ".", "_").Replace(addr)+".conf")
	return p, os.WriteFile(p, []byte(k.krb5Conf(addr)), 0o644)
}

func (k *KDC) krb5Conf(kdcAddr string) string {
	return fmt.Sprintf(`[libdefaults]
  default_realm = %[1]s
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  udp_preference_limit = 1
  kdc_timeout = 3000
  max_retries = 1
  default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
  default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
  permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96

[realms]
  %[1]s = {
    kdc = %[2]s
  }

[domain_realm]
  localhost = %[1]s
  .localhost = %[1]s
`, k.Realm, kdcAddr)
}

func (k *KDC) writeConfigs() error {
	if err := os.WriteFile(k.Krb5Conf, []byte(k.krb5Conf("127.0.0.1:"+strconv.Itoa(k.Port))), 0o644); err != nil {
		return err
	}
	kdc := fmt.Sprintf(`[kdcdefaults]
  kdc_listen = 127.0.0.1:%[2]d
  kdc_tcp_listen = 127.0.0.1:%[2]d

[realms]
  %[1]s = {
    database_name = %[3]s/principal
    key_stash_file = %[3]s/stash
    acl_file = %[3]s/kadm5.acl
    max_life = 1h
    max_renewable_life = 0
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    kdc_listen = 127.0.0.1:%[2]d
    kdc_tcp_listen = 127.0.0.1:%[2]d
  }

[logging]
  kdc = FILE:%[3]s/kdc.log
  default = FILE:%[3]s/kdc.log
`, k.Realm, k.Port, k.Dir)
	if err := os.WriteFile(filepath.Join(k.Dir, "kadm5.acl"), nil, 0o644); err != nil {
		return err
	}
	return os.WriteFile(k.kdcConf, []byte(kdc), 0o644)
}

// Env is the environment that points MIT's tools at this realm only.
func (k *KDC) Env() []string {
	return []string{"KRB5_CONFIG=" + k.Krb5Conf, "KRB5_KDC_PROFILE=" + k.kdcConf}
}

func (k *KDC) run(prog string, args ...string) (string, error) {
	cmd := exec.Command(prog, args...)
	cmd.Env = append(os.Environ(), k.Env()...)
	cmd.Dir = k.Dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (k *KDC) start() error {
	logf, err := os.OpenFile(filepath.Join(k.Dir, "krb5kdc.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command("/usr/sbin/krb5kdc", "-n", "-r", k.Realm, "-P", filepath.Join(k.Dir, "krb5kdc.pid"))
	cmd.Env = append(os.Environ(), k.Env()...)
	cmd.Dir = k.Dir
	exited, err := startGroup(cmd, logf)
	if err != nil {
		return fmt.Errorf("starting krb5kdc: %w", err)
	}
	k.cmd, k.exited = cmd, exited
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-k.exited:
			b, _ := os.ReadFile(filepath.Join(k.Dir, "kdc.log"))
			return fmt.Errorf("krb5kdc exited during start-up: %s", b)
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(k.Port), time.Second); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("krb5kdc did not listen within 15s")
}

// AddUser creates principal (without realm) with a password.
func (k *KDC) AddUser(principal, password string) error {
	if out, err := k.run("/usr/sbin/kadmin.local", "-r", k.Realm, "-q", "addprinc -pw "+password+" "+principal); err != nil || strings.Contains(out, "rror") {
		return fmt.Errorf("kadmin.local addprinc %s: %v: %s", principal, err, out)
	}
	return nil
}

// AddKeytab creates principal with a random key and writes its keytab to
// path (the key is not changed again, so the keytab stays valid).
func (k *KDC) AddKeytab(principal, path string) error {
	if out, err := k.run("/usr/sbin/kadmin.local", "-r", k.Realm, "-q", "addprinc -randkey "+principal); err != nil || strings.Contains(out, "rror") {
		return fmt.Errorf("kadmin.local addprinc %s: %v: %s", principal, err, out)
	}
	if out, err := k.run("/usr/sbin/kadmin.local", "-r", k.Realm, "-q", "ktadd -k "+path+" -norandkey "+principal); err != nil || strings.Contains(out, "rror") {
		return fmt.Errorf("kadmin.local ktadd %s: %v: %s", principal, err, out)
	}
	return nil
}

// Kinit fills the ticket cache ccache for principal with its password, as an
// operator's kinit does.
func (k *KDC) Kinit(principal, password, ccache string) error {
	cmd := exec.Command("/usr/bin/kinit", "-c", ccache, principal)
	cmd.Env = append(os.Environ(), k.Env()...)
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kinit %s: %v: %s", principal, err, out)
	}
	return nil
}

// ServicePrincipal is the servers' principal: zookeeper/localhost, as the
// Java client names a server dialled at 127.0.0.1.
func (k *KDC) ServicePrincipal() string { return "zookeeper/localhost@" + k.Realm }

// ServiceKeytab creates the service principal once and returns its keytab.
func (k *KDC) ServiceKeytab() (string, error) {
	k.keytabOnce.Do(func() {
		k.keytab = filepath.Join(k.Dir, "zookeeper.keytab")
		k.keytabErr = k.AddKeytab("zookeeper/localhost", k.keytab)
	})
	return k.keytab, k.keytabErr
}

// Close stops krb5kdc and removes the realm.
func (k *KDC) Close() {
	if k.cmd != nil {
		select {
		case <-k.exited:
		default:
			_ = syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL)
			<-k.exited
		}
	}
	if k.Dir != "" {
		os.RemoveAll(k.Dir)
	}
}

// freeTCPAndUDPPort finds a loopback port free for both protocols (the KDC
// serves both).
func freeTCPAndUDPPort() (int, error) {
	for i := 0; i < 20; i++ {
		p, err := FreePort()
		if err != nil {
			return 0, err
		}
		u, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			u.Close()
			return p, nil
		}
	}
	return 0, errors.New("no loopback port free for both TCP and UDP")
}
