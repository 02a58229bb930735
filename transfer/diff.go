package transfer

import (
	"bytes"
	"context"
	"io"
	"strings"
	"unicode/utf8"
)

// Next yields nodes in `ls -R` order; io.EOF ends the stream.
type Next func() (*Node, error)

// Pull turns ReadTree's push into a Next, reading ahead on a goroutine of
// its own (bounded by the channel). stop ends it early; it must be called.
func Pull(ctx context.Context, read func(ctx context.Context, emit func(*Node) error) error) (next Next, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan *Node, 256)
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		defer close(ch)
		err = read(ctx, func(n *Node) error {
			select {
			case ch <- n:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	next = func() (*Node, error) {
		n, ok := <-ch
		if ok {
			return n, nil
		}
		<-done
		if err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	stop = func() {
		cancel()
		for range ch {
		}
		<-done
	}
	return next, stop
}

// DiffOptions say what counts as a difference.
type DiffOptions struct {
	DataOnly bool // data only: not the ACL nor the type
	NoACL    bool // not the ACL
	// Ephemeral compares ephemeral nodes too. They are left out by
	// default: they belong to sessions, so two ensembles (or an ensemble
	// and its export) never agree on them, and import never copies them.
	Ephemeral bool
}

// skipEphemeral filters ephemeral nodes out of a stream.
func skipEphemeral(next Next) Next {
	return func() (*Node, error) {
		for {
			n, err := next()
			if err != nil || !n.Ephemeral() {
				return n, err
			}
		}
	}
}

// Change is one difference between trees A and B.
type Change struct {
	Path string // relative to both roots
	Kind byte   // '+' only in B, '-' only in A, '~' in both and different, '!' unreadable
	What []string
	A, B *Node
}

// Diff merges two streams in `ls -R` order and reports each difference in
// that order; it holds one node of each side at a time.
func Diff(ctx context.Context, a, b Next, o DiffOptions, report func(Change) error) error {
	if !o.Ephemeral {
		a, b = skipEphemeral(a), skipEphemeral(b)
	}
	na, err := a()
	if err != nil && !isEOF(err) {
		return err
	}
	nb, err := b()
	if err != nil && !isEOF(err) {
		return err
	}
	for na != nil || nb != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		var c int
		switch {
		case na == nil:
			c = 1
		case nb == nil:
			c = -1
		default:
			c = Compare(na.Path, nb.Path)
		}
		var ch *Change
		switch {
		case c < 0:
			ch = &Change{Path: na.Path, Kind: '-', A: na}
		case c > 0:
			ch = &Change{Path: nb.Path, Kind: '+', B: nb}
		default:
			if na.Error != "" || nb.Error != "" {
				ch = &Change{Path: na.Path, Kind: '!', A: na, B: nb}
			} else if what := compareNodes(na, nb, o); len(what) > 0 {
				ch = &Change{Path: na.Path, Kind: '~', What: what, A: na, B: nb}
			}
		}
		if ch != nil {
			if err := report(*ch); err != nil {
				return err
			}
		}
		if c <= 0 {
			if na, err = a(); err != nil && !isEOF(err) {
				return err
			}
		}
		if c >= 0 {
			if nb, err = b(); err != nil && !isEOF(err) {
				return err
			}
		}
	}
	return nil
}

func compareNodes(a, b *Node, o DiffOptions) []string {
	var what []string
	if !bytes.Equal(a.data, b.data) || (a.data == nil) != (b.data == nil) {
		what = append(what, "data")
	}
	// A side without ACLs (exported with --no-acl) has nothing to compare:
	// a real node always has at least one entry.
	if !o.DataOnly && !o.NoACL && a.ACL != nil && b.ACL != nil && !sameEntries(a.ACL, b.ACL) {
		what = append(what, "acl")
	}
	if !o.DataOnly && a.Type != b.Type {
		what = append(what, "type")
	}
	return what
}

func sameEntries(a, b []ACLEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Scheme != b[i].Scheme || a[i].ID != b[i].ID || a[i].Perms != b[i].Perms {
			return false
		}
	}
	return true
}

// maxTextDiff bounds the line diff of -v: longer data is summarised.
const maxTextDiff = 2000

// TextDiff returns the line difference of two text values ("-old", "+new"
// lines, common lines left out), or ok false when either is not text or
// they are too long to compare line by line.
func TextDiff(a, b []byte) (lines []string, ok bool) {
	if !utf8.Valid(a) || !utf8.Valid(b) {
		return nil, false
	}
	la, lb := splitLines(a), splitLines(b)
	if len(la) > maxTextDiff || len(lb) > maxTextDiff {
		return nil, false
	}
	// Longest common subsequence, then walk it.
	n, m := len(la), len(lb)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && la[i] == lb[j]:
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, "-"+la[i])
			i++
		default:
			lines = append(lines, "+"+lb[j])
			j++
		}
	}
	return lines, true
}

func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
