package format

// JSON shapes of the auth, ACL, quota and config commands (README "JSON output").

// IdentityJSON is one identity of the session (whoami).
type IdentityJSON struct {
	Scheme string `json:"scheme"`
	User   string `json:"user"`
}

// WhoAmIJSON is whoami's output.
type WhoAmIJSON struct {
	Identities []IdentityJSON `json:"identities"`
	// SASL is who zkc authenticated the connection as (absent without SASL).
	SASL *SASLJSON `json:"sasl,omitempty"`
}

// SASLJSON is a session's SASL login.
type SASLJSON struct {
	Mechanism string `json:"mechanism"` // DIGEST-MD5 or GSSAPI
	User      string `json:"user"`      // alice, alice@EXAMPLE.COM
}

// EphemeralsJSON is getEphemerals' output.
type EphemeralsJSON struct {
	Prefix     string   `json:"prefix"`
	Ephemerals []string `json:"ephemerals"`
}

// ACLEntryJSON is one ACL entry; Perms uses zkCli's letters in cdrwa order.
type ACLEntryJSON struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
	Perms  string `json:"perms"`
}

// ACLJSON is getAcl's output.
type ACLJSON struct {
	Path string         `json:"path"`
	ACL  []ACLEntryJSON `json:"acl"`
	Stat *StatJSON      `json:"stat"`
}

// ACLText writes zkCli's two lines per entry: jute's CSV form of the id
// ("'world,'anyone") and ": " plus the permission letters.
func ACLText(entries []ACLEntryJSON) string {
	var b []byte
	for _, e := range entries {
		b = append(b, "'"+e.Scheme+",'"+e.ID+"\n: "+e.Perms+"\n"...)
	}
	return string(b)
}

// ConfigMemberJSON is one server line of the dynamic configuration.
type ConfigMemberJSON struct {
	ID     int64  `json:"id"`
	Spec   string `json:"spec"`   // as in the config: host:quorumPort:electionPort[:role][;[clientHost:]clientPort]
	Client string `json:"client"` // host:port for clients, "" when the server has none
}

// ConfigJSON is config's (and reconfig's) output.
type ConfigJSON struct {
	Config  string             `json:"config"`  // the raw text of /zookeeper/config
	Version string             `json:"version"` // hex, as in the text; "" on a standalone server
	Members []ConfigMemberJSON `json:"members"`
	Stat    *StatJSON          `json:"stat,omitempty"`
}
