package shell

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
)

// A script sends lines without waiting for earlier replies where that keeps
// the meaning of running them one by one (README, Scripts):
//
//   - Only lines whose command says so (commands.Command.Pipeline: create,
//     set, delete, and get/stat/ls without watches, -R or -f) are sent ahead;
//     every other line is a barrier: the lines before it finish (and print)
//     first, then it runs alone. Watches, addauth (the server handles it
//     ahead of queued requests), sync, recursive verbs, shell-only commands
//     and connect/close are all barriers.
//   - ZooKeeper applies a session's requests in arrival order; session.Turn
//     makes each line's request go out only after the previous line's, so
//     the server sees the serial run's order.
//   - Output is kept per line and printed in line order; an event prints
//     after the line whose reply followed it, as in a serial run.
//   - --stop-on-error: nothing after the failing line may take effect, so a
//     write is sent only when every earlier line has succeeded. Reads may
//     still go ahead of earlier lines' replies: they change nothing, and
//     their output is dropped when an earlier line fails.
//   - A line is pipelined only while the session is connected; during a
//     reconnection lines run one by one, as before.
const pipelineWindow = 1000 // lines in flight at most

// pipelined is one line sent ahead.
type pipelined struct {
	lineNo int
	text   string
	turn   *session.Turn
	out    lineOutput
	done   chan struct{}
	code   int
}

// scriptPipeline holds the lines in flight, oldest first.
type scriptPipeline struct {
	turns    *session.Turns
	window   []*pipelined
	lastMark uint64 // the newest event mark printed up to
	// idle hands a line to a worker waiting for one. Workers are kept for
	// the whole script: a goroutine per line grew its stack on every line
	// (a tenth of a piped script's CPU went to copying stacks).
	idle chan func()
	// printed holds finished lines' output not yet written.
	printed outBatch
	pause   *time.Timer
}

// outBatchWait is how long the script waits (for input or a line) before it
// writes the output it holds: flushing before every wait, however short,
// still made a write for every other line.
const outBatchWait = 2 * time.Millisecond

// brief returns a channel that fires after outBatchWait.
func (p *scriptPipeline) brief() <-chan time.Time {
	if p.pause == nil {
		p.pause = time.NewTimer(outBatchWait)
	} else {
		p.pause.Reset(outBatchWait)
	}
	return p.pause.C
}

// outBatch gathers the output of finished lines, in order across stdout and
// stderr, and writes it when the stream changes, after outBatchLines lines,
// and whenever the script is about to wait (flush): one write per line was
// 10,000 write calls, and as many wake-ups of the reader, for a 10,000-line
// script. Bounded in lines, it lets a script run on after its reader has
// left (a broken pipe) by no more lines than a few writes' worth.
type outBatch struct {
	out, err io.Writer
	buf      []byte
	toErr    bool
	lines    int
}

const outBatchLines = 64

func (b *outBatch) add(toErr bool, p []byte) {
	if toErr != b.toErr {
		b.flush()
		b.toErr = toErr
	}
	b.buf = append(b.buf, p...)
}

// flush writes what was gathered.
func (b *outBatch) flush() {
	if len(b.buf) > 0 {
		w := b.out
		if b.toErr {
			w = b.err
		}
		_, _ = w.Write(b.buf) // a failed write cancels the script (commands.ErrOutputClosed)
		b.buf = b.buf[:0]
	}
	b.lines = 0
}

// run runs job on an idle worker, or on a new one when none is idle.
func (p *scriptPipeline) run(job func()) {
	if p.idle == nil {
		p.idle = make(chan func())
	}
	select {
	case p.idle <- job:
	default:
		go func(idle <-chan func()) {
			for ; job != nil; job = <-idle {
				job()
			}
		}(p.idle)
	}
}

// close lets the workers end: the idle ones at once, one still running an
// abandoned line (--stop-on-error) when that line is done.
func (p *scriptPipeline) close() {
	if p.idle != nil {
		close(p.idle)
		p.idle = nil
	}
}

// nextOrOldest waits for the next line of input, or for the oldest line in
// flight to finish (oldest); when that takes a moment, the output held is
// written first.
func (p *scriptPipeline) nextOrOldest(lines <-chan scriptLine) (in scriptLine, oldest bool) {
	brief := p.brief()
	for {
		select {
		case in = <-lines:
			return in, false
		case <-p.window[0].done:
			return in, true
		case <-brief:
			p.printed.flush()
			brief = nil // from now on, wait without it
		}
	}
}

