package completion

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

// FetchFunc reads a znode's children from ZooKeeper.
type FetchFunc func(ctx context.Context, path string) ([]string, error)

// Cache keeps children lists for completion. A lookup never waits longer
// than Wait: when the server is slow it returns the last known (stale)
// answer, and the fetch finishes in the background for the next keystroke.
// Entries are invalidated by child events, session changes and zkc's own
// writes (Invalidate), and are re-read once older than MaxAge so that nodes
// created by other clients appear.
type Cache struct {
	fetch  FetchFunc
	Wait   time.Duration // longest a lookup blocks (default 250ms)
	MaxAge time.Duration // entries older than this are refreshed (default 2s)
	// FetchTimeout bounds a background fetch (default 5s).
	FetchTimeout time.Duration
	now          func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	gen     uint64 // bumped by InvalidateAll, so late fetches do not resurrect
}

type entry struct {
	kids     []string
	at       time.Time
	valid    bool          // false once invalidated (kids are then stale)
	fetching chan struct{} // closed when the running fetch ends
}

// maxEntries bounds the cache; past it the cache starts afresh.
const maxEntries = 2000

// NewCache makes a cache over fetch.
func NewCache(fetch FetchFunc) *Cache {
	return &Cache{fetch: fetch, Wait: 250 * time.Millisecond, MaxAge: 2 * time.Second,
		FetchTimeout: 5 * time.Second, now: time.Now, entries: map[string]*entry{}}
}

// Children returns p's children, from the cache when fresh; otherwise it
// fetches and waits at most Wait (or until ctx ends) before falling back to
// the stale list (nil when there is none).
func (c *Cache) Children(ctx context.Context, p string) []string {
	c.mu.Lock()
	e := c.entries[p]
	if e != nil && e.valid && c.now().Sub(e.at) < c.MaxAge {
		kids := e.kids
		c.mu.Unlock()
		return kids
	}
	if e == nil {
		if len(c.entries) >= maxEntries {
			c.entries = map[string]*entry{}
		}
		e = &entry{}
		c.entries[p] = e
	}
	if e.fetching == nil {
		e.fetching = make(chan struct{})
		go c.refresh(p, e, c.gen)
	}
	done := e.fetching
	c.mu.Unlock()

	timer := time.NewTimer(c.Wait)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.kids
}

func (c *Cache) refresh(p string, e *entry, gen uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), c.FetchTimeout)
	defer cancel()
	kids, err := c.fetch(ctx, p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil && gen == c.gen {
		e.kids, e.at, e.valid = kids, c.now(), true
	} else if err != nil && isNoNode(err) && gen == c.gen {
		e.kids, e.at, e.valid = nil, c.now(), true
	}
	close(e.fetching)
	e.fetching = nil
}

// Invalidate marks p's children stale (a child event on p, or zkc created
// or deleted something under it).
func (c *Cache) Invalidate(p string) {
	c.mu.Lock()
	if e := c.entries[p]; e != nil {
		e.valid = false
	}
	c.mu.Unlock()
}

// InvalidateAll marks everything stale (a session change, or after any
// command line, which may have written anywhere).
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	c.gen++
	for _, e := range c.entries {
		e.valid = false
	}
	c.mu.Unlock()
}

// isNoNode: a missing parent simply has no children to offer.
func isNoNode(err error) bool { return errors.Is(err, zk.ErrNoNode) }
