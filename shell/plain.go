package shell

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/zkc-cli/zkc/commands"
)

// runPlain is the shell for a terminal that cannot position the cursor
// (TERM=dumb, or no cursor addressing in its terminfo entry): the
// terminal's own line editing (cooked mode: Backspace, Ctrl-U, Ctrl-W), a
// plain prompt, events printed on their own lines followed by the prompt
// again, history saved to the file. It writes no escape sequence at all.
func (sh *Shell) runPlain(ctx context.Context, in *os.File) int {
	ctx = context.WithoutCancel(ctx)
	sh.env.Mode = commands.ModeShell
	hist := historyFile{path: HistoryPath(sh.opts.Getenv)}
	if _, err := hist.load(); err != nil {
		io.WriteString(sh.env.Err, "zkc: history is not loaded or saved: "+err.Error()+"\n")
	}
	lineEnd, restoreOut := sh.endLines()
	defer restoreOut()

	// The reader reads one line when asked, so a running command has the
	// terminal to itself.
	type result struct {
		line string
		err  error
	}
	ask := make(chan struct{})
	lines := make(chan result)
	done := make(chan struct{})
	defer close(done)
	go func() {
		br := bufio.NewReader(in)
		for {
			select {
			case <-ask:
			case <-done:
				return
			}
			l, err := br.ReadString('\n')
			select {
			case lines <- result{l, err}:
			case <-done:
				return
			}
		}
	}()

	var running runningLine
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	terminated := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s != os.Interrupt {
					close(terminated)
					return
				}
				if running.interrupt() {
					// The terminal echoed ^C: the report starts below it.
					io.WriteString(sh.env.Err, "\n")
					continue
				}
				// Ctrl-C at the prompt: the terminal dropped the line; a
				// fresh prompt.
				sh.termMu.Lock()
				io.WriteString(sh.env.Out, "\n"+sh.plainPrefix())
				sh.termMu.Unlock()
			}
		}
	}()

	if _, err := sh.env.Conn.Session(ctx); err != nil {
		commands.PrintError(sh.env.Err, commands.ZKError(err, ""), sh.env.Colors.Error)
	}
	for {
		sh.termMu.Lock()
		io.WriteString(sh.env.Out, sh.plainPrefix())
		sh.plainPrompt = true
		sh.termMu.Unlock()
		ask <- struct{}{}
		var r result
		select {
		case r = <-lines:
		case <-terminated:
			io.WriteString(sh.env.Out, "\n")
			return commands.ExitTerminated
		}
		sh.termMu.Lock()
		sh.plainPrompt = false
		sh.termMu.Unlock()
		sh.expiredNotice.Store(false)
		if r.err != nil && r.line == "" {
			io.WriteString(sh.env.Out, "\n")
			return sh.st.lastCodeValue()
		}
		line := strings.TrimSpace(printable([]byte(strings.TrimRight(r.line, "\r\n"))))
		if line == "" {
			continue
		}
		hist.add(line)
		sh.runLine(ctx, line, &running, lineEnd, nil)
		if quit, qc := sh.st.quitting(); quit {
			return qc
		}
		select {
		case <-terminated:
			return commands.ExitTerminated
		default:
		}
	}
}

// plainPrefix is the prompt without colour.
func (sh *Shell) plainPrefix() string {
	return sh.prefix()
}
