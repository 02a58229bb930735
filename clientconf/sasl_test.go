package clientconf

import (
	"strings"
	"testing"
)

func TestJVMProperties(t *testing.T) {
	env := map[string]string{
		"CLIENT_JVMFLAGS": "-Xmx512m -Djava.security.auth.login.config=/etc/zk/jaas.conf -Dzookeeper.sasl.client=true -Djute.maxbuffer=4194304",
		"JVMFLAGS":        "-Dzookeeper.sasl.client.username=zk -Djava.security.auth.login.config=/override/jaas.conf -Dzookeeper.4lw.commands.whitelist=* -Dsun.security.krb5.debug=true",
	}
	props, source := JVMProperties(func(k string) string { return env[k] })
	if props[KeyJAASConfig] != "/override/jaas.conf" || source[KeyJAASConfig] != "JVMFLAGS" {
		t.Fatalf("JVMFLAGS comes last and wins: %v", props)
	}
	if props[KeySASLClientUsername] != "zk" || props[KeySASLClient] != "true" {
		t.Fatalf("props = %v", props)
	}
	ign := IgnoredProperties(props, source)
	joined := strings.Join(ign, "\n")
	if len(ign) != 2 || !strings.Contains(joined, "-Djute.maxbuffer (CLIENT_JVMFLAGS) is not honoured") ||
		!strings.Contains(joined, "-Dsun.security.krb5.debug (JVMFLAGS) is not honoured: use --debug") {
		t.Fatalf("ignored = %q (a server key like zookeeper.4lw.commands.whitelist passes silently)", ign)
	}
	s, err := SASLFromProperties(props)
	if err != nil || !s.Enabled || s.Section != "Client" || s.ServiceUser != "zk" || !s.Canonicalize {
		t.Fatalf("settings = %+v, %v", s, err)
	}
}

func TestLoginFromJAAS(t *testing.T) {
	text := `/* an operator's zkCli setup */
Client {
  org.apache.zookeeper.server.auth.DigestLoginModule required
  username="alice"
  password="p;w\"d";
};
// Kerberos with a keytab
KafkaClient {
  com.sun.security.auth.module.Krb5LoginModule required
  useKeyTab=true
  keyTab="/etc/security/keytabs/kafka.keytab"
  storeKey=true
  useTicketCache=false
  debug=true
  principal="kafka/broker1@EXAMPLE.COM";
};
Other { com.example.CustomModule required; };
`
	l, err := LoginFromJAAS(text, "jaas.conf", "Client")
	if err != nil || l.Mechanism != "DIGEST-MD5" || l.Username != "alice" || l.Password != `p;w"d` || len(l.Warnings) != 0 {
		t.Fatalf("Client = %+v, %v", l, err)
	}
	l, err = LoginFromJAAS(text, "jaas.conf", "KafkaClient")
	if err != nil || l.Mechanism != "GSSAPI" || !l.UseKeyTab || l.KeyTab != "/etc/security/keytabs/kafka.keytab" ||
		l.UseTicketCache || l.Principal != "kafka/broker1@EXAMPLE.COM" {
		t.Fatalf("KafkaClient = %+v, %v", l, err)
	}
	if len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "debug=true is not honoured; use --debug") {
		t.Fatalf("warnings = %q", l.Warnings)
	}
	for section, want := range map[string]string{
		"Other":   "login module com.example.CustomModule cannot be used",
		"Missing": "no JAAS configuration section named 'Missing'",
	} {
		if _, err := LoginFromJAAS(text, "jaas.conf", section); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", section, err, want)
		}
	}
	for _, bad := range []string{"Client {", `Client { x required a="b }`, "Client { m maybe; };", "Client { m required a; };"} {
		_, err := ParseJAAS(bad)
		if err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if _, err := LoginFromJAAS(`Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="u" password="hunter2" bogus; };`, "f", "Client"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a malformed entry: %v (must fail without the password)", err)
	}
}
