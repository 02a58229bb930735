// Command bench compares zkc with zkCli.sh on a real ZooKeeper server it
// starts itself (zkharness, with -server-heap): `ls -R` and `deleteall` of a
// 200,000-node tree (100 children per parent; -nodes 1000000 for the big
// one), a one-shot `get`, a piped 10,000-line create script, and the limits
// written here directly: a raw pipelined walk, a raw multiRead walk (the
// practical limit for ls -R) and a raw pipelined create loop. It
// prints medians over several runs, the ratios the performance targets are
// stated in, and zkc's peak RSS. Run it with `make bench` (or `go run ./bench`).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
	"github.com/zkc-cli/zkc/walk"
	"github.com/zkc-cli/zkc/zkharness"
)

func main() {
	runs := flag.Int("runs", 3, "runs per measurement (the median is reported)")
	nodes := flag.Int("nodes", 200000, "nodes in the tree, root included")
	fanout := flag.Int("fanout", 100, "children per parent")
	zkcli := flag.String("zkcli", "/usr/share/zookeeper/bin/zkCli.sh", "zkCli.sh to compare with (skipped when missing)")
	skipCli := flag.Bool("no-zkcli", false, "do not run zkCli.sh")
	var ex extra
	flag.IntVar(&ex.scriptLines, "script-lines", 10000, "create lines in the piped-script benchmark (0: skip it)")
	flag.StringVar(&ex.serverHeap, "server-heap", "2g", "the server's -Xmx (1,000,000 nodes need about 2g)")
	only := flag.String("only", "", "run only the measurements whose name matches this regexp (no idle; the transfer ones when it matches zkc export, import or diff)")
	rawWalk := flag.String("raw-multiread-walk", "", "internal: walk -nodes nodes on this server with the raw multiRead walk, print the count and exit (the walk timed as a process, as zkc ls -R is)")
	flag.Parse()
	if *rawWalk != "" {
		if _, err := rawMultiReadWalk(*rawWalk, *nodes); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		fmt.Println(*nodes)
		return
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: -only:", err)
			os.Exit(2)
		}
		ex.only = re
	}
	if err := run(*runs, *nodes, *fanout, *zkcli, *skipCli, ex); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

const root = "/bench"

type sample struct {
	dur time.Duration
	rss int64 // KiB, 0 when not measured
}

type result struct {
	name    string
	samples []sample
}

