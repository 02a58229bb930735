// Package fourlw talks to ZooKeeper servers with the four-letter words (4lw)
// over the client port, or with the AdminServer's HTTP commands, without
// opening a ZooKeeper session; and parses their answers. It is pure Go and
// knows nothing about zkc's commands: commands/fourlw.go drives it.
package fourlw

import "sort"

// Word is one four-letter word ZooKeeper 3.8/3.9 knows.
type Word struct {
	Name string
	// Admin is the AdminServer command (/commands/<Admin>) answering the same question.
	Admin string
	// Help is one line for `zkc help 4lw`.
	Help string
	// Summary words can be shown as one table row per server.
	Summary bool
	// Arg: the word takes a numeric argument (stmk's 8-byte trace mask).
	Arg bool
	// Writes: the word changes server state (resets, trace mask).
	Writes bool
}

// words is the table of every word ZooKeeper 3.8/3.9 accepts on the client
// port (FourLetterCommands.java). An unknown word makes the server close the
// connection silently, so zkc refuses anything else before dialling.
var words = []Word{
	{Name: "conf", Admin: "configuration", Help: "server configuration (key=value)"},
	{Name: "cons", Admin: "connections", Help: "client connections with their statistics"},
	{Name: "crst", Admin: "connection_stat_reset", Help: "reset the connection statistics", Writes: true},
	{Name: "dirs", Admin: "dirs", Help: "size of the data and log directories"},
	{Name: "dump", Admin: "dump", Help: "sessions and their ephemeral nodes (leader only lists all)"},
	{Name: "envi", Admin: "environment", Help: "the server's environment (Java, OS, paths)"},
	{Name: "gtmk", Admin: "get_trace_mask", Help: "the current trace mask (decimal)"},
	{Name: "hash", Admin: "hash", Help: "digest history: zxid and tree digest"},
	{Name: "isro", Admin: "is_read_only", Help: "rw, or ro when the server is in read-only mode"},
	{Name: "mntr", Admin: "monitor", Help: "monitoring metrics, key<TAB>value", Summary: true},
	{Name: "ruok", Admin: "ruok", Help: "imok when the server is running"},
	{Name: "srst", Admin: "stat_reset", Help: "reset the server statistics", Writes: true},
	{Name: "srvr", Admin: "server_stats", Help: "version, latency, counters, zxid, mode, node count", Summary: true},
	{Name: "stat", Admin: "stats", Help: "srvr plus the list of client connections", Summary: true},
	{Name: "stmk", Admin: "set_trace_mask", Help: "set the trace mask (argument: a 64-bit number)", Arg: true, Writes: true},
	{Name: "wchc", Admin: "watches", Help: "watched paths per session (can be expensive)"},
	{Name: "wchp", Admin: "watches_by_path", Help: "watching sessions per path (can be expensive)"},
	{Name: "wchs", Admin: "watch_summary", Help: "watch counts"},
}

// Lookup returns the word named name (exact, lower case as ZooKeeper wants).
func Lookup(name string) (Word, bool) {
	for _, w := range words {
		if w.Name == name {
			return w, true
		}
	}
	return Word{}, false
}

// Words returns every known word, sorted by name.
func Words() []Word {
	out := append([]Word(nil), words...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of every known word, sorted.
func Names() []string {
	ws := Words()
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Name
	}
	return out
}
