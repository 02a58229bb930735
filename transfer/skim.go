package transfer

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/zkc-cli/zkc/format"
	"github.com/zkc-cli/zkc/session"
)

// skimNodeLine runs on a node line the checks Next runs on its node, without
// building the node: an import checks its whole file before the first
// write, and that pass needs of each line only its path (for the order) and
// whether it is an error line. Building every node there was most of the
// pass. It gives up (ok false) on anything the fast decoder would, or on a
// line that fails a check; that line is then decoded and checked in full,
// which words the error. FuzzSkimNodeLine holds it to the full path: a
// line it accepts, decoding and checking accept too, with the same path.
// scratch is reused for decoding base64 data.
func skimNodeLine(line []byte, scratch *[]byte) (path string, isErr, ok bool) {
	if !utf8.Valid(line) {
		return "", false, false
	}
	d := fastDecoder{b: line}
	var seen uint16
	var data, encoding, typ, errText []byte
	hasData := false // absent data is null data
	end, ok := d.beginObject()
	for ok && !end {
		var key []byte
		if key, ok = d.key(); !ok {
			return "", false, false
		}
		bit := nodeKey(key)
		if bit == 0 || seen&bit != 0 {
			return "", false, false
		}
		seen |= bit
		switch bit {
		case keyPath:
			ok = d.str(&path)
		case keyData:
			if !d.null() {
				data, ok = d.view()
				hasData = true
			}
		case keyEncoding:
			encoding, ok = d.view()
		case keyType:
			typ, ok = d.view()
		case keyOwner, keyMessage:
			_, ok = d.view()
		case keyACL:
			ok = d.skimACL()
		case keyStat:
			if !d.null() {
				var st format.StatJSON
				ok = d.statFields(&st, false)
			}
		case keyError:
			errText, ok = d.view()
		}
		if !ok {
			return "", false, false
		}
		end, ok = d.afterMember()
	}
	d.space()
	if !ok || d.i != len(d.b) || session.ValidatePath(path, false) != nil {
		return "", false, false
	}
	if len(errText) > 0 {
		return path, true, true
	}
	switch string(encoding) {
	case "null":
		ok = !hasData
	case "utf-8":
		ok = hasData
	case "base64":
		ok = hasData && validBase64(data, scratch)
	default:
		ok = false
	}
	if t := string(typ); !ok || (t != TypePersistent && t != TypeEphemeral) {
		return "", false, false
	}
	return path, false, true
}

// skimACL checks an ACL array as checkEntries does: every entry has a
// scheme and valid permissions.
func (d *fastDecoder) skimACL() bool {
	return d.aclArray(func(scheme, _, perms []byte, _ bool) bool {
		_, ok := permBits(perms)
		return ok && len(scheme) > 0
	})
}

// validBase64 reports whether base64.StdEncoding.DecodeString accepts s.
func validBase64(s []byte, scratch *[]byte) bool {
	n := base64.StdEncoding.DecodedLen(len(s))
	if cap(*scratch) < n {
		*scratch = make([]byte, n)
	}
	_, err := base64.StdEncoding.Decode((*scratch)[:n], s)
	return err == nil
}
