package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/fourlw"
	"github.com/zkc-cli/zkc/session"
)

// fourLWOpts are 4lw's flags.
type fourLWOpts struct {
	summary, raw, admin bool
	adminPort           int
	timeout             msOrDuration
	watch               seconds
}

func newFourLW() *Command {
	o := fourLWOpts{adminPort: fourlw.DefaultAdminPort, timeout: msOrDuration(5 * time.Second)}
	var long strings.Builder
	long.WriteString(`Sends a four-letter word to every server of the connect string, in parallel, without opening a
ZooKeeper session, and prints the answers: with one server exactly as sent, with several each under a
"==> host:port <==" header. For srvr, stat and mntr on several servers, --summary prints one row per server
(mode, zxid, latency, connections, outstanding requests, node count) instead; this is the default when
stdout is a terminal (--raw turns it off). -o json parses the answers.

Exit status: 0 only when every server answered (ruok: answered imok); 8 when any server is down, timed
out or not serving; 1 when a server refused the word (4lw.commands.whitelist) or answered something else.
Each failing server is named on stderr.

--admin (or an http://host:port server address) asks the AdminServer (GET /commands/<name>) instead, for
servers where the four-letter words are disabled.

Words:
`)
	for _, w := range fourlw.Words() {
		fmt.Fprintf(&long, "  %s  %s\n", w.Name, w.Help)
	}
	c := &Command{
		Name:  "4lw",
		Usage: "4lw [--summary|--raw] [--timeout d] [--watch s] [--admin [--admin-port p]] word [arg]",
		Short: "Ask every server a four-letter word (ruok, srvr, stat, mntr, ...): ensemble health",
		Long:  strings.TrimRight(long.String(), "\n"),
		Example: "zkc -server h1:2181,h2:2181,h3:2181 4lw srvr --summary\n" +
			"zkc -server h1:2181,h2:2181,h3:2181 4lw ruok && echo healthy\n" +
			"zkc -server h1:2181 -o json 4lw mntr | jq .servers[0].result.zk_znode_count\n" +
			"zkc -server http://h1:8080 4lw srvr   # AdminServer\n" +
			"zkc -server h1:2181,h2:2181,h3:2181 4lw --watch 2 srvr",
		Args:    []ArgKind{ArgWord, ArgData},
		Words:   fourlw.Names(),
		MinArgs: 1, MaxArgs: 2,
		Offline: true,
		Flags: func(fs *pflag.FlagSet) {
			fs.BoolVar(&o.summary, "summary", false, "one table row per server (srvr, stat, mntr)")
			fs.BoolVar(&o.raw, "raw", false, "print the answers as sent, even on a terminal")
			fs.Var(&o.timeout, "timeout", "per-server timeout: a duration (3s, 500ms) or milliseconds")
			fs.Var(&o.watch, "watch", "repeat every SECONDS, redrawing, until interrupted")
			fs.Var(&o.watch, "interval", "same as --watch")
			fs.BoolVar(&o.admin, "admin", false, "ask the AdminServer over HTTP instead of the client port")
			fs.IntVar(&o.adminPort, "admin-port", fourlw.DefaultAdminPort, "AdminServer port used with --admin")
		},
	}
	c.Run = func(ctx context.Context, env *Env, args []string) error {
		return runFourLW(ctx, env, c, &o, args)
	}
	return c
}

func runFourLW(ctx context.Context, env *Env, c *Command, o *fourLWOpts, args []string) error {
	name := strings.ToLower(args[0])
	w, ok := fourlw.Lookup(name)
	if !ok {
		return UsageError(c, fmt.Sprintf("unknown four-letter word %q (known: %s)", args[0], strings.Join(fourlw.Names(), " ")))
	}
	var qopts fourlw.Options
	switch {
	case w.Arg && len(args) < 2:
		return UsageError(c, w.Name+" needs an argument: the trace mask (a 64-bit number)")
	case w.Arg:
		n, err := strconv.ParseInt(args[1], 0, 64)
		if err != nil {
			return UsageError(c, fmt.Sprintf("%s: the trace mask must be a 64-bit number, not %q", w.Name, args[1]))
		}
		qopts.Arg = n
	case len(args) > 1:
		return UsageError(c, w.Name+" takes no argument")
	}
	if o.summary && !w.Summary {
		return UsageError(c, "--summary works with srvr, stat and mntr")
	}
	if o.summary && o.raw {
		return UsageError(c, "--summary and --raw exclude each other")
	}
	eps, err := fourlw.ParseServers(fourLWServers(env), o.admin, o.adminPort)
	if err != nil {
		return Errorf(ExitUsage, "%v", err)
	}
	qopts.Timeout = time.Duration(o.timeout)
	if env.TLS != nil {
		cfg, err := env.TLS()
		if err != nil {
			return Errorf(ExitUsage, "%v", err)
		}
		qopts.TLS = cfg
	}
	term := env.OutTTY
	r := &fourlw.Round{Word: w, Endpoints: eps, Options: qopts, Paint: tablePaint(env.Colors),
		Summary: o.summary || (w.Summary && !o.raw && term && len(eps) > 1)}
	if o.watch <= 0 {
		answers := r.Ask(ctx)
		if ctx.Err() != nil {
			return ZKError(ctx.Err(), "")
		}
		if err := env.Print(fourLWRecord(r, answers, "", "")); err != nil {
			return err
		}
		return fourLWHealth(w, answers)
	}
	return watchFourLW(ctx, env, r, time.Duration(o.watch), term)
}

