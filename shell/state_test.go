package shell

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/commands"
)

// TestHistoryBounded: a long script keeps at most twice the history limits
// in memory, numbers lines as zkCli does, and redo of a dropped line is out
// of range rather than a crash.
func TestHistoryBounded(t *testing.T) {
	cases := []struct {
		name     string
		lines    int
		size     int
		maxLines int
		maxBytes int
	}{
		{"many short lines", 10000, 10, 2 * historyKeep, 2 * historyKeepBytes},
		{"few long lines", 40, 1 << 20, 2 * historyKeep, 2*historyKeepBytes + 1<<20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newState(&commands.Env{})
			for i := 0; i < tc.lines; i++ {
				s.record(fmt.Sprintf("%08d", i) + strings.Repeat("x", tc.size))
				if len(s.hist) > tc.maxLines || s.histBytes > tc.maxBytes {
					t.Fatalf("after %d lines: %d kept, %d bytes", i+1, len(s.hist), s.histBytes)
				}
			}
			if s.count() != tc.lines {
				t.Fatalf("count %d, want %d", s.count(), tc.lines)
			}
			h := s.History()
			last := h[len(h)-1]
			if last.N != tc.lines-1 || !strings.HasPrefix(last.Line, fmt.Sprintf("%08d", tc.lines-1)) {
				t.Fatalf("last entry %d %.20q", last.N, last.Line)
			}
			s.record("redo 0")
			if err := s.Redo(context.Background(), 0); err == nil || !strings.Contains(err.Error(), "out of range") {
				t.Fatalf("redo of a dropped line: %v", err)
			}
		})
	}
}
