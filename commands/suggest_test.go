package commands

import (
	"errors"
	"reflect"
	"testing"

	"github.com/spf13/pflag"
)

func TestClosest(t *testing.T) {
	names := commandNames(ModeOneShot)
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"crate", []string{"create"}},
		{"cret", []string{"create"}}, // zkCli's own test of an unknown command
		{"LS", []string{"ls"}},
		{"getacl", []string{"getAcl"}},
		{"sl", []string{"ls"}},
		{"sett", []string{"set"}},
		{"removewatch", []string{"removewatches"}},
		{"qwertyuiop", nil},
		{"rmr", nil}, // removed commands are never suggested
		{"ls", nil},  // an exact name is no mistake
		{"pwd", nil}, // shell-only: not in one-shot mode
		{"", nil},
	} {
		if got := Closest(tc.typed, names); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Closest(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
	if got := Closest("pdw", commandNames(ModeShell)); !reflect.DeepEqual(got, []string{"pwd"}) {
		t.Errorf("Closest(pdw) in the shell = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"ls", "sl", 1}, {"crate", "create", 1}, {"get", "set", 1}, {"abc", "", 3}, {"kitten", "sitting", 3},
	} {
		if d := editDistance(tc.a, tc.b); d != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, d, tc.d)
		}
	}
}

func TestFlagErrorHint(t *testing.T) {
	fs := pflag.NewFlagSet("ls", pflag.ContinueOnError)
	fs.BoolP("recursive", "R", false, "")
	fs.BoolP("stat", "s", false, "")
	for in, want := range map[string]string{
		"unknown flag: --recursiv":                 "Unrecognized option: --recursiv (did you mean --recursive?)",
		"unknown shorthand flag: 'r' in -r":        "Unrecognized option: -r (did you mean -R?)",
		"unknown shorthand flag: 'x' in -x":        "Unrecognized option: -x",
		"unknown shorthand flag: 'e' in -recursiv": "Unrecognized option: -recursiv (did you mean -recursive?)",
		"unknown shorthand flag: 'q' in -sq":       "Unrecognized option: -q",
		"flag needs an argument: --stat":           "Missing argument for option: stat",
	} {
		if got := FlagErrorHint(errors.New(in), fs); got != want {
			t.Errorf("FlagErrorHint(%q) = %q, want %q", in, got, want)
		}
	}
	if e := UnknownOption("--autth=digest:bob:secret", fs); e.Msg != "Unrecognized option: --autth" || e.Code != ExitUsage {
		t.Errorf("UnknownOption kept the value: %+v", e)
	}
}

// Every command is under one heading of `zkc help`; the removed ones are
// listed apart.
func TestHelpGroupsCoverEveryCommand(t *testing.T) {
	seen := map[string]string{}
	for _, g := range helpGroups() {
		for _, n := range g.names {
			if prev, ok := seen[n]; ok {
				t.Errorf("%s is in %s and %s", n, prev, g.title)
			}
			seen[n] = g.title
		}
	}
	for _, c := range All() {
		_, ok := seen[c.Name]
		switch {
		case c.ReplacedBy != "" && ok:
			t.Errorf("%s is removed from zkCli but listed under %s", c.Name, seen[c.Name])
		case c.ReplacedBy == "" && !ok:
			t.Errorf("%s is in no help group", c.Name)
		}
		delete(seen, c.Name)
	}
	delete(seen, "completion") // cobra's, added by the app
	for n := range seen {
		t.Errorf("help group names %s, which is no command", n)
	}
}
