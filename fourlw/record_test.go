package fourlw_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/fourlw"
)

// TestRecord records real answers into testdata/4lw/ for the parser and fuzz
// tests. It runs only with RECORD_4LW=1: the recordings are committed.
func TestRecord(t *testing.T) {
	if os.Getenv("RECORD_4LW") != "1" {
		t.Skip("set RECORD_4LW=1 to re-record testdata/4lw")
	}
	dir := filepath.Join("..", "testdata", "4lw")
	save := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	opts := fourlw.Options{Timeout: 5 * time.Second}
	ask := func(addr, word string) fourlw.Answer {
		w, _ := fourlw.Lookup(word)
		return fourlw.Ask(ctx, fourlw.Endpoint{Addr: addr}, w, opts)
	}

	// A session with watches and an ephemeral, so cons/wchc/wchp/dump say something.
	s := standalone(t)
	c, _, err := zk.Connect([]string{s.Addr()}, 10*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range []string{"/rec", "/rec/a"} {
		if _, err := c.Create(p, []byte("x"), 0, zk.WorldACL(zk.PermAll)); err != nil && err != zk.ErrNodeExists {
			t.Fatal(err)
		}
	}
	if _, err := c.Create("/rec/eph", nil, zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil && err != zk.ErrNodeExists {
		t.Fatal(err)
	}
	_, _, _, _ = c.GetW("/rec")
	_, _, _, _ = c.ChildrenW("/rec")
	_, _, _, _ = c.GetW("/rec/a")
	for _, w := range fourlw.Names() {
		if w == "stmk" || w == "crst" || w == "srst" {
			continue
		}
		save("standalone."+w, ask(s.Addr(), w).Raw)
	}
	save("standalone.crst", ask(s.Addr(), "crst").Raw)
	save("standalone.srst", ask(s.Addr(), "srst").Raw)

	e := ensemble(t)
	for _, srv := range e.Servers {
		mode := srv.Mode()
		for _, w := range []string{"srvr", "stat", "mntr", "conf"} {
			save(mode+"."+w, ask(srv.Addr(), w).Raw)
		}
	}
	save("whitelist.mntr", ask(onlyRuok(t).Addr(), "mntr").Raw)

	_, url := adminServer(t)
	for _, w := range []string{"srvr", "stat", "mntr", "ruok", "isro", "conf", "wchs"} {
		word, _ := fourlw.Lookup(w)
		ep, err := fourlw.ParseServers(url, false, 8080)
		if err != nil {
			t.Fatal(err)
		}
		a := fourlw.Ask(ctx, ep[0], word, opts)
		if !a.OK() {
			t.Fatalf("admin %s: %s %s", w, a.Status, a.Detail)
		}
		save("admin."+w+".json", a.Raw)
	}
}
