package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestColorDecision(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		mode           string
		getenv         func(string) string
		outTTY, errTTY bool
		out, errs      bool
	}{
		{"auto", env("TERM", "xterm"), true, true, true, true},
		{"auto", env("TERM", "xterm"), false, true, false, true}, // per stream
		{"auto", env("TERM", "xterm"), true, false, true, false},
		{"auto", env("TERM", "xterm", "NO_COLOR", "1"), true, true, false, false},
		{"auto", env("TERM", "dumb"), true, true, false, false},
		{"never", env(), true, true, false, false},
		{"always", env("NO_COLOR", "1"), false, false, true, true}, // explicit beats NO_COLOR
	}
	for _, c := range cases {
		out, errs, err := colorDecision(c.mode, c.getenv, c.outTTY, c.errTTY)
		if err != nil || out != c.out || errs != c.errs {
			t.Errorf("%s tty=%v/%v: got %v/%v (%v), want %v/%v", c.mode, c.outTTY, c.errTTY, out, errs, err, c.out, c.errs)
		}
	}
	if _, _, err := colorDecision("sometimes", env(), true, true); err == nil {
		t.Error("--color=sometimes accepted")
	}
	if p := newPalette(false, true); p.Key("k") != "k" || p.Error("e") == "e" || p.StdoutOn {
		t.Errorf("palette ignores the per-stream decision: %q %q", p.Key("k"), p.Error("e"))
	}
}

func TestEarlyColorFlag(t *testing.T) {
	cases := map[string][]string{
		"never":  {"--color=never", "bogus"},
		"always": {"-server", "h", "--color", "always", "bogus"},
		"auto":   {"bogus", "--color=never"}, // after the command it is the command's
	}
	var g globals
	fs := pflag.NewFlagSet("zkc", pflag.ContinueOnError)
	g.define(fs, func(string) string { return "" })
	for want, args := range cases {
		if got := earlyColorFlag(args, fs); got != want {
			t.Errorf("earlyColorFlag(%q) = %q, want %q", args, got, want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(1000, 0)
	p := newProgressLine(&buf)
	p.now = func() time.Time { return now }
	p.Update(10, 0, "nodes listed")
	if buf.Len() != 0 {
		t.Fatalf("progress shown before the delay: %q", buf.String())
	}
	now = now.Add(progressDelay)
	p.Update(2000, 0, "nodes listed")
	now = now.Add(progressEvery / 2)
	p.Update(3000, 0, "nodes listed") // throttled
	now = now.Add(progressEvery)
	p.Update(5, 10, "nodes deleted")
	want := "\r2000 nodes listed" + "\r5/10 nodes deleted (50%)"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	p.Update(-1, 0, "")
	if buf.String() != "\r"+strings.Repeat(" ", len("5/10 nodes deleted (50%)"))+"\r" {
		t.Errorf("clear wrote %q", buf.String())
	}
	buf.Reset()
	p.Clear() // nothing shown: nothing written
	if buf.Len() != 0 {
		t.Errorf("second clear wrote %q", buf.String())
	}
}
