package transfer

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zkc-cli/zkc/format"
)

// decodeNodeFast decodes a node line written the way zkc's exporter writes
// it (encoding/json's output: known keys in lower case, each once, integers,
// no surrogate escapes), about five times faster than encoding/json, whose
// reflection was most of an import's time: an import decodes its file
// twice, checking all of it before the first write. On anything else it
// returns false, having filled n partly, and the caller decodes the line
// with encoding/json instead (a fresh Node), which gives every odd line
// encoding/json's meaning and errors. FuzzDecodeNodeFast holds it to that:
// whatever it accepts, encoding/json accepts with the same result.
func decodeNodeFast(line []byte, n *Node) bool {
	if !utf8.Valid(line) {
		return false // encoding/json would replace the bad bytes
	}
	d := fastDecoder{b: line}
	var seen uint16
	ok := d.object(func(key []byte) bool {
		bit := nodeKey(key)
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		switch bit {
		case keyPath:
			return d.str(&n.Path)
		case keyData:
			if d.null() {
				n.Value = nil
				return true
			}
			var s string
			if !d.str(&s) {
				return false
			}
			n.Value = &s
			return true
		case keyEncoding:
			return d.str(&n.Encoding)
		case keyType:
			return d.str(&n.Type)
		case keyOwner:
			return d.str(&n.EphemeralOwner)
		case keyACL:
			return d.acl(&n.ACL)
		case keyStat:
			return d.stat(&n.Stat)
		case keyError:
			return d.str(&n.Error)
		case keyMessage:
			return d.str(&n.Message)
		}
		return false
	})
	d.space()
	return ok && d.i == len(d.b)
}

const (
	keyPath uint16 = 1 << iota
	keyData
	keyEncoding
	keyType
	keyOwner
	keyACL
	keyStat
	keyError
	keyMessage
)

// nodeKey is a node line's key as a bit; 0 for any other key.
func nodeKey(key []byte) uint16 {
	switch string(key) {
	case "path":
		return keyPath
	case "data":
		return keyData
	case "encoding":
		return keyEncoding
	case "type":
		return keyType
	case "ephemeralOwner":
		return keyOwner
	case "acl":
		return keyACL
	case "stat":
		return keyStat
	case "error":
		return keyError
	case "message":
		return keyMessage
	}
	return 0
}

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\r', '\n':
			d.i++
		default:
			return
		}
	}
}

// next consumes c after optional white space.
func (d *fastDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *fastDecoder) null() bool {
	d.space()
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// object reads {"key": value, ...}, value handing each key (plain, no
// escapes) to member, which reads its value.
func (d *fastDecoder) object(member func(key []byte) bool) bool {
	end, ok := d.beginObject()
	for ok && !end {
		var key []byte
		if key, ok = d.key(); !ok || !member(key) {
			return false
		}
		end, ok = d.afterMember()
	}
	return ok
}

// beginObject consumes an object's '{'; end reports an empty object.
func (d *fastDecoder) beginObject() (end, ok bool) {
	if !d.next('{') {
		return false, false
	}
	return d.next('}'), true
}

// key reads a member's key (plain, no escapes) and its colon.
func (d *fastDecoder) key() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) && d.b[d.i] != '"' && d.b[d.i] != '\\' && d.b[d.i] >= 0x20 {
		d.i++
	}
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	key := d.b[start:d.i]
	d.i++
	return key, d.next(':')
}

// afterMember consumes the ',' before another member or the closing '}'.
func (d *fastDecoder) afterMember() (end, ok bool) {
	if d.next(',') {
		return false, true
	}
	return true, d.next('}')
}

// str reads a string; escapes of UTF-16 surrogates are left to
// encoding/json.
func (d *fastDecoder) str(out *string) bool {
	v, ok := d.view()
	if ok {
		*out = string(v)
	}
	return ok
}

// view reads a string, without copying it when it has no escapes.
func (d *fastDecoder) view() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\':
			var s string
			if !d.escaped(start, &s) {
				return nil, false
			}
			return []byte(s), true
		case c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

// escaped finishes a string from its first backslash on.
func (d *fastDecoder) escaped(start int, out *string) bool {
	buf := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			*out = string(buf)
			d.i++
			return true
		case c < 0x20:
			return false
		case c != '\\':
			buf = append(buf, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if d.i+4 > len(d.b) {
				return false
			}
			v, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 16)
			if err != nil || utf16.IsSurrogate(rune(v)) {
				return false
			}
			buf = utf8.AppendRune(buf, rune(v))
			d.i += 4
		default:
			return false
		}
	}
	return false
}

