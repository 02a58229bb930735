package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	prompt "github.com/c-bata/go-prompt"
	runewidth "github.com/mattn/go-runewidth"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
)

// runInteractive is the go-prompt REPL. ok is false when the terminal
// cannot be driven (the caller then falls back to the line loop).
//
// go-prompt's Input is used, never Run: Run exits the process on
// SIGINT/SIGTERM and runs commands with the terminal raw. Around Input zkc
// owns the signals: at the prompt Ctrl-C is a key (go-prompt clears the
// line); while a command runs the terminal is back in cooked mode, so Ctrl-C
// raises SIGINT and cancels only that command; SIGTERM and SIGHUP end the
// shell. The terminal modes saved at start are restored on every way out.
func (sh *Shell) runInteractive(ctx context.Context, in *os.File) (code int, ok bool) {
	tty, err := newTTYParser(int(in.Fd()))
	if err != nil {
		return 0, false
	}
	defer tty.Close()
	defer tty.Restore() // also when a panic unwinds through here

	// Ctrl-C cancels the running command only, never the whole shell.
	ctx = context.WithoutCancel(ctx)
	sh.env.Mode = commands.ModeShell
	hist := historyFile{path: HistoryPath(sh.opts.Getenv)}
	saved, err := hist.load()
	if err != nil {
		fmt.Fprintf(sh.env.Err, "zkc: history is not loaded or saved: %v\n", err)
	}
	color := sh.useColor()
	sh.termMu.Lock()
	sh.tty = tty
	sh.termMu.Unlock()
	defer func() {
		sh.termMu.Lock()
		sh.tty, sh.promptActive = nil, false
		sh.termMu.Unlock()
	}()
	// cmdMu guards the running command's cancel func.
	var cmdMu sync.Mutex
	var cancelCmd context.CancelFunc
	tty.onActivate = func(on bool) {
		sh.termMu.Lock()
		sh.promptActive = on
		sh.termMu.Unlock()
	}

	var exiting atomic.Bool
	w := &termWriter{ConsoleWriter: prompt.NewStandardOutputWriter(), mu: &sh.termMu, color: color, prefix: sh.prefix}
	p := prompt.New(func(string) {}, sh.complete,
		prompt.OptionParser(tty),
		prompt.OptionWriter(w),
		prompt.OptionLivePrefix(func() (string, bool) {
			plain, _ := sh.prefix()
			return plain, true
		}),
		prompt.OptionHistory(saved),
		prompt.OptionCompletionWordSeparator(" "),
		prompt.OptionMaxSuggestion(8),
		prompt.OptionSetExitCheckerOnInput(func(string, bool) bool { return exiting.Load() }),
	)

	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				cmdMu.Lock()
				cancel := cancelCmd
				if s == os.Interrupt && cancel == nil && tty.acceptingKeys() {
					// kill -INT at the prompt: as the key, clear the line.
					tty.Inject([]byte{0x03})
				}
				cmdMu.Unlock()
				if s != os.Interrupt {
					exiting.Store(true)
					tty.Inject(keyIgnore) // makes the exit checker end Input
				}
				if cancel != nil {
					cancel()
				}
			}
		}
	}()

	// Connect at once, as zkCli: the prompt shows CONNECTING, then the
	// SyncConnected event arrives.
	if _, err := sh.env.Conn.Session(ctx); err != nil {
		commands.PrintError(sh.env.Err, commands.ZKError(err, ""), sh.env.Colors.Error)
	}
	for {
		line := p.Input()
		sh.expiredNotice.Store(false) // seen: the next prompt shows the new session
		if exiting.Load() {
			return commands.ExitTerminated, true
		}
		if line == "" && tty.lastWasEOF() {
			return sh.st.lastCodeValue(), true
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		hist.add(line)
		cctx, cancel := context.WithCancel(ctx)
		cmdMu.Lock()
		cancelCmd = cancel
		if tty.takeInterrupt() {
			cancel() // Ctrl-C typed right after Enter
		}
		cmdMu.Unlock()
		code = sh.st.run(cctx, line)
		cmdMu.Lock()
		cancelCmd = nil
		cmdMu.Unlock()
		cancel()
		sh.cache.InvalidateAll() // the line may have written anywhere
		if quit, qc := sh.st.quitting(); quit {
			return qc, true
		}
		if exiting.Load() {
			return commands.ExitTerminated, true
		}
	}
}

