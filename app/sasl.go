package app

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/zkc-cli/zkc/clientconf"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/sasl"
	"golang.org/x/sys/unix"
)

// saslFlags are the plain SASL flags, for people without a JVM setup. The
// password never comes from a flag (ps, shell history): ZKC_SASL_PASSWORD or
// a prompt on the terminal.
type saslFlags struct {
	mech, user, keytab, principal, krb5Conf string
}

// saslSetup is the SASL login zkc will run on every connection, and the
// lines naming what of zkCli's configuration it cannot honour.
type saslSetup struct {
	client   sasl.Client
	warnings []string
}

// saslClient builds the SASL client from the flags or, without --sasl-mech,
// from zkCli's own configuration: -D properties in CLIENT_JVMFLAGS and
// JVMFLAGS, the same keys in the -client-configuration file, and the JAAS
// file's Client section (or the one zookeeper.sasl.clientconfig names).
// prompt allows asking for a password on the terminal.
func (g *globals) saslClient(ctx context.Context, stdio Stdio, prompt bool) (saslSetup, error) {
	var setup saslSetup
	jvm, source := clientconf.JVMProperties(stdio.Getenv)
	props := map[string]string{}
	for k, v := range jvm {
		props[k] = v
	}
	if g.clientConfig != "" {
		file, err := clientconf.LoadProperties(ctx, g.clientConfig)
		if err != nil {
			return setup, commands.Errorf(commands.ExitUsage, "%v", err)
		}
		for k, v := range file {
			props[k] = v
			source[k] = "-client-configuration"
		}
	}
	setup.warnings = clientconf.IgnoredProperties(props, source)
	settings, err := clientconf.SASLFromProperties(props)
	if err != nil {
		return setup, commands.Errorf(commands.ExitUsage, "SASL configuration: %v", err)
	}
	krb5Conf := firstNonEmpty(g.sasl.krb5Conf, settings.Krb5Conf, stdio.Getenv("KRB5_CONFIG"), "/etc/krb5.conf")
	// KRB5_CONFIG may list several files; MIT reads them all, zkc the first.
	krb5Conf, _, _ = strings.Cut(krb5Conf, ":")
	krbBase := sasl.KerberosConfig{
		Krb5Conf:        krb5Conf,
		ServiceUser:     settings.ServiceUser,
		ServerPrincipal: settings.ServerPrincipal,
		Canonicalize:    settings.Canonicalize,
	}

	if g.sasl.mech != "" {
		setup.client, err = g.saslFromFlags(ctx, stdio, prompt, krbBase)
		return setup, err
	}
	for _, f := range []struct{ name, v string }{{"--sasl-user", g.sasl.user}, {"--krb5-keytab", g.sasl.keytab}, {"--krb5-principal", g.sasl.principal}} {
		if f.v != "" {
			return setup, commands.Errorf(commands.ExitUsage, "%s needs --sasl-mech DIGEST-MD5 or GSSAPI", f.name)
		}
	}
	if settings.JAASFile == "" || !settings.Enabled {
		if settings.SectionExplicit && settings.Enabled {
			return setup, commands.Errorf(commands.ExitUsage, "%s=%s is set but there is no JAAS file (%s)", clientconf.KeySASLClientConfig, settings.Section, clientconf.KeyJAASConfig)
		}
		return setup, nil
	}
	text, err := clientconf.ReadJAASFile(ctx, settings.JAASFile)
	if err != nil {
		return setup, commands.Errorf(commands.ExitUsage, "%v", err)
	}
	login, err := clientconf.LoginFromJAAS(text, settings.JAASFile, settings.Section)
	if err != nil {
		return setup, commands.Errorf(commands.ExitUsage, "%v", err)
	}
	setup.warnings = append(setup.warnings, login.Warnings...)
	switch login.Mechanism {
	case "DIGEST-MD5":
		pw := login.Password
		if pw == "" {
			if pw, err = password(ctx, stdio, prompt, login.Username, "DIGEST-MD5"); err != nil {
				return setup, err
			}
		}
		setup.client = &sasl.Digest{User: login.Username, Password: pw}
	case "GSSAPI":
		cfg := krbBase
		cfg.Principal = login.Principal
		cacheFirst := login.UseTicketCache
		if login.UseKeyTab {
			cfg.Keytab = login.KeyTab
		}
		if login.UseTicketCache || !login.UseKeyTab {
			cfg.CCache = firstNonEmpty(login.TicketCache, defaultCCache(stdio.Getenv))
		}
		var k *sasl.Kerberos
		if cacheFirst && cfg.Keytab != "" {
			// Krb5LoginModule tries the ticket cache first, then the keytab.
			cached := cfg
			cached.Keytab = ""
			if k, err = sasl.NewKerberos(cached); err != nil {
				k, err = sasl.NewKerberos(cfg)
			}
		} else if !login.UseKeyTab && !login.UseTicketCache {
			// Neither: Java would prompt through a callback zkCli does not
			// provide; zkc asks for the password.
			if cfg.Principal == "" {
				return setup, commands.Errorf(commands.ExitUsage, "JAAS %s: Krb5LoginModule with neither useKeyTab nor useTicketCache needs a principal", settings.Section)
			}
			cfg.CCache = ""
			if cfg.Password, err = password(ctx, stdio, prompt, cfg.Principal, "Kerberos"); err != nil {
				return setup, err
			}
			k, err = sasl.NewKerberos(cfg)
		} else {
			if !login.UseKeyTab {
				cfg.Keytab = ""
			}
			k, err = sasl.NewKerberos(cfg)
		}
		if err != nil {
			return setup, err
		}
		setup.client = k
	}
	return setup, nil
}