func (r result) median() sample {
	d := make([]time.Duration, len(r.samples))
	m := make([]int64, len(r.samples))
	for i, s := range r.samples {
		d[i], m[i] = s.dur, s.rss
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	sort.Slice(m, func(i, j int) bool { return m[i] < m[j] })
	return sample{d[len(d)/2], m[len(m)/2]}
}

func (r result) maxRSS() int64 {
	var x int64
	for _, s := range r.samples {
		if s.rss > x {
			x = s.rss
		}
	}
	return x
}

func run(runs, nodes, fanout int, zkcli string, skipCli bool, ex extra) error {
	srv, err := zkharness.StartStandalone(zkharness.Config{JVMArgs: []string{"-Xmx" + ex.serverHeap, "-XX:TieredStopAtLevel=4"}})
	if err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "zkc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	z, err := zkharness.BuildZkc(dir)
	if err != nil {
		return err
	}
	cli := zkcli
	if _, err := os.Stat(cli); skipCli || err != nil {
		cli = ""
	}
	addr := srv.Addr()
	fmt.Printf("server %s, tree %s: %d nodes, %d children per parent, %d runs, %s\n",
		addr, root, nodes, fanout, runs, time.Now().Format(time.RFC3339))

	conn, _, err := zk.Connect([]string{addr}, 30*time.Second, zk.WithLogger(quiet{}))
	if err != nil {
		return err
	}
	defer conn.Close()
	paths := treePaths(nodes, fanout)
	t0 := time.Now()
	if err := build(conn, paths); err != nil {
		return err
	}
	fmt.Printf("tree built in %v\n", time.Since(t0).Round(time.Millisecond))

	var results []result
	report := func(r result) {
		results = append(results, r)
		m := r.median()
		fmt.Printf("  %-28s median %8.3fs", r.name, m.dur.Seconds())
		if m.rss > 0 {
			fmt.Printf("  peak RSS %5.1f MB (max %.1f)", float64(m.rss)/1024, float64(r.maxRSS())/1024)
		}
		fmt.Println()
	}
	add := func(name string, f func() (sample, error)) error {
		return addPaired(runs, []step{{name, f}}, report, false)
	}
	want := len(paths)
	self, err := os.Executable() // the raw walk, run as a process
	if err != nil {
		return err
	}
	lsCheck := func(out []byte) error {
		// zkCli also prints a few banner lines on stdout: count paths only.
		if n := bytes.Count(out, []byte("\n"+root)) + boolInt(bytes.HasPrefix(out, []byte(root))); n != want {
			return fmt.Errorf("ls -R printed %d lines, want %d", n, want)
		}
		return nil
	}

	steps := []step{
		{"raw pipelined walk (Go)", func() (sample, error) { return rawWalk(addr, want) }},
		{"raw multiRead walk (Go)", func() (sample, error) { return rawMultiReadWalk(addr, want) }},
		{"raw multiRead walk, process", func() (sample, error) {
			return timeCmd(nil, self, "-raw-multiread-walk", addr, "-nodes", fmt.Sprint(want))
		}},
		{"zkc walker, plain (Go)", func() (sample, error) { return zkcWalk(addr, want, 1) }},
		{"zkc walker, multiRead (Go)", func() (sample, error) { return zkcWalk(addr, want, 0) }},
		{"zkc ls -R", func() (sample, error) { return timeCmd(lsCheck, z.Bin, "-server", addr, "ls", "-R", root) }},
		{"zkc get", func() (sample, error) { return timeCmd(nil, z.Bin, "-server", addr, "get", root) }},
		{"zkc deleteall", func() (sample, error) {
			return withTree(conn, paths, func() (sample, error) { return timeCmd(nil, z.Bin, "-server", addr, "deleteall", root) })
		}},
		{"raw pipelined delete (Go)", func() (sample, error) {
			return withTree(conn, paths, func() (sample, error) { return rawDelete(addr, paths) })
		}},
	}
	steps = append(steps, treeToolSteps(z.Bin, addr, want)...)
	if cli != "" {
		steps = append(steps, []step{
			{"zkCli.sh ls -R", func() (sample, error) { return timeCmd(lsCheck, cli, "-server", addr, "ls", "-R", root) }},
			{"zkCli.sh get", func() (sample, error) { return timeCmd(nil, cli, "-server", addr, "get", root) }},
			{"zkCli.sh deleteall", func() (sample, error) {
				return withTree(conn, paths, func() (sample, error) { return timeCmd(nil, cli, "-server", addr, "deleteall", root) })
			}},
		}...)
	}
	// ls -R and its limits run in turn, run by run, as the piped script
	// below: the server's JIT and collections then favour none of them.
	inTurn := map[string]bool{"raw multiRead walk (Go)": true, "raw multiRead walk, process": true, "zkc walker, multiRead (Go)": true, "zkc ls -R": true}
	runInTurn := func(steps []step, take func(step) bool) error {
		var sel []step
		for _, s := range steps {
			if take(s) && (ex.only == nil || ex.only.MatchString(s.name)) {
				sel = append(sel, s)
			}
		}
		if len(sel) == 0 {
			return nil
		}
		if err := ensureTree(conn, paths); err != nil {
			return err
		}
		return addPaired(runs, sel, report, true)
	}
	if err := runInTurn(steps, func(s step) bool { return inTurn[s.name] }); err != nil {
		return err
	}
	for _, s := range steps {
		if inTurn[s.name] || ex.only != nil && !ex.only.MatchString(s.name) {
			continue
		}
		if err := ensureTree(conn, paths); err != nil {
			return err
		}
		if err := add(s.name, s.f); err != nil {
			return err
		}
	}
	// The piped script and its limits run in turn, run by run: each run
	// writes 20,000 transactions, and the server's snapshots of the big
	// tree and its collections then weigh on them alike.
	if err := runInTurn(scriptSteps(conn, addr, z.Bin, cli, ex.scriptLines), func(step) bool { return true }); err != nil {
		return err
	}

	med := map[string]sample{}
	for _, r := range results {
		med[r.name] = r.median()
	}
	ratio := func(a, b string) float64 { return med[a].dur.Seconds() / med[b].dur.Seconds() }
	// With -only, a ratio is printed only when both its sides ran.
	ran := func(names ...string) bool {
		for _, n := range names {
			if _, ok := med[n]; !ok {
				return false
			}
		}
		return true
	}
	fmt.Println("ratios (medians):")
	if ran("zkc ls -R", "raw multiRead walk (Go)") {
		fmt.Printf("  zkc ls -R / raw multiRead walk %5.2fx  (target <= 1.25; median of paired runs; ratio of medians %.2fx)\n",
			pairedRatio(results, "zkc ls -R", "raw multiRead walk (Go)"), ratio("zkc ls -R", "raw multiRead walk (Go)"))
	}
	if ran("zkc ls -R", "raw multiRead walk, process") {
		// Both as processes: start-up, and the collections of a fresh heap
		// that the walk above, inside this warm process, does not pay.
		fmt.Printf("  zkc ls -R / raw walk, process  %5.2fx  (the same raw walk run as its own process, as ls -R is; paired; ratio of medians %.2fx)\n",
			pairedRatio(results, "zkc ls -R", "raw multiRead walk, process"), ratio("zkc ls -R", "raw multiRead walk, process"))
	}
	for _, r := range []struct{ a, b, label, note string }{
		{"zkc ls -R", "raw pipelined walk (Go)", "zkc ls -R / raw walk", ""},
		{"zkc walker, plain (Go)", "raw pipelined walk (Go)", "zkc walker plain / raw walk", "  (same requests as the raw walk, in visiting order)"},
		{"zkc walker, multiRead (Go)", "raw pipelined walk (Go)", "zkc walker multiRead / raw", ""},
		{"zkc deleteall", "raw pipelined delete (Go)", "zkc deleteall / raw delete", ""},
	} {
		if ran(r.a, r.b) {
			fmt.Printf("  %-29s %5.2fx%s\n", r.label, ratio(r.a, r.b), r.note)
		}
	}
	if ran("zkc ls -R") {
		fmt.Printf("  zkc ls -R peak RSS            %5.1f MB (max of runs %.1f; target <= 40)\n",
			float64(med["zkc ls -R"].rss)/1024, float64(maxOf(results, "zkc ls -R"))/1024)
	}
	printTreeToolRatios(results, ratio)
	printScriptRatios(results, med, cli != "", ex.scriptLines)
	if cli != "" {
		fmt.Printf("  zkCli / zkc ls -R             %5.2fx  (target >= 3.5)\n", ratio("zkCli.sh ls -R", "zkc ls -R"))
		fmt.Printf("  zkCli / zkc deleteall         %5.2fx  (target >= 3)\n", ratio("zkCli.sh deleteall", "zkc deleteall"))
		fmt.Printf("  zkCli / zkc get               %5.2fx  (target >= 25)\n", ratio("zkCli.sh get", "zkc get"))
		fmt.Printf("  zkCli.sh ls -R peak RSS       %5.1f MB\n", float64(med["zkCli.sh ls -R"].rss)/1024)
	} else {
		fmt.Println("  (zkCli.sh not run: no ratios against it)")
	}
	if ex.only != nil {
		// The transfer measurements run when -only names one of them.
		if !ex.only.MatchString("zkc export") && !ex.only.MatchString("zkc import") && !ex.only.MatchString("zkc diff") {
			return nil
		}
		return benchTransfer(addr, z.Bin, cli, conn, paths, runs, dir, med["zkc ls -R"])
	}
	idle, err := idleCPU(z.Bin, addr, 20*time.Second)
	if err != nil {
		return fmt.Errorf("idle shell: %w", err)
	}
	fmt.Printf("  zkc shell idle at the prompt  %5.2f%% of a core (over 20 s; go-prompt polls its input)\n", idle*100)
	return benchTransfer(addr, z.Bin, cli, conn, paths, runs, dir, med["zkc ls -R"])
}

func maxOf(rs []result, name string) int64 {
	for _, r := range rs {
		if r.name == name {
			return r.maxRSS()
		}
	}
	return 0
}

// step is one measurement.
type step struct {
	name string
	f    func() (sample, error)
}

// addPaired runs steps in turn, runs times over (run i of each after run
// i-1 of all), and reports each step's result. With warm, one untimed
// round comes first: the first reads of a fresh server ran before its JIT
// had compiled the read path and put whichever step came first at a loss.
func addPaired(runs int, steps []step, report func(result), warm bool) error {
	rs := make([]result, len(steps))
	for i, s := range steps {
		rs[i].name = s.name
	}
	if warm && len(steps) > 1 {
		for _, s := range steps {
			if _, err := s.f(); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
	}
	for run := 0; run < runs; run++ {
		for i, s := range steps {
			smp, err := s.f()
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			rs[i].samples = append(rs[i].samples, smp)
		}
	}
	for _, r := range rs {
		report(r)
	}
	return nil
}

// pairedRatio is the median over runs of a's time over b's in the same run
// (addPaired), or 0 when either is missing.
func pairedRatio(results []result, a, b string) float64 {
	var ra, rb *result
	for i := range results {
		switch results[i].name {
		case a:
			ra = &results[i]
		case b:
			rb = &results[i]
		}
	}
	if ra == nil || rb == nil || len(ra.samples) != len(rb.samples) || len(ra.samples) == 0 {
		return 0
	}
	ratios := make([]float64, len(ra.samples))
	for i := range ratios {
		ratios[i] = ra.samples[i].dur.Seconds() / rb.samples[i].dur.Seconds()
	}
	sort.Float64s(ratios)
	return ratios[len(ratios)/2]
}

// treePaths lists a tree of n nodes under root, filled breadth first with
// fanout children per parent, parents before children.
func treePaths(n, fanout int) []string {
	paths := []string{root}
	for parent := 0; len(paths) < n; parent++ {
		for i := 0; i < fanout && len(paths) < n; i++ {
			paths = append(paths, fmt.Sprintf("%s/n%03d", paths[parent], i))
		}
	}
	return paths
}

// build creates paths (parents first) with up to 256 creates in flight; a
// parent is always created before its children are sent.
func build(conn *zk.Conn, paths []string) error {
	acl := zk.WorldACL(zk.PermAll)
	for _, level := range levels(paths) {
		if err := parallel(level, func(p string) error {
			_, err := conn.Create(p, []byte("x"), 0, acl)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// ensureTree builds the tree unless it is there.
func ensureTree(conn *zk.Conn, paths []string) error {
	ok, _, err := conn.Exists(root)
	if err != nil || ok {
		return err
	}
	return build(conn, paths)
}

// withTree builds the tree, runs f (which deletes it) and checks it is gone.
func withTree(conn *zk.Conn, paths []string, f func() (sample, error)) (sample, error) {
	if err := ensureTree(conn, paths); err != nil {
		return sample{}, err
	}
	s, err := f()
	if err != nil {
		return s, err
	}
	if ok, _, err := conn.Exists(root); err != nil || ok {
		return s, fmt.Errorf("%s still exists after deleteall (err %v)", root, err)
	}
	return s, nil
}

func parallel(items []string, f func(string) error) error {
	ch := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := 0; i < 256; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ch {
				if err := f(p); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("%s: %w", p, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range items {
		ch <- p
	}
	close(ch)
	wg.Wait()
	return first
}

// timeCmd runs a command with stdout captured and returns its wall time and
// peak RSS. The RSS comes from /usr/bin/time: the rusage Go gets for its own
// child would include this (large) process's high-water mark, which Linux
// carries over at exec.
func timeCmd(check func([]byte) error, bin string, args ...string) (sample, error) {
	rssFile := ""
	name, argv := bin, args
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		f, err := os.CreateTemp("", "zkc-bench-rss-")
		if err != nil {
			return sample{}, err
		}
		f.Close()
		defer os.Remove(f.Name())
		rssFile = f.Name()
		name, argv = "/usr/bin/time", append([]string{"-f", "%M", "-o", rssFile, bin}, args...)
	}
	cmd := exec.Command(name, argv...)
	// Stdout goes to a file, read after the run: copying it into memory
	// through a pipe as it came cost this process CPU (and collections of
	// its big heap) on the same two cores while the command ran.
	out, err := os.CreateTemp("", "zkc-bench-out-")
	if err != nil {
		return sample{}, err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &errb
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	if err != nil {
		return sample{}, fmt.Errorf("%v: %v\n%s", cmd.Args, err, tail(errb.String()))
	}
	if check != nil {
		b, err := os.ReadFile(out.Name())
		if err != nil {
			return sample{}, err
		}
		if err := check(b); err != nil {
			return sample{}, err
		}
	}
	var rss int64
	if rssFile != "" {
		b, err := os.ReadFile(rssFile)
		if err != nil {
			return sample{}, err
		}
		fmt.Sscan(string(b), &rss) // KiB
	}
	return sample{dur: d, rss: rss}, nil
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// rawConnect opens a go-zookeeper session, as a CLI run would, and waits for it.
func rawConnect(addr string) (*zk.Conn, error) {
	conn, ev, err := zk.Connect([]string{addr}, 30*time.Second, zk.WithLogger(quiet{}))
	if err != nil {
		return nil, err
	}
	for e := range ev {
		if e.State == zk.StateHasSession {
			break
		}
	}
	return conn, nil
}

// rawWalk lists the whole tree with go-zookeeper directly: a fresh
// connection (as a CLI run would open), 128 getChildren in flight, no
// ordering and no output. It is the practical limit for ls -R.
func rawWalk(addr string, want int) (sample, error) {
	t0 := time.Now()
	conn, err := rawConnect(addr)
	if err != nil {
		return sample{}, err
	}
	defer conn.Close()
	count, err := poolWalk(128, 1, func(ps []string) ([][]string, error) {
		kids, _, err := conn.Children(ps[0])
		return [][]string{kids}, err
	})
	d := time.Since(t0)
	if err != nil {
		return sample{}, err
	}
	if count != want {
		return sample{}, fmt.Errorf("raw walk saw %d nodes, want %d", count, want)
	}
	return sample{dur: d}, nil
}

// poolWalk lists the bench tree with workers sharing a stack of paths, each
// taking up to batch paths at a time; list returns each path's children's
// names. It returns how many nodes were listed.
func poolWalk(workers, batch int, list func(paths []string) ([][]string, error)) (int, error) {
	var (
		mu    sync.Mutex
		cond  = sync.NewCond(&mu)
		todo  = []string{root}
		busy  int
		count int
		first error
		wg    sync.WaitGroup
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for len(todo) == 0 && busy > 0 {
					cond.Wait()
				}
				if len(todo) == 0 || first != nil {
					cond.Broadcast()
					return
				}
				k := min(batch, len(todo))
				ps := append([]string(nil), todo[len(todo)-k:]...)
				todo = todo[:len(todo)-k]
				busy++
				mu.Unlock()
				kids, err := list(ps)
				mu.Lock()
				busy--
				count += len(kids)
				if err != nil && first == nil {
					first = err
				}
				for j, names := range kids {
					for _, name := range names {
						todo = append(todo, ps[j]+"/"+name)
					}
				}
				cond.Broadcast()
			}
		}()
	}
	wg.Wait()
	return count, first
}

// openSession opens a zkc session on a fresh connection, as a CLI run would.
func openSession(ctx context.Context, addr string) (*session.Session, error) {
	target, err := session.ParseConnectString(addr)
	if err != nil {
		return nil, err
	}
	return session.Open(ctx, session.Options{Target: target, Timeout: 30 * time.Second})
}

// zkcWalk runs zkc's walker in this process on a fresh session, as rawWalk
// does: batch 1 is plain pipelined getChildren, 0 the default (multiRead).
func zkcWalk(addr string, want, batch int) (sample, error) {
	t0 := time.Now()
	ctx := context.Background()
	s, err := openSession(ctx, addr)
	if err != nil {
		return sample{}, err
	}
	defer s.Close()
	n := 0
	err = walk.Walk(ctx, s, root, walk.Options{Batch: batch}, func(string, []string) error {
		n++
		return nil
	})
	d := time.Since(t0)
	if err != nil {
		return sample{}, err
	}
	if n != want {
		return sample{}, fmt.Errorf("zkc walker saw %d nodes, want %d", n, want)
	}
	return sample{dur: d}, nil
}

// rawDelete deletes the (known) tree deepest level first, 256 deletes in
// flight, on a fresh connection: the limit for deleteall without multi.
func rawDelete(addr string, paths []string) (sample, error) {
	t0 := time.Now()
	conn, err := rawConnect(addr)
	if err != nil {
		return sample{}, err
	}
	defer conn.Close()
	byLevel := levels(paths)
	for d := len(byLevel) - 1; d >= 0; d-- {
		if err := parallel(byLevel[d], func(p string) error { return conn.Delete(p, -1) }); err != nil {
			return sample{}, err
		}
	}
	return sample{dur: time.Since(t0)}, nil
}

type quiet struct{}

func (quiet) Printf(string, ...interface{}) {}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// treeToolSteps times the tree tools on the bench tree: find -name (names
// only), du -s (every node's stat) and grep -l (every node's data; every
// node matches, so it prints as many paths as ls -R).
func treeToolSteps(bin, addr string, want int) []step {
	lines := func(n int) func([]byte) error {
		return func(out []byte) error {
			if got := bytes.Count(out, []byte("\n")); n >= 0 && got != n || n < 0 && got == 0 {
				return fmt.Errorf("printed %d lines, want %d", got, n)
			}
			return nil
		}
	}
	duCheck := func(out []byte) error {
		if !bytes.Contains(out, []byte(fmt.Sprintf("\t%d\t%s\n", want, root))) {
			return fmt.Errorf("du -s printed %q, want %d nodes", tail(string(out)), want)
		}
		return nil
	}
	return []step{
		{"zkc find -name", func() (sample, error) { return timeCmd(lines(-1), bin, "-server", addr, "find", root, "-name", "n042") }},
		{"zkc du -s", func() (sample, error) { return timeCmd(duCheck, bin, "-server", addr, "du", "-s", root) }},
		{"zkc grep -l", func() (sample, error) { return timeCmd(lines(want), bin, "-server", addr, "grep", "-l", "x", root) }},
	}
}

// printTreeToolRatios prints the tree tools against ls -R, with their targets.
func printTreeToolRatios(results []result, ratio func(a, b string) float64) {
	for _, t := range []struct {
		name   string
		target float64
	}{{"zkc find -name", 1.3}, {"zkc du -s", 1.3}, {"zkc grep -l", 2.5}} {
		if medianOf(results, t.name).dur == 0 || medianOf(results, "zkc ls -R").dur == 0 {
			continue // not run (-only)
		}
		fmt.Printf("  %-18s/ ls -R      %5.2fx  (target <= %.1f), peak RSS %5.1f MB (max of runs %.1f; target <= 60)\n",
			t.name, ratio(t.name, "zkc ls -R"), t.target, float64(medianOf(results, t.name).rss)/1024, float64(maxOf(results, t.name))/1024)
	}
}

func medianOf(rs []result, name string) sample {
	for _, r := range rs {
		if r.name == name {
			return r.median()
		}
	}
	return sample{}
}
