// Package clientconf reads zkCli's -client-configuration file (a Java
// properties file) and builds the TLS configuration it describes, or the one
// the --tls-ca/--tls-cert/--tls-key flags describe.
package clientconf

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SyntaxError is a malformed properties file: the line and what is wrong. It
// never quotes the line, which may hold a password, and names a key only
// when it is one zkc knows (a mistyped line's "key" may be a password).
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseProperties parses text in java.util.Properties' line format: key=value,
// key: value or key value; # and ! comment lines; a backslash at the end of a
// line continues it (leading blanks of the next line dropped); \t \n \r \f
// \uXXXX and \<any> escapes. Later keys override earlier ones, as in Java.
// Unlike Java, a malformed \u escape is an error rather than an exception
// with a stack trace, and so is a NUL byte or invalid UTF-8 (a binary file
// given by mistake).
func ParseProperties(text string) (map[string]string, error) {
	props := map[string]string{}
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return nil, &SyntaxError{Line: 1, Msg: "not a text file (invalid UTF-8 or NUL bytes)"}
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	lines := splitLines(text)
	for i := 0; i < len(lines); i++ {
		startLine := i + 1
		line := strings.TrimLeft(lines[i], " \t\f")
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		// Join continuation lines: an odd number of trailing backslashes.
		logical := line
		for endsWithContinuation(logical) && i+1 < len(lines) {
			logical = logical[:len(logical)-1]
			i++
			logical += strings.TrimLeft(lines[i], " \t\f")
		}
		if endsWithContinuation(logical) {
			logical = logical[:len(logical)-1] // a continuation at EOF continues into nothing
		}
		key, value := splitKeyValue(logical)
		k, err := unescape(key)
		if err != nil {
			return nil, &SyntaxError{Line: startLine, Msg: "key: " + err.Error()}
		}
		v, err := unescape(value)
		if err != nil {
			what := "value"
			if knownKey(k) {
				what = "value of " + k
			}
			return nil, &SyntaxError{Line: startLine, Msg: what + ": " + err.Error()}
		}
		props[k] = v
	}
	return props, nil
}

// splitLines splits on \n, \r\n and \r, as Java's LineReader does.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

func endsWithContinuation(s string) bool {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// splitKeyValue finds the first unescaped '=', ':' or blank; blanks around the
// separator and at the start of the value are dropped.
func splitKeyValue(s string) (key, value string) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f' {
			break
		}
		i++
	}
	if i > len(s) {
		i = len(s)
	}
	key = s[:i]
	rest := strings.TrimLeft(s[i:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
	}
	return key, rest
}

func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			break // a lone trailing backslash is dropped, as in Java
		}
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return "", fmt.Errorf(`malformed \uXXXX escape`)
			}
			i += 4
			// A UTF-16 surrogate pair is two escapes, as Java writes them.
			if utf16.IsSurrogate(r) && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2, ok := hex4(s, i+3); ok {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r = pair
						i += 6
					}
				}
			}
			b.WriteRune(r)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), nil
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, h := range s[i : i+4] {
		switch {
		case h >= '0' && h <= '9':
			r = r<<4 | (h - '0')
		case h >= 'a' && h <= 'f':
			r = r<<4 | (h - 'a' + 10)
		case h >= 'A' && h <= 'F':
			r = r<<4 | (h - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
