package session

import (
	"fmt"
	"unicode/utf8"
)

// PathError is a client-side path validation failure, worded as zkCli's
// PathUtils so that scripts matching its messages keep working.
type PathError struct{ Msg string }

func (e *PathError) Error() string { return e.Msg }

// JuteMaxBuffer is the largest request a ZooKeeper server accepts by default
// (jute.maxbuffer = 0xfffff bytes). A bigger packet makes the server drop the
// connection, so zkc refuses such requests before sending them.
const JuteMaxBuffer = 0xfffff

// MaxPathLength is the longest path zkc sends: a request must fit
// JuteMaxBuffer, and this leaves room for its header and other fields.
const MaxPathLength = JuteMaxBuffer - 1023

// ValidatePath checks a znode path as ZooKeeper's PathUtils.validatePath does.
// A sequential create may end with '/'. Unlike PathUtils it also refuses a
// path too long for one request, and names the empty node name of a path
// ending in "//" (such as "//", which is not "/").
func ValidatePath(path string, sequential bool) error {
	if path == "" {
		return &PathError{"Path length must be > 0"}
	}
	if path[0] != '/' {
		return &PathError{"Path must start with / character"}
	}
	if len(path) > MaxPathLength {
		return &PathError{fmt.Sprintf("Path too long: %d bytes, but at most %d fit in one request (ZooKeeper's default jute.maxbuffer is %d bytes)",
			len(path), MaxPathLength, JuteMaxBuffer)}
	}
	if len(path) == 1 {
		return nil
	}
	bad := func(i int, why string) error {
		return &PathError{fmt.Sprintf("Invalid path string \"%s\" caused by %s @%d", path, why, i)}
	}
	if !sequential && path[len(path)-1] == '/' {
		if path[len(path)-2] == '/' {
			return bad(len([]rune(path))-1, "empty node name specified")
		}
		return &PathError{"Path must not end with / character"}
	}
	runes := []rune(path)
	for i := 1; i < len(runes); i++ {
		c, last := runes[i], runes[i-1]
		switch {
		case c == 0:
			return bad(i, "null character not allowed")
		case c == '/' && last == '/':
			return bad(i, "empty node name specified")
		case c == '.' && last == '.':
			if runes[i-2] == '/' && (i+1 == len(runes) || runes[i+1] == '/') {
				return bad(i, "relative paths not allowed")
			}
		case c == '.':
			if last == '/' && (i+1 == len(runes) || runes[i+1] == '/') {
				return bad(i, "relative paths not allowed")
			}
		case c > 0 && c <= 0x1f, c >= 0x7f && c <= 0x9f,
			c >= 0xd800 && c <= 0xf8ff, c >= 0xfff0 && c <= 0xffff:
			return bad(i, "invalid character")
		}
	}
	if !utf8.ValidString(path) {
		return &PathError{fmt.Sprintf("Invalid path string \"%s\" caused by invalid character", path)}
	}
	return nil
}
