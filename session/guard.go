package session

import (
	"context"
	"regexp"
	"strings"

	"github.com/go-zookeeper/zk"
)

// The server-harm guard. Every write the session sends (create, set, delete,
// setACL, and each operation of a multi) passes through checkWrite on its
// full server path, after the chroot is applied, before anything is sent. It
// refuses the requests a ZooKeeper 3.8.0 server is known to mishandle while
// applying them: the server logs the transaction first, then its DataTree
// throws, the server exits, and on restart it replays the transaction and
// exits again. From DataTree, PathTrie, Quotas and StatsTrack at
// release-3.8.0-1:
//
//   - creating zookeeper_limits directly under /zookeeper/quota (a quota on
//     "/", what `setquota -n 10 /` asks for): PathTrie.addPath("") throws
//     IllegalArgumentException("Invalid path");
//   - deleting a node named zookeeper_limits whose parent path merely starts
//     with "/zookeeper" (deleteNode tests a string prefix, then cuts 16
//     characters off the parent): /zookeeper/quota/zookeeper_limits throws
//     as above, a parent shorter than 16 characters ("/zookeeper",
//     "/zookeeper-app") throws StringIndexOutOfBoundsException, and a longer
//     one outside the quota tree removes another path's quota from the
//     server's trie;
//   - a zookeeper_stats (or zookeeper_limits) record the server cannot parse
//     (StatsTrack: "count", "count=", "count=x", ",count=1"): every later
//     write under the quota's path throws while it updates the record.
//
// Beyond those crashes, ZooKeeper's own subtree (/zookeeper: the quota
// store, the ensemble configuration) is written only by the quota commands
// (with AllowQuotaWrites) and reconfig (its own request, not a path write):
// any other write there corrupts what the server keeps, or is refused by it
// only after harm (deleteall through chroot /zookeeper once wiped every quota
// record). The rule is on the server path, so a chroot cannot get around it.

// Server paths the guard knows.
const (
	systemRoot     = "/zookeeper"
	quotaStore     = "/zookeeper/quota"
	quotaLimitName = "zookeeper_limits"
	quotaStatName  = "zookeeper_stats"
)

// GuardError is a write zkc refused to send because it would harm the server
// or its own records. Path is the path as the user gave it (relative to the
// chroot), ServerPath the path the server would have seen.
type GuardError struct {
	Op         string // "create", "set", "delete", "setAcl"
	Path       string
	ServerPath string
	Why        string // a predicate: "is ZooKeeper's own node; ..."
}

// Reason says why, naming the server path when a chroot changed it.
func (e *GuardError) Reason() string {
	if e.ServerPath != e.Path {
		return "the server path " + e.ServerPath + " " + e.Why
	}
	return "it " + e.Why
}

func (e *GuardError) Error() string {
	return "refused to " + e.Op + " " + e.Path + ": " + e.Reason()
}

// Unwrap makes a refusal match zk.ErrBadArguments, what the server answers
// for the system nodes it does protect (zkCli: "Arguments are not valid").
func (e *GuardError) Unwrap() error { return zk.ErrBadArguments }

type quotaWritesKey struct{}

// AllowQuotaWrites marks ctx as a quota command's: its writes may change
// quota records under /zookeeper/quota, as long as they are well-formed and
// not for "/". Nothing else under /zookeeper is ever written.
func AllowQuotaWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, quotaWritesKey{}, true)
}

func quotaWritesAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(quotaWritesKey{}).(bool)
	return ok
}

// CheckDelete tells whether the guard would let a delete of p through,
// without sending anything: recursive deletes ask before they list a subtree.
func (s *Session) CheckDelete(ctx context.Context, p string) error {
	return checkWrite(ctx, writeDelete, p, s.abs(p), nil, false)
}

// writeKind is one kind of write request.
type writeKind string

const (
	writeCreate writeKind = "create"
	writeSet    writeKind = "set"
	writeDelete writeKind = "delete"
	writeSetACL writeKind = "setAcl"
)

