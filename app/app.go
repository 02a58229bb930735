// Package app wires zkc together: global flags, the argv rewrite, the choice
// between one-shot, shell and script, and the mapping of the result to an
// exit code. cmd/zkc only calls Main and exits with its result.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/completion"
	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/shell"
)

// Stdio is the process's streams and environment.
type Stdio struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
}

// globals are zkc's process-wide flags, spelled as zkCli spells them.
type globals struct {
	server            string
	timeout           string
	waitForConnection bool
	readOnly          bool
	clientConfig      string
	output            string
	color             string
	debug             bool
	auth              []string
	file              string
	stopOnError       bool
	noPipeline        bool
	tlsCA             string
	tlsCert           string
	tlsKey            string
	tls               *tls.Config // built by sessionOptions (tls.go)
	sasl              saslFlags
	// noSASL: the command never connects (offline), so no SASL set-up,
	// password prompt or KDC traffic. noPrompt: never ask for a password
	// (shell completion runs zkc with the terminal as stdin).
	noSASL, noPrompt bool
	saslWarnings     []string
	getenv           func(string) string
}

func (g *globals) define(fs *pflag.FlagSet, getenv func(string) string) {
	server := getenv("ZKC_SERVER")
	if server == "" {
		server = "localhost:2181"
	}
	fs.StringVar(&g.server, "server", server, "connect string host:port[,host:port...][/chroot] (env ZKC_SERVER)")
	fs.StringVar(&g.timeout, "timeout", "30000", "session timeout in milliseconds")
	fs.BoolVar(&g.waitForConnection, "waitforconnection", false, "wait up to the timeout for the server to come up")
	fs.BoolVar(&g.readOnly, "read-only", false, "allow a read-only server (zkCli's -r)")
	fs.StringVar(&g.clientConfig, "client-configuration", "", "ZooKeeper client properties file (TLS)")
	fs.StringVarP(&g.output, "output", "o", "text", "output format: text (zkCli's) or json")
	fs.StringVar(&g.color, "color", "auto", "colour: auto, always or never")
	fs.BoolVar(&g.debug, "debug", false, "log the ZooKeeper library's messages on stderr")
	fs.StringArrayVar(&g.auth, "auth", nil, "add credentials scheme:credential before the command (repeatable; env ZKC_AUTH)")
	fs.StringVar(&g.file, "file", "", "run the commands in this script file")
	fs.BoolVar(&g.stopOnError, "stop-on-error", false, "in a script, stop at the first failing line")
	fs.BoolVar(&g.noPipeline, "no-pipeline", false, "in a script, wait for each line's reply before sending the next")
	fs.StringVar(&g.tlsCA, "tls-ca", "", "TLS: PEM file of the CA certificates to trust (turns TLS on)")
	fs.StringVar(&g.tlsCert, "tls-cert", "", "TLS: PEM file of the client certificate (and key)")
	fs.StringVar(&g.tlsKey, "tls-key", "", "TLS: PEM file of the client private key")
	fs.StringVar(&g.sasl.mech, "sasl-mech", "", "SASL: log in with DIGEST-MD5 or GSSAPI (Kerberos); password from ZKC_SASL_PASSWORD or a prompt")
	fs.StringVar(&g.sasl.user, "sasl-user", "", "SASL: the DIGEST-MD5 user (or the Kerberos principal)")
	fs.StringVar(&g.sasl.keytab, "krb5-keytab", "", "Kerberos: log in with this keytab (needs --krb5-principal)")
	fs.StringVar(&g.sasl.principal, "krb5-principal", "", "Kerberos: the client principal (user or user@REALM)")
	fs.StringVar(&g.sasl.krb5Conf, "krb5-conf", "", "Kerberos: krb5.conf (default: KRB5_CONFIG, else /etc/krb5.conf)")
}

// globalShorthands are zkCli's single-dash options that are not long flags
// here: -r is read-only, but "r" is also removewatches' own shorthand.
var globalShorthands = map[string]string{"-r": "--read-only"}

// Main runs zkc with args (without the program name) and returns the exit code.
// A run ended because its output was closed (SIGPIPE) exits 141, as a
// process killed by SIGPIPE, but only after its session is closed.
func Main(args []string, io Stdio) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stop := cancelOnSignal(cancel, io)
	defer stop()
	code := run(ctx, args, io)
	if errors.Is(context.Cause(ctx), commands.ErrOutputClosed) {
		return commands.ExitBrokenPipe
	}
	return code
}

