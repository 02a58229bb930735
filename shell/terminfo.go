package shell

import (
	"encoding/binary"
	"path/filepath"
	"strings"

	"github.com/zkc-cli/zkc/safeio"
)

// canPositionCursor reports whether the terminal named by TERM moves its
// cursor (go-prompt's editor needs that): not for an unset, "dumb" or
// "unknown" TERM, nor for one whose terminfo entry lacks cursor addressing
// (cup). A TERM without a terminfo entry here is taken to be a usual
// ANSI terminal.
func canPositionCursor(getenv func(string) string) bool {
	t := strings.ToLower(getenv("TERM"))
	switch t {
	case "", "dumb", "unknown", "cons25", "emacs":
		return false
	}
	entry := findTerminfo(getenv, getenv("TERM"))
	if entry == nil {
		return true
	}
	has, ok := terminfoHasString(entry, capCursorAddress)
	return !ok || has
}

// capCursorAddress is cup's index among terminfo's string capabilities.
const capCursorAddress = 10

// findTerminfo reads the compiled entry for name from terminfo's usual
// places, or returns nil.
func findTerminfo(getenv func(string) string, name string) []byte {
	if name == "" || strings.ContainsAny(name, "/\\") || name[0] == '.' {
		return nil
	}
	var dirs []string
	if d := getenv("TERMINFO"); d != "" {
		dirs = append(dirs, d)
	}
	if h := getenv("HOME"); h != "" {
		dirs = append(dirs, filepath.Join(h, ".terminfo"))
	}
	for _, d := range strings.Split(getenv("TERMINFO_DIRS"), ":") {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, "/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo")
	for _, d := range dirs {
		for _, sub := range []string{name[:1], strings.ToLower(name[:1]), "%02x"} {
			if sub == "%02x" {
				sub = strings.ToLower(hex2(name[0]))
			}
			if b, err := safeio.ReadRegular(filepath.Join(d, sub, name), 1<<16-1); err == nil {
				return b
			}
		}
	}
	return nil
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// terminfoHasString reports whether a compiled terminfo entry (term(5):
// legacy or 32-bit numbers format) defines string capability i; ok is
// false when the entry cannot be read.
func terminfoHasString(b []byte, i int) (has, ok bool) {
	if len(b) < 12 {
		return false, false
	}
	le := binary.LittleEndian
	magic := le.Uint16(b[0:])
	numSize := 2
	switch magic {
	case 0o432:
	case 0o1036:
		numSize = 4
	default:
		return false, false
	}
	names, bools, nums, strs := int(le.Uint16(b[2:])), int(le.Uint16(b[4:])), int(le.Uint16(b[6:])), int(le.Uint16(b[8:]))
	off := 12 + names + bools
	if off%2 == 1 {
		off++
	}
	off += nums * numSize
	if i >= strs {
		return false, true
	}
	p := off + 2*i
	if p+2 > len(b) {
		return false, false
	}
	v := int16(le.Uint16(b[p:]))
	return v >= 0, true
}
