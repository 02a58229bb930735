package session

import (
	"fmt"
	"unicode/utf8"
)

// PathError is a client-side path validation failure, worded as zkCli's
// PathUtils so that scripts matching its messages keep working.
type PathError struct{ Msg string }

func (e *PathError) Error() string { return e.Msg }

// ValidatePath checks a znode path as ZooKeeper's PathUtils.validatePath does.
// A sequential create may end with '/'.
func ValidatePath(path string, sequential bool) error {
	if path == "" {
		return &PathError{"Path length must be > 0"}
	}
	if path[0] != '/' {
		return &PathError{"Path must start with / character"}
	}
	if len(path) == 1 {
		return nil
	}
	if !sequential && path[len(path)-1] == '/' {
		return &PathError{"Path must not end with / character"}
	}
	bad := func(i int, why string) error {
		return &PathError{fmt.Sprintf("Invalid path string \"%s\" caused by %s @%d", path, why, i)}
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
