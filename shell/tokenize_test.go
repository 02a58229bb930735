package shell

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		{"ls /", []string{"ls", "/"}},
		{"  get   -s /a  ", []string{"get", "-s", "/a"}},
		{`create /a "hello world"`, []string{"create", "/a", "hello world"}},
		{`create /a 'hello world'`, []string{"create", "/a", "hello world"}},
		{`create /a ""`, []string{"create", "/a", ""}},
		{`create /a ''`, []string{"create", "/a", ""}},
		{`set /a "it's"`, []string{"set", "/a", "it's"}},
		{`set /a 'say "hi"'`, []string{"set", "/a", `say "hi"`}},
		// No escapes, as zkCli: the backslash stays and the quote splits.
		{`set /a "a\"b"`, []string{"set", "/a", `a\`, `b"`}},
		// A quote inside a word does not group.
		{`set /a x"y z"`, []string{"set", "/a", `x"y`, `z"`}},
		{"", []string{}},
		{"   ", []string{}},
		{"create\t/tab\tdata", []string{"create", "/tab", "data"}},
	}
	for _, c := range cases {
		if got := Tokenize(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

func BenchmarkTokenize(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Tokenize(`create -s -e /some/path/node- "some data with spaces" digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:cdrwa`)
	}
}
