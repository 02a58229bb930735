package format

import "testing"

func TestACLText(t *testing.T) {
	got := ACLText([]ACLEntryJSON{{"world", "anyone", "cdrwa"}, {"digest", "bob:x", ""}})
	want := "'world,'anyone\n: cdrwa\n'digest,'bob:x\n: \n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
