package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
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
	// Every command's output ends with a newline here.
	lineEnd, restoreOut := sh.endLines()
	defer restoreOut()
	sh.termMu.Lock()
	sh.tty = tty
	sh.termMu.Unlock()
	defer func() {
		sh.termMu.Lock()
		sh.tty, sh.promptActive, sh.ed, sh.scr = nil, false, nil, nil
		sh.termMu.Unlock()
	}()
	var running runningLine
	tty.onActivate = func(on bool) {
		sh.termMu.Lock()
		sh.promptActive = on
		sh.termMu.Unlock()
	}

	var exiting atomic.Bool
	ed := newLineEditor(saved)
	var screenOut io.Writer = sh.env.Out
	if lineEnd != nil {
		screenOut = lineEnd.f
	}
	sc := &screen{
		out:         screenOut,
		size:        tty.winSize,
		color:       color,
		crlf:        !tty.onlcr(),
		promptColor: promptStateColor,
		items:       sh.menuItems,
		doc:         ed.line,
		selected:    ed.setMenuSelected,
	}
	ed.onClear = func() {
		sh.termMu.Lock()
		defer sh.termMu.Unlock()
		if sh.promptActive && sh.scr != nil {
			sh.scr.clearNext = true
			sh.scr.redraw(sh.prefix())
		}
	}
	tty.mu.Lock()
	tty.ed = ed
	tty.mu.Unlock()
	sh.termMu.Lock()
	sh.ed, sh.scr = ed, sc
	sh.termMu.Unlock()
	w := &termWriter{mu: &sh.termMu, sc: sc, frameDone: tty.ack}
	p := prompt.New(func(string) {}, sh.complete,
		prompt.OptionParser(tty),
		prompt.OptionWriter(w),
		prompt.OptionLivePrefix(func() (string, bool) {
			if sp := ed.searchPrompt(); sp != "" {
				return sp, true
			}
			return sh.prefix(), true
		}),
		prompt.OptionHistory(saved),
		// The completer's candidates replace all the text before the cursor
		// (a separator never in the line): a quoted word may hold blanks.
		prompt.OptionCompletionWordSeparator("\x00"),
		prompt.OptionMaxSuggestion(maxMenuRows),
		prompt.OptionAddASCIICodeBind(prompt.ASCIICodeBind{ASCIICode: keySetLine, Fn: ed.applyEdit}),
		prompt.OptionSetExitCheckerOnInput(func(string, bool) bool { return exiting.Load() }),
	)

	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGWINCH)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s == syscall.SIGWINCH {
					// go-prompt does not hear of a resize while reading a
					// line: redraw for the new size.
					sh.termMu.Lock()
					if sh.promptActive && sh.scr != nil {
						sh.scr.redraw(sh.prefix())
					}
					sh.termMu.Unlock()
					continue
				}
				if s != os.Interrupt {
					exiting.Store(true)
					tty.Inject(keyIgnore) // makes the exit checker end Input
					running.interrupt()
					continue
				}
				if running.interrupt() {
					// The terminal echoed ^C: the report starts below it.
					io.WriteString(sh.env.Err, "\n")
				} else if tty.acceptingKeys() {
					// kill -INT at the prompt: as the key, clear the line.
					tty.Inject([]byte{0x03})
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
		ed.addHistory(line)
		// A Ctrl-C typed right after Enter cancels the line.
		code = sh.runLine(ctx, line, &running, lineEnd, tty.takeInterrupt)
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

// prefix is zkCli's prompt, "[zk: host:port(STATE) N] " (with the SASL
// login and the current znode before N when it is not "/":
// "[zk: host:port(STATE) sasl:alice /app N] "); the screen colours the
// state (promptStateColor).
func (sh *Shell) prefix() string {
	server, state := sh.opts.Server, string(session.StateNotConnected)
	who := "" // the SASL login, as an ACL names it: "sasl:alice "
	if s := sh.env.Conn.Current(); s != nil {
		server, state = s.Target().Raw, string(s.State())
		if _, user := s.SASLLogin(); user != "" {
			who = "sasl:" + user + " "
		}
	}
	if sh.expiredNotice.Load() && state != string(session.StateClosed) {
		state = string(session.StateExpired)
	}
	n := sh.st.count()
	where := who
	if cwd := sh.env.Cwd(); cwd != "/" {
		where += cwd + " "
	}
	return fmt.Sprintf("[zk: %s(%s) %s%d] ", server, state, where, n)
}

// promptStateColor paints the prompt's state word (green connected, yellow
// connecting or read-only, red otherwise); other prompts (search) stay plain.
func promptStateColor(p string) (start, end int, sgr string, ok bool) {
	if !strings.HasPrefix(p, "[zk: ") {
		return 0, 0, "", false
	}
	start = strings.IndexByte(p, '(')
	if start < 0 {
		return 0, 0, "", false
	}
	start++
	end = strings.IndexByte(p[start:], ')')
	if end < 0 {
		return 0, 0, "", false
	}
	end += start
	sgr = "\x1b[31m"
	switch session.State(p[start:end]) {
	case session.StateConnected:
		sgr = "\x1b[32m"
	case session.StateConnecting, session.StateConnectedReadOnly:
		sgr = "\x1b[33m"
	}
	return start, end, sgr, true
}

// complete is go-prompt's completer; it runs after every key, before
// go-prompt draws. Its candidates carry the whole text before the cursor
// as it will read once the candidate is taken (go-prompt replaces all of
// it), and their index as description; the screen shows the word and the
// real description from menuItems.
func (sh *Shell) complete(d prompt.Document) []prompt.Suggest {
	before := d.TextBeforeCursor()
	sh.termMu.Lock()
	ed, tty := sh.ed, sh.tty
	sh.termMu.Unlock()
	if ed != nil {
		ed.setLine(d.Text, utf8.RuneCountInString(before))
	}
	if tty != nil {
		tty.setLineEmpty(d.Text == "")
	}
	var items []menuItem
	if ed == nil || !ed.searching() {
		items = sh.completeItems(before, sh.lastKeyTab())
	}
	sh.menuMu.Lock()
	sh.menu = items
	sh.menuMu.Unlock()
	out := make([]prompt.Suggest, len(items))
	for i, it := range items {
		out[i] = prompt.Suggest{Text: it.full, Description: "#" + strconv.Itoa(i)}
	}
	return out
}

// completeItems is the candidates for the text before the cursor. An
// empty word shows candidates only on Tab, so the menu does not pop up
// after every space.
func (sh *Shell) completeItems(before string, tab bool) []menuItem {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start, sugg := sh.eng.Complete(ctx, before, len(before))
	if start == len(before) && !tab {
		return nil
	}
	out := make([]menuItem, 0, len(sugg))
	for _, s := range sugg {
		out = append(out, menuItem{word: s.Text, desc: s.Description, full: before[:start] + s.Text})
	}
	return out
}

func (sh *Shell) menuItems() []menuItem {
	sh.menuMu.Lock()
	defer sh.menuMu.Unlock()
	return sh.menu
}

func (sh *Shell) lastKeyTab() bool {
	sh.termMu.Lock()
	tty := sh.tty
	sh.termMu.Unlock()
	if tty == nil {
		return false
	}
	tty.mu.Lock()
	defer tty.mu.Unlock()
	return len(tty.lastKey) == 1 && tty.lastKey[0] == '\t'
}

// printAbovePrompt writes text where the prompt is: the screen erases the
// prompt, line and candidates, the text follows, and the caller has the
// screen draw them again below it. outText goes to
// stdout, errText (the expiry report) to stderr, both normally this
// terminal. Called with termMu held while the prompt is shown.
func (sh *Shell) printAbovePrompt(outText, errText string) {
	if sh.scr != nil {
		sh.scr.erase()
	}
	io.WriteString(sh.env.Out, outText)
	io.WriteString(sh.env.Err, errText)
}