// useColor decides colour for the prompt: --color, then NO_COLOR and
// TERM=dumb (stdout is a terminal here).
func (sh *Shell) useColor() bool {
	switch sh.opts.Color {
	case "always":
		return true
	case "never":
		return false
	}
	if _, set := lookupEnv(sh.opts.Getenv, "NO_COLOR"); set {
		return false
	}
	return sh.opts.Getenv("TERM") != "dumb"
}

func lookupEnv(getenv func(string) string, k string) (string, bool) {
	v := getenv(k)
	return v, v != ""
}

// prefix is zkCli's prompt, "[zk: host:port(STATE) N] " (with the current
// znode before N when it is not "/": "[zk: host:port(STATE) /app N] "), plain and with the
// state coloured (green connected, yellow connecting or read-only, red
// otherwise). zkc keeps this minimal palette here until the colour work
// provides one.
func (sh *Shell) prefix() (plain, colored string) {
	server, state := sh.opts.Server, string(session.StateNotConnected)
	if s := sh.env.Conn.Current(); s != nil {
		server, state = s.Target().Raw, string(s.State())
	}
	if sh.expiredNotice.Load() && state != string(session.StateClosed) {
		state = string(session.StateExpired)
	}
	n := sh.st.count()
	where := ""
	if cwd := sh.env.Cwd(); cwd != "/" {
		where = cwd + " "
	}
	plain = fmt.Sprintf("[zk: %s(%s) %s%d] ", server, state, where, n)
	paint := "\x1b[31m"
	switch session.State(state) {
	case session.StateConnected:
		paint = "\x1b[32m"
	case session.StateConnecting, session.StateConnectedReadOnly:
		paint = "\x1b[33m"
	}
	colored = fmt.Sprintf("[zk: %s(%s%s\x1b[0m) %s%d] ", server, paint, state, where, n)
	return plain, colored
}

// complete is go-prompt's completer; it runs after every key.
func (sh *Shell) complete(d prompt.Document) []prompt.Suggest {
	before := d.TextBeforeCursor()
	sh.lineMu.Lock()
	sh.lineBefore = before
	sh.lineMu.Unlock()
	if sh.tty != nil {
		sh.tty.setLineEmpty(d.Text == "")
	}
	// An empty word shows suggestions only on Tab, so the menu does not pop
	// up after every space.
	if d.GetWordBeforeCursorUntilSeparator(" ") == "" && !sh.lastKeyTab() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, sugg := sh.eng.Complete(ctx, before, len(before))
	out := make([]prompt.Suggest, len(sugg))
	for i, s := range sugg {
		out[i] = prompt.Suggest{Text: s.Text, Description: s.Description}
	}
	return out
}

func (sh *Shell) lastKeyTab() bool {
	if sh.tty == nil {
		return false
	}
	sh.tty.mu.Lock()
	defer sh.tty.mu.Unlock()
	return len(sh.tty.lastKey) == 1 && sh.tty.lastKey[0] == '\t'
}

// printAbovePrompt writes text where the prompt is and leaves the cursor
// where go-prompt believes it is, so go-prompt's next redraw (an injected
// key) puts prompt and half-typed line back below the text. outText goes to
// stdout, errText (the expiry report) to stderr, both normally this
// terminal; the cursor moves go to stdout, where the prompt is. Called with
// termMu held while the prompt is shown.
func (sh *Shell) printAbovePrompt(outText, errText string) {
	plain, _ := sh.prefix()
	sh.lineMu.Lock()
	before := sh.lineBefore
	sh.lineMu.Unlock()
	cols := int(sh.tty.GetWinSize().Col)
	rows := (runewidth.StringWidth(plain) + runewidth.StringWidth(before)) / cols
	var b strings.Builder
	b.WriteString("\r")
	if rows > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", rows)
	}
	b.WriteString("\x1b[J")
	b.WriteString(outText)
	io.WriteString(sh.env.Out, b.String())
	io.WriteString(sh.env.Err, errText)
	// go-prompt's redraw first moves up `rows` lines from where it left the
	// cursor: give it those lines below the text.
	io.WriteString(sh.env.Out, strings.Repeat("\n", rows))
}
