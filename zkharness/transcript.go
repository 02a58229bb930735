package zkharness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Transcript tests are data: a file under testdata/transcripts/<area>/ is
// one case, the zkc runs it makes against a real server and what each must
// print. Adding a case is adding a file; RunTranscript runs one, and
// UPDATE_GOLDEN=1 rewrites its expected sections from a real run.
//
// The format is txtar (golang.org/x/tools/txtar): a free-text comment, then
// sections, each a line "-- name --" followed by its lines. Example:
//
//	Creates a node and reads it back. (The comment: free text, plus
//	directives, one "name: value" per line, e.g. "server: quota" to run on
//	the server with enforceQuota; the default is the shared one.)
//	-- setup --
//	-server ADDR deleteall /mycase
//	-- cmd --
//	zkc -server ADDR create /mycase 'two words'
//	-- stdout --
//	-- stderr --
//	Created /mycase
//	-- exit --
//	0
//	-- cmd --
//	zkc -server ADDR
//	-- stdin --
//	get /mycase
//	-- env --
//	ZKC_AUTH=digest:bob:pw
//	-- stdout --
//	two words
//	-- stderr --
//	-- exit --
//	0
//
// setup (optional, first) holds zkc argument lines run before the steps,
// their output ignored. Each step is a cmd section, optional stdin and env
// (KEY=VALUE lines added to the environment) sections, then its expected
// stdout, stderr and exit code.
// Step is one zkc run of a transcript.
type Step struct {
	Cmd    string // "zkc ..." as in the file
	Stdin  string
	Env    []string
	Stdout string
	Stderr string
	Exit   int
}

// Transcript is one transcript file.
type Transcript struct {
	Comment string
	Setup   []string // zkc argument lines
	Steps   []Step
}

// Directive returns the value of a "name: value" line of the comment.
func (tr *Transcript) Directive(name string) string {
	for _, line := range strings.Split(tr.Comment, "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			v, _, _ = strings.Cut(v, "#")
			return strings.TrimSpace(v)
		}
	}
	return ""
}

var reMarker = regexp.MustCompile(`^-- (.+) --$`)

const noFinalNewline = " (no final newline)"

// ParseTranscript reads a transcript file's text.
func ParseTranscript(text string) (*Transcript, error) {
	tr := &Transcript{}
	lines := strings.SplitAfter(text, "\n")
	i := 0
	var comment strings.Builder
	for ; i < len(lines) && !reMarker.MatchString(strings.TrimSuffix(lines[i], "\n")); i++ {
		comment.WriteString(lines[i])
	}
	tr.Comment = comment.String()
	var cur *Step
	for i < len(lines) {
		name := reMarker.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))[1]
		i++
		var body strings.Builder
		for ; i < len(lines) && !reMarker.MatchString(strings.TrimSuffix(lines[i], "\n")); i++ {
			body.WriteString(lines[i])
		}
		content := body.String()
		base, trimmed := strings.CutSuffix(name, noFinalNewline)
		if trimmed {
			content = strings.TrimSuffix(content, "\n")
		}
		if base != "setup" && base != "cmd" && cur == nil {
			return nil, fmt.Errorf("section %q before any cmd", name)
		}
		switch base {
		case "setup":
			for _, l := range strings.Split(content, "\n") {
				if strings.TrimSpace(l) != "" {
					tr.Setup = append(tr.Setup, l)
				}
			}
		case "cmd":
			tr.Steps = append(tr.Steps, Step{Cmd: strings.TrimSuffix(content, "\n")})
			cur = &tr.Steps[len(tr.Steps)-1]
		case "stdin":
			cur.Stdin = content
		case "env":
			for _, l := range strings.Split(strings.TrimSuffix(content, "\n"), "\n") {
				cur.Env = append(cur.Env, l)
			}
		case "stdout":
			cur.Stdout = content
		case "stderr":
			cur.Stderr = content
		case "exit":
			n, err := strconv.Atoi(strings.TrimSpace(content))
			if err != nil {
				return nil, fmt.Errorf("exit section %q: not a number", content)
			}
			cur.Exit = n
		default:
			return nil, fmt.Errorf("unknown section %q", name)
		}
	}
	return tr, nil
}

