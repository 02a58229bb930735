package completion

import (
	"context"
	"testing"
	"time"
)

// A slow server never stalls typing: the lookup gives up after Wait and
// answers with the last known list; the fetch lands for the next lookup.
func TestCacheStaleRatherThanHang(t *testing.T) {
	answer := make(chan []string, 10)
	fetched := make(chan struct{}, 10)
	c := NewCache(func(ctx context.Context, p string) ([]string, error) {
		defer func() { fetched <- struct{}{} }()
		select {
		case kids := <-answer:
			return kids, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	c.Wait = 20 * time.Millisecond

	answer <- []string{"a"}
	if got := c.Children(context.Background(), "/"); len(got) != 1 || got[0] != "a" {
		t.Fatalf("first lookup = %v, want [a]", got)
	}
	<-fetched

	// Fresh entries are served without fetching.
	if got := c.Children(context.Background(), "/"); len(got) != 1 {
		t.Fatalf("cached lookup = %v", got)
	}

	// Invalidated, and the server does not answer: the stale list comes back.
	c.Invalidate("/")
	start := time.Now()
	if got := c.Children(context.Background(), "/"); len(got) != 1 || got[0] != "a" {
		t.Fatalf("stale lookup = %v, want [a]", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("lookup blocked for %v", d)
	}
	answer <- []string{"a", "b"} // the late answer lands in the cache
	<-fetched
	c.Wait = time.Minute // the fetch has returned: only its store remains
	if got := c.Children(context.Background(), "/"); len(got) != 2 {
		t.Fatalf("after the late answer = %v, want [a b]", got)
	}
}
