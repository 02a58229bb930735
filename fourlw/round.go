package fourlw

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Round is one word asked of every server of an ensemble.
type Round struct {
	Word      Word
	Endpoints []Endpoint
	Options   Options
	Summary   bool  // one table row per server instead of the answers
	Paint     Paint // colours of the summary table
}

// Ask asks every server once, in parallel.
func (r *Round) Ask(ctx context.Context) []Answer {
	return AskAll(ctx, r.Endpoints, r.Word, r.Options)
}

// WriteText writes the answers as text: the summary table, or with one server
// its answer exactly as sent, with several each under a "==> host:port <=="
// header. Failed servers are left out (Health names them).
func (r *Round) WriteText(out io.Writer, answers []Answer) error {
	if r.Summary {
		return WriteSummary(out, Rows(answers, parseAll(r.Word, answers)), r.Paint)
	}
	var b strings.Builder
	if len(answers) == 1 {
		if answers[0].OK() {
			b.WriteString(answers[0].Raw)
		}
	} else {
		first := true
		for _, a := range answers {
			if !a.OK() {
				continue // named on stderr
			}
			if !first {
				b.WriteString("\n")
			}
			first = false
			fmt.Fprintf(&b, "==> %s <==\n%s", a.Server, a.Raw)
			if !strings.HasSuffix(a.Raw, "\n") {
				b.WriteString("\n")
			}
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// RedrawHeader is what starts each round of a repeated 4lw: on a terminal it
// clears the screen first, so the round replaces the last.
func (r *Round) RedrawHeader(term bool, every time.Duration, now time.Time) string {
	clear := ""
	if term {
		clear = "\x1b[H\x1b[2J"
	}
	return fmt.Sprintf("%sEvery %v: 4lw %s    %s\n\n", clear, every, r.Word.Name, now.Format(time.DateTime))
}

// Repeat calls round at once and then every interval until ctx ends or round
// fails, and returns round's error or ctx's.
func Repeat(ctx context.Context, every time.Duration, round func(ctx context.Context) error) error {
	for {
		if err := round(ctx); err != nil {
			return err
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func parseAll(w Word, answers []Answer) []any {
	out := make([]any, len(answers))
	for i, a := range answers {
		if a.OK() {
			out[i], _ = parseAnswer(w, a)
		}
	}
	return out
}

func parseAnswer(w Word, a Answer) (any, error) {
	if a.Admin {
		return ParseAdmin(w.Name, a.Raw)
	}
	return Parse(w.Name, a.Raw)
}

// ServerReport is one server's entry in a round's report (4lw -o json).
type ServerReport struct {
	Server string `json:"server"`
	Status string `json:"status"` // ok, down, timeout, not-whitelisted, not-serving, failed
	Error  string `json:"error,omitempty"`
	// Result is the parsed answer (see README); null when the server failed.
	Result     any    `json:"result"`
	ParseError string `json:"parse_error,omitempty"`
	Raw        string `json:"raw,omitempty"` // only when the answer could not be parsed
}

// Report is a round's answers parsed (4lw's JSON document, one per round).
type Report struct {
	Word    string         `json:"word"`
	Servers []ServerReport `json:"servers"`
	Summary []Row          `json:"summary,omitempty"`
}

// Report parses the answers.
func (r *Round) Report(answers []Answer) Report {
	doc := Report{Word: r.Word.Name, Servers: make([]ServerReport, len(answers))}
	parsed := make([]any, len(answers))
	for i, a := range answers {
		s := ServerReport{Server: a.Server, Status: string(a.Status), Error: a.Detail}
		if a.OK() {
			v, err := parseAnswer(r.Word, a)
			if err != nil {
				s.ParseError, s.Raw = err.Error(), a.Raw
			} else {
				s.Result, parsed[i] = v, v
			}
		}
		doc.Servers[i] = s
	}
	if r.Summary {
		doc.Summary = Rows(answers, parsed)
	}
	return doc
}

// HealthError names every server that failed a round, one per line.
// Unreachable says any was down, timed out or not serving (rather than only
// refusing the word or answering something else).
type HealthError struct {
	Lines       []string
	Unreachable bool
}

func (e *HealthError) Error() string { return strings.Join(e.Lines, "\n") }

// Health is nil when every server answered, else a *HealthError.
func Health(w Word, answers []Answer) *HealthError {
	var e HealthError
	for _, a := range answers {
		switch a.Status {
		case StatusOK:
			continue
		case StatusDown, StatusTimeout, StatusNotServing:
			e.Unreachable = true
		}
		e.Lines = append(e.Lines, Problem(w, a))
	}
	if len(e.Lines) == 0 {
		return nil
	}
	return &e
}

// Problem says what went wrong with one server, and what to do when zkc knows.
func Problem(w Word, a Answer) string {
	switch a.Status {
	case StatusDown:
		return fmt.Sprintf("%s: down (%s)", a.Server, a.Detail)
	case StatusTimeout:
		return fmt.Sprintf("%s: timed out", a.Server)
	case StatusNotServing:
		return fmt.Sprintf("%s: not serving requests (up, but without a quorum or still starting)", a.Server)
	case StatusNotWhitelisted:
		return fmt.Sprintf("%s: refused %s: not in its whitelist; enable it in zoo.cfg with 4lw.commands.whitelist=%s (add it to the existing list, or * for all) and restart the server, or use --admin",
			a.Server, w.Name, w.Name)
	}
	return fmt.Sprintf("%s: %s", a.Server, a.Detail)
}
