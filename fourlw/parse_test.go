package fourlw_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zkc-cli/zkc/fourlw"
)

// recording reads a real answer recorded by TestRecord.
func recording(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "4lw", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseSrvr(t *testing.T) {
	cases := []struct {
		file                  string
		mode                  string
		zxid, nodes, conns    int64
		clients               int
		proposals, hasVersion bool
		latencyAvg            float64
	}{
		{"leader.srvr", "leader", 0x100000000, 5, 1, -1, true, true, 0},
		{"follower.srvr", "follower", -1, 5, 1, -1, false, true, 0},
		{"standalone.srvr", "standalone", 4, 8, 2, -1, false, true, -1},
		{"standalone.stat", "standalone", 4, 8, 2, 2, false, true, 2.1429},
		{"follower.stat", "follower", -1, 5, 1, 1, false, true, 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			s, err := fourlw.ParseSrvr(recording(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.Mode != c.mode || s.NodeCount != c.nodes || s.Connections != c.conns {
				t.Errorf("got mode %q nodes %d conns %d, want %q %d %d", s.Mode, s.NodeCount, s.Connections, c.mode, c.nodes, c.conns)
			}
			if c.zxid >= 0 && s.Zxid != c.zxid {
				t.Errorf("zxid %#x, want %#x", s.Zxid, c.zxid)
			}
			if !strings.HasPrefix(s.ZxidHex, "0x") {
				t.Errorf("zxid_hex %q", s.ZxidHex)
			}
			if (s.ProposalSizes != nil) != c.proposals {
				t.Errorf("proposal sizes %v, want present=%v", s.ProposalSizes, c.proposals)
			}
			if c.clients >= 0 && len(s.Clients) != c.clients {
				t.Errorf("%d clients, want %d", len(s.Clients), c.clients)
			}
			if c.latencyAvg >= 0 && s.LatencyAvg != c.latencyAvg {
				t.Errorf("latency avg %v, want %v", s.LatencyAvg, c.latencyAvg)
			}
			if !strings.HasPrefix(s.Version, "3.8.0") {
				t.Errorf("version %q", s.Version)
			}
		})
	}
	if _, err := fourlw.ParseSrvr("imok"); err == nil {
		t.Error("ParseSrvr accepted a non-srvr answer")
	}
	if _, err := fourlw.ParseSrvr("Latency min/avg/max: 0/NaN/0\nMode: leader\n"); err == nil {
		t.Error("ParseSrvr accepted a NaN latency (not JSON-encodable)")
	}
}

func TestParseStatClients(t *testing.T) {
	s, err := fourlw.ParseSrvr(recording(t, "standalone.stat"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clients[0]
	if c.Address != "127.0.0.1:57492" || c.Interest != 1 || c.Stats["recved"] != int64(7) || c.Stats["queued"] != int64(0) {
		t.Errorf("first client %+v", c)
	}
}

func TestParseCons(t *testing.T) {
	cs, err := fourlw.ParseCons(recording(t, "standalone.cons"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("%d connections, want 2", len(cs))
	}
	want := map[string]any{"sid": "0x1000008e9ad0000", "lop": "GETD", "to": int64(10000), "lzxid": "0x4", "maxlat": int64(6)}
	for k, v := range want {
		if cs[0].Stats[k] != v {
			t.Errorf("%s = %#v, want %#v", k, cs[0].Stats[k], v)
		}
	}
	if len(cs[1].Stats) != 3 {
		t.Errorf("the 4lw connection's stats %v", cs[1].Stats)
	}
}

func TestParseMntr(t *testing.T) {
	for _, c := range []struct{ file, state string }{
		{"standalone.mntr", "standalone"}, {"leader.mntr", "leader"}, {"follower.mntr", "follower"},
	} {
		m, err := fourlw.ParseMntr(recording(t, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if m["zk_server_state"] != c.state {
			t.Errorf("%s: zk_server_state %v", c.file, m["zk_server_state"])
		}
		if _, ok := m["zk_znode_count"].(int64); !ok {
			t.Errorf("%s: zk_znode_count %T, want a number", c.file, m["zk_znode_count"])
		}
		if _, ok := m["zk_avg_latency"].(float64); !ok {
			t.Errorf("%s: zk_avg_latency %T, want a float", c.file, m["zk_avg_latency"])
		}
		if !strings.HasPrefix(m["zk_version"].(string), "3.8.0") {
			t.Errorf("%s: zk_version %v", c.file, m["zk_version"])
		}
	}
	if m, _ := fourlw.ParseMntr(recording(t, "leader.mntr")); m["zk_synced_followers"] != int64(2) {
		t.Errorf("leader zk_synced_followers %v", m["zk_synced_followers"])
	}
	if _, err := fourlw.ParseMntr("mntr is not executed because it is not in the whitelist.\n"); err == nil {
		t.Error("ParseMntr accepted the whitelist refusal")
	}
}

func TestParseConf(t *testing.T) {
	c, err := fourlw.ParseConf(recording(t, "leader.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Values["tickTime"] != int64(2000) || c.Values["serverId"] == nil || len(c.Membership) != 4 || c.Membership["version"] != "0" {
		t.Errorf("leader conf %+v", c)
	}
	s, err := fourlw.ParseConf(recording(t, "standalone.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Values["serverId"] != int64(0) || s.Membership != nil || !strings.HasSuffix(s.Values["dataDir"].(string), "version-2") {
		t.Errorf("standalone conf %+v", s)
	}
}

func TestParseSmallWords(t *testing.T) {
	cases := []struct {
		word, file string
		want       any
	}{
		{"wchs", "standalone.wchs", &fourlw.Wchs{Connections: 1, Paths: 2, TotalWatches: 2}},
		{"wchc", "standalone.wchc", map[string][]string{"0x1000008e9ad0000": {"/rec", "/rec/a"}}},
		{"wchp", "standalone.wchp", map[string][]string{"/rec": {"0x1000008e9ad0000"}, "/rec/a": {"0x1000008e9ad0000"}}},
		{"isro", "standalone.isro", &fourlw.Isro{Answer: "rw"}},
		{"ruok", "standalone.ruok", &fourlw.Ruok{OK: true, Answer: "imok"}},
		{"gtmk", "standalone.gtmk", &fourlw.TraceMask{TraceMask: 306}},
		{"dirs", "standalone.dirs", map[string]int64{"datadir_size": 1049049, "logdir_size": 1049049}},
		{"hash", "standalone.hash", []fourlw.Digest{}},
		{"crst", "standalone.crst", &fourlw.Message{Message: "Connection stats reset."}},
		{"srst", "standalone.srst", &fourlw.Message{Message: "Server stats reset."}},
	}
	for _, c := range cases {
		got, err := fourlw.Parse(c.word, recording(t, c.file))
		if err != nil {
			t.Errorf("%s: %v", c.word, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.word, got, c.want)
		}
	}
	h, err := fourlw.ParseHash("80: 21792283280\n1f: 5\n")
	if err != nil || len(h) != 2 || h[0].Zxid != "80" || h[0].Digest != 21792283280 {
		t.Errorf("hash %v %v", h, err)
	}
	env, err := fourlw.ParseEnvi(recording(t, "standalone.envi"))
	if err != nil || !strings.HasPrefix(env["zookeeper.version"], "3.8.0") || env["java.version"] == "" {
		t.Errorf("envi: %v", err)
	}
	d, _ := fourlw.Parse("dump", recording(t, "standalone.dump"))
	if d.(map[string]string)["raw"] == "" {
		t.Error("dump: no raw text")
	}
}

// The AdminServer's answers map to the same values as the 4lw answers.
func TestParseAdmin(t *testing.T) {
	s, err := fourlw.ParseAdmin("srvr", recording(t, "admin.srvr.json"))
	if err != nil {
		t.Fatal(err)
	}
	sv := s.(*fourlw.Srvr)
	if sv.Mode != "standalone" || sv.NodeCount != 5 || sv.ZxidHex != "0x0" || !strings.HasPrefix(sv.Version, "3.8.0") {
		t.Errorf("admin srvr %+v", sv)
	}
	m, err := fourlw.ParseAdmin("mntr", recording(t, "admin.mntr.json"))
	if err != nil {
		t.Fatal(err)
	}
	mm := m.(map[string]any)
	if mm["zk_server_state"] != "standalone" || mm["zk_znode_count"] != int64(5) || mm["zk_command"] != nil {
		t.Errorf("admin mntr: state %v count %#v", mm["zk_server_state"], mm["zk_znode_count"])
	}
	for word, want := range map[string]any{
		"ruok": &fourlw.Ruok{OK: true, Answer: "imok"},
		"isro": &fourlw.Isro{Answer: "rw"},
		"wchs": &fourlw.Wchs{},
	} {
		got, err := fourlw.ParseAdmin(word, recording(t, "admin."+word+".json"))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("admin %s: %#v %v", word, got, err)
		}
	}
	c, err := fourlw.ParseAdmin("conf", recording(t, "admin.conf.json"))
	if err != nil || c.(map[string]any)["tick_time"] != int64(2000) {
		t.Errorf("admin conf %v %v", c, err)
	}
	if _, err := fourlw.ParseAdmin("srvr", "<html>"); err == nil {
		t.Error("ParseAdmin accepted HTML")
	}
}

func TestParseServers(t *testing.T) {
	cases := []struct {
		spec  string
		admin bool
		want  []string
		err   bool
	}{
		{"127.0.0.1:2181", false, []string{"127.0.0.1:2181"}, false},
		{"a:1,b,c:3/chroot/x", false, []string{"a:1", "b:2181", "c:3"}, false},
		{"a:1,b:2", true, []string{"http://a:8080", "http://b:8080"}, false},
		{"http://a:9090,https://b,c:2181", false, []string{"http://a:9090", "https://b:8080", "c:2181"}, false},
		{"[::1]:2181", false, []string{"[::1]:2181"}, false},
		{"", false, nil, true},
		{"a:0", false, nil, true},
		{"a:x", false, nil, true},
		{"a:1,,b:2", false, nil, true},
		{"http://", false, nil, true},
	}
	for _, c := range cases {
		eps, err := fourlw.ParseServers(c.spec, c.admin, 8080)
		if (err != nil) != c.err {
			t.Errorf("%q: err %v", c.spec, err)
			continue
		}
		var got []string
		for _, e := range eps {
			got = append(got, e.Name())
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.spec, got, c.want)
		}
	}
}

func TestSummaryRows(t *testing.T) {
	leader, _ := fourlw.ParseSrvr("Zxid: 0x100000005\nMode: leader\nNode count: 9\n")
	behind, _ := fourlw.ParseSrvr("Zxid: 0x100000002\nMode: follower\nNode count: 9\n")
	answers := []fourlw.Answer{
		{Server: "a:1", Status: fourlw.StatusOK},
		{Server: "b:2", Status: fourlw.StatusOK},
		{Server: "c:3", Status: fourlw.StatusDown, Detail: "connection refused"},
	}
	rows := fourlw.Rows(answers, []any{leader, behind, nil})
	if rows[0].Mode != "leader" || rows[0].Lagging || !rows[1].Lagging || rows[1].Note != "lagging: 3 txns behind" || rows[2].Mode != "down" {
		t.Errorf("rows %+v", rows)
	}
	var b strings.Builder
	if err := fourlw.WriteSummary(&b, rows, fourlw.Paint{}); err != nil {
		t.Fatal(err)
	}
	want := "SERVER  MODE      ZXID         LATENCY min/avg/max  CONNS  OUTSTANDING  NODES  NOTE\n" +
		"a:1     leader    0x100000005  0/0/0                0      0            9\n" +
		"b:2     follower  0x100000002  0/0/0                0      0            9      lagging: 3 txns behind\n" +
		"c:3     down      -            -                    -      -            -      connection refused\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	for _, r := range rows {
		if _, err := json.Marshal(r); err != nil {
			t.Error(err)
		}
	}
}
