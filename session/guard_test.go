package session

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckWrite(t *testing.T) {
	plain, quota := context.Background(), AllowQuotaWrites(context.Background())
	cases := []struct {
		name    string
		ctx     context.Context
		kind    writeKind
		sp      string
		data    string
		refused bool
	}{
		{"ordinary create", plain, writeCreate, "/app/x", "d", false},
		{"ordinary delete", plain, writeDelete, "/app/x", "", false},
		{"user node named like a quota record", plain, writeCreate, "/app/zookeeper_limits", "garbage", false},
		{"delete user zookeeper_limits away from /zookeeper", plain, writeDelete, "/app/zookeeper_limits", "", false},
		{"setAcl on /", plain, writeSetACL, "/", "", false},
		{"delete /", plain, writeDelete, "/", "", true},
		{"delete /zookeeper", plain, writeDelete, "/zookeeper", "", true},
		{"set /zookeeper", plain, writeSet, "/zookeeper", "x", true},
		{"create under /zookeeper", plain, writeCreate, "/zookeeper/x", "", true},
		{"set /zookeeper/config", plain, writeSet, "/zookeeper/config", "x", true},
		{"delete /zookeeper/config", quota, writeDelete, "/zookeeper/config", "", true},
		{"delete quota store", plain, writeDelete, "/zookeeper/quota", "", true},
		{"delete quota store even for quota commands", quota, writeDelete, "/zookeeper/quota", "", true},
		{"delete a quota record without the quota capability", plain, writeDelete, "/zookeeper/quota/a/zookeeper_limits", "", true},
		{"set a quota record without the quota capability", plain, writeSet, "/zookeeper/quota/a/zookeeper_stats", "count=1,bytes=2", true},
		{"setAcl in the quota store", quota, writeSetACL, "/zookeeper/quota/a", "", true},
		{"setquota /: limits under the store root", quota, writeCreate, "/zookeeper/quota/zookeeper_limits", "count=10,bytes=-1", true},
		{"setquota /: stats under the store root", quota, writeCreate, "/zookeeper/quota/zookeeper_stats", "count=0,bytes=0", true},
		{"delete the root's limits", quota, writeDelete, "/zookeeper/quota/zookeeper_limits", "", true},
		{"quota parent node", quota, writeCreate, "/zookeeper/quota/a", "", false},
		{"quota limits", quota, writeCreate, "/zookeeper/quota/a/zookeeper_limits", "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1", false},
		{"quota stats", quota, writeCreate, "/zookeeper/quota/a/zookeeper_stats", "count=0,bytes=0", false},
		{"quota limits set", quota, writeSet, "/zookeeper/quota/a/b/zookeeper_limits", "count=-1,bytes=5", false},
		{"quota record delete", quota, writeDelete, "/zookeeper/quota/a/zookeeper_stats", "", false},
		{"empty quota record", quota, writeSet, "/zookeeper/quota/a/zookeeper_stats", "", false},
		{"stats without a value", quota, writeSet, "/zookeeper/quota/a/zookeeper_stats", "count", true},
		{"stats with an empty last value", quota, writeSet, "/zookeeper/quota/a/zookeeper_stats", "count=", true},
		{"stats not a number", quota, writeSet, "/zookeeper/quota/a/zookeeper_stats", "count=x", true},
		{"stats out of range", quota, writeSet, "/zookeeper/quota/a/zookeeper_stats", "count=9223372036854775808", true},
		{"stats leading separator", quota, writeSet, "/zookeeper/quota/a/zookeeper_limits", ",count=1", true},
		{"stats max long", quota, writeSet, "/zookeeper/quota/a/zookeeper_limits", "count=9223372036854775807;bytes=-9223372036854775808", false},
		{"stats empty value mid-record", quota, writeCreate, "/zookeeper/quota/a/zookeeper_limits", "count==1,bytes=2", false},
		{"lookalike parent: /zookeeper-app", plain, writeDelete, "/zookeeper-app/zookeeper_limits", "", true},
		{"lookalike parent: long prefix", plain, writeDelete, "/zookeeperfoo/bar/zookeeper_limits", "", true},
		{"lookalike parent: create is harmless", plain, writeCreate, "/zookeeper-app/zookeeper_limits", "x", false},
		{"lookalike stats delete is harmless", plain, writeDelete, "/zookeeper-app/zookeeper_stats", "", false},
		{"invalid server path", plain, writeCreate, "/a//b", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkWrite(c.ctx, c.kind, c.sp, c.sp, []byte(c.data), false)
			if (err != nil) != c.refused {
				t.Fatalf("checkWrite(%s %s %q) = %v, want refused=%v", c.kind, c.sp, c.data, err, c.refused)
			}
			var ge *GuardError
			if err != nil && !errors.As(err, &ge) && !errors.As(err, new(*PathError)) {
				t.Fatalf("refusal is %T, want *GuardError", err)
			}
		})
	}
}

// A chroot cannot get around the rules: they apply to the server path, and
// the message names it.
func TestCheckWriteThroughChroot(t *testing.T) {
	s := newSession(Options{Target: Target{Chroot: "/zookeeper"}})
	err := s.CheckDelete(context.Background(), "/quota")
	var ge *GuardError
	if !errors.As(err, &ge) {
		t.Fatalf("delete /quota under chroot /zookeeper: %v, want a refusal", err)
	}
	if ge.ServerPath != "/zookeeper/quota" || !strings.Contains(err.Error(), "the server path /zookeeper/quota") ||
		!strings.Contains(err.Error(), "delquota") {
		t.Fatalf("refusal %q does not name the server path and delquota", err)
	}
	s = newSession(Options{Target: Target{Chroot: "/app"}})
	if err := s.CheckDelete(context.Background(), "/zookeeper"); err != nil {
		t.Fatalf("delete /zookeeper under chroot /app is /app/zookeeper, an ordinary node: %v", err)
	}
}

// libraryWrites are the go-zookeeper calls that change the server's tree.
var libraryWrites = map[string]bool{
	"Create": true, "CreateTTL": true, "CreateContainer": true, "CreateProtectedEphemeralSequential": true,
	"Set": true, "Delete": true, "SetACL": true, "Multi": true, "MultiRead": false,
}

// Every function of this package that reaches a library write must run the
// guard: a new write method that forgets it fails here.
func TestEveryWriteIsGuarded(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			writes, guarded := false, false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch f := call.Fun.(type) {
				case *ast.SelectorExpr:
					if inner, ok := f.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "conn" && libraryWrites[f.Sel.Name] {
						writes = true
					}
				case *ast.Ident:
					if f.Name == "checkWrite" {
						guarded = true
					}
				}
				return true
			})
			if writes {
				checked++
				if !guarded {
					t.Errorf("%s: %s sends a write without checkWrite", fset.Position(fn.Pos()), fn.Name.Name)
				}
			}
		}
	}
	if checked < 5 {
		t.Fatalf("found only %d write functions; the scan no longer sees them", checked)
	}
}
