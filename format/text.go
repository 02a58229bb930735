// Package format renders command results: zkCli's text, byte for byte, and
// zkc's JSON.
package format

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-zookeeper/zk"
)

// Hex formats a long as Java's Long.toHexString with a 0x prefix: lowercase,
// unpadded, two's complement for negatives.
func Hex(v int64) string { return fmt.Sprintf("0x%x", uint64(v)) }

// JavaDate formats epoch milliseconds as java.util.Date.toString() in loc:
// "Sat Nov 21 21:16:00 UTC 2026".
func JavaDate(ms int64, loc *time.Location) string {
	t := time.UnixMilli(ms).In(loc)
	zone, offset := t.Zone()
	if zone == "" || zone[0] == '+' || zone[0] == '-' {
		// Java prints zones without an abbreviation as GMT+hh:mm.
		sign := '+'
		if offset < 0 {
			sign, offset = '-', -offset
		}
		zone = fmt.Sprintf("GMT%c%02d:%02d", sign, offset/3600, offset/60%60)
		if offset == 0 {
			zone = "GMT"
		}
	}
	return t.Format("Mon Jan 02 15:04:05 ") + zone + t.Format(" 2006")
}

// StatLine is one "key = value" line of zkCli's stat block.
type StatLine struct{ Key, Value string }

// StatLines returns zkCli's 11 stat lines in order.
func StatLines(st *zk.Stat, loc *time.Location) []StatLine {
	return []StatLine{
		{"cZxid", Hex(st.Czxid)},
		{"ctime", JavaDate(st.Ctime, loc)},
		{"mZxid", Hex(st.Mzxid)},
		{"mtime", JavaDate(st.Mtime, loc)},
		{"pZxid", Hex(st.Pzxid)},
		{"cversion", fmt.Sprint(st.Cversion)},
		{"dataVersion", fmt.Sprint(st.Version)},
		{"aclVersion", fmt.Sprint(st.Aversion)},
		{"ephemeralOwner", Hex(st.EphemeralOwner)},
		{"dataLength", fmt.Sprint(st.DataLength)},
		{"numChildren", fmt.Sprint(st.NumChildren)},
	}
}

// Stat writes zkCli's stat block; key colours the keys (identity for none).
func Stat(w io.Writer, st *zk.Stat, loc *time.Location, key func(string) string) error {
	var b strings.Builder
	for _, l := range StatLines(st, loc) {
		b.WriteString(key(l.Key))
		b.WriteString(" = ")
		b.WriteString(l.Value)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// List writes a Java-style list "[a, b, c]" and a newline.
func List(w io.Writer, items []string) error {
	_, err := io.WriteString(w, "["+strings.Join(items, ", ")+"]\n")
	return err
}

// Data writes node data as zkCli does: "null" for no data, otherwise the
// bytes decoded as UTF-8 with each invalid byte replaced by U+FFFD, then a newline.
func Data(w io.Writer, data []byte) error {
	if data == nil {
		_, err := io.WriteString(w, "null\n")
		return err
	}
	_, err := w.Write(append(JavaUTF8(data), '\n'))
	return err
}

// JavaUTF8 replaces every byte that is not part of valid UTF-8 with U+FFFD,
// as Java's new String(bytes, UTF_8) does (Go's ToValidUTF8 merges runs).
func JavaUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data)+8)
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			out = append(out, "\uFFFD"...)
			data = data[1:]
			continue
		}
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}
