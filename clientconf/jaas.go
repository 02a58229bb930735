package clientconf

import (
	"fmt"
	"strings"
)

// JAASEntry is one login module line of a JAAS configuration section.
type JAASEntry struct {
	Module  string // e.g. com.sun.security.auth.module.Krb5LoginModule
	Flag    string // required, requisite, sufficient, optional
	Options map[string]string
}

// Login modules zkc understands.
const (
	DigestLoginModule = "org.apache.zookeeper.server.auth.DigestLoginModule"
	Krb5LoginModule   = "com.sun.security.auth.module.Krb5LoginModule"
)

// ParseJAAS reads a JAAS login configuration file (the format of Java's
// ConfigFile): sections `Name { module flag key=value ...; ... };`, values
// quoted or bare, // and /* */ comments. It returns the sections by name.
func ParseJAAS(text string) (map[string][]JAASEntry, error) {
	toks, err := jaasTokens(text)
	if err != nil {
		return nil, err
	}
	out := map[string][]JAASEntry{}
	i := 0
	next := func() (jaasToken, bool) {
		if i >= len(toks) {
			return jaasToken{}, false
		}
		i++
		return toks[i-1], true
	}
	expect := func(what string, ok func(jaasToken) bool) (jaasToken, error) {
		t, more := next()
		if !more {
			return t, fmt.Errorf("unexpected end of file, expected %s", what)
		}
		if !ok(t) {
			return t, fmt.Errorf("line %d: expected %s, found %s", t.line, what, t.describe())
		}
		return t, nil
	}
	isWord := func(t jaasToken) bool { return t.kind == 'w' || t.kind == 'q' }
	isPunct := func(c byte) func(jaasToken) bool {
		return func(t jaasToken) bool { return t.kind == c }
	}
	for i < len(toks) {
		name, err := expect("a section name", isWord)
		if err != nil {
			return nil, err
		}
		if _, err := expect("{", isPunct('{')); err != nil {
			return nil, err
		}
		var entries []JAASEntry
		for {
			t, more := next()
			if !more {
				return nil, fmt.Errorf("section %s is not closed with }", name.text)
			}
			if t.kind == '}' {
				break
			}
			if !isWord(t) {
				return nil, fmt.Errorf("line %d: expected a login module class in section %s, found %s", t.line, name.text, t.describe())
			}
			flag, err := expect("a control flag (required, requisite, sufficient, optional)", isWord)
			if err != nil {
				return nil, err
			}
			switch strings.ToLower(flag.text) {
			case "required", "requisite", "sufficient", "optional":
			default:
				return nil, fmt.Errorf("line %d: the control flag after the login module must be required, requisite, sufficient or optional", flag.line)
			}
			e := JAASEntry{Module: t.text, Flag: strings.ToLower(flag.text), Options: map[string]string{}}
			for {
				k, more := next()
				if !more {
					return nil, fmt.Errorf("the %s entry of section %s does not end with ;", e.Module, name.text)
				}
				if k.kind == ';' {
					break
				}
				if !isWord(k) {
					return nil, fmt.Errorf("line %d: expected an option name, found %s", k.line, k.describe())
				}
				if _, err := expect("=", isPunct('=')); err != nil {
					return nil, err
				}
				v, err := expect("a value", isWord)
				if err != nil {
					return nil, err
				}
				e.Options[k.text] = v.text
			}
			entries = append(entries, e)
		}
		if i < len(toks) && toks[i].kind == ';' {
			i++
		}
		out[name.text] = append(out[name.text], entries...)
	}
	return out, nil
}

type jaasToken struct {
	kind byte // 'w' word, 'q' quoted, or the punctuation itself
	text string
	line int
}

// describe names a token for an error without its text, which may be a
// password (password "S3CRET" with the = forgotten).
func (t jaasToken) describe() string {
	switch t.kind {
	case 'w':
		return "a word"
	case 'q':
		return "a quoted value"
	}
	return `"` + t.text + `"`
}

// jaasTokens splits JAAS text; it never quotes a value in an error (a
// password may be one).
func jaasTokens(s string) ([]jaasToken, error) {
	var toks []jaasToken
	line := 1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case strings.HasPrefix(s[i:], "//") || c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: comment not closed", line)
			}
			line += strings.Count(s[i:i+2+end], "\n")
			i += end + 4
		case c == '{' || c == '}' || c == ';' || c == '=':
			toks = append(toks, jaasToken{kind: c, text: string(c), line: line})
			i++
		case c == '"' || c == '\'':
			var b strings.Builder
			start := line
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				if s[j] == '\n' {
					line++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("line %d: quoted value not closed", start)
			}
			toks = append(toks, jaasToken{kind: 'q', text: b.String(), line: start})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n\f{};=\"'", rune(s[j])) {
				j++
			}
			toks = append(toks, jaasToken{kind: 'w', text: s[i:j], line: line})
			i = j
		}
	}
	return toks, nil
}
