// Package transfer moves znode trees losslessly: the export file format
// (versioned NDJSON), reading and validating it, reading a live tree in the
// same shape, importing into a live tree, and comparing two trees. export,
// import, cp, mv and diff are its verbs.
//
// # The export format (version 1)
//
// One JSON object per line (NDJSON), UTF-8; a file name ending in .gz is
// gzip-compressed. The first line is the header:
//
//	{"format":"zkc-export","version":1,"source":"h1:2181,h2:2181","root":"/app","zxid":"0x1f4","time":"2026-11-25T17:00:00Z"}
//
// source is the connect string (with its chroot, never credentials), root
// the exported path, zxid the server's last zxid when the export started
// (an export is not a point-in-time snapshot: nodes changed while it ran
// carry a higher mZxid). Then one line per node, in zkCli's `ls -R` order,
// which lists every parent before its children:
//
//	{"path":"/","data":"v1","encoding":"utf-8","type":"persistent","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"stat":{...}}
//	{"path":"/bin","data":"AAEC","encoding":"base64",...}
//	{"path":"/none","data":null,"encoding":"null",...}
//	{"path":"/lock","data":"","encoding":"utf-8","type":"ephemeral","ephemeralOwner":"0x100000a3b0c0001",...}
//	{"path":"/secret","error":"NoAuth","message":"not authorized to read /app/secret"}
//
// path is relative to the exported root ("/" is the root itself). data is
// UTF-8 text when valid, else base64; null data ("encoding":"null") is kept
// apart from empty data. type is "persistent" or "ephemeral": ZooKeeper shows
// container and TTL nodes to clients as persistent nodes with ephemeralOwner
// 0x0, so an export cannot tell them apart (import's --container and --ttl
// recreate them). Sequential nodes are plain names here and are recreated
// with exactly those names. acl lists the entries as getAcl shows them; a
// digest entry whose hash the exporting session could not read (ZooKeeper
// shows it as user:x without ADMIN on the node) has "redacted":true, and
// import never writes it back. stat is for reference; import does not
// restore it. A node that could not be read has "error" (NoAuth, ...) and
// nothing else; its children are not in the file.
//
// The last line closes the file, so that a truncated file is detected:
//
//	{"end":true,"nodes":1234,"errors":0,"zxid":"0x2a0"}
//
// nodes counts the node lines, errors those with "error", and zxid is the
// highest zxid found in any exported stat.
package transfer

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// FormatName and FormatVersion identify the export format.
const (
	FormatName    = "zkc-export"
	FormatVersion = 1
)

// Header is the first line of an export.
type Header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Source  string `json:"source"`
	Root    string `json:"root"`
	Zxid    string `json:"zxid"`
	Time    string `json:"time"`
}

// ACLEntry is one ACL entry as exported.
type ACLEntry struct {
	Scheme   string `json:"scheme"`
	ID       string `json:"id"`
	Perms    string `json:"perms"`
	Redacted bool   `json:"redacted,omitempty"`
}

// Node is one node line. Data is decoded: nil is null data.
type Node struct {
	Path           string           `json:"path"`
	Value          *string          `json:"data"`
	Encoding       string           `json:"encoding,omitempty"`
	Type           string           `json:"type,omitempty"`
	EphemeralOwner string           `json:"ephemeralOwner,omitempty"`
	ACL            []ACLEntry       `json:"acl,omitempty"`
	Stat           *format.StatJSON `json:"stat,omitempty"`
	Error          string           `json:"error,omitempty"`
	Message        string           `json:"message,omitempty"`

	data []byte // decoded Value
}

// End is the last line of an export.
type End struct {
	End    bool   `json:"end"`
	Nodes  int64  `json:"nodes"`
	Errors int64  `json:"errors"`
	Zxid   string `json:"zxid"`
}

// Node types as a client sees them.
const (
	TypePersistent = "persistent"
	TypeEphemeral  = "ephemeral"
)

// Data returns the node's data; nil is null data.
func (n *Node) Data() []byte { return n.data }

// SetData sets the data and its encoded form.
func (n *Node) SetData(data []byte) {
	n.data = data
	d := format.NewDataJSON(data)
	n.Value, n.Encoding = d.Data, d.Encoding
}

// Ephemeral reports whether the node belongs to a session.
func (n *Node) Ephemeral() bool { return n.Type == TypeEphemeral }

