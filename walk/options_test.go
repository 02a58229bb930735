package walk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// Data walks fetch data first and children only where the stat counts some:
// the order must still be zkCli's, whatever the scheduling.
func TestDataWalkMatchesSequential(t *testing.T) {
	s := testSession(t)
	root := "/walk-data-order"
	mkTree(t, s, awkwardTree(root))
	want := sequential(t, s, root)
	for _, o := range []Options{{Data: true}, {Data: true, Batch: 1}, {Data: true, Batch: 2, Lookahead: 1}, {Data: true, InFlight: 1}} {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
			var b strings.Builder
			b.WriteString(root + "\n")
			err := Nodes(context.Background(), s, root, o, func(n *Node) error {
				if n.Stat == nil || int(n.Stat.NumChildren) != len(n.Kids) {
					t.Errorf("%s: stat %+v with %d kids", n.Path, n.Stat, len(n.Kids))
				}
				for _, k := range n.Kids {
					b.WriteString(k + "\n")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != want {
				t.Errorf("walk differs from the sequential reference\n--- want\n%s--- got\n%s", want, b.String())
			}
		})
	}
}

// Levels stops expanding at the given depth; Depth counts from the root.
func TestWalkLevels(t *testing.T) {
	s := testSession(t)
	root := "/walk-levels"
	mkTree(t, s, []string{root, root + "/a", root + "/a/b", root + "/a/b/c", root + "/d"})
	for _, o := range []Options{{Levels: 2}, {Levels: 2, Data: true}, {Levels: 2, Batch: 1}, {Levels: 2, Data: true, Batch: 1}} {
		var got []string
		err := Nodes(context.Background(), s, root, o, func(n *Node) error {
			got = append(got, fmt.Sprintf("%s:%d:%d", n.Path, n.Depth, len(n.Kids)))
			return nil
		})
		want := root + ":0:2 " + root + "/a:1:0 " + root + "/d:1:0"
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("%+v: %v %v, want %s", o, got, err, want)
		}
	}
	var got []string
	Nodes(context.Background(), s, root, Options{Levels: 1, Data: true}, func(n *Node) error {
		got = append(got, fmt.Sprintf("%s:%d", n.Path, n.Stat.NumChildren))
		return nil
	})
	if strings.Join(got, " ") != root+":2" {
		t.Errorf("Levels 1: %v", got)
	}
}

// KeepGoing reports an unreadable subtree on its node and walks the rest;
// without it the walk stops there.
func TestWalkKeepGoing(t *testing.T) {
	s := testSession(t)
	root := "/walk-noauth"
	mkTree(t, s, []string{root, root + "/a", root + "/z", root + "/z/k"})
	ctx := context.Background()
	if _, err := s.Create(ctx, root+"/m", nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, root+"/m/x", nil, session.CreateMode{}, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetACL(ctx, root+"/m", zk.WorldACL(zk.PermCreate), -1); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{KeepGoing: true}, {KeepGoing: true, Data: true}, {KeepGoing: true, Data: true, Batch: 1}, {KeepGoing: true, Batch: 1}} {
		var got []string
		err := Nodes(ctx, s, root, o, func(n *Node) error {
			if n.Err != nil {
				got = append(got, n.Path+"!"+n.Err.Error())
			} else {
				got = append(got, n.Path)
			}
			return nil
		})
		want := strings.Join([]string{root, root + "/a", root + "/m!" + zk.ErrNoAuth.Error(), root + "/z", root + "/z/k"}, " ")
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("%+v: %v %v\nwant %s", o, got, err, want)
		}
	}
	err := Nodes(ctx, s, root, Options{Data: true}, func(*Node) error { return nil })
	var we *Error
	if !errors.As(err, &we) || we.Path != root+"/m" || !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("without KeepGoing: %v", err)
	}
}
