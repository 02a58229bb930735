package app

import (
	"reflect"
	"testing"

	"github.com/spf13/pflag"
)

func TestRewriteArgs(t *testing.T) {
	cases := []struct {
		in, want []string
	}{
		{[]string{"-server", "h:1", "ls", "/"}, []string{"--server", "h:1", "ls", "/"}},
		{[]string{"--server", "h:1", "ls", "/"}, []string{"--server", "h:1", "ls", "/"}},
		{[]string{"-server=h:1", "ls", "/"}, []string{"--server=h:1", "ls", "/"}},
		{[]string{"-timeout", "5000", "-waitforconnection", "get", "/x"}, []string{"--timeout", "5000", "--waitforconnection", "get", "/x"}},
		{[]string{"-r", "ls", "/"}, []string{"--read-only", "ls", "/"}},
		{[]string{"-client-configuration", "c.props", "ls", "/"}, []string{"--client-configuration", "c.props", "ls", "/"}},
		// The command's own grouped shorthands are left alone.
		{[]string{"get", "-sw", "/x"}, []string{"get", "-sw", "/x"}},
		// A global value that looks like a flag is a value.
		{[]string{"-server", "-odd", "ls"}, []string{"--server", "-odd", "ls"}},
		// Flags after positionals and "--" are the command's.
		{[]string{"deleteall", "/x", "-b", "5"}, []string{"deleteall", "/x", "-b", "5"}},
		{[]string{"create", "--", "/p", "-server"}, []string{"create", "--", "/p", "-server"}},
		{[]string{"-o", "json", "ls", "/"}, []string{"-o", "json", "ls", "/"}},
		{[]string{}, []string{}},
		// Unknown single-dash words are left for pflag to reject.
		{[]string{"-bogus", "ls"}, []string{"-bogus", "ls"}},
		// Completion requests carry their own command line.
		{[]string{"__complete", "-server", "h:1", "get", "/fo"}, []string{"__complete", "--server", "h:1", "get", "/fo"}},
	}
	for _, c := range cases {
		var g globals
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		g.define(fs, func(string) string { return "" })
		if got := rewriteArgs(c.in, fs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("rewriteArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
