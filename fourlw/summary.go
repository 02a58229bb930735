package fourlw

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Row is one server's line of the summary table.
type Row struct {
	Server      string  `json:"server"`
	Status      Status  `json:"status"`
	Mode        string  `json:"mode"` // leader, follower, observer, standalone, read-only, or the status when not OK
	Zxid        int64   `json:"zxid"`
	ZxidHex     string  `json:"zxid_hex,omitempty"` // "" when the word does not tell (mntr)
	LatencyMin  int64   `json:"latency_min"`
	LatencyAvg  float64 `json:"latency_avg"`
	LatencyMax  int64   `json:"latency_max"`
	Connections int64   `json:"connections"`
	Outstanding int64   `json:"outstanding"`
	Nodes       int64   `json:"node_count"`
	// Lagging: the server's zxid is behind the highest zxid seen in this round.
	Lagging bool   `json:"lagging"`
	Note    string `json:"note,omitempty"`
}

// Rows builds the summary of srvr, stat or mntr answers. parsed[i] is the
// parsed answer of answers[i] (nil when the server did not answer).
func Rows(answers []Answer, parsed []any) []Row {
	rows := make([]Row, len(answers))
	var maxZxid int64 = -1
	for i, a := range answers {
		r := Row{Server: a.Server, Status: a.Status}
		switch p := parsed[i].(type) {
		case *Srvr:
			r.Mode, r.Zxid, r.ZxidHex = p.Mode, p.Zxid, p.ZxidHex
			r.LatencyMin, r.LatencyAvg, r.LatencyMax = p.LatencyMin, p.LatencyAvg, p.LatencyMax
			r.Connections, r.Outstanding, r.Nodes = p.Connections, p.Outstanding, p.NodeCount
			if p.Zxid > maxZxid {
				maxZxid = p.Zxid
			}
		case map[string]any: // mntr
			r.Mode = str(p["zk_server_state"])
			r.LatencyMin, r.LatencyAvg, r.LatencyMax = i64(p["zk_min_latency"]), f64(p["zk_avg_latency"]), i64(p["zk_max_latency"])
			r.Connections, r.Outstanding, r.Nodes = i64(p["zk_num_alive_connections"]), i64(p["zk_outstanding_requests"]), i64(p["zk_znode_count"])
		}
		if !a.OK() || parsed[i] == nil {
			r.Mode = string(a.Status)
			if a.Status == StatusOK {
				r.Mode = "unparsed"
			}
			r.Note = a.Detail
		}
		rows[i] = r
	}
	for i := range rows {
		r := &rows[i]
		if r.ZxidHex == "" || r.Status != StatusOK || r.Zxid >= maxZxid {
			continue
		}
		// A zxid is epoch<<32 | counter. Behind in the same epoch: the
		// difference. In an older epoch: at least the transactions of the
		// newest epoch; none means only the election bumped the epoch (a
		// fresh ensemble's followers report 0x0), which is no lag.
		if r.Zxid>>32 == maxZxid>>32 {
			r.Lagging, r.Note = true, fmt.Sprintf("lagging: %d txns behind", maxZxid-r.Zxid)
		} else if n := maxZxid & 0xffffffff; n > 0 {
			r.Lagging, r.Note = true, fmt.Sprintf("lagging: older epoch, at least %d txns behind", n)
		}
	}
	return rows
}

// Paint colours table cells; nil members leave text plain.
type Paint struct {
	Leader func(string) string // the leader's mode
	Bad    func(string) string // down, timed out, refused, not serving
	Warn   func(string) string // lagging
	Header func(string) string
}

func apply(f func(string) string, s string) string {
	if f == nil {
		return s
	}
	return f(s)
}

// WriteSummary writes rows as an aligned table with a header line.
func WriteSummary(w io.Writer, rows []Row, p Paint) error {
	header := []string{"SERVER", "MODE", "ZXID", "LATENCY min/avg/max", "CONNS", "OUTSTANDING", "NODES", "NOTE"}
	cells := make([][]string, 0, len(rows)+1)
	cells = append(cells, header)
	for _, r := range rows {
		if r.Status != StatusOK {
			cells = append(cells, []string{r.Server, r.Mode, "-", "-", "-", "-", "-", r.Note})
			continue
		}
		zx := r.ZxidHex
		if zx == "" {
			zx = "-"
		}
		cells = append(cells, []string{
			r.Server, r.Mode, zx,
			fmt.Sprintf("%d/%s/%d", r.LatencyMin, strconv.FormatFloat(r.LatencyAvg, 'f', -1, 64), r.LatencyMax),
			strconv.FormatInt(r.Connections, 10), strconv.FormatInt(r.Outstanding, 10), strconv.FormatInt(r.Nodes, 10), r.Note,
		})
	}
	widths := make([]int, len(header))
	for _, row := range cells {
		for j, c := range row {
			widths[j] = max(widths[j], len(c))
		}
	}
	var b strings.Builder
	for i, row := range cells {
		var line strings.Builder
		for j, c := range row {
			cell := c
			if j < len(row)-1 {
				cell += strings.Repeat(" ", widths[j]-len(c)+2)
			}
			if i == 0 {
				cell = apply(p.Header, cell)
			} else {
				cell = paintCell(rows[i-1], j, cell, p)
			}
			line.WriteString(cell)
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func paintCell(r Row, col int, cell string, p Paint) string {
	switch {
	case r.Status != StatusOK && (col == 0 || col == 1 || col == 7):
		return apply(p.Bad, cell)
	case r.Mode == "leader" && col == 1:
		return apply(p.Leader, cell)
	case r.Lagging && (col == 2 || col == 7):
		return apply(p.Warn, cell)
	}
	return cell
}