func (g *globals) saslFromFlags(ctx context.Context, stdio Stdio, prompt bool, cfg sasl.KerberosConfig) (sasl.Client, error) {
	switch strings.ToUpper(g.sasl.mech) {
	case "DIGEST-MD5":
		if g.sasl.user == "" {
			return nil, commands.Errorf(commands.ExitUsage, "--sasl-mech DIGEST-MD5 needs --sasl-user")
		}
		if g.sasl.keytab != "" || g.sasl.principal != "" {
			return nil, commands.Errorf(commands.ExitUsage, "--krb5-keytab and --krb5-principal go with --sasl-mech GSSAPI")
		}
		pw, err := password(ctx, stdio, prompt, g.sasl.user, "DIGEST-MD5")
		if err != nil {
			return nil, err
		}
		return &sasl.Digest{User: g.sasl.user, Password: pw}, nil
	case "GSSAPI", "KERBEROS":
		cfg.Principal = firstNonEmpty(g.sasl.principal, g.sasl.user)
		var err error
		switch {
		case g.sasl.keytab != "":
			if cfg.Principal == "" {
				return nil, commands.Errorf(commands.ExitUsage, "--krb5-keytab needs --krb5-principal")
			}
			cfg.Keytab = g.sasl.keytab
		case stdio.Getenv("ZKC_SASL_PASSWORD") != "":
			if cfg.Principal == "" {
				return nil, commands.Errorf(commands.ExitUsage, "a Kerberos password login needs --krb5-principal")
			}
			cfg.Password = stdio.Getenv("ZKC_SASL_PASSWORD")
		default:
			cfg.CCache = defaultCCache(stdio.Getenv)
			k, cacheErr := sasl.NewKerberos(cfg)
			if cacheErr == nil || cfg.Principal == "" || !canPrompt(stdio, prompt) {
				return k, cacheErr
			}
			// No usable ticket cache: ask for the principal's password.
			cfg.CCache = ""
			if cfg.Password, err = password(ctx, stdio, prompt, cfg.Principal, "Kerberos"); err != nil {
				return nil, err
			}
		}
		return sasl.NewKerberos(cfg)
	}
	return nil, commands.Errorf(commands.ExitUsage, "--sasl-mech must be DIGEST-MD5 or GSSAPI, not %q", g.sasl.mech)
}

// defaultCCache is MIT's ticket cache: KRB5CCNAME, else /tmp/krb5cc_<uid>.
func defaultCCache(getenv func(string) string) string {
	if v := getenv("KRB5CCNAME"); v != "" {
		return v
	}
	return "/tmp/krb5cc_" + strconv.Itoa(os.Getuid())
}

func canPrompt(stdio Stdio, prompt bool) bool {
	_, ok := stdio.In.(*os.File) // the password is read from its descriptor
	return prompt && ok && isTerminal(stdio.In)
}

// password is ZKC_SASL_PASSWORD, or asked for on the terminal without echo;
// Ctrl-C or SIGTERM ends the wait (exit 130).
func password(ctx context.Context, stdio Stdio, prompt bool, user, what string) (string, error) {
	if pw := stdio.Getenv("ZKC_SASL_PASSWORD"); pw != "" {
		return pw, nil
	}
	if !canPrompt(stdio, prompt) {
		return "", commands.Errorf(commands.ExitUsage, "the %s login of %s needs a password: set ZKC_SASL_PASSWORD, or run zkc on a terminal to be asked", what, user)
	}
	f := stdio.In.(*os.File)
	fmt.Fprintf(stdio.Err, "%s password for %s: ", what, user)
	pw, err := readPassword(ctx, f)
	fmt.Fprintln(stdio.Err)
	switch {
	case ctx.Err() != nil:
		return "", commands.ZKError(ctx.Err(), "")
	case err != nil:
		return "", commands.Errorf(commands.ExitUsage, "cannot read the password: %v", err)
	case pw == "":
		return "", commands.Errorf(commands.ExitAuth, "no password given for %s", user)
	}
	return pw, nil
}

// readPassword reads a line from the terminal with echo off, as
// term.ReadPassword does, but through safeio so that the signal that
// cancels ctx also ends the read (term.ReadPassword waits for Enter).
func readPassword(ctx context.Context, f *os.File) (string, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return "", err
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
	return safeio.ReadLine(ctx, f, 4096)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