// canSend reports whether a line of kind may be sent ahead now.
func (sh *Shell) canSend(p *scriptPipeline, kind commands.Pipelining, stopOnError bool) bool {
	if kind == commands.NotPipelined || sh.env.Colors.StdoutOn || sh.env.OutTTY {
		return false
	}
	if kind == commands.PipelinedWrite && stopOnError && len(p.window) > 0 {
		return false
	}
	s := currentSession(sh.env)
	return s != nil && s.State() == session.StateConnected
}

// send starts line l; its request waits for its turn.
func (sh *Shell) send(ctx context.Context, p *scriptPipeline, lineNo int, text string, l *commands.Line) {
	if p.turns == nil {
		p.turns = session.NewTurns()
	}
	f := &pipelined{lineNo: lineNo, text: text, turn: p.turns.Next(), done: make(chan struct{})}
	p.window = append(p.window, f)
	sh.st.record(text)
	sh.inFlight.Add(1)
	env := sh.env.WithOutput(f.out.writer(false), f.out.writer(true))
	p.run(func() {
		defer close(f.done)
		defer f.turn.Pass()
		// How a lost request was settled prints with the line's own output.
		lctx := session.WithNotice(session.WithTurn(ctx, f.turn), func(m string) { fmt.Fprintln(env.Err, m) })
		f.code = sh.st.execute(lctx, env, l)
	})
}

// finishOldest waits for the oldest line in flight and prints it: its
// output, then the events that came before its reply.
func (sh *Shell) finishOldest(p *scriptPipeline) *pipelined {
	f := p.window[0]
	p.window[0] = nil
	p.window = p.window[1:]
	select {
	case <-f.done:
	case <-p.brief():
		p.printed.flush() // what is done is written while the line waits
		<-f.done
	}
	sh.inFlight.Add(-1)
	p.lastMark = max(p.lastMark, f.turn.EventMark())
	if s := currentSession(sh.env); s != nil {
		s.DrainEventsTo(p.lastMark)
	}
	p.printed.out, p.printed.err = sh.env.Out, sh.env.Err
	f.out.replay(&p.printed)
	if p.printed.lines++; p.printed.lines >= outBatchLines {
		p.printed.flush()
	}
	sh.printEventsTo(p.lastMark, p.printed.flush)
	sh.st.setLastCode(f.code)
	return f
}

// printEventsTo prints the queued events numbered up to mark, after calling
// before when there are some.
func (sh *Shell) printEventsTo(mark uint64, before func()) {
	sh.evMu.Lock()
	n := 0
	for n < len(sh.pending) && sh.pending[n].Seq <= mark {
		n++
	}
	batch := sh.pending[:n:n]
	sh.pending = sh.pending[n:]
	sh.evMu.Unlock()
	if n > 0 {
		before()
	}
	for _, e := range batch {
		if sh.st.PrintWatches() {
			EventPrinter{W: sh.env.Out}.Print(e)
		}
	}
}

// lineOutput keeps one line's stdout and stderr writes in order.
type lineOutput struct {
	mu     sync.Mutex
	chunks []outChunk
}

type outChunk struct {
	toErr bool
	b     []byte
}

type lineWriter struct {
	o     *lineOutput
	toErr bool
}

func (w lineWriter) Write(b []byte) (int, error) {
	w.o.mu.Lock()
	defer w.o.mu.Unlock()
	if n := len(w.o.chunks); n > 0 && w.o.chunks[n-1].toErr == w.toErr {
		w.o.chunks[n-1].b = append(w.o.chunks[n-1].b, b...)
	} else {
		w.o.chunks = append(w.o.chunks, outChunk{toErr: w.toErr, b: append([]byte(nil), b...)})
	}
	return len(b), nil
}

func (o *lineOutput) writer(toErr bool) io.Writer { return lineWriter{o: o, toErr: toErr} }

// replay adds the recorded output to b.
func (o *lineOutput) replay(b *outBatch) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range o.chunks {
		b.add(c.toErr, c.b)
	}
	o.chunks = nil
}
