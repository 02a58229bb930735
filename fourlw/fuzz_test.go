package fourlw_test

import (
	"encoding/json"
	"testing"

	"github.com/zkc-cli/zkc/fourlw"
)

// The parsers read whatever a server (or something posing as one) sends, so
// they must never panic, and whatever they accept must encode as JSON (no
// NaN or Inf). Seed corpora are in testdata/fuzz/<FuzzName>/, made from the
// real answers in ../testdata/4lw; these also f.Add the recordings.

func fuzzParser(f *testing.F, files []string, parse func(string) (any, error)) {
	for _, name := range files {
		f.Add(recording(f, name))
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse(s)
		if err != nil {
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("accepted %q but cannot encode it: %v", s, err)
		}
	})
}

func FuzzParseSrvr(f *testing.F) {
	fuzzParser(f, []string{"leader.srvr", "follower.srvr", "standalone.srvr", "standalone.stat", "leader.stat"},
		func(s string) (any, error) { return fourlw.ParseSrvr(s) })
}

func FuzzParseMntr(f *testing.F) {
	fuzzParser(f, []string{"standalone.mntr", "whitelist.mntr"},
		func(s string) (any, error) { return fourlw.ParseMntr(s) })
}

func FuzzParseConf(f *testing.F) {
	fuzzParser(f, []string{"leader.conf", "standalone.conf"},
		func(s string) (any, error) { return fourlw.ParseConf(s) })
}

func FuzzParseCons(f *testing.F) {
	fuzzParser(f, []string{"standalone.cons"},
		func(s string) (any, error) { return fourlw.ParseCons(s) })
}

func FuzzParseWatches(f *testing.F) {
	fuzzParser(f, []string{"standalone.wchc", "standalone.wchp", "standalone.wchs", "standalone.dump"},
		func(s string) (any, error) {
			if v, err := fourlw.ParseWchs(s); err == nil {
				return v, nil
			}
			return fourlw.ParseWatches(s)
		})
}

func FuzzParseSmall(f *testing.F) {
	fuzzParser(f, []string{"standalone.dirs", "standalone.gtmk", "standalone.isro", "standalone.ruok", "standalone.hash", "standalone.envi"},
		func(s string) (any, error) {
			for _, w := range []string{"dirs", "gtmk", "isro", "ruok", "hash", "envi"} {
				if v, err := fourlw.Parse(w, s); err == nil {
					if _, err := json.Marshal(v); err != nil {
						return v, nil // let the caller report it
					}
				}
			}
			return nil, nil
		})
}

func FuzzParseAdmin(f *testing.F) {
	fuzzParser(f, []string{"admin.srvr.json", "admin.stat.json", "admin.ruok.json", "admin.isro.json", "admin.wchs.json", "admin.conf.json"},
		func(s string) (any, error) {
			for _, w := range []string{"srvr", "mntr", "isro", "wchs", "conf"} {
				if v, err := fourlw.ParseAdmin(w, s); err == nil {
					if _, err := json.Marshal(v); err != nil {
						return v, nil
					}
				}
			}
			return nil, nil
		})
}
