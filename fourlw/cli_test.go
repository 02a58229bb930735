package fourlw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkc-cli/zkc/app"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/fourlw"
	"github.com/zkc-cli/zkc/zkharness"
)

// These tests run `zkc ... 4lw ...` in process (app.Main, as cmd/zkc does)
// against real servers from the pool.

type result struct {
	out, err string
	code     int
}

func zkc(args ...string) result {
	var out, errb bytes.Buffer
	code := app.Main(args, app.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb,
		Getenv: func(string) string { return "" }})
	return result{out.String(), errb.String(), code}
}

// deadAddr is a loopback port nobody listens on.
func deadAddr(t *testing.T) string {
	p, err := zkharness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return "127.0.0.1:" + strconv.Itoa(p)
}

type jsonDoc struct {
	Word    string `json:"word"`
	Servers []struct {
		Server string         `json:"server"`
		Status string         `json:"status"`
		Error  string         `json:"error"`
		Result map[string]any `json:"result"`
	} `json:"servers"`
	Summary []map[string]any `json:"summary"`
}

func decode(t *testing.T, s string) jsonDoc {
	t.Helper()
	var d jsonDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatalf("bad JSON %q: %v", s, err)
	}
	return d
}

func TestRuokLiveAndDead(t *testing.T) {
	live := standalone(t).Addr()
	dead := deadAddr(t)

	r := zkc("-server", live, "4lw", "ruok")
	if r.code != 0 || r.out != "imok" || r.err != "" {
		t.Errorf("live: %+v", r)
	}
	r = zkc("-server", dead, "4lw", "ruok")
	if r.code != commands.ExitConnection || r.out != "" || r.err != dead+": down (connection refused)\n" {
		t.Errorf("dead: %+v", r)
	}
	r = zkc("-server", live+","+dead, "4lw", "ruok")
	if r.code != commands.ExitConnection || r.out != "==> "+live+" <==\nimok\n" || !strings.Contains(r.err, dead+": down") || strings.Contains(r.err, live) {
		t.Errorf("live+dead: %+v", r)
	}
	r = zkc("-server", live+","+dead, "-o", "json", "4lw", "ruok")
	d := decode(t, r.out)
	if r.code != commands.ExitConnection || len(d.Servers) != 2 || d.Servers[0].Status != "ok" || d.Servers[0].Result["ok"] != true ||
		d.Servers[1].Status != "down" || d.Servers[1].Error != "connection refused" {
		t.Errorf("json: %+v %s", r, r.out)
	}
}

func TestSrvrEnsembleOneLeader(t *testing.T) {
	e := ensemble(t)
	r := zkc("-server", e.ConnectString(), "4lw", "--summary", "srvr")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	modes := map[string]int{}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	for _, l := range lines[1:] {
		modes[strings.Fields(l)[1]]++
	}
	if len(lines) != 4 || modes["leader"] != 1 || modes["follower"] != 2 || !strings.HasPrefix(lines[0], "SERVER  ") {
		t.Errorf("summary:\n%s", r.out)
	}
	// The raw answers, one under each header.
	r = zkc("-server", e.ConnectString(), "4lw", "srvr")
	if r.code != 0 || strings.Count(r.out, "Mode: leader\n") != 1 || strings.Count(r.out, "Mode: follower\n") != 2 ||
		!strings.HasPrefix(r.out, "==> "+e.Servers[0].Addr()+" <==\nZookeeper version: ") {
		t.Errorf("raw:\n%s", r.out)
	}
}

func TestMntrJSONThreeServers(t *testing.T) {
	e := ensemble(t)
	r := zkc("-server", e.ConnectString(), "-o", "json", "4lw", "mntr")
	d := decode(t, r.out)
	if r.code != 0 || d.Word != "mntr" || len(d.Servers) != 3 {
		t.Fatalf("%+v", r)
	}
	states := map[any]int{}
	for i, s := range d.Servers {
		if s.Server != e.Servers[i].Addr() || s.Status != "ok" {
			t.Errorf("server %d: %+v", i, s)
		}
		states[s.Result["zk_server_state"]]++
		if _, ok := s.Result["zk_znode_count"].(float64); !ok {
			t.Errorf("zk_znode_count is %T, want a number", s.Result["zk_znode_count"])
		}
	}
	if states["leader"] != 1 || states["follower"] != 2 {
		t.Errorf("states %v", states)
	}
	r = zkc("-server", e.ConnectString(), "-o", "json", "4lw", "--summary", "srvr")
	if d := decode(t, r.out); len(d.Summary) != 3 || d.Summary[0]["zxid_hex"] == "" {
		t.Errorf("json summary %s", r.out)
	}
}