// integer reads a JSON integer that fits in bits (no fraction, exponent or
// leading zero).
func (d *fastDecoder) integer(bits int) (int64, bool) {
	d.space()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.b[digits] == '0' && d.i-digits > 1) {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	// By hand: a fifth faster than strconv.ParseInt on a string copy.
	if d.i-digits > 19 {
		return 0, false // past any int64; encoding/json decides
	}
	var v uint64
	for _, c := range d.b[digits:d.i] {
		v = v*10 + uint64(c-'0')
	}
	limit := uint64(1) << (bits - 1)
	if neg := digits > start; neg {
		if v > limit {
			return 0, false
		}
		return -int64(v), true
	}
	if v >= limit {
		return 0, false
	}
	return int64(v), true
}

func (d *fastDecoder) acl(out *[]ACLEntry) bool {
	if d.null() {
		*out = nil
		return true
	}
	entries := []ACLEntry{}
	ok := d.aclArray(func(scheme, id, perms []byte, redacted bool) bool {
		entries = append(entries, ACLEntry{Scheme: string(scheme), ID: string(id), Perms: string(perms), Redacted: redacted})
		return true
	})
	if ok {
		*out = entries
	}
	return ok
}

// aclArray reads an ACL array (or null), handing each entry's fields,
// unescaped, to entry: the decoder and the check pass's skim both read
// ACLs through it.
func (d *fastDecoder) aclArray(entry func(scheme, id, perms []byte, redacted bool) bool) bool {
	if d.null() {
		return true
	}
	if !d.next('[') {
		return false
	}
	if d.next(']') {
		return true
	}
	for {
		var seen uint8
		var scheme, id, perms []byte
		var redacted bool
		end, ok := d.beginObject()
		for ok && !end {
			var key []byte
			if key, ok = d.key(); !ok {
				return false
			}
			var bit uint8
			switch string(key) {
			case "scheme":
				bit = 1
			case "id":
				bit = 2
			case "perms":
				bit = 4
			case "redacted":
				bit = 8
			}
			if bit == 0 || seen&bit != 0 {
				return false
			}
			seen |= bit
			switch bit {
			case 1:
				scheme, ok = d.view()
			case 2:
				id, ok = d.view()
			case 4:
				perms, ok = d.view()
			default:
				ok = d.boolean(&redacted)
			}
			if !ok {
				return false
			}
			end, ok = d.afterMember()
		}
		if !ok || !entry(scheme, id, perms, redacted) {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next(']')
	}
}

func (d *fastDecoder) boolean(out *bool) bool {
	d.space()
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		*out = true
		d.i += 4
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		*out = false
		d.i += 5
	default:
		return false
	}
	return true
}

func (d *fastDecoder) stat(out **format.StatJSON) bool {
	if d.null() {
		*out = nil
		return true
	}
	st := &format.StatJSON{}
	*out = st
	return d.statFields(st, true)
}

// statFields reads a stat object into st; without keepTimes its ctime and
// mtime are checked but not kept.
func (d *fastDecoder) statFields(st *format.StatJSON, keepTimes bool) bool {
	var seen uint16
	end, ok := d.beginObject()
	for ok && !end {
		var key []byte
		if key, ok = d.key(); !ok {
			return false
		}
		var bit uint16
		var i64 *int64
		var i32 *int32
		var s *string
		switch string(key) {
		case "cZxid":
			bit, i64 = 1<<0, &st.CZxid
		case "ctime":
			bit, s = 1<<1, &st.Ctime
		case "mZxid":
			bit, i64 = 1<<2, &st.MZxid
		case "mtime":
			bit, s = 1<<3, &st.Mtime
		case "pZxid":
			bit, i64 = 1<<4, &st.PZxid
		case "cversion":
			bit, i32 = 1<<5, &st.Cversion
		case "dataVersion":
			bit, i32 = 1<<6, &st.DataVersion
		case "aclVersion":
			bit, i32 = 1<<7, &st.AclVersion
		case "ephemeralOwner":
			bit, i64 = 1<<8, &st.EphemeralOwner
		case "dataLength":
			bit, i32 = 1<<9, &st.DataLength
		case "numChildren":
			bit, i32 = 1<<10, &st.NumChildren
		}
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		switch {
		case s != nil && keepTimes:
			ok = d.str(s)
		case s != nil:
			_, ok = d.view()
		case i64 != nil:
			*i64, ok = d.integer(64)
		default:
			var v int64
			v, ok = d.integer(32)
			*i32 = int32(v)
		}
		if !ok {
			return false
		}
		end, ok = d.afterMember()
	}
	return ok
}
