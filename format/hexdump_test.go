package format

import (
	"os"
	"path/filepath"
	"testing"
)

// The goldens were produced by Netty 4.1's ByteBufUtil.prettyHexDump (what
// zkCli's `get -x` prints) from the .bin files next to them.
func TestHexDumpMatchesNetty(t *testing.T) {
	for _, name := range []string{"a", "all", "n"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "hexdump", name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "testdata", "hexdump", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if got := HexDump(data); got != string(want) {
			t.Errorf("%s: got\n%s\nwant\n%s", name, got, want)
		}
	}
	if got := HexDump(nil); got != "" {
		t.Errorf("empty data: got %q, want \"\"", got)
	}
}
