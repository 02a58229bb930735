package treeops

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zpath"
)

// FindNode is what find's tests look at: a node's path, its depth below
// the starting point and, when the expression needs it (Find.NeedStat), its
// stat.
type FindNode struct {
	Path  string
	Depth int
	Stat  *zk.Stat
}

// Find is a parsed find command line: the starting points, the expression,
// and the action.
type Find struct {
	Paths []string
	// MinDepth and MaxDepth (-1: none) bound the depths tested.
	MinDepth, MaxDepth int
	// NeedStat: some test reads the stat, so the walk must fetch it.
	NeedStat bool
	// Print0 ends each path with NUL instead of a newline.
	Print0 bool
	// Exec is the command run per match, "{}" standing for the path; nil
	// means print.
	Exec   []string
	DryRun bool
	expr   expr
}

// Match evaluates the expression on n (depth bounds included).
func (f *Find) Match(n FindNode, now time.Time) bool {
	if n.Depth < f.MinDepth || f.MaxDepth >= 0 && n.Depth > f.MaxDepth {
		return false
	}
	if f.expr == nil {
		return true
	}
	return f.expr.eval(n, now)
}

// ExecArgs is the command for one match, {} replaced by its path (also
// inside a word, as GNU find does).
func (f *Find) ExecArgs(p string) []string {
	out := make([]string, len(f.Exec))
	for i, a := range f.Exec {
		out[i] = strings.ReplaceAll(a, "{}", p)
	}
	return out
}

type expr interface {
	eval(n FindNode, now time.Time) bool
}

type (
	andExpr  struct{ a, b expr }
	orExpr   struct{ a, b expr }
	notExpr  struct{ e expr }
	trueExpr struct{}
	testExpr struct {
		stat bool // reads n.Stat
		fn   func(n FindNode, now time.Time) bool
	}
)

func (e andExpr) eval(n FindNode, now time.Time) bool { return e.a.eval(n, now) && e.b.eval(n, now) }
func (e orExpr) eval(n FindNode, now time.Time) bool  { return e.a.eval(n, now) || e.b.eval(n, now) }
func (e notExpr) eval(n FindNode, now time.Time) bool { return !e.e.eval(n, now) }
func (trueExpr) eval(FindNode, time.Time) bool        { return true }
func (e testExpr) eval(n FindNode, now time.Time) bool {
	return (!e.stat || n.Stat != nil) && e.fn(n, now)
}

// FindError is a mistake in a find command line (a usage error).
type FindError struct{ Msg string }

func (e *FindError) Error() string { return e.Msg }

func findErrorf(format string, args ...interface{}) error {
	return &FindError{Msg: fmt.Sprintf(format, args...)}
}

// ParseFind reads find's arguments: starting paths (none: "."), then tests,
// operators (! -not, -a -and, -o -or, parentheses) and actions, as find(1).
// resolve makes a typed path absolute (relative paths start at the current
// znode). --dry-run may appear anywhere before -exec.
func ParseFind(args []string, resolve func(string) string) (*Find, error) {
	f := &Find{MinDepth: 0, MaxDepth: -1}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--dry-run" {
			f.DryRun = true
			continue
		}
		if a == "!" || a == "(" || a == ")" || strings.HasPrefix(a, "-") && len(a) > 1 {
			break
		}
		f.Paths = append(f.Paths, resolve(a))
	}
	if len(f.Paths) == 0 {
		f.Paths = []string{resolve(".")}
	}
	p := &findParser{args: args[i:], f: f}
	if len(p.args) > 0 {
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.pos < len(p.args) {
			if p.args[p.pos] == ")" {
				return nil, findErrorf("find: unexpected )")
			}
			return nil, findErrorf("find: unexpected %q", p.args[p.pos])
		}
		f.expr = e
	}
	return f, nil
}

type findParser struct {
	args []string
	pos  int
	f    *Find
}

func (p *findParser) peek() string {
	if p.pos < len(p.args) {
		return p.args[p.pos]
	}
	return ""
}

func (p *findParser) or() (expr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "-o" || p.peek() == "-or" {
		p.pos++
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = orExpr{left, right}
	}
	return left, nil
}