// Format writes the transcript back as text (UPDATE_GOLDEN).
func (tr *Transcript) Format() string {
	var b strings.Builder
	b.WriteString(tr.Comment)
	section := func(name, content string, always bool) {
		if content == "" && !always {
			return
		}
		if content != "" && !strings.HasSuffix(content, "\n") {
			name += noFinalNewline
			content += "\n"
		}
		b.WriteString("-- " + name + " --\n" + content)
	}
	if len(tr.Setup) > 0 {
		section("setup", strings.Join(tr.Setup, "\n")+"\n", true)
	}
	for _, s := range tr.Steps {
		section("cmd", s.Cmd+"\n", true)
		section("stdin", s.Stdin, false)
		if len(s.Env) > 0 {
			section("env", strings.Join(s.Env, "\n")+"\n", true)
		}
		section("stdout", s.Stdout, true)
		section("stderr", s.Stderr, true)
		section("exit", strconv.Itoa(s.Exit)+"\n", true)
	}
	return b.String()
}

// SplitWords splits a cmd line as a shell would (see the format above).
func SplitWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	in := false // inside a word
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated ' in %q", line)
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					i++
				}
				w.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, fmt.Errorf("unterminated \" in %q", line)
			}
			in = true
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words, nil
}

// QuoteWords is SplitWords' inverse.
func QuoteWords(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		switch {
		case w != "" && !strings.ContainsAny(w, " \t'\"\\"):
			out[i] = w
		case !strings.Contains(w, "'"):
			out[i] = "'" + w + "'"
		default:
			out[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(w) + `"`
		}
	}
	return strings.Join(out, " ")
}

var (
	reJSONZxid = regexp.MustCompile(`"(cZxid|mZxid|pZxid|ephemeralOwner)":[1-9][0-9]*`)
	reJSONTime = regexp.MustCompile(`"(ctime|mtime)":"[^"]*"`)
)

// NormalizeJSON hides zxids and times in JSON output.
func NormalizeJSON(s string) string {
	s = reJSONZxid.ReplaceAllString(s, `"$1":ZXID`)
	return reJSONTime.ReplaceAllString(s, `"$1":"TIME"`)
}

// RunTranscript runs the transcript file at path against addr and compares
// every step's output with the file (UPDATE_GOLDEN=1 rewrites it). vars
// replace $NAME in cmd lines; normalize, if set, runs after Normalize and
// NormalizeJSON on every output (and on the cmd line as shown in failures).
func (z *Zkc) RunTranscript(t *testing.T, path, addr string, vars map[string]string, normalize func(string) string) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTranscript(string(text))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	expand := func(s string) string {
		s = strings.ReplaceAll(s, "ADDR", addr)
		for k, v := range vars {
			s = strings.ReplaceAll(s, "$"+k, v)
		}
		return s
	}
	norm := func(s string) string {
		s = NormalizeJSON(Normalize(strings.ReplaceAll(s, addr, "ADDR")))
		if normalize != nil {
			s = normalize(s)
		}
		return s
	}
	for _, line := range tr.Setup {
		args, err := SplitWords(expand(line))
		if err != nil {
			t.Fatalf("%s: setup: %v", path, err)
		}
		z.Run("", args...)
	}
	got := *tr
	got.Steps = slices.Clone(tr.Steps)
	for i, s := range tr.Steps {
		words, err := SplitWords(expand(s.Cmd))
		if err != nil || len(words) == 0 || words[0] != "zkc" {
			t.Fatalf("%s: step %d: cmd %q is not a zkc command line (%v)", path, i+1, s.Cmd, err)
		}
		args := words[1:]
		zz := *z
		zz.Env = append(append([]string(nil), z.Env...), s.Env...)
		r := zz.Run(s.Stdin, args...)
		g := &got.Steps[i]
		g.Stdout, g.Stderr, g.Exit = norm(r.Stdout), norm(r.Stderr), r.Code
		if slices.Contains(args, "json") && strings.Contains(" "+strings.Join(args, " ")+" ", " -o json ") {
			for _, line := range strings.SplitAfter(r.Stdout, "\n") {
				if line == "" {
					continue
				}
				var v any
				if err := json.Unmarshal([]byte(line), &v); err != nil || !strings.HasSuffix(line, "\n") {
					t.Errorf("%s: step %d (%s): stdout line is not one JSON document: %q (%v)", path, i+1, s.Cmd, line, err)
				}
			}
		}
	}
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, []byte(got.Format()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for i, want := range tr.Steps {
		g := got.Steps[i]
		if g.Stdout != want.Stdout || g.Stderr != want.Stderr || g.Exit != want.Exit {
			t.Errorf("%s: step %d differs:\n$ %s\n--- want stdout\n%s--- got stdout\n%s--- want stderr\n%s--- got stderr\n%s--- want exit %d, got %d",
				filepath.Base(path), i+1, want.Cmd, want.Stdout, g.Stdout, want.Stderr, g.Stderr, want.Exit, g.Exit)
		}
	}
}
