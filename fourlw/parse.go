package fourlw

import (
	"fmt"
	"strconv"
	"strings"
)

// The parsers read the text ZooKeeper 3.8/3.9 sends (zkcli-reference.md §7,
// recordings in testdata/4lw). They never panic on any input (fuzzed); lines
// they do not know are skipped, so newer servers' additions do not break
// them. JSON field names are snake_case, as the AdminServer's.

// Srvr is the answer to srvr, or to stat (which adds Clients).
type Srvr struct {
	Version     string  `json:"version"`
	LatencyMin  int64   `json:"latency_min"`
	LatencyAvg  float64 `json:"latency_avg"`
	LatencyMax  int64   `json:"latency_max"`
	Received    int64   `json:"received"`
	Sent        int64   `json:"sent"`
	Connections int64   `json:"connections"`
	Outstanding int64   `json:"outstanding"`
	Zxid        int64   `json:"zxid"`
	ZxidHex     string  `json:"zxid_hex"`
	Mode        string  `json:"mode"`
	NodeCount   int64   `json:"node_count"`
	// ProposalSizes is the leader's last/min/max proposal size.
	ProposalSizes *ProposalSizes `json:"proposal_sizes,omitempty"`
	// Clients is stat's connection list (nil for srvr).
	Clients []Conn `json:"clients,omitempty"`
}

// ProposalSizes is the leader's "Proposal sizes last/min/max" line.
type ProposalSizes struct {
	Last int64 `json:"last"`
	Min  int64 `json:"min"`
	Max  int64 `json:"max"`
}

// Conn is one connection line of cons or stat:
// " /127.0.0.1:50544[1](queued=0,recved=18,sent=18,sid=0x...,...)".
type Conn struct {
	Address  string `json:"address"`
	Interest int64  `json:"interest_ops"`
	// Stats holds the parenthesised key=value pairs: decimal values as
	// numbers, 0x… values (sid, lcxid, lzxid) and words (lop) as strings,
	// since session ids do not fit a JSON double.
	Stats map[string]any `json:"stats"`
}

// ParseSrvr parses srvr's or stat's answer.
func ParseSrvr(s string) (*Srvr, error) {
	r := &Srvr{}
	lines := strings.Split(s, "\n")
	seenMode := false
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if line == "Clients:" {
			r.Clients = []Conn{}
			for i+1 < len(lines) && strings.HasPrefix(lines[i+1], " /") {
				i++
				c, err := parseConn(lines[i])
				if err != nil {
					return nil, err
				}
				r.Clients = append(r.Clients, c)
			}
			continue
		}
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		var err error
		switch key {
		case "Zookeeper version":
			r.Version = val
		case "Latency min/avg/max":
			err = parseLatency(val, &r.LatencyMin, &r.LatencyAvg, &r.LatencyMax)
		case "Received":
			r.Received, err = atoi(key, val)
		case "Sent":
			r.Sent, err = atoi(key, val)
		case "Connections":
			r.Connections, err = atoi(key, val)
		case "Outstanding":
			r.Outstanding, err = atoi(key, val)
		case "Zxid":
			r.ZxidHex = val
			r.Zxid, err = parseHex(key, val)
		case "Mode":
			r.Mode, seenMode = val, true
		case "Node count":
			r.NodeCount, err = atoi(key, val)
		case "Proposal sizes last/min/max":
			p := &ProposalSizes{}
			parts := strings.Split(val, "/")
			if len(parts) != 3 {
				return nil, fmt.Errorf("bad %s line %q", key, line)
			}
			for j, dst := range []*int64{&p.Last, &p.Min, &p.Max} {
				if *dst, err = atoi(key, parts[j]); err != nil {
					return nil, err
				}
			}
			r.ProposalSizes = p
		}
		if err != nil {
			return nil, err
		}
	}
	if !seenMode {
		return nil, fmt.Errorf("not a srvr/stat answer: no Mode line")
	}
	return r, nil
}

