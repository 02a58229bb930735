// Package completion is zkc's one completion engine: pure (line, cursor) →
// suggestions over the command registry, with znode paths from a children
// cache. The shell's Tab and cobra's __complete (bash, zsh, fish,
// powershell) both use it.
package completion

import (
	"context"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/zpath"
)

// Suggestion is one candidate: the whole word that replaces the word at the
// cursor, and a one-line description (may be empty).
type Suggestion struct {
	Text        string
	Description string
}

// ChildrenFunc lists a znode's children (sorted or not). It must return
// promptly; nil means paths are not completed.
type ChildrenFunc func(ctx context.Context, path string) []string

// Engine completes zkc command lines.
type Engine struct {
	Mode     commands.Mode
	Children ChildrenFunc
	// Cwd is the shell's current znode, which relative paths complete
	// from; nil means "/".
	Cwd func() string
	// Extra are more values for flags, by command and long flag name
	// ("4lw words later"); they add to Command.FlagValues.
	Extra map[string]map[string][]string
}

// Complete returns the suggestions for the word that ends at cursor (a byte
// offset into line) and the byte offset where that word starts. Words are
// split and candidates quoted as the shell's tokenizer reads them: a node
// named "sp ace" completes to "/sp ace" in quotes, inside an open quote or
// not.
func (e *Engine) Complete(ctx context.Context, line string, cursor int) (start int, out []Suggestion) {
	if cursor > len(line) || cursor < 0 {
		cursor = len(line)
	}
	words, start, cur, quote := splitWords(line[:cursor])
	var raw []Suggestion
	if len(words) == 0 {
		raw = e.commandNames(cur)
	} else {
		raw = e.forCommand(ctx, words[0], words[1:], cur)
	}
	// Candidates are written as the tokenizer reads them back.
	for _, s := range raw {
		if q, ok := Quote(s.Text, quote); ok {
			s.Text = q
			out = append(out, s)
		}
	}
	return start, out
}

// Args completes the positional argument after args (no flags among them),
// for cobra's ValidArgsFunction.
func (e *Engine) Args(ctx context.Context, name string, args []string, cur string) []Suggestion {
	c := commands.Lookup(name)
	if c == nil {
		return nil
	}
	if c.NoFlags && len(c.DashWords) > 0 {
		return e.dashWords(ctx, c, args, cur)
	}
	return e.positional(ctx, c, len(args), cur)
}

// dashWords completes a command that takes find(1)-style words (find's
// tests): the word, the value after one that has listed values, or a path.
func (e *Engine) dashWords(ctx context.Context, c *commands.Command, prev []string, cur string) []Suggestion {
	if len(prev) > 0 {
		if vals, ok := c.FlagValues[prev[len(prev)-1]]; ok {
			return filter(vals, cur)
		}
	}
	if strings.HasPrefix(cur, "-") {
		return filter(c.DashWords, cur)
	}
	return e.paths(ctx, cur)
}

// FlagValues completes the value of a command's flag (by long name).
func (e *Engine) FlagValues(name, flag, cur string) []Suggestion {
	c := commands.Lookup(name)
	if c == nil {
		return nil
	}
	return filter(e.flagValueList(c, flag), cur)
}

// splitWords splits the text before the cursor as the shell's tokenizer
// (zkCli's) does: blanks separate words, "..." and '...' are single words
// without escapes. It returns the words before the one being typed, where
// that word starts (at its opening quote, if any), the word without quotes,
// and its quote character (0 for a bare word). An unclosed quote opens the
// word being typed.
func splitWords(s string) (words []string, start int, cur string, quote byte) {
	i := 0
	for {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if i == len(s) {
			return words, len(s), "", 0
		}
		tokStart, q := i, byte(0)
		var tok string
		if c := s[i]; c == '"' || c == '\'' {
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return words, i, s[i+1:], c
			}
			tok, q, i = s[i+1:i+1+j], c, i+2+j
		} else {
			j := i
			for j < len(s) && !isBlank(s[j]) {
				j++
			}
			tok, i = s[i:j], j
		}
		if i == len(s) {
			return words, tokStart, tok, q
		}
		words = append(words, tok)
	}
}

// isBlank is the tokenizer's \s.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// Quote writes w so that the shell's tokenizer reads it back as w: bare
// when it can be, else in the quote the user opened (quote, 0 for none)
// when w does not contain it, else in the other quote. ok is false when no
// form exists (blanks and both quotes: the tokenizer has no escapes) or w
// holds control characters, which cannot be typed.
func Quote(w string, quote byte) (string, bool) {
	for _, r := range w {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return "", false
		}
	}
	bare := w != "" && !strings.ContainsAny(w, " \t\n\f\r") && w[0] != '"' && w[0] != '\''
	switch {
	case quote == 0 && bare:
		return w, true
	case quote != 0 && !strings.ContainsRune(w, rune(quote)):
		return string(quote) + w + string(quote), true
	case bare:
		return w, true
	case !strings.Contains(w, `"`):
		return `"` + w + `"`, true
	case !strings.Contains(w, "'"):
		return "'" + w + "'", true
	}
	return "", false
}

func (e *Engine) commands() []*commands.Command {
	var out []*commands.Command
	for _, c := range commands.All() {
		// The removed zkCli commands (ls2, rmr) run but are not taught.
		if (c.ShellOnly && e.Mode == commands.ModeOneShot) || c.ReplacedBy != "" {
			continue
		}
		out = append(out, c)
	}
	return out
}