// fourLWServers is the connect string 4lw asks: the session manager's (it
// follows the shell's `connect`), else the -server value as given.
func fourLWServers(env *Env) string {
	if m, ok := env.Conn.(interface{ Options() session.Options }); ok {
		if raw := m.Options().Target.Raw; raw != "" {
			return raw
		}
	}
	if env.Server != "" {
		return env.Server
	}
	return "localhost:2181"
}

// watchFourLW repeats the round every interval until ctx ends. On a terminal
// the screen is redrawn; elsewhere each round follows the last under a time
// line. The exit status is the last complete round's.
func watchFourLW(ctx context.Context, env *Env, r *fourlw.Round, every time.Duration, term bool) error {
	// last is the last complete round's status; its failures are already on
	// stderr, so the returned error carries only the exit code.
	var last error = Errorf(ExitInterrupted, "interrupted")
	err := fourlw.Repeat(ctx, every, func(ctx context.Context) error {
		answers := r.Ask(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		footer := "\n" // rounds in a log are apart
		if term {
			footer = ""
		}
		if err := env.Print(fourLWRecord(r, answers, r.RedrawHeader(term, every, time.Now()), footer)); err != nil {
			return err
		}
		last = nil
		if err := fourLWHealth(r.Word, answers); err != nil {
			// The failures of every round go to stderr, so a log shows them.
			PrintError(env.Err, err, env.Colors.Error)
			last = &Error{Code: ExitCode(err)}
		}
		return nil
	})
	if ctx.Err() != nil {
		return last
	}
	return err
}

// fourLWRecord is a round for the printer: the text between header and
// footer, and the parsed report.
func fourLWRecord(r *fourlw.Round, answers []fourlw.Answer, header, footer string) format.FourLW {
	var b strings.Builder
	b.WriteString(header)
	// A strings.Builder does not fail.
	_ = r.WriteText(&b, answers)
	b.WriteString(footer)
	return format.FourLW{Text: b.String(), Report: r.Report(answers)}
}

// fourLWHealth words a round's failures with zkc's exit codes: ExitConnection
// when any server is down, timed out or not serving, ExitError when the
// failures are refusals (whitelist) or wrong answers.
func fourLWHealth(w fourlw.Word, answers []fourlw.Answer) error {
	h := fourlw.Health(w, answers)
	if h == nil {
		return nil
	}
	code := ExitError
	if h.Unreachable {
		code = ExitConnection
	}
	return &Error{Code: code, Msg: h.Error()}
}

// tablePaint colours the summary with the app's stdout palette, which has
// already decided (--color, NO_COLOR, TERM=dumb, a terminal or not).
func tablePaint(p Palette) fourlw.Paint {
	if !p.StdoutOn {
		return fourlw.Paint{}
	}
	return fourlw.Paint{Leader: p.Good, Bad: p.Bad, Warn: p.Warn, Header: p.Emphasis}
}

// msOrDuration is a flag taking a Go duration ("3s") or milliseconds ("3000",
// as the global -timeout).
type msOrDuration time.Duration

func (d *msOrDuration) String() string { return time.Duration(*d).String() }
func (d *msOrDuration) Type() string   { return "duration" }
func (d *msOrDuration) Set(s string) error {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 {
			return fmt.Errorf("must be positive")
		}
		*d = msOrDuration(time.Duration(n) * time.Millisecond)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return fmt.Errorf("want a duration like 3s or milliseconds")
	}
	*d = msOrDuration(v)
	return nil
}

// seconds is a flag taking seconds ("2", "0.5") or a duration ("2s").
type seconds time.Duration

func (s *seconds) String() string {
	if *s == 0 {
		return "0"
	}
	return time.Duration(*s).String()
}
func (s *seconds) Type() string { return "seconds" }
func (s *seconds) Set(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f <= 0 || f > 1e6 {
			return fmt.Errorf("must be a positive number of seconds")
		}
		*s = seconds(time.Duration(f * float64(time.Second)))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("want seconds like 2 or a duration like 500ms")
	}
	*s = seconds(d)
	return nil
}
