package commands

import (
	"errors"
	"reflect"
	"testing"

	"github.com/spf13/pflag"
)

func TestRewriteSingleDash(t *testing.T) {
	fs := pflag.NewFlagSet("reconfig", pflag.ContinueOnError)
	fs.String("file", "", "")
	fs.String("members", "", "")
	fs.BoolP("stat", "s", false, "")
	fs.StringP("version", "v", "", "")
	cases := []struct{ in, want []string }{
		{[]string{"-file", "x.cfg"}, []string{"--file", "x.cfg"}},
		{[]string{"-members=1=h:1:2;3"}, []string{"--members=1=h:1:2;3"}},
		{[]string{"-s", "-v", "5"}, []string{"-s", "-v", "5"}},
		{[]string{"-sv", "5"}, []string{"-sv", "5"}},
		{[]string{"--", "-file"}, []string{"--", "-file"}},
		{[]string{"-fi"}, []string{"-fi"}},
	}
	for _, c := range cases {
		if got := RewriteSingleDash(c.in, fs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("RewriteSingleDash(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFlagErrorText(t *testing.T) {
	cases := map[string]string{
		"unknown shorthand flag: 'x' in -x": "Unrecognized option: -x",
		"unknown flag: --bogus":             "Unrecognized option: --bogus",
		"flag needs an argument: 'v' in -v": "Missing argument for option: v",
		"flag needs an argument: --file":    "Missing argument for option: file",
		"something else entirely":           "something else entirely",
	}
	for in, want := range cases {
		if got := FlagErrorText(errors.New(in)); got != want {
			t.Errorf("FlagErrorText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseACL(t *testing.T) {
	good := []string{"world:anyone:cdrwa", "ip:10.0.0.0/8:r", "auth::cdrwa", "digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:r,world:anyone:r", "x509:CN=foo:rw", "sasl:bob@EXAMPLE:a"}
	for _, s := range good {
		if _, err := ParseACL(s); err != nil {
			t.Errorf("ParseACL(%q): %v", s, err)
		}
	}
	bad := []string{"", "badacl", "world:anyone:xyz", "world:anyone:", "foo:bar:r", "digest:bob:r", "ip:300.1.1.1:r", "ip:10.0.0.0/40:r", "world:anyone:cdrwa,junk", "world:someone:r"}
	for _, s := range bad {
		if _, err := ParseACL(s); err == nil {
			t.Errorf("ParseACL(%q) accepted a malformed ACL", s)
		}
	}
	if got := PermString(31); got != "cdrwa" {
		t.Errorf("PermString(31) = %q", got)
	}
}

// Every command documents itself: zkCli's usage line, a description and an
// example, as `zkc help COMMAND` shows them.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range All() {
		if c.Usage == "" || c.Short == "" || c.Example == "" {
			t.Errorf("%s: usage %q, short %q, example %q", c.Name, c.Usage, c.Short, c.Example)
		}
	}
}