func (p *findParser) and() (expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		switch t := p.peek(); {
		case t == "" || t == ")" || t == "-o" || t == "-or":
			return left, nil
		case t == "-a" || t == "-and":
			p.pos++
		}
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = andExpr{left, right}
	}
}

func (p *findParser) unary() (expr, error) {
	switch p.peek() {
	case "!", "-not":
		p.pos++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notExpr{e}, nil
	case "(":
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, findErrorf("find: missing )")
		}
		p.pos++
		return e, nil
	case "":
		return nil, findErrorf("find: expression expected after %q", p.args[p.pos-1])
	}
	return p.primary()
}

// value returns the argument of the test at p.pos-1.
func (p *findParser) value(test string) (string, error) {
	if p.pos >= len(p.args) {
		return "", findErrorf("find: missing argument to %s", test)
	}
	v := p.args[p.pos]
	p.pos++
	return v, nil
}

func (p *findParser) primary() (expr, error) {
	test := p.args[p.pos]
	p.pos++
	f := p.f
	switch test {
	case "-name", "-iname", "-path", "-ipath", "-wholename":
		glob, err := p.value(test)
		if err != nil {
			return nil, err
		}
		fold := test == "-iname" || test == "-ipath"
		base := test == "-name" || test == "-iname"
		if base && strings.Contains(glob, "/") {
			return nil, findErrorf("find: %s %q can never match: names have no \"/\" (use -path)", test, glob)
		}
		subject := func(n FindNode) string {
			if base {
				return zpath.Base(n.Path)
			}
			return n.Path
		}
		if literalGlob(glob) && !fold {
			return testExpr{fn: func(n FindNode, _ time.Time) bool { return subject(n) == glob }}, nil
		}
		re, err := globRegexp(glob, fold)
		if err != nil {
			return nil, findErrorf("find: %s: %v", test, err)
		}
		return testExpr{fn: func(n FindNode, _ time.Time) bool { return re.MatchString(subject(n)) }}, nil
	case "-regex", "-iregex":
		src, err := p.value(test)
		if err != nil {
			return nil, err
		}
		if test == "-iregex" {
			src = "(?i)" + src
		}
		re, err := regexp.Compile(`^(?:` + src + `)$`)
		if err != nil {
			return nil, findErrorf("find: %s: %v", test, err)
		}
		return testExpr{fn: func(n FindNode, _ time.Time) bool { return re.MatchString(n.Path) }}, nil
	case "-type":
		v, err := p.value(test)
		if err != nil {
			return nil, err
		}
		f.NeedStat = true
		switch v {
		case "p":
			return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool { return n.Stat.EphemeralOwner == 0 }}, nil
		case "e":
			return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool { return n.Stat.EphemeralOwner != 0 }}, nil
		}
		return nil, findErrorf("find: -type %q: use p (persistent; containers and TTL nodes look persistent to clients) or e (ephemeral)", v)
	case "-mindepth", "-maxdepth":
		v, err := p.value(test)
		if err != nil {
			return nil, err
		}
		d, err := strconv.Atoi(v)
		if err != nil || d < 0 {
			return nil, findErrorf("find: %s needs a number >= 0, not %q", test, v)
		}
		if test == "-mindepth" {
			f.MinDepth = d
		} else {
			f.MaxDepth = d
		}
		return trueExpr{}, nil
	case "-size", "-children":
		v, err := p.value(test)
		if err != nil {
			return nil, err
		}
		cmp, err := parseCount(test, v)
		if err != nil {
			return nil, err
		}
		f.NeedStat = true
		if test == "-size" {
			return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool { return cmp(int64(n.Stat.DataLength)) }}, nil
		}
		return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool { return cmp(int64(n.Stat.NumChildren)) }}, nil
	case "-mtime", "-ctime", "-mmin", "-cmin":
		v, err := p.value(test)
		if err != nil {
			return nil, err
		}
		older, d, err := parseAge(test, v)
		if err != nil {
			return nil, err
		}
		f.NeedStat = true
		modified := test == "-mtime" || test == "-mmin"
		return testExpr{stat: true, fn: func(n FindNode, now time.Time) bool {
			ms := n.Stat.Ctime
			if modified {
				ms = n.Stat.Mtime
			}
			age := now.Sub(time.UnixMilli(ms))
			if older {
				return age > d
			}
			return age < d
		}}, nil
	case "-owner":
		v, err := p.value(test)
		if err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(v, 0, 64)
		if err != nil {
			u, uerr := strconv.ParseUint(v, 0, 64) // 0x8000... session ids
			if uerr != nil {
				return nil, findErrorf("find: -owner needs a session id (0x1000a2b3c4d0000 or decimal), not %q", v)
			}
			id = int64(u)
		}
		f.NeedStat = true
		return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool { return n.Stat.EphemeralOwner == id }}, nil
	case "-empty":
		f.NeedStat = true
		return testExpr{stat: true, fn: func(n FindNode, _ time.Time) bool {
			return n.Stat.DataLength == 0 && n.Stat.NumChildren == 0
		}}, nil
	case "-true":
		return trueExpr{}, nil
	case "-false":
		return notExpr{trueExpr{}}, nil
	case "-print":
		return trueExpr{}, nil
	case "-print0":
		f.Print0 = true
		return trueExpr{}, nil
	case "-exec":
		if f.Exec != nil {
			return nil, findErrorf("find: only one -exec is supported")
		}
		var cmd []string
		for {
			if p.pos >= len(p.args) {
				return nil, findErrorf("find: -exec needs a command ending with ';'")
			}
			a := p.args[p.pos]
			p.pos++
			if a == ";" {
				break
			}
			cmd = append(cmd, a)
		}
		if len(cmd) == 0 {
			return nil, findErrorf("find: -exec needs a command before ';'")
		}
		f.Exec = cmd
		return trueExpr{}, nil
	case "--dry-run":
		f.DryRun = true
		return trueExpr{}, nil
	}
	return nil, findErrorf("find: unknown test %q", test)
}

