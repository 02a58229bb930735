// Package commands is zkc's command registry: one file per command, each a
// constructor returning a fresh *Command (fresh flag values per run, so the
// shell can build a new tree for every line). The registry feeds the cobra
// one-shot front end, the shell and the completion engine.
package commands

import (
	"context"
	"crypto/tls"
	"io"
	"sort"
	"time"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// ArgKind says what a positional argument is, for completion and help.
type ArgKind int

const (
	ArgNone    ArgKind = iota
	ArgPath            // a znode path
	ArgData            // free text
	ArgACL             // scheme:id:perms[,...]
	ArgWord            // one of Command.Words
	ArgServer          // host:port
	ArgCommand         // a command name (help)
)

// Command is one zkc command.
type Command struct {
	Name    string
	Usage   string // zkCli's usage line, e.g. "get [-s] [-w] [-b] [-x] path"
	Short   string // one line
	Long    string // optional paragraph for help
	Example string
	Args    []ArgKind // positional argument kinds (the last repeats if Variadic)
	Words   []string  // values for ArgWord positionals
	// MinArgs/MaxArgs bound the positionals; MaxArgs < 0 means no limit.
	MinArgs, MaxArgs int
	// Flags defines the command's flags on a fresh FlagSet.
	Flags func(fs *pflag.FlagSet)
	// FlagValues lists the values a flag takes, for completion (by long name).
	FlagValues map[string][]string
	// Offline commands need no ZooKeeper session (version, digest, 4lw, history...).
	Offline bool
	// ShellOnly commands are not offered in one-shot mode.
	ShellOnly bool
	// NoFlags: every argument is positional, even one starting with "-".
	NoFlags bool
	// TextOnly are flags without a JSON form: with -o json, giving one is a
	// usage error worded Msg (checked in order, before Run).
	TextOnly []TextOnlyFlag
	// DashWords are the single-dash words a NoFlags command takes (find's
	// tests), for completion; FlagValues may list the values of each.
	DashWords []string
	// OwnPaths: the command resolves its relative paths itself (cd -);
	// otherwise its ArgPath positionals arrive absolute.
	OwnPaths bool
	// IgnoresExtraArgs: positionals past MaxArgs are named on stderr and
	// dropped instead of refused, as zkCli does where its own tests rely
	// on it (create /l data acl f g h).
	IgnoresExtraArgs bool
	// ReplacedBy is, for a command zkCli removed (ls2, rmr), the command it
	// runs as: help lists it apart and completion does not offer it.
	ReplacedBy string
	Run        func(ctx context.Context, env *Env, args []string) error
	// GCPercent, when set, is the collector's target while the command runs
	// (Env.SetGCPercent): export, diff, cp and mv hold more live data than
	// a walk (two walks and their fetch stages for diff) and give up a
	// little CPU to keep their peak memory down; everything else runs at
	// Go's default, 100.
	GCPercent int
	// Pipeline says, once the flags are parsed, whether a script may send
	// this run without waiting for the previous line's reply: only runs
	// that send at most one request through the session's pipelined
	// operations and leave no watch qualify. nil: never.
	Pipeline func(args []string) Pipelining
}

// TextOnlyFlag is a flag that only the text output has.
type TextOnlyFlag struct{ Flag, Msg string }

// Pipelining is how a parsed line may be pipelined in a script.
type Pipelining int

const (
	NotPipelined   Pipelining = iota // a barrier: earlier lines finish first
	PipelinedRead                    // one read, no watch
	PipelinedWrite                   // one write (create, set, delete)
)

// Mode is how zkc was started.
type Mode int

const (
	ModeOneShot Mode = iota // zkc [flags] cmd args
	ModeShell               // interactive prompt
	ModeScript              // lines from a pipe or --file
)

// Env is what a command may use: streams, output options and the session.
type Env struct {
	Out    io.Writer // data (stdout)
	Err    io.Writer // messages (stderr)
	In     io.Reader // stdin, for -f -
	Mode   Mode
	Output string // "text" or "json"
	// Conn gives the current session, opening it on first use.
	Conn Connector
	// Shell is nil outside the shell; shell-only commands use it.
	Shell ShellHooks
	// Dir is the current znode of the shell and scripts (cd); nil in
	// one-shot mode, where relative paths resolve against "/".
	Dir *WorkDir
	// Progress reports recursive work on stderr when stderr is a terminal;
	// nil means no progress output. done < 0 clears the progress line (see
	// progress.go for the convention).
	Progress func(done, total int, what string)
	// Colors paints stdout/stderr text (identity when colour is off).
	Colors Palette
	// TLS returns the client TLS configuration from -client-configuration or
	// the --tls-* flags, or nil for plaintext. Sessions and 4lw both use it.
	TLS func() (*tls.Config, error)
	// Server is the -server value as given (4lw reads its hosts from it when
	// no session manager holds a parsed connect string, e.g. http:// items).
	Server string
	// OpenConfigured opens a session of its own to another connect string
	// with the settings of a zkCli client-configuration file (TLS keys,
	// zookeeper.sasl.* and its JAAS file) in place of this run's flags: the
	// other ensemble of cp and diff --other-config. The caller closes it.
	OpenConfigured func(ctx context.Context, server, clientConfig string) (*session.Session, error)
	// Printer renders results in the format chosen once per run (-o); nil
	// means one made from Output and Colors on use (tests).
	Printer format.Printer
	// InTTY and OutTTY say stdin and stdout are terminals: decided once per
	// run, by the app, with the colours.
	InTTY, OutTTY bool
	// SetGCPercent sets the collector's target and returns what restores
	// it; nil leaves it alone (the user set GOGC, or tests).
	SetGCPercent func(percent int) (restore func())
}

// Connector owns the connection, so that connect/close can replace it.
type Connector interface {
	Session(ctx context.Context) (*session.Session, error)
	Current() *session.Session // nil when none is open
	Reconnect(ctx context.Context, server string) error
	Close()
	// OpenOther opens a separate session to another connect string with the
	// same settings (cp and diff between ensembles); the caller closes it.
	OpenOther(ctx context.Context, server string) (*session.Session, error)
}

// ShellHooks are what the shell offers to its own commands.
type ShellHooks interface {
	History() []HistoryEntry
	Redo(ctx context.Context, n int) error
	PrintWatches() bool
	SetPrintWatches(on bool)
	Quit(code int)
}

// HistoryEntry is one entered line and its number.
type HistoryEntry struct {
	N    int
	Line string
}

// Palette colours text per stream; every method returns its input when colour is off.
type Palette struct {
	Error    func(string) string // stderr
	Key      func(string) string // stdout: stat keys
	Dir      func(string) string // stdout: znodes with children
	Good     func(string) string
	Warn     func(string) string
	Bad      func(string) string
	Emphasis func(string) string
	// StdoutOn says stdout is coloured, for output that costs extra work to
	// colour (ls marks children that have children).
	StdoutOn bool
}

func plain(s string) string { return s }

// Style is the palette's share that text records use.
func (p Palette) Style() format.Style {
	return format.Style{Loc: time.Local, Key: p.Key, Dir: p.Dir, On: p.StdoutOn}
}

// PlainPalette colours nothing.
func PlainPalette() Palette {
	return Palette{Error: plain, Key: plain, Dir: plain, Good: plain, Warn: plain, Bad: plain, Emphasis: plain}
}

// Session returns the session, opening it on first use.
func (e *Env) Session(ctx context.Context) (*session.Session, error) {
	return e.Conn.Session(ctx)
}

// JSON reports whether -o json was asked for (for usage checks of flags
// that have no JSON form; verbs render through Print, never by format).
func (e *Env) JSON() bool { return e.printer().Name() == format.FormatJSON }

// Print hands a result to the run's printer.
func (e *Env) Print(r format.Record) error { return e.printer().Print(r) }

func (e *Env) printer() format.Printer {
	if e.Printer != nil {
		return e.Printer
	}
	p, err := format.New(e.Output, e.Out, e.Err, e.Colors.Style())
	if err != nil {
		return format.NewText(e.Out, e.Err, e.Colors.Style())
	}
	return p
}

// constructors lists every command's constructor once; All and Registry
// are built from it.
func constructors() []func() *Command {
	return []func() *Command{
		newCreate, newGet, newSet, newDelete, newDeleteAll, newLs, newStat,
		newSync, newVersion, newGetAllChildrenNumber,
		// ACLs, auth, quotas, config
		newGetACL, newSetACL, newAddAuth, newDigest, newWhoAmI, newGetEphemerals,
		newSetQuota, newListQuota, newDelQuota, newConfig, newReconfig,
		// watches
		newAddWatch, newRemoveWatches,
		// four-letter words
		newFourLW,
		// Lossless copies of trees: to and from files, between ensembles.
		newExport, newImport, newCp, newMv, newDiff,
		// Shell-only commands (shell/ implements their ShellHooks).
		newHistory, newRedo, newPrintWatches,
		func() *Command { return newQuit("quit") }, func() *Command { return newQuit("exit") },
		newConnect, newClose, newHelp, newCd, newPwd,
		// Exploring trees.
		newFind, newGrep, newDu, newTree, newEdit,
		// Commands zkCli removed that old runbooks use: run as their replacements.
		newLs2, newRmr,
	}
}

// All returns a fresh instance of every command, sorted by name.
func All() []*Command {
	var cmds []*Command
	for _, mk := range constructors() {
		cmds = append(cmds, mk())
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	return cmds
}

// Lookup returns a fresh instance of the named command (case-sensitive, as zkCli).
func Lookup(name string) *Command {
	for _, c := range All() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