func run(ctx context.Context, args []string, stdio Stdio) (code int) {
	// A bug must cost one line and an exit code, never a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stdio.Err, "zkc: internal error: %v\n", r)
			code = commands.ExitError
		}
	}()
	var g globals
	probe := pflag.NewFlagSet("zkc", pflag.ContinueOnError)
	g.define(probe, stdio.Getenv)
	args = rewriteArgs(args, probe)

	env := &commands.Env{Out: stdio.Out, Err: stdio.Err, In: stdio.In, Output: "text", Colors: commands.PlainPalette()}
	if stdio.Getenv("GOGC") == "" {
		env.SetGCPercent = func(percent int) func() {
			old := debug.SetGCPercent(percent)
			return func() { debug.SetGCPercent(old) }
		}
	}
	term := setupTerminal(env, stdio, earlyColorFlag(args, probe))
	defer term.finish()
	var mgr *session.Manager
	defer func() {
		if mgr != nil {
			mgr.Close()
		}
	}()

	root := commands.NewTree(env)
	g.define(root.PersistentFlags(), stdio.Getenv)
	root.Args = cobra.ArbitraryArgs
	// Global flags before the command are parsed here, so a command that
	// parses its own arguments (find's tests: NoFlags) gets only its own.
	root.TraverseChildren = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &commands.Error{Code: commands.ExitUsage, Msg: commands.FlagErrorHint(err, cmd.Flags())}
	})
	var shellCode *int
	var sh *shell.Shell
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		env.Server = g.server
		g.noSASL = offline(cmd)
		opts, err := g.sessionOptions(cmd.Context(), stdio)
		if err != nil {
			// Offline commands tolerate a -server that is no connect string
			// (4lw's http:// AdminServer addresses), and only that.
			if _, perr := session.ParseConnectString(g.server); perr == nil || !offline(cmd) {
				return err
			}
		}
		for _, w := range g.saslWarnings {
			fmt.Fprintln(stdio.Err, "zkc: warning: "+w)
		}
		// How a write lost with its connection was settled, on stderr
		// beside the command's own messages.
		opts.Notice = func(msg string) { fmt.Fprintln(env.Err, msg) }
		if err := term.configure(env, g.color, g.output); err != nil {
			return err
		}
		tlsCfg := g.tls
		env.TLS = func() (*tls.Config, error) { return tlsCfg, nil }
		interactive := cmd == root
		env.Mode = commands.ModeOneShot
		if interactive {
			env.Mode = commands.ModeScript
		}
		var onOpen func(*session.Session)
		if interactive {
			sh = shell.New(env, shell.Options{Server: g.server, Color: g.color, Getenv: stdio.Getenv})
			onOpen = sh.OnOpen
		}
		mgr = session.NewManager(opts, interactive, onOpen)
		env.Conn = mgr
		env.OpenConfigured = func(ctx context.Context, server, file string) (*session.Session, error) {
			// The file replaces this run's TLS, --auth and SASL flags; the
			// timeouts and -r stay.
			other := g
			other.server, other.clientConfig = server, file
			other.tlsCA, other.tlsCert, other.tlsKey, other.auth, other.sasl = "", "", "", nil, saslFlags{}
			o, err := other.sessionOptions(ctx, stdio)
			if err != nil {
				return nil, err
			}
			o.Notice = opts.Notice
			return session.Open(ctx, o)
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return commands.UnknownCommand(args[0], commands.ModeOneShot)
		}
		var in io.Reader = stdio.In
		name := ""
		if g.file != "" {
			// A FIFO without a writer waits, but Ctrl-C ends the wait.
			f, err := safeio.Open(cmd.Context(), g.file)
			if err != nil {
				if cmd.Context().Err() != nil {
					return commands.ZKError(cmd.Context().Err(), "")
				}
				return commands.Errorf(commands.ExitUsage, "cannot read script: %v", err)
			}
			defer f.Close()
			in, name = f, g.file
		}
		code := sh.Run(cmd.Context(), in, shell.ScriptOptions{StopOnError: g.stopOnError, Name: name, NoPipeline: g.noPipeline})
		shellCode = &code
		return nil
	}

	completion.Attach(root, oneShotCompletion(&g, stdio, &mgr))
	root.CompletionOptions.HiddenDefaultCmd = false

	// zkc --version and -v, as CLI users expect: the version command.
	// An unknown option before the command is named with the closest
	// global flags (zkCli ignores it silently; cobra would take "-sever"
	// for the shorthands -s -e -v -e -r).
	if version, unknown := scanGlobals(args, probe); version >= 0 {
		args = append(append(args[:version:version], args[version+1:commandIndex(args, probe)]...), "version")
	} else if unknown != "" {
		err := commands.UnknownOption(unknown, probe)
		commands.PrintError(stdio.Err, err, env.Colors.Error)
		return commands.ExitCode(err)
	}
	if name := commandName(args, probe); name != "" && !isBuiltin(name) && !commands.IsCommand(name, commands.ModeOneShot) {
		err := commands.UnknownCommand(name, commands.ModeOneShot)
		if c := commands.Lookup(name); c != nil && c.ShellOnly {
			err = commands.Errorf(commands.ExitUsage, "%s works only in the shell and in scripts: run zkc without a command", name)
		}
		commands.PrintError(stdio.Err, err, env.Colors.Error)
		return commands.ExitCode(err)
	}
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	term.finish()
	if shellCode != nil && err == nil {
		return *shellCode
	}
	if err != nil && !errors.Is(context.Cause(ctx), commands.ErrOutputClosed) {
		commands.PrintError(stdio.Err, err, env.Colors.Error)
	}
	return commands.ExitCode(err)
}

