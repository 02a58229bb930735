package walk

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkWalk compares walk settings on a 20,000-node tree (100 children
// per parent) on the package's test server: plain pipelined getChildren at
// several in-flight limits against multiRead batches. `make bench` runs it;
// the numbers behind DefaultInFlight, DefaultBatch and Default*InFlight are in the
// README (Performance).
func BenchmarkWalk(b *testing.B) {
	s := testSession(b)
	root := "/walk-bench"
	paths := []string{root}
	for parent := 0; len(paths) < 20000; parent++ {
		for i := 0; i < 100 && len(paths) < 20000; i++ {
			paths = append(paths, fmt.Sprintf("%s/n%03d", paths[parent], i))
		}
	}
	if ok, _, err := s.Exists(context.Background(), root, false); err != nil {
		b.Fatal(err)
	} else if !ok {
		mkTree(b, s, paths)
	}
	cases := []struct {
		name string
		o    Options
	}{
		{"plain/inflight=64", Options{Batch: 1, InFlight: 64}},
		{"plain/inflight=128", Options{Batch: 1, InFlight: 128}},
		{"plain/inflight=256", Options{Batch: 1, InFlight: 256}},
		{"multiRead/batch=8,inflight=16", Options{Batch: 8, InFlight: 16}},
		{"multiRead/batch=32,inflight=16", Options{Batch: 32, InFlight: 16}},
		{"multiRead/batch=64,inflight=16", Options{Batch: 64, InFlight: 16}},
		{"multiRead/batch=128,inflight=4", Options{Batch: 128, InFlight: 4}},
		{"multiRead/batch=128,inflight=8", Options{Batch: 128, InFlight: 8}},
		{"multiRead/batch=128,inflight=16", Options{Batch: 128, InFlight: 16}},
		{"multiRead/batch=256,inflight=8", Options{Batch: 256, InFlight: 8}},
		{"multiRead/batch=512,inflight=8", Options{Batch: 512, InFlight: 8}},
		{"multiRead/batch=1024,inflight=4", Options{Batch: 1024, InFlight: 4}},
		{"multiRead/batch=1024,inflight=16", Options{Batch: 1024, InFlight: 16}},
		{"multiRead/batch=128,inflight=8,lookahead=4096", Options{Batch: 128, InFlight: 8, Lookahead: 4096}},
		{"multiRead/batch=128,inflight=8,lookahead=65536", Options{Batch: 128, InFlight: 8, Lookahead: 65536}},
		{"default", Options{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				n := 0
				err := Walk(context.Background(), s, root, c.o, func(_ string, kids []string) error {
					n++
					return nil
				})
				if err != nil || n != len(paths) {
					b.Fatalf("walk: %v, %d nodes of %d", err, n, len(paths))
				}
			}
			b.ReportMetric(float64(len(paths))*float64(b.N)/b.Elapsed().Seconds(), "nodes/s")
		})
	}
}