// decodeData checks and decodes the data fields after unmarshalling.
// check runs the checks a node line must pass beyond its JSON, decoding
// its data; the error is the message for the line.
func (n *Node) check() error {
	if err := session.ValidatePath(n.Path, false); err != nil {
		return fmt.Errorf("bad path %q", n.Path)
	}
	if n.Error != "" {
		return nil
	}
	if err := n.decodeData(); err != nil {
		return fmt.Errorf("%s: %v", n.Path, err)
	}
	if n.Type != TypePersistent && n.Type != TypeEphemeral {
		return fmt.Errorf("%s: unknown type %q", n.Path, n.Type)
	}
	if _, err := checkEntries(n.ACL); err != nil {
		return fmt.Errorf("%s: %v", n.Path, err)
	}
	return nil
}

func (n *Node) decodeData() error {
	switch n.Encoding {
	case "null":
		if n.Value != nil {
			return fmt.Errorf("data must be null with encoding null")
		}
		n.data = nil
	case "utf-8":
		if n.Value == nil {
			return fmt.Errorf("data missing")
		}
		n.data = []byte(*n.Value)
		if len(n.data) == 0 {
			n.data = []byte{}
		}
	case "base64":
		if n.Value == nil {
			return fmt.Errorf("data missing")
		}
		b, err := base64.StdEncoding.DecodeString(*n.Value)
		if err != nil {
			return fmt.Errorf("bad base64 data")
		}
		n.data = b
	default:
		return fmt.Errorf("unknown encoding %q (want utf-8, base64 or null)", n.Encoding)
	}
	return nil
}

// Perms letters, in zkCli's cdrwa order.
var permLetters = []struct {
	bit int32
	ch  byte
}{{zk.PermCreate, 'c'}, {zk.PermDelete, 'd'}, {zk.PermRead, 'r'}, {zk.PermWrite, 'w'}, {zk.PermAdmin, 'a'}}

func permString(p int32) string {
	var b strings.Builder
	for _, x := range permLetters {
		if p&x.bit != 0 {
			b.WriteByte(x.ch)
		}
	}
	return b.String()
}

func parsePerms(s string) (int32, error) {
	p, ok := permBits(s)
	if !ok {
		return 0, fmt.Errorf("bad permissions %q", s)
	}
	return p, nil
}

// permBits reads permission letters, each at most once.
func permBits[S ~string | ~[]byte](s S) (int32, bool) {
	var p int32
	for i := 0; i < len(s); i++ {
		found := false
		for _, x := range permLetters {
			if s[i] == x.ch && p&x.bit == 0 {
				p |= x.bit
				found = true
			}
		}
		if !found {
			return 0, false
		}
	}
	return p, true
}

// redactedDigest reports an id as the server shows a digest entry to a
// session without ADMIN: the user and "x" where the hash belongs.
func redactedDigest(scheme, id string) bool {
	if scheme != "digest" {
		return false
	}
	_, hash, ok := strings.Cut(id, ":")
	return ok && hash == "x"
}

// ACLEntries converts a node's ACL for the file.
func ACLEntries(acl []zk.ACL) []ACLEntry {
	out := make([]ACLEntry, len(acl))
	for i, a := range acl {
		out[i] = ACLEntry{Scheme: a.Scheme, ID: a.ID, Perms: permString(a.Perms), Redacted: redactedDigest(a.Scheme, a.ID)}
	}
	return out
}

// ZKACL converts entries back; redacted entries are an error.
func ZKACL(entries []ACLEntry) ([]zk.ACL, error) {
	out := make([]zk.ACL, 0, len(entries))
	for _, e := range entries {
		if e.Redacted || redactedDigest(e.Scheme, e.ID) {
			return nil, errRedacted
		}
		p, err := parsePerms(e.Perms)
		if err != nil {
			return nil, err
		}
		out = append(out, zk.ACL{Perms: p, Scheme: e.Scheme, ID: e.ID})
	}
	return out, nil
}

var errRedacted = fmt.Errorf("its ACL has a digest entry whose hash the export could not read (export with a session that has ADMIN on the node, or import with --no-acl)")

// hexZxid formats a zxid as zkCli does.
func hexZxid(z int64) string { return "0x" + strconv.FormatUint(uint64(z), 16) }

// NewNode builds a node line from what the server returned.
func NewNode(rel string, data []byte, st *zk.Stat, acl []zk.ACL) *Node {
	n := &Node{Path: rel, Type: TypePersistent}
	n.SetData(data)
	if st != nil {
		n.Stat = format.NewStatJSON(st)
		n.setOwner(st.EphemeralOwner)
	}
	if acl != nil {
		n.ACL = ACLEntries(acl)
	}
	return n
}

// setOwner makes n ephemeral when owner is a session.
func (n *Node) setOwner(owner int64) {
	if owner != 0 {
		n.Type = TypeEphemeral
		n.EphemeralOwner = hexZxid(owner)
	}
}

// ErrorNode is a node line for a node that could not be read.
func ErrorNode(rel, code, msg string) *Node {
	return &Node{Path: rel, Error: code, Message: msg}
}