// checkWrite refuses a write to server path sp (user path p) that would harm
// the server. data is the node's new data (create, set).
func checkWrite(ctx context.Context, kind writeKind, p, sp string, data []byte, sequential bool) error {
	refuse := func(why string) error {
		return &GuardError{Op: string(kind), Path: p, ServerPath: sp, Why: why}
	}
	if err := ValidatePath(sp, sequential && kind == writeCreate); err != nil {
		return err
	}
	if kind == writeDelete && sp == "/" {
		return refuse("is the root node, which can never be deleted")
	}
	parent, name := splitServerPath(sp)
	if sp == systemRoot || strings.HasPrefix(sp, systemRoot+"/") {
		quotaRecord := name == quotaLimitName || name == quotaStatName
		switch {
		case sp == quotaStore:
			return refuse("is ZooKeeper's quota store; use delquota to remove a quota, setquota to set one")
		case !strings.HasPrefix(sp, quotaStore+"/"):
			return refuse("is ZooKeeper's own node; quotas are changed with setquota and delquota, " +
				"the ensemble's configuration with reconfig")
		case !quotaWritesAllowed(ctx) || kind == writeSetACL:
			return refuse("is in ZooKeeper's quota store; use delquota to remove a quota, setquota to set one")
		case quotaRecord && parent == quotaStore:
			return refuse("would be the quota record of /, which crashes ZooKeeper 3.8 servers (and every restart after)")
		case quotaRecord && kind != writeDelete && !statsTrackParses(data):
			return refuse("would hold " + quoteData(data) + ", which a ZooKeeper 3.8 server cannot parse: " +
				"it would crash on the next write under the quota")
		}
		return nil
	}
	if kind == writeDelete && name == quotaLimitName && strings.HasPrefix(parent, systemRoot) {
		return refuse("is named like a quota record under a path starting with " + systemRoot +
			": a ZooKeeper 3.8 server crashes (or drops another path's quota) deleting it")
	}
	return nil
}

// splitServerPath returns a path's parent and last name ("/a" → "", "a").
func splitServerPath(sp string) (parent, name string) {
	i := strings.LastIndexByte(sp, '/')
	if i < 0 {
		return "", sp
	}
	return sp[:i], sp[i+1:]
}

func quoteData(data []byte) string {
	const max = 40
	s := string(data)
	if len(s) > max {
		s = s[:max] + "..."
	}
	return "\"" + s + "\""
}

var statsPairSeparator = regexp.MustCompile("[,;]+")

// statsTrackParses reports whether ZooKeeper 3.8's StatsTrack(String) parses
// data without throwing. It follows Java's String.split (trailing empty
// strings dropped, a leading one kept) and accepts only ASCII digits where
// Long.parseLong would take any Unicode digit: refusing more is safe.
func statsTrackParses(data []byte) bool {
	s := string(data)
	if s == "" {
		return true
	}
	for _, pair := range javaSplit(statsPairSeparator.Split(s, -1)) {
		kv := javaSplit(strings.Split(pair, "="))
		if len(kv) < 2 {
			return false // kv[1]: ArrayIndexOutOfBoundsException
		}
		if kv[1] != "" && !javaLong(kv[1]) {
			return false // NumberFormatException
		}
	}
	return true
}

// javaSplit drops the trailing empty strings, as Java's String.split does.
func javaSplit(parts []string) []string {
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

var javaLongPattern = regexp.MustCompile(`^[+-]?[0-9]{1,19}$`)

// javaLong reports whether Long.parseLong accepts s (ASCII digits only).
func javaLong(s string) bool {
	if !javaLongPattern.MatchString(s) {
		return false
	}
	digits := strings.TrimLeft(s, "+-")
	digits = strings.TrimLeft(digits, "0")
	if len(digits) < 19 {
		return true
	}
	limit := "9223372036854775807"
	if s[0] == '-' {
		limit = "9223372036854775808"
	}
	return digits <= limit
}
