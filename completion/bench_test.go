package completion

import (
	"context"
	"fmt"
	"testing"

	"github.com/zkc-cli/zkc/commands"
)

// BenchmarkCompletePath is the lookup done on every keystroke in the shell:
// a path under a parent with 1,000 children, served from a warm cache.
func BenchmarkCompletePath(b *testing.B) {
	kids := make([]string, 1000)
	for i := range kids {
		kids[i] = fmt.Sprintf("node-%04d", i)
	}
	cache := NewCache(func(context.Context, string) ([]string, error) { return kids, nil })
	e := &Engine{Mode: commands.ModeShell, Children: cache.Children}
	ctx := context.Background()
	line := "get -s /app/node-09"
	e.Complete(ctx, line, len(line)) // warm the cache
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, out := e.Complete(ctx, line, len(line)); len(out) != 100 {
			b.Fatalf("%d suggestions, want 100", len(out))
		}
	}
}

// BenchmarkCompleteCommand completes a command name with descriptions.
func BenchmarkCompleteCommand(b *testing.B) {
	e := &Engine{Mode: commands.ModeShell}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		e.Complete(ctx, "get", 3)
	}
}
