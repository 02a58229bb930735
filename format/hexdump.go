package format

import (
	"fmt"
	"strings"
)

// The hex dump zkCli 3.8.5+/3.9.3+ prints for `get -x` (ZOOKEEPER-4850): it is
// Netty's ByteBufUtil.prettyHexDump, a boxed table of 16 bytes per row with an
// ASCII column. The lines are joined by newlines with none after the last
// border; empty data gives the empty string.
const (
	hexHead = "         +-------------------------------------------------+\n" +
		"         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |\n" +
		"+--------+-------------------------------------------------+----------------+"
	hexFoot = "\n+--------+-------------------------------------------------+----------------+"
)

// HexDump renders data as zkCli's `get -x` does (without the final newline).
func HexDump(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	var b strings.Builder
	rows := (len(data) + 15) / 16
	b.Grow(len(hexHead) + len(hexFoot) + rows*80)
	b.WriteString(hexHead)
	for start := 0; start < len(data); start += 16 {
		end := start + 16
		if end > len(data) {
			end = len(data)
		}
		row := data[start:end]
		// Netty prints the offset as 8 hex digits of its low 32 bits.
		fmt.Fprintf(&b, "\n|%08x|", uint32(start))
		for _, c := range row {
			fmt.Fprintf(&b, " %02x", c)
		}
		b.WriteString(strings.Repeat("   ", 16-len(row)))
		b.WriteString(" |")
		for _, c := range row {
			if c > 0x1f && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteString(strings.Repeat(" ", 16-len(row)))
		b.WriteByte('|')
	}
	b.WriteString(hexFoot)
	return b.String()
}
