package fourlw

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ParseAdmin turns an AdminServer answer to word into the same value Parse
// gives for the 4lw answer, so -o json and the summary do not depend on the
// transport. srvr, stat, mntr, ruok, isro and wchs map exactly (stat's client
// list excepted: the AdminServer describes connections differently); the
// other words give the AdminServer's own fields.
func ParseAdmin(word, body string) (any, error) {
	m, err := decodeAdmin(body)
	if err != nil {
		return nil, err
	}
	delete(m, "command")
	delete(m, "error")
	switch word {
	case "srvr", "stat":
		st, _ := m["server_stats"].(map[string]any)
		if st == nil {
			return nil, fmt.Errorf("AdminServer answer has no server_stats")
		}
		r := &Srvr{
			Version:     str(m["version"]),
			LatencyMin:  i64(st["min_latency"]),
			LatencyAvg:  f64(st["avg_latency"]),
			LatencyMax:  i64(st["max_latency"]),
			Received:    i64(st["packets_received"]),
			Sent:        i64(st["packets_sent"]),
			Connections: i64(st["num_alive_client_connections"]),
			Outstanding: i64(st["outstanding_requests"]),
			Zxid:        i64(st["last_processed_zxid"]),
			Mode:        str(st["server_state"]),
			NodeCount:   i64(m["node_count"]),
		}
		r.ZxidHex = fmt.Sprintf("0x%x", uint64(r.Zxid))
		if ps, ok := m["proposal_stats"].(map[string]any); ok {
			r.ProposalSizes = &ProposalSizes{Last: i64(ps["last_buffer_size"]), Min: i64(ps["min_buffer_size"]), Max: i64(ps["max_buffer_size"])}
		}
		return r, nil
	case "mntr":
		out := make(map[string]any, len(m))
		for k, v := range m {
			out["zk_"+k] = v
		}
		return out, nil
	case "ruok":
		return &Ruok{OK: true, Answer: "imok"}, nil
	case "isro":
		ro, _ := m["read_only"].(bool)
		if ro {
			return &Isro{ReadOnly: true, Answer: "ro"}, nil
		}
		return &Isro{Answer: "rw"}, nil
	case "wchs":
		return &Wchs{Connections: i64(m["num_connections"]), Paths: i64(m["num_paths"]), TotalWatches: i64(m["num_total_watches"])}, nil
	}
	return m, nil
}

// decodeAdmin decodes a JSON object keeping integers exact.
func decodeAdmin(body string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not an AdminServer answer: %v", err)
	}
	return numbers(m).(map[string]any), nil
}

// numbers replaces json.Number with int64 or float64 throughout.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	}
	return v
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func i64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func f64(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}
