package commands

import (
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Suggestions for mistyped command and flag names: the candidates closest to
// what was typed, for "did you mean ...?". Case is ignored (zkCli's names are
// case-sensitive, so "getacl" is a mistake worth naming getAcl for), and a
// swap of two neighbouring letters counts as one edit ("sl" → ls).

// maxSuggestions bounds the list: more is noise.
const maxSuggestions = 3

// Closest returns the candidates nearest to typed, best first: those within
// a small edit distance (1 for names up to 4 letters, else 2), then those
// typed is a prefix of when nothing is that close.
func Closest(typed string, candidates []string) []string {
	t := strings.ToLower(typed)
	if t == "" {
		return nil
	}
	limit := 2
	if len([]rune(t)) <= 4 {
		limit = 1
	}
	type scored struct {
		name string
		d    int
	}
	var exact, near, prefixed []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		if c == typed || seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		d := editDistance(t, lc)
		if d > 1 && len(t) >= 3 && len(lc)-len(t) <= 2 && isSubsequence(t, lc) {
			d = 1 // letters left out: "cret" is create
		}
		if d == 0 {
			exact = append(exact, scored{c, d})
		} else if d <= limit {
			near = append(near, scored{c, d})
		} else if len(t) >= 2 && strings.HasPrefix(lc, t) {
			prefixed = append(prefixed, scored{c, len(lc) - len(t)})
		}
	}
	switch {
	case len(exact) > 0:
		near = exact // only case differs: that is the one meant
	case len(near) == 0:
		near = prefixed
	}
	sort.SliceStable(near, func(i, j int) bool {
		if near[i].d != near[j].d {
			return near[i].d < near[j].d
		}
		return near[i].name < near[j].name
	})
	var out []string
	for _, s := range near {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, s.name)
	}
	return out
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// isSubsequence reports whether a's letters appear in b in order.
func isSubsequence(a, b string) bool {
	for _, r := range b {
		if a == "" {
			break
		}
		if ar := []rune(a)[0]; ar == r {
			a = a[len(string(ar)):]
		}
	}
	return a == ""
}

// didYouMean words a suggestion list: " (did you mean a, b or c?)", or ""
// when there is none.
func didYouMean(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return " (did you mean " + names[0] + "?)"
	}
	return " (did you mean " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + "?)"
}

// commandNames lists the names of the commands usable in mode, without the
// removed zkCli ones zkc still runs: a suggestion should teach the current name.
func commandNames(mode Mode) []string {
	var names []string
	for _, mk := range constructors() {
		if c := mk(); !(c.ShellOnly && mode == ModeOneShot) && c.ReplacedBy == "" {
			names = append(names, c.Name)
		}
	}
	return names
}

// flagSuggestions names the flags of fs closest to an unknown option as it
// was typed: "--recursiv" or "-recursiv" against the long names, spelled
// with the same dashes; a single letter only against shorthands that differ
// from it in case (-r for -R), since every letter is one edit from another.
func flagSuggestions(typed string, fs *pflag.FlagSet) []string {
	if fs == nil {
		return nil
	}
	dashes := "--"
	if !strings.HasPrefix(typed, "--") {
		dashes = "-"
	}
	name := strings.TrimLeft(typed, "-")
	if eq := strings.IndexByte(name, '='); eq >= 0 {
		name = name[:eq]
	}
	var out []string
	if len([]rune(name)) == 1 && dashes == "-" {
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Shorthand != "" && f.Shorthand != name && strings.EqualFold(f.Shorthand, name) {
				out = append(out, "-"+f.Shorthand)
			}
		})
		return out
	}
	var longs []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			longs = append(longs, f.Name)
		}
	})
	for _, n := range Closest(name, longs) {
		out = append(out, dashes+n)
	}
	return out
}

// UnknownOption is the usage error for an option fs does not define, as it
// was typed, with the closest ones fs has.
// A value given with "=" is left out: it may be a secret.
func UnknownOption(typed string, fs *pflag.FlagSet) *Error {
	typed, _, _ = strings.Cut(typed, "=")
	return &Error{Code: ExitUsage, Msg: "Unrecognized option: " + typed + didYouMean(flagSuggestions(typed, fs))}
}