func TestWhitelistRefusal(t *testing.T) {
	s := onlyRuok(t).Addr()
	r := zkc("-server", s, "4lw", "mntr")
	want := s + ": refused mntr: not in its whitelist; enable it in zoo.cfg with 4lw.commands.whitelist=mntr"
	if r.code != commands.ExitError || r.out != "" || !strings.HasPrefix(r.err, want) {
		t.Errorf("mntr: %+v", r)
	}
	if r := zkc("-server", s, "4lw", "ruok"); r.code != 0 || r.out != "imok" {
		t.Errorf("ruok: %+v", r)
	}
	r = zkc("-server", s, "-o", "json", "4lw", "conf")
	if d := decode(t, r.out); r.code != commands.ExitError || d.Servers[0].Status != "not-whitelisted" {
		t.Errorf("json: %+v", r)
	}
}

// A member killed makes ruok fail naming it; with the leader gone too, the
// last member is up but not serving. Its own ensemble: the others stay intact.
func TestEnsembleMemberDown(t *testing.T) {
	e := pool.Ensemble(t, "4lw-kill", zkharness.Config{})
	leader := e.Leader()
	if leader == nil {
		t.Fatal("no leader")
	}
	var followers []*zkharness.Server
	for _, s := range e.Servers {
		if s != leader {
			followers = append(followers, s)
		}
	}
	victim, last := followers[0], followers[1]
	victim.Stop()
	r := zkc("-server", e.ConnectString(), "4lw", "ruok")
	if r.code != commands.ExitConnection || r.err != victim.Addr()+": down (connection refused)\n" || strings.Count(r.out, "imok") != 2 {
		t.Errorf("ruok: %+v", r)
	}
	r = zkc("-server", e.ConnectString(), "4lw", "--summary", "srvr")
	if r.code != commands.ExitConnection || !strings.Contains(r.out, victim.Addr()+"  down ") || !strings.Contains(r.out, " leader ") {
		t.Errorf("summary: %+v", r)
	}
	leader.Stop()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r = zkc("-server", last.Addr(), "4lw", "srvr")
		if strings.Contains(r.err, "not serving") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.code != commands.ExitConnection || r.err != last.Addr()+": not serving requests (up, but without a quorum or still starting)\n" {
		t.Errorf("alone: %+v", r)
	}
}

func TestAdminServer(t *testing.T) {
	s, url := adminServer(t)
	r := zkc("-server", url, "4lw", "srvr")
	if r.code != 0 || !strings.Contains(r.out, `"server_state" : "standalone"`) {
		t.Errorf("raw: %+v", r)
	}
	r = zkc("-server", url, "-o", "json", "4lw", "mntr")
	d := decode(t, r.out)
	if r.code != 0 || d.Servers[0].Result["zk_server_state"] != "standalone" || d.Servers[0].Server != url {
		t.Errorf("json mntr: %+v", r)
	}
	// --admin asks the AdminServer of a client address; mixed with plain 4lw.
	port := strings.TrimPrefix(url, "http://127.0.0.1:")
	r = zkc("-server", s.Addr(), "-o", "json", "4lw", "--admin", "--admin-port", port, "srvr")
	if d := decode(t, r.out); r.code != 0 || d.Servers[0].Result["mode"] != "standalone" {
		t.Errorf("--admin: %+v", r)
	}
	r = zkc("-server", url+","+standalone(t).Addr(), "4lw", "--summary", "srvr")
	if r.code != 0 || strings.Count(r.out, " standalone ") != 2 {
		t.Errorf("mixed summary: %+v", r)
	}
	if r := zkc("-server", url, "4lw", "ruok"); r.code != 0 {
		t.Errorf("admin ruok: %+v", r)
	}
	if r := zkc("-server", "http://"+deadAddr(t), "4lw", "ruok"); r.code != commands.ExitConnection || !strings.Contains(r.err, "down (connection refused)") {
		t.Errorf("admin dead: %+v", r)
	}
}

