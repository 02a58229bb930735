package quota

import "testing"

// StatsTrack must read and write ZooKeeper's quota records exactly, since
// servers and zkCli parse what zkc writes.
func TestStatsTrackRoundTrip(t *testing.T) {
	cases := []struct{ in, out string }{
		{"count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1", "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1"},
		{"count=4,bytes=0", "count=4,bytes=0"},
		{"count=2,bytes=", "count=2,bytes=-1"},                      // empty value reads as -1
		{"countHardLimit=5", "count=-1,bytes=-1=;countHardLimit=5"}, // count/bytes always first
		{"", "count=-1,bytes=-1"},
	}
	for _, c := range cases {
		st, err := ParseStatsTrack(c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := st.String(); got != c.out {
			t.Errorf("%q: got %q, want %q", c.in, got, c.out)
		}
	}
	if _, err := ParseStatsTrack("count=x"); err == nil {
		t.Error("count=x parsed")
	}
}
