package session

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseConnectString: any string parses or fails without panicking; a
// parsed target has hosts with valid ports and a clean chroot, and parsing
// its canonical form gives the same target.
func FuzzParseConnectString(f *testing.F) {
	for _, s := range []string{
		"localhost:2181", "a:1,b:2,c:3/app", "[::1]:2181/x/y", "h", "h:0", "h:65536", ",,", "/chroot", "h:1/",
		"h:1/a//b", "[::1:2181", " h : 1 ", "h:1/zookeeper/quota", "h:+1", "h:0x10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseConnectString(s)
		if err != nil {
			return
		}
		if len(tg.Hosts) == 0 {
			t.Fatalf("ParseConnectString(%q): no hosts and no error", s)
		}
		for _, h := range tg.Hosts {
			host, port, err := net.SplitHostPort(h)
			if err != nil || host == "" {
				t.Fatalf("ParseConnectString(%q): bad host %q", s, h)
			}
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				t.Fatalf("ParseConnectString(%q): bad port in %q", s, h)
			}
		}
		if tg.Chroot != "" && (!strings.HasPrefix(tg.Chroot, "/") || strings.HasSuffix(tg.Chroot, "/")) {
			t.Fatalf("ParseConnectString(%q): chroot %q", s, tg.Chroot)
		}
		again, err := ParseConnectString(tg.HostList() + tg.Chroot)
		if err != nil || again.HostList() != tg.HostList() || again.Chroot != tg.Chroot {
			t.Fatalf("ParseConnectString(%q) = %+v, but its canonical form gives %+v, %v", s, tg, again, err)
		}
	})
}
