package session

import (
	"os"
	"regexp"
	"testing"
)

// The go:linkname in extops.go reaches a private method of go-zookeeper; a
// new version may change it and still link. Upgrading must be a decision.
func TestGoZookeeperVersionMatchesLinkname(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/go-zookeeper/zk\s+(\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/go-zookeeper/zk")
	}
	if got := string(m[1]); got != linknameCheckedVersion {
		t.Fatalf("go.mod requires github.com/go-zookeeper/zk %s, but session/extops.go's go:linkname was checked against %s.\n"+
			"Before raising linknameCheckedVersion, re-verify in the new version's conn.go that\n"+
			"  func (c *Conn) request(opcode int32, req interface{}, res interface{}, recvFunc func(*request, *responseHeader, error)) (int64, error)\n"+
			"(v1.0.4's signature) still matches connRequest's declaration (receiver, parameters, results), that its\n"+
			"reflection encoder/decoder still handles the request/response structs and the Encode/Decode hooks of\n"+
			"multiRead, and that the operations it adds are still missing; then run session's integration tests.",
			got, linknameCheckedVersion)
	}
	if r := regexp.MustCompile(`(?m)^\s*replace\s.*go-zookeeper`).Find(mod); r != nil {
		t.Fatalf("go.mod replaces go-zookeeper (%s): that breaks `go install ...@latest`", r)
	}
}
