package app

import (
	"context"
	"crypto/tls"

	"github.com/zkc-cli/zkc/clientconf"
	"github.com/zkc-cli/zkc/commands"
)

// tlsConfig builds the client TLS configuration from -client-configuration
// and the --tls-* flags (flags win), or returns nil for plaintext. Any problem
// is a usage error of one line that names files, never passwords.
func (g *globals) tlsConfig(ctx context.Context) (*tls.Config, error) {
	var cc *clientconf.Config
	if g.clientConfig != "" {
		var err error
		if cc, err = clientconf.LoadFile(ctx, g.clientConfig); err != nil {
			return nil, commands.Errorf(commands.ExitUsage, "%v", err)
		}
	}
	if cc == nil || !cc.Secure {
		// The TLS keys as -D properties in CLIENT_JVMFLAGS/JVMFLAGS, as
		// zkCli.sh hands them to the JVM (the file's keys come first).
		jvm, _ := clientconf.JVMProperties(g.getenv)
		if jc, err := clientconf.FromProperties(jvm); err != nil {
			return nil, commands.Errorf(commands.ExitUsage, "CLIENT_JVMFLAGS/JVMFLAGS: %v", err)
		} else if jc.Secure {
			cc = jc
		}
	}
	cc = clientconf.Merge(cc, g.tlsCA, g.tlsCert, g.tlsKey)
	cfg, err := cc.TLS(ctx)
	if err != nil {
		return nil, commands.Errorf(commands.ExitUsage, "%v", err)
	}
	return cfg, nil
}
