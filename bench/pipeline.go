package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/session"
)

// The limits the script and walk benchmarks are measured against, and the
// piped-script runs themselves.

// scriptParent is where the piped-create benchmarks create their nodes.
const scriptParent = "/bench-script"

// createScript is n create lines under scriptParent (which the script
// creates first).
func createScript(n int) string {
	var b strings.Builder
	b.WriteString("create " + scriptParent + " x\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "create %s/n%06d v%d\n", scriptParent, i, i)
	}
	return b.String()
}

// pipedScript runs bin with script on stdin and checks every create was
// reported (zkc and zkCli both print "Created <path>" on stderr... zkCli on
// stdout), then removes what it created.
func pipedScript(conn *zk.Conn, n int, script, bin string, args ...string) (sample, error) {
	if err := dropScriptParent(conn); err != nil {
		return sample{}, err
	}
	s, out, err := timeCmdInput(script, bin, args...)
	if err != nil {
		return s, err
	}
	if got := strings.Count(out, "Created "+scriptParent+"/"); got != n {
		return s, fmt.Errorf("%s reported %d creates, want %d", bin, got, n)
	}
	return s, dropScriptParent(conn)
}

// dropScriptParent deletes scriptParent and its children, if there.
func dropScriptParent(conn *zk.Conn) error {
	kids, _, err := conn.Children(scriptParent)
	if err == zk.ErrNoNode {
		return nil
	}
	if err != nil {
		return err
	}
	paths := make([]string, len(kids))
	for i, k := range kids {
		paths[i] = scriptParent + "/" + k
	}
	if err := parallel(paths, func(p string) error { return conn.Delete(p, -1) }); err != nil {
		return err
	}
	return conn.Delete(scriptParent, -1)
}

// timeCmdInput is timeCmd with stdin, returning stdout and stderr together
// (for counting) instead of checking them.
func timeCmdInput(stdin, bin string, args ...string) (sample, string, error) {
	rss, err := os.CreateTemp("", "zkc-bench-rss-")
	if err != nil {
		return sample{}, "", err
	}
	rss.Close()
	defer os.Remove(rss.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", rss.Name(), bin}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	// Both streams go to one file, read after the run (as timeCmd does):
	// 10,000 "Created" lines copied into this process as they came cost
	// it CPU on the same two cores while the command ran.
	outFile, err := os.CreateTemp("", "zkc-bench-out-")
	if err != nil {
		return sample{}, "", err
	}
	defer os.Remove(outFile.Name())
	defer outFile.Close()
	cmd.Stdout, cmd.Stderr = outFile, outFile
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "ZKC_SERVER=", "ZKC_AUTH=")
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	b, rerr := os.ReadFile(outFile.Name())
	out := string(b)
	if err == nil {
		err = rerr
	}
	if err != nil {
		return sample{}, "", fmt.Errorf("%v: %v\n%s", cmd.Args, err, tail(out))
	}
	var kib int64
	if b, err := os.ReadFile(rss.Name()); err == nil {
		fmt.Sscan(string(b), &kib)
	}
	return sample{dur: d, rss: kib}, out, nil
}

// rawCreates creates n nodes under scriptParent on a fresh go-zookeeper
// session, 1,000 in flight: what a piped create script could reach.
func rawCreates(conn *zk.Conn, addr string, n int) (sample, error) {
	if err := dropScriptParent(conn); err != nil {
		return sample{}, err
	}
	t0 := time.Now()
	c, err := rawConnect(addr)
	if err != nil {
		return sample{}, err
	}
	acl := zk.WorldACL(zk.PermAll)
	if _, err := c.Create(scriptParent, []byte("x"), 0, acl); err != nil {
		c.Close()
		return sample{}, err
	}
	sem := make(chan struct{}, 1000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := c.Create(fmt.Sprintf("%s/n%06d", scriptParent, i), []byte(fmt.Sprintf("v%d", i)), 0, acl); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	c.Close()
	d := time.Since(t0)
	if first != nil {
		return sample{}, first
	}
	return sample{dur: d}, dropScriptParent(conn)
}

// rawMultiReadWalk lists the whole tree with multiRead requests of 1,024
// paths, 16 in flight, unordered and printing nothing, on a fresh session:
// the limit for ls -R.
func rawMultiReadWalk(addr string, want int) (sample, error) {
	const batch, inFlight = 1024, 16
	t0 := time.Now()
	ctx := context.Background()
	s, err := openSession(ctx, addr)
	if err != nil {
		return sample{}, err
	}
	defer s.Close()
	count, err := poolWalk(inFlight, batch, func(ps []string) ([][]string, error) {
		ops := make([]session.ReadOp, len(ps))
		for j, p := range ps {
			ops[j] = session.ReadOp{Path: p}
		}
		res, err := s.MultiRead(ctx, ops)
		kids := make([][]string, len(res))
		for j, r := range res {
			kids[j] = r.Children
		}
		return kids, err
	})
	d := time.Since(t0)
	if err != nil {
		return sample{}, err
	}
	if count != want {
		return sample{}, fmt.Errorf("raw multiRead walk saw %d nodes, want %d", count, want)
	}
	return sample{dur: d}, nil
}

// extra are the flags beyond the tree's shape.
type extra struct {
	scriptLines int            // piped-create lines (0: none)
	serverHeap  string         // the server's -Xmx
	only        *regexp.Regexp // measurements to run (nil: all)
}

// scriptSteps are the piped-create measurements: zkc, zkCli.sh (when run)
// and the raw pipelined loop.
func scriptSteps(conn *zk.Conn, addr, zkc, cli string, n int) []step {
	if n <= 0 {
		return nil
	}
	script := createScript(n)
	steps := []step{
		{"raw pipelined creates (Go)", func() (sample, error) { return rawCreates(conn, addr, n) }},
		{"zkc piped creates", func() (sample, error) { return pipedScript(conn, n, script, zkc, "-server", addr) }},
	}
	if cli != "" {
		steps = append(steps, step{"zkCli.sh piped creates", func() (sample, error) { return pipedScript(conn, n, script, cli, "-server", addr) }})
	}
	return steps
}

// printScriptRatios prints the script benchmark's ratios: the median of
// each run's ratio (the steps ran in turn, run by run), then the ratio of
// the medians.
func printScriptRatios(results []result, med map[string]sample, withCli bool, scriptLines int) {
	z, ok := med["zkc piped creates"]
	if !ok {
		return
	}
	raw := med["raw pipelined creates (Go)"]
	fmt.Printf("  zkc piped creates / raw loop  %5.2fx  (target <= 1.5; median of paired runs; ratio of medians %.2fx; %d lines, peak RSS %.1f MB)\n",
		pairedRatio(results, "zkc piped creates", "raw pipelined creates (Go)"), z.dur.Seconds()/raw.dur.Seconds(), scriptLines, float64(z.rss)/1024)
	if c, ok := med["zkCli.sh piped creates"]; ok && withCli {
		fmt.Printf("  zkCli / zkc piped creates     %5.2fx  (target >= 5; median of paired runs; ratio of medians %.2fx; zkCli peak RSS %.1f MB)\n",
			pairedRatio(results, "zkCli.sh piped creates", "zkc piped creates"), c.dur.Seconds()/z.dur.Seconds(), float64(c.rss)/1024)
	}
}