// offline reports whether cmd needs no session.
func offline(cmd *cobra.Command) bool {
	c := commands.Lookup(cmd.Name())
	return c != nil && c.Offline
}

func isBuiltin(name string) bool {
	switch name {
	case "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	return false
}

// rewriteArgs turns zkCli's single-dash options into pflag's form: before the
// command, every global option (-server, -timeout, -waitforconnection,
// -client-configuration, -r); after it, only the command's own long flags
// (reconfig -file, -members), so grouped shorthands like -sw stay intact.
func rewriteArgs(args []string, global *pflag.FlagSet) []string {
	out := make([]string, 0, len(args))
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		if long, ok := globalShorthands[a]; ok {
			out = append(out, long)
			continue
		}
		name := strings.TrimLeft(a, "-")
		hasValue := strings.Contains(name, "=")
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name = name[:eq]
		}
		f := global.Lookup(name)
		if f == nil && len(name) == 1 {
			f = global.ShorthandLookup(name)
		}
		if f != nil && !strings.HasPrefix(a, "--") && len(name) > 1 {
			a = "-" + a
		}
		out = append(out, a)
		if f != nil && f.NoOptDefVal == "" && !hasValue && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	if i >= len(args) {
		return out
	}
	name := args[i]
	rest := args[i+1:]
	out = append(out, name)
	if name == cobra.ShellCompRequestCmd || name == cobra.ShellCompNoDescRequestCmd {
		// Completion requests carry a command line of their own.
		return append(out, rewriteArgs(rest, global)...)
	}
	if c := commands.Lookup(name); c != nil {
		fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
		if c.Flags != nil {
			c.Flags(fs)
		}
		fs.AddFlagSet(global)
		rest = commands.RewriteSingleDash(rest, fs)
	}
	return append(out, rest...)
}

// commandName finds the command word after the global options.
func commandName(args []string, global *pflag.FlagSet) string {
	i := commandIndex(args, global)
	if i < len(args) && args[i] == "--" {
		i++
	}
	if i < len(args) {
		return args[i]
	}
	return ""
}

// commandIndex is the index of the command word (or of "--" before it)
// after the global options, len(args) when there is none.
func commandIndex(args []string, global *pflag.FlagSet) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			return i
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := global.Lookup(name)
		if f == nil && len(name) == 1 {
			f = global.ShorthandLookup(name)
		}
		if f != nil && f.NoOptDefVal == "" {
			i++
		}
	}
	return len(args)
}

// scanGlobals looks at the options before the command: version is the
// index of a --version, -version or -v (-1 if none), unknown the first
// option that is no global flag ("" if none).
func scanGlobals(args []string, global *pflag.FlagSet) (version int, unknown string) {
	version = -1
	end := commandIndex(args, global)
	for i := 0; i < end; i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name = name[:eq]
		}
		switch {
		case a == "--version" || a == "-version" || a == "-v":
			if version < 0 {
				version = i
			}
			continue
		case a == "-h" || a == "--help" || a == "-help":
			continue
		}
		f := global.Lookup(name)
		if f == nil && len(name) == 1 {
			f = global.ShorthandLookup(name)
		}
		if f == nil && unknown == "" {
			unknown = a
		}
		if f != nil && f.NoOptDefVal == "" && !strings.Contains(a, "=") {
			i++
		}
	}
	return version, unknown
}

func (g *globals) sessionOptions(ctx context.Context, stdio Stdio) (session.Options, error) {
	var opts session.Options
	g.getenv = stdio.Getenv
	t, err := session.ParseConnectString(g.server)
	if err != nil {
		return opts, commands.Errorf(commands.ExitUsage, "%v", err)
	}
	ms, err := strconv.Atoi(g.timeout)
	if err != nil || ms <= 0 {
		return opts, commands.Errorf(commands.ExitUsage, "-timeout must be a positive number of milliseconds, not %q", g.timeout)
	}
	opts = session.Options{
		Target:            t,
		Timeout:           time.Duration(ms) * time.Millisecond,
		WaitForConnection: g.waitForConnection,
		ReadOnly:          g.readOnly,
	}
	if g.debug {
		opts.Debug = stdio.Err
	}
	if opts.Auth, err = authCredentials(g.auth, stdio.Getenv); err != nil {
		return opts, err
	}
	if g.tls, err = g.tlsConfig(ctx); err != nil {
		return opts, err
	}
	if g.tls != nil {
		opts.Dialer = session.TLSDialer(g.tls)
	}
	if !g.noSASL {
		setup, err := g.saslClient(ctx, stdio, !g.noPrompt)
		if err != nil {
			return opts, err
		}
		opts.SASL, g.saslWarnings = setup.client, setup.warnings
	}
	return opts, nil
}
