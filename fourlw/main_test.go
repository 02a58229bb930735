package fourlw_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

var pool zkharness.Pool

func TestMain(m *testing.M) { os.Exit(zkharness.Main(m, &pool)) }

// Servers shared by this package's tests. Keys are this package's own.
func standalone(t testing.TB) *zkharness.Server {
	return pool.Standalone(t, "4lw", zkharness.Config{})
}

// onlyRuok is a server whose whitelist allows ruok alone (srvr is always allowed).
func onlyRuok(t testing.TB) *zkharness.Server {
	return pool.Standalone(t, "4lw-ruok-only", zkharness.Config{Extra: map[string]string{"4lw.commands.whitelist": "ruok"}})
}

// adminServer runs the AdminServer on a free loopback port; it returns the
// server and its http:// address.
func adminServer(t testing.TB) (*zkharness.Server, string) {
	port := adminPort(t)
	s := pool.Standalone(t, "4lw-admin", zkharness.Config{Extra: map[string]string{
		"admin.enableServer":  "true",
		"admin.serverAddress": "127.0.0.1",
		"admin.serverPort":    strconv.Itoa(port),
	}})
	return s, "http://127.0.0.1:" + readAdminPort(t, s)
}

// ensemble is a 3-node ensemble no test disturbs.
func ensemble(t testing.TB) *zkharness.Ensemble {
	return pool.Ensemble(t, "4lw", zkharness.Config{})
}

func adminPort(t testing.TB) int {
	p, err := zkharness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readAdminPort reads admin.serverPort back from the server's zoo.cfg (the
// pool starts the server once; later calls get the first port).
func readAdminPort(t testing.TB, s *zkharness.Server) string {
	b, err := os.ReadFile(filepath.Join(s.Dir, "zoo.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "admin.serverPort="); ok {
			return v
		}
	}
	t.Fatal("no admin.serverPort in zoo.cfg")
	return ""
}