// listener accepts connections and counts them; it never answers.
func listener(t *testing.T) (string, *atomic.Int32) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String(), &n
}

func TestUsageSendsNothing(t *testing.T) {
	addr, n := listener(t)
	for _, args := range [][]string{
		{"4lw", "xyzw"}, {"4lw"}, {"4lw", "stmk"}, {"4lw", "stmk", "abc"}, {"4lw", "ruok", "extra"},
		{"4lw", "--summary", "ruok"}, {"4lw", "--timeout", "soon", "ruok"}, {"4lw", "--watch", "-1", "srvr"},
	} {
		r := zkc(append([]string{"-server", addr}, args...)...)
		if r.code != commands.ExitUsage || r.out != "" || r.err == "" {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if r := zkc("-server", "a:1,,b", "4lw", "ruok"); r.code != commands.ExitUsage {
		t.Errorf("bad connect string: %+v", r)
	}
	time.Sleep(50 * time.Millisecond)
	if n.Load() != 0 {
		t.Errorf("%d connections made by refused invocations", n.Load())
	}
}

func TestTimeout(t *testing.T) {
	addr, n := listener(t)
	live := standalone(t).Addr()
	r := zkc("-server", addr+","+live, "4lw", "--timeout", "300ms", "ruok")
	if r.code != commands.ExitConnection || r.err != addr+": timed out\n" || !strings.Contains(r.out, "imok") || n.Load() != 1 {
		t.Errorf("%+v", r)
	}
}

// roundWriter counts the watch loop's writes (one per round) and cancels
// after the second.
type roundWriter struct {
	buf    bytes.Buffer
	rounds int
	done   func()
}

func (w *roundWriter) Write(p []byte) (int, error) {
	w.rounds++
	if w.rounds == 2 {
		w.done()
	}
	return w.buf.Write(p)
}

func TestWatchRepeatsUntilCancelled(t *testing.T) {
	e := ensemble(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := &roundWriter{done: cancel}
	var errb bytes.Buffer
	dead := deadAddr(t)
	env := &commands.Env{Out: out, Err: &errb, Output: "text", Colors: commands.PlainPalette(), Server: e.ConnectString() + "," + dead}
	err := commands.ExecuteLine(ctx, env, []string{"4lw", "--interval", "0.1", "--summary", "srvr"})
	// Each round names the dead server on stderr; the exit code is the last round's.
	if commands.ExitCode(err) != commands.ExitConnection || strings.Count(errb.String(), dead+": down") != 2 || out.rounds != 2 || strings.Count(out.buf.String(), "SERVER  ") != 2 || strings.Count(out.buf.String(), " leader ") != 2 {
		t.Errorf("err %v, %d rounds:\n%s\n%s", err, out.rounds, out.buf.String(), errb.String())
	}
}

// Every word answers on a server that allows them all, and its JSON parses.
func TestEveryWord(t *testing.T) {
	s := standalone(t).Addr()
	for _, w := range fourlw.Names() {
		args := []string{w}
		if w == "stmk" {
			args = append(args, "306") // the default mask: the server is shared
		}
		r := zkc(append([]string{"-server", s, "4lw"}, args...)...)
		if r.code != 0 || r.err != "" || (r.out == "" && w != "hash") {
			t.Errorf("%s: %+v", w, r)
		}
		r = zkc(append([]string{"-server", s, "-o", "json", "4lw"}, args...)...)
		var d struct {
			Servers []map[string]any `json:"servers"`
		}
		if err := json.Unmarshal([]byte(r.out), &d); err != nil || r.code != 0 || len(d.Servers) != 1 ||
			d.Servers[0]["status"] != "ok" || d.Servers[0]["parse_error"] != nil || d.Servers[0]["result"] == nil {
			t.Errorf("%s json: %+v", w, r)
		}
	}
	if r := zkc("-server", s, "4lw", "stmk", "0x132"); r.out != "306" {
		t.Errorf("stmk 0x132 answered %q, want 306", r.out)
	}
}