func (e *Engine) commandNames(prefix string) []Suggestion {
	var out []Suggestion
	for _, c := range e.commands() {
		out = append(out, Suggestion{Text: c.Name, Description: c.Short})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return filterSuggestions(out, prefix)
}

func (e *Engine) forCommand(ctx context.Context, name string, prev []string, cur string) []Suggestion {
	c := commands.Lookup(name)
	if c == nil {
		return nil
	}
	if c.ShellOnly && e.Mode == commands.ModeOneShot {
		return nil
	}
	if c.NoFlags && len(c.DashWords) > 0 {
		return e.dashWords(ctx, c, prev, cur)
	}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	if c.Flags != nil {
		c.Flags(fs)
	}
	// Walk the previous words: which positional is next, and is the word
	// at the cursor the value of a flag?
	positional := 0
	var pendingFlag *pflag.Flag
	afterDashes := false
	for _, w := range prev {
		if pendingFlag != nil {
			pendingFlag = nil
			continue
		}
		if afterDashes || !strings.HasPrefix(w, "-") || w == "-" {
			positional++
			continue
		}
		if w == "--" {
			afterDashes = true
			continue
		}
		pendingFlag = flagNeedingValue(fs, w)
	}
	if pendingFlag != nil {
		return filter(e.flagValueList(c, pendingFlag.Name), cur)
	}
	if !afterDashes && strings.HasPrefix(cur, "-") {
		return flagNames(fs, cur)
	}
	return e.positional(ctx, c, positional, cur)
}

// flagNeedingValue returns the flag whose value is the next word, or nil.
// w is -x, -abc (a cluster: the last letter may take the value), --name or
// zkCli's single-dash long form -name.
func flagNeedingValue(fs *pflag.FlagSet, w string) *pflag.Flag {
	if strings.Contains(w, "=") {
		return nil
	}
	var f *pflag.Flag
	switch {
	case strings.HasPrefix(w, "--"):
		f = fs.Lookup(w[2:])
	case len(w) > 2 && fs.Lookup(w[1:]) != nil:
		f = fs.Lookup(w[1:])
	default:
		// In a cluster only the last shorthand can take the next word.
		f = fs.ShorthandLookup(w[len(w)-1:])
		if f != nil && len(w) > 2 {
			for _, r := range w[1 : len(w)-1] {
				if g := fs.ShorthandLookup(string(r)); g == nil || g.NoOptDefVal == "" {
					return nil // the value was attached to an earlier letter
				}
			}
		}
	}
	if f == nil || f.NoOptDefVal != "" {
		return nil
	}
	return f
}

func flagNames(fs *pflag.FlagSet, cur string) []Suggestion {
	var out []Suggestion
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		// zkCli spells flags with one dash and one letter; the long form is
		// offered when there is no letter or the user typed "--".
		if f.Shorthand != "" && !strings.HasPrefix(cur, "--") {
			out = append(out, Suggestion{Text: "-" + f.Shorthand, Description: f.Usage})
		} else {
			out = append(out, Suggestion{Text: "--" + f.Name, Description: f.Usage})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return filterSuggestions(out, cur)
}

func (e *Engine) flagValueList(c *commands.Command, flag string) []string {
	vals := append([]string(nil), c.FlagValues[flag]...)
	if e.Extra != nil {
		vals = append(vals, e.Extra[c.Name][flag]...)
	}
	return vals
}

func (e *Engine) positional(ctx context.Context, c *commands.Command, idx int, cur string) []Suggestion {
	kind := c.ArgKindAt(idx)
	switch kind {
	case commands.ArgPath:
		return e.paths(ctx, cur)
	case commands.ArgWord:
		return filter(c.Words, cur)
	case commands.ArgACL:
		if strings.Contains(cur, ":") {
			return nil
		}
		var out []string
		for _, s := range commands.ACLSchemes() {
			out = append(out, s+":")
		}
		return filter(out, cur)
	case commands.ArgCommand:
		return e.commandNames(cur)
	}
	return nil
}

// paths completes a znode path: the children of the parent typed so far
// that start with the last element. When the word is itself a node (the
// only match), its children follow, so a shell's common prefix becomes
// "node/". A relative word (a/b, ../x) completes against the current znode
// and keeps its relative form.
func (e *Engine) paths(ctx context.Context, cur string) []Suggestion {
	cwd := "/"
	if e.Cwd != nil {
		cwd = e.Cwd()
	}
	if cur == "" && cwd == "/" {
		return []Suggestion{{Text: "/"}}
	}
	if e.Children == nil {
		return nil
	}
	slash := strings.LastIndexByte(cur, '/')
	typedParent, prefix := "", cur
	if slash >= 0 {
		typedParent, prefix = cur[:slash+1], cur[slash+1:]
	}
	parent := "/"
	if typedParent != "" {
		parent = zpath.Clean(cwd, typedParent)
	} else if cur == "" || cur[0] != '/' {
		parent = cwd
	}
	var out []Suggestion
	for _, k := range sorted(e.Children(ctx, parent)) {
		if strings.HasPrefix(k, prefix) {
			out = append(out, Suggestion{Text: typedParent + k})
		}
	}
	if len(out) == 1 && out[0].Text == cur && prefix != "" {
		self := zpath.Clean(cwd, cur)
		for _, k := range sorted(e.Children(ctx, self)) {
			out = append(out, Suggestion{Text: cur + "/" + k})
		}
	}
	return out
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func filter(vals []string, prefix string) []Suggestion {
	var out []Suggestion
	for _, v := range vals {
		if strings.HasPrefix(v, prefix) {
			out = append(out, Suggestion{Text: v})
		}
	}
	return out
}

func filterSuggestions(in []Suggestion, prefix string) []Suggestion {
	var out []Suggestion
	for _, s := range in {
		if strings.HasPrefix(s.Text, prefix) {
			out = append(out, s)
		}
	}
	return out
}