// parseCount reads +N (more than), -N (less than) or N (exactly), with an
// optional k or M suffix (1024, 1048576).
func parseCount(test, v string) (func(int64) bool, error) {
	sign, num := signOf(v)
	mult := int64(1)
	switch {
	case strings.HasSuffix(num, "k"), strings.HasSuffix(num, "K"):
		mult, num = 1024, num[:len(num)-1]
	case strings.HasSuffix(num, "M"):
		mult, num = 1024*1024, num[:len(num)-1]
	case strings.HasSuffix(num, "c"): // find's "bytes" suffix
		num = num[:len(num)-1]
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 {
		return nil, findErrorf("find: %s needs +N, -N or N, not %q", test, v)
	}
	n *= mult
	switch sign {
	case '+':
		return func(x int64) bool { return x > n }, nil
	case '-':
		return func(x int64) bool { return x < n }, nil
	}
	return func(x int64) bool { return x == n }, nil
}

// parseAge reads +DURATION (older than) or -DURATION (newer than): Go
// durations plus a d suffix for days (+2h, -30m, +7d). -mmin and -cmin take
// minutes as find(1) does.
func parseAge(test, v string) (older bool, d time.Duration, err error) {
	sign, num := signOf(v)
	if sign == 0 {
		return false, 0, findErrorf("find: %s needs +DURATION (older than) or -DURATION (newer than), not %q", test, v)
	}
	switch {
	case test == "-mmin" || test == "-cmin":
		var m float64
		m, err = strconv.ParseFloat(num, 64)
		d = time.Duration(m * float64(time.Minute))
	case strings.HasSuffix(num, "d"):
		var days float64
		days, err = strconv.ParseFloat(num[:len(num)-1], 64)
		d = time.Duration(days * 24 * float64(time.Hour))
	default:
		d, err = time.ParseDuration(num)
	}
	if err != nil || d < 0 {
		return false, 0, findErrorf("find: %s: bad duration %q (examples: +2h, -30m, +7d)", test, v)
	}
	return sign == '+', d, nil
}

func signOf(v string) (byte, string) {
	if v != "" && (v[0] == '+' || v[0] == '-') {
		return v[0], v[1:]
	}
	return 0, v
}
