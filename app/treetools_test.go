package app_test

import "testing"

// The tree tools (cd, pwd, relative paths, tree, find, grep, du, edit)
// against a real server; transcripts in testdata/treetools/<name>.golden.
// Every case works under its own /tt_<name> tree.
var treeToolCases = []goldenCase{
	{"tt_cd", []step{
		{args: []string{"-server", "ADDR"}, stdin: "create /tt_cd x\ncreate /tt_cd/a 1\ncreate /tt_cd/a/b 2\n" +
			"create '/tt_cd/with space' s\ncreate /tt_cd/ünï u\n" +
			"pwd\ncd tt_cd\npwd\nls .\nget a\nget ./a/b\ncd a\nget b\nget ../a\nls ..\ncd -\ncd -\npwd\n" +
			"cd ..\npwd\ncd ../../..\npwd\ncd /tt_cd\nget 'with space'\nget ünï\ncd 'with space'\npwd\n" +
			"cd ../missing\npwd\ncd /tt_cd/a/\npwd\ncreate -s seq- q\ncreate c 3\nset c 4\nstat c\nls -R .\n" +
			"delete c\ncd\npwd\n"},
		// One-shot mode resolves relative paths against /.
		run("-server", "ADDR", "get", "tt_cd/a"),
		run("-server", "ADDR", "ls", "tt_cd/./a/../a"),
		run("-server", "ADDR", "cd", "/tt_cd"),
		{args: []string{"-server", "ADDR"}, stdin: "deleteall /tt_cd\n"},
	}},
}

func TestTreeToolsGolden(t *testing.T) {
	addr := server(t)
	for _, c := range treeToolCases {
		zkc.Run("", "-server", addr, "deleteall", "/"+c.name)
	}
	runGoldenCases(t, addr, "treetools", treeToolCases, nil)
}
