package shell_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

// Shell-only commands in a piped script: history, redo (and its errors),
// printwatches, close (then Not connected), connect, quit's exit code.
func TestScriptShellCommands(t *testing.T) {
	addr := server(t)
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/hooks") })
	steps := []struct {
		stdin string
		args  []string
	}{
		{"create /hooks 1\nget /hooks\nhistory\nredo 1\nredo 3\nredo 9\nredo -1\nredo abc\nredo\nhistory\n",
			[]string{"-server", "ADDR"}},
		{"printwatches\nprintwatches off\nprintwatches\nget -w /hooks\nset /hooks 2\nprintwatches on\nget -w /hooks\nset /hooks 3\nsync /hooks\n",
			[]string{"-server", "ADDR"}},
		{"close\nget /hooks\nconnect\nget /hooks\nconnect ADDR/hooks\nls /\nconnect bad:port:x\n",
			[]string{"-server", "ADDR"}},
		{"get /hooks/missing\nquit\nget /hooks\n", []string{"-server", "ADDR"}},
		{"history\n", []string{"-server", "ADDR", "--stop-on-error"}},
	}
	var b strings.Builder
	for _, s := range steps {
		args := make([]string, len(s.args))
		for i, a := range s.args {
			args[i] = strings.ReplaceAll(a, "ADDR", addr)
		}
		r := zkc.Run(strings.ReplaceAll(s.stdin, "ADDR", addr), args...)
		b.WriteString("# stdin:\n" + s.stdin)
		b.WriteString(r.Transcript(s.args))
	}
	zkharness.CheckGolden(t, filepath.Join("..", "testdata", "shell", "script_hooks.golden"), zkharness.Normalize(b.String()))
}

// `zkc __complete` (what the bash/zsh/fish/powershell scripts run) lists
// live znode paths, with the global flags before or after __complete.
func TestCobraCompletion(t *testing.T) {
	addr := server(t)
	oneShot(t, "-server", addr, "create", "/cmpl", "")
	oneShot(t, "-server", addr, "create", "/cmpl/foo", "")
	oneShot(t, "-server", addr, "create", "/cmpl/foobar", "")
	oneShot(t, "-server", addr, "create", "/cmpl/other", "")
	t.Cleanup(func() { zkc.Run("", "-server", addr, "deleteall", "/cmpl") })
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-server", addr, "__complete", "get", "/cmpl/fo"}, "/cmpl/foo\n/cmpl/foobar\n:6\n"},
		{[]string{"__complete", "-server", addr, "ls", "-s", "/cmpl/"}, "/cmpl/foo\n/cmpl/foobar\n/cmpl/other\n:6\n"},
		{[]string{"__complete", "-server", addr, "get", "/cmpl"}, "/cmpl\n/cmpl/foo\n/cmpl/foobar\n/cmpl/other\n:6\n"},
		// An unreachable server gives no paths, promptly, and no error.
		{[]string{"__complete", "-server", "127.0.0.1:1", "get", "/cmpl/fo"}, ":6\n"},
		{[]string{"__completeNoDesc", "-server", addr, "get", "/cmpl/ot"}, "/cmpl/other\n:6\n"},
	}
	for _, c := range cases {
		r := zkc.Run("", c.args...)
		if r.Code != 0 || r.Stdout != c.want {
			t.Errorf("zkc %v: exit %d, stdout %q, want %q (stderr %q)", c.args, r.Code, r.Stdout, c.want, r.Stderr)
		}
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := zkc.Run("", "completion", sh)
		if r.Code != 0 || !strings.Contains(r.Stdout, "__complete") {
			t.Errorf("zkc completion %s: exit %d, script without __complete (stderr %q)", sh, r.Code, r.Stderr)
		}
	}
}
