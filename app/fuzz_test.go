package app

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// FuzzRewriteArgs: the process argv rewrite never panics, never loses or
// invents arguments (it only adds a dash or replaces -r), and keeps the
// command's arguments after "--".
func FuzzRewriteArgs(f *testing.F) {
	for _, s := range []string{
		"-server h:1 get -sw /a", "-timeout 5 -r ls /", "reconfig -file x.cfg", "-server=h:1 -- get -1",
		"__complete get -s", "-client-configuration f ls /", "--debug -o json stat /", "-", "-- --", "get -- -file",
		"-server", "-waitforconnection create -t 5 /x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, " ")
		probe := pflag.NewFlagSet("zkc", pflag.ContinueOnError)
		var g globals
		g.define(probe, func(string) string { return "" })
		out := rewriteArgs(args, probe)
		if len(out) != len(args) {
			t.Fatalf("rewriteArgs(%q) = %q: length changed", args, out)
		}
		for i := range args {
			if out[i] != args[i] && out[i] != "-"+args[i] && !(args[i] == "-r" && out[i] == "--read-only") {
				t.Fatalf("rewriteArgs(%q): %q became %q", args, args[i], out[i])
			}
		}
	})
}
