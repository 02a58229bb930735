package zkharness

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
)

// BuildTree creates paths with create (each parent before its children,
// up to 64 at a time): test trees of thousands of nodes in seconds.
func BuildTree(t testing.TB, paths []string, create func(path string) error) {
	t.Helper()
	byDepth := map[int][]string{}
	for _, p := range paths {
		d := strings.Count(p, "/")
		byDepth[d] = append(byDepth[d], p)
	}
	depths := make([]int, 0, len(byDepth))
	for d := range byDepth {
		depths = append(depths, d)
	}
	sort.Ints(depths)
	for _, d := range depths {
		var wg sync.WaitGroup
		errs := make(chan error, len(byDepth[d]))
		sem := make(chan struct{}, 64)
		for _, p := range byDepth[d] {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if err := create(p); err != nil {
					errs <- fmt.Errorf("create %s: %w", p, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
}
