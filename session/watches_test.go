package session

import (
	"reflect"
	"testing"
)

// The registry decides which events reach the user after removals; these are
// pure unit tests of its bookkeeping (the server behaviour is covered by the
// app package's tests against real ZooKeeper).
func TestWatchRegistryDeliver(t *testing.T) {
	type step struct {
		do       func(r *watchRegistry)
		p        string
		typ      string
		want     bool
		internal bool // completion's own watch, not the user's
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"one-shot data fires once, then stale copies are dropped", []step{
			{do: func(r *watchRegistry) { r.armed("/a", kindData) }},
			{p: "/a", typ: "NodeDataChanged", want: true},
			// Not registered and not stale: unknown origin is delivered.
			{p: "/a", typ: "NodeDataChanged", want: true},
		}},
		{"removed one-shot watch re-armed by the library is dropped once", []step{
			{do: func(r *watchRegistry) { r.armed("/a", kindChild); r.apply("/a", r.plan("/a", WatcherChildren), false) }},
			{p: "/a", typ: "NodeChildrenChanged", want: false},
			{p: "/a", typ: "NodeChildrenChanged", want: true},
		}},
		{"locally removed persistent watch is silent until a new connection", []step{
			{do: func(r *watchRegistry) {
				r.set("/p", AddWatchPersistentRecursive)
				r.apply("/p", r.plan("/p", WatcherAny), true)
			}},
			{p: "/p/x", typ: "NodeCreated", want: false},
			{do: func(r *watchRegistry) { r.newConnection() }},
			{p: "/p/x", typ: "NodeCreated", want: true},
		}},
		{"a live persistent watch covers a stale one-shot", []step{
			{do: func(r *watchRegistry) {
				r.armed("/a", kindData)
				r.apply("/a", r.plan("/a", WatcherData), false)
				r.set("/", AddWatchPersistentRecursive)
			}},
			{p: "/a", typ: "NodeDataChanged", want: true},
		}},
		{"completion's child watch is internal, once", []step{
			{do: func(r *watchRegistry) {
				if !r.armQuiet("/c") || r.armQuiet("/c") {
					t.Error("armQuiet: the first call arms, the second finds it pending")
				}
			}},
			{p: "/c", typ: "NodeChildrenChanged", want: true, internal: true},
			{p: "/c", typ: "NodeChildrenChanged", want: true},
		}},
		{"the user's own watch on the same path is not internal", []step{
			{do: func(r *watchRegistry) { r.armQuiet("/c"); r.armed("/c", kindChild) }},
			{p: "/c", typ: "NodeChildrenChanged", want: true},
		}},
		{"a deleted node fires completion's child watch", []step{
			{do: func(r *watchRegistry) { r.armQuiet("/c") }},
			{p: "/c", typ: "NodeDeleted", want: true, internal: true},
		}},
		{"a removed user watch shares the path with completion's", []step{
			{do: func(r *watchRegistry) {
				r.armed("/c", kindChild)
				r.apply("/c", r.plan("/c", WatcherChildren), false)
				r.armQuiet("/c")
			}},
			{p: "/c", typ: "NodeChildrenChanged", want: true, internal: true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newWatchRegistry()
			for i, s := range tc.steps {
				if s.do != nil {
					s.do(r)
					continue
				}
				if got, internal := r.deliver(s.p, s.typ); got != s.want || internal != s.internal {
					t.Fatalf("step %d: deliver(%s %s) = %v, internal %v; want %v, internal %v", i, s.typ, s.p, got, internal, s.want, s.internal)
				}
			}
		})
	}
}

func TestWatchRegistryPlanAndExpire(t *testing.T) {
	r := newWatchRegistry()
	r.armed("/a", kindData)
	r.armed("/a", kindChild)
	r.set("/a", AddWatchPersistent)
	r.set("/b", AddWatchPersistentRecursive)
	for _, tc := range []struct {
		typ  int32
		p    string
		want removal
	}{
		{WatcherData, "/a", removal{kinds: kindData}},
		{WatcherChildren, "/a", removal{kinds: kindChild}},
		{WatcherAny, "/a", removal{kinds: kindData | kindChild, persistent: true}},
		{WatcherPersistent, "/a", removal{persistent: true}},
		{WatcherPersistentRecursive, "/a", removal{}},
		{WatcherData, "/b", removal{}}, // persistent watches are not data watches (zkCli)
		{WatcherPersistentRecursive, "/b", removal{persistent: true}},
	} {
		if got := r.plan(tc.p, tc.typ); got != tc.want {
			t.Errorf("plan(%s, %d) = %+v, want %+v", tc.p, tc.typ, got, tc.want)
		}
	}
	lost, readded := r.expire(func(p string) string { return p })
	want := []LostWatch{{"/a", "children"}, {"/a", "data"}}
	if !reflect.DeepEqual(lost, want) {
		t.Errorf("expire lost = %v, want %v", lost, want)
	}
	wantReadded := []LostWatch{{"/a", "persistent"}, {"/b", "persistent_recursive"}}
	if !reflect.DeepEqual(readded, wantReadded) {
		t.Errorf("expire readded = %v, want %v", readded, wantReadded)
	}
	// Persistent watches stay recorded, so the new session re-adds them.
	if len(r.snapshot()) != 2 {
		t.Errorf("persistent watches after expiry = %v, want both kept for re-adding", r.snapshot())
	}
}
