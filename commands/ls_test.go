package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/walk"
)

// ls -R prints what the walker visits, in its order (the walker's own tests
// hold it to zkCli's sequential order).
func TestLsRecursiveFollowsTheWalk(t *testing.T) {
	env, s, out, errb := testEnv(t)
	root := "/ls-recursive"
	mkTree(t, s, []string{root, root + "/a", root + "/a-b", root + "/a/b", root + "/a/b/c", root + "/a-b/x", root + "/z"})
	var want strings.Builder
	want.WriteString(root + "\n")
	err := walk.Walk(context.Background(), s, root, walk.Options{}, func(_ string, kids []string) error {
		for _, k := range kids {
			want.WriteString(k + "\n")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// zkCli's order is not a sort of full paths: /a/b/c comes before /a-b/x.
	if i, j := strings.Index(want.String(), root+"/a/b/c\n"), strings.Index(want.String(), root+"/a-b/x\n"); i < 0 || j < 0 || i > j {
		t.Fatalf("walk is not in zkCli's order:\n%s", want.String())
	}
	if err := ExecuteLine(context.Background(), env, []string{"ls", "-R", root}); err != nil {
		t.Fatalf("ls -R: %v (stderr %q)", err, errb.String())
	}
	if got := out.String(); got != want.String() {
		t.Errorf("ls -R differs from the walk\n--- want\n%s--- got\n%s", want.String(), got)
	}
}