func parseLatency(val string, min *int64, avg *float64, max *int64) error {
	parts := strings.Split(val, "/")
	if len(parts) != 3 {
		return fmt.Errorf("bad latency %q", val)
	}
	var err error
	if *min, err = atoi("latency min", parts[0]); err != nil {
		return err
	}
	if *avg, err = strconv.ParseFloat(parts[1], 64); err != nil || isSpecial(parts[1]) {
		return fmt.Errorf("bad latency avg %q", parts[1])
	}
	*max, err = atoi("latency max", parts[2])
	return err
}

func atoi(key, val string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q", key, val)
	}
	return n, nil
}

func parseHex(key, val string) (int64, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(val), "0x")
	if !ok {
		return 0, fmt.Errorf("bad %s %q", key, val)
	}
	n, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q", key, val)
	}
	return int64(n), nil
}

// parseConn parses one connection line.
func parseConn(line string) (Conn, error) {
	c := Conn{Stats: map[string]any{}}
	s := strings.TrimSpace(line)
	lb := strings.IndexByte(s, '[')
	rb := strings.IndexByte(s, ']')
	if lb < 0 || rb < lb {
		return c, fmt.Errorf("bad connection line %q", line)
	}
	c.Address = strings.TrimPrefix(s[:lb], "/")
	var err error
	if c.Interest, err = atoi("interest ops", s[lb+1:rb]); err != nil {
		return c, err
	}
	rest := s[rb+1:]
	if !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
		return c, fmt.Errorf("bad connection line %q", line)
	}
	rest = rest[1 : len(rest)-1]
	if rest == "" {
		return c, nil
	}
	for _, kv := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return c, fmt.Errorf("bad connection field %q", kv)
		}
		c.Stats[k] = number(v)
	}
	return c, nil
}

// number returns v as an int64 or float64 when it is a decimal number,
// else the string itself.
func number(v string) any {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	if strings.ContainsAny(v, ".eE") && !strings.ContainsAny(v, "xX") {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !isSpecial(v) {
			return f
		}
	}
	return v
}

// isSpecial refuses strings ParseFloat accepts but JSON cannot carry.
func isSpecial(v string) bool {
	l := strings.ToLower(v)
	return strings.Contains(l, "inf") || strings.Contains(l, "nan")
}

// ParseCons parses cons: one line per connection, then an empty line.
func ParseCons(s string) ([]Conn, error) {
	out := []Conn{}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		c, err := parseConn(line)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseMntr parses mntr's key<TAB>value lines; keys are kept as given,
// numeric values become numbers.
func ParseMntr(s string) (map[string]any, error) {
	m := map[string]any{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok || k == "" {
			return nil, fmt.Errorf("bad mntr line %q", line)
		}
		m[k] = number(v)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("empty mntr answer")
	}
	return m, nil
}

// Conf is conf's answer: key=value pairs (numbers as numbers) and, on a
// quorum member, the dynamic membership (server.N lines and version).
type Conf struct {
	Values     map[string]any    `json:"values"`
	Membership map[string]string `json:"membership,omitempty"`
}

// ParseConf parses conf.
func ParseConf(s string) (*Conf, error) {
	c := &Conf{Values: map[string]any{}}
	inMembers := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "membership:") {
			inMembers = true
			c.Membership = map[string]string{}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("bad conf line %q", line)
		}
		if inMembers {
			c.Membership[k] = v
		} else {
			c.Values[k] = number(v)
		}
	}
	return c, nil
}

// ParseEnvi parses envi: "Environment:" then key=value lines. Values stay
// strings (memory is "369MB", paths are paths).
func ParseEnvi(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line == "Environment:" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("bad envi line %q", line)
		}
		m[k] = v
	}
	return m, nil
}

// Wchs is wchs's answer.
type Wchs struct {
	Connections  int64 `json:"connections"`
	Paths        int64 `json:"paths"`
	TotalWatches int64 `json:"total_watches"`
}

