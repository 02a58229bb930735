package session

import (
	"errors"
	"testing"
	"time"
)

// TestSeriallyOnlyUnrelated: a lost pipelined line is finished the serial
// way only when no other line in flight touches its path, an ancestor or a
// descendant (a sequential create also holds its parent), and then new
// lines wait until it is done.
func TestSeriallyOnlyUnrelated(t *testing.T) {
	lost := &LostError{Op: "create", Write: true}
	cases := []struct {
		name   string
		others [][]string // paths held by the other lines in flight
		mine   []string
		err    error
		want   bool
	}{
		{"alone", nil, []string{"/a/b"}, lost, true},
		{"siblings", [][]string{{"/a/c"}, {"/a/d"}}, []string{"/a/b"}, lost, true},
		{"same path", [][]string{{"/a/b"}}, []string{"/a/b"}, lost, false},
		{"ancestor in flight", [][]string{{"/a"}}, []string{"/a/b"}, lost, false},
		{"descendant in flight", [][]string{{"/a/b/c"}}, []string{"/a/b"}, lost, false},
		{"root in flight", [][]string{{"/"}}, []string{"/a"}, lost, false},
		{"prefix is not an ancestor", [][]string{{"/a/bc"}}, []string{"/a/b"}, lost, true},
		{"sibling of a sequential create", [][]string{{"/a/c"}}, []string{"/a/q-", "/a"}, lost, false},
		{"a sequential create beside it", [][]string{{"/a/q-", "/a"}}, []string{"/a/b"}, lost, false},
		{"never sent", [][]string{{"/x"}}, []string{"/a/b"}, ErrNotSent, true},
		{"another error", nil, []string{"/a/b"}, errors.New("NoNode"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := NewTurns()
			for _, o := range tc.others {
				defer ts.Next().hold(o...)()
			}
			me := ts.Next()
			defer me.hold(tc.mine...)()
			done, ok := (&Session{events: newEventQueue()}).serially(me, tc.err, tc.mine...)
			if ok != tc.want {
				t.Fatalf("serially = %v, want %v", ok, tc.want)
			}
			if !ok {
				return
			}
			// New lines wait while it is finished.
			held := make(chan struct{})
			go func() { ts.Next().hold("/z")(); close(held) }()
			time.Sleep(50 * time.Millisecond)
			select {
			case <-held:
				t.Fatal("a new line went out while a lost one was being finished")
			default:
			}
			done()
			<-held
		})
	}
}