// ParseWchs parses "N connections watching M paths\nTotal watches:K\n".
func ParseWchs(s string) (*Wchs, error) {
	w := &Wchs{}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("not a wchs answer")
	}
	if _, err := fmt.Sscanf(strings.TrimSpace(lines[0]), "%d connections watching %d paths", &w.Connections, &w.Paths); err != nil {
		return nil, fmt.Errorf("bad wchs line %q", lines[0])
	}
	t, ok := strings.CutPrefix(strings.TrimSpace(lines[1]), "Total watches:")
	if !ok {
		return nil, fmt.Errorf("bad wchs line %q", lines[1])
	}
	var err error
	w.TotalWatches, err = atoi("total watches", t)
	return w, err
}

// ParseWatches parses wchc (session → paths) and wchp (path → sessions):
// an unindented key line followed by tab-indented values.
func ParseWatches(s string) (map[string][]string, error) {
	m := map[string][]string{}
	key := ""
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case line == "":
		case strings.HasPrefix(line, "\t"):
			if key == "" {
				return nil, fmt.Errorf("value %q before any key", line)
			}
			m[key] = append(m[key], line[1:])
		default:
			key = line
			if m[key] == nil {
				m[key] = []string{}
			}
		}
	}
	return m, nil
}

// Isro is isro's answer.
type Isro struct {
	ReadOnly bool   `json:"read_only"`
	Answer   string `json:"answer"`
}

// ParseIsro parses "rw" or "ro".
func ParseIsro(s string) (*Isro, error) {
	switch strings.TrimSpace(s) {
	case "rw":
		return &Isro{Answer: "rw"}, nil
	case "ro":
		return &Isro{ReadOnly: true, Answer: "ro"}, nil
	}
	return nil, fmt.Errorf("not an isro answer: %q", shorten(s))
}

// Ruok is ruok's answer.
type Ruok struct {
	OK     bool   `json:"ok"`
	Answer string `json:"answer"`
}

// ParseRuok parses ruok: "imok" when the server runs.
func ParseRuok(s string) (*Ruok, error) {
	return &Ruok{OK: s == "imok", Answer: s}, nil
}

// ParseDirs parses "datadir_size: N\nlogdir_size: M\n".
func ParseDirs(s string) (map[string]int64, error) {
	m := map[string]int64{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, fmt.Errorf("bad dirs line %q", line)
		}
		n, err := atoi(k, v)
		if err != nil {
			return nil, err
		}
		m[k] = n
	}
	return m, nil
}

// Digest is one hash line: "<zxid hex>: <digest decimal>".
type Digest struct {
	Zxid   string `json:"zxid"`
	Digest int64  `json:"digest"`
}

// ParseHash parses hash.
func ParseHash(s string) ([]Digest, error) {
	out := []Digest{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, fmt.Errorf("bad hash line %q", line)
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad digest %q", v)
		}
		out = append(out, Digest{Zxid: k, Digest: int64(n)})
	}
	return out, nil
}

// TraceMask is gtmk's and stmk's answer.
type TraceMask struct {
	TraceMask int64 `json:"trace_mask"`
}

// ParseTraceMask parses a decimal trace mask.
func ParseTraceMask(s string) (*TraceMask, error) {
	n, err := atoi("trace mask", s)
	if err != nil {
		return nil, err
	}
	return &TraceMask{TraceMask: n}, nil
}

// Message is the answer of crst and srst ("Server stats reset.").
type Message struct {
	Message string `json:"message"`
}

// Parse parses the answer to word into a value for JSON output. Words
// without structure (dump) give their text as {"raw": ...}.
func Parse(word, s string) (any, error) {
	switch word {
	case "srvr", "stat":
		return ParseSrvr(s)
	case "mntr":
		return ParseMntr(s)
	case "conf":
		return ParseConf(s)
	case "envi":
		return ParseEnvi(s)
	case "cons":
		return ParseCons(s)
	case "wchs":
		return ParseWchs(s)
	case "wchc", "wchp":
		return ParseWatches(s)
	case "isro":
		return ParseIsro(s)
	case "ruok":
		return ParseRuok(s)
	case "dirs":
		return ParseDirs(s)
	case "hash":
		return ParseHash(s)
	case "gtmk", "stmk":
		return ParseTraceMask(s)
	case "crst", "srst":
		return &Message{Message: strings.TrimSpace(s)}, nil
	}
	return map[string]string{"raw": s}, nil
}
