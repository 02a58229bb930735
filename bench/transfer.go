package main

// The export/import/diff benchmarks: on the bench tree, zkc export (with and
// without ACLs) and diff against zkc ls -R; zkc import against a raw
// pipelined multi create loop written here (the limit: the server commits
// every multi) and against zkCli.sh creating the same nodes from a piped
// script (on at most cliCreateCap nodes: zkCli takes minutes for more, so
// its rate per node is compared).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

const cliCreateCap = 10000

// copyPaths maps the bench tree's paths under another root.
func copyPaths(paths []string, to string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = to + strings.TrimPrefix(p, root)
	}
	return out
}

// benchTransfer runs the transfer measurements; lsR is zkc ls -R's median.
func benchTransfer(addr, zkcBin, cli string, conn *zk.Conn, paths []string, runs int, dir string, lsR sample) error {
	if err := ensureTree(conn, paths); err != nil {
		return err
	}
	file := filepath.Join(dir, "bench.ndjson")
	copyRoot := root + "-copy"
	copied := copyPaths(paths, copyRoot)
	measure := func(name string, before, after func() error, f func() (sample, error)) (sample, error) {
		r := result{name: name}
		for i := 0; i < runs; i++ {
			if before != nil {
				if err := before(); err != nil {
					return sample{}, fmt.Errorf("%s: %w", name, err)
				}
			}
			s, err := f()
			if err != nil {
				return sample{}, fmt.Errorf("%s: %w", name, err)
			}
			if after != nil {
				if err := after(); err != nil {
					return sample{}, fmt.Errorf("%s: %w", name, err)
				}
			}
			r.samples = append(r.samples, s)
		}
		m := r.median()
		fmt.Printf("  %-28s median %8.3fs", name, m.dur.Seconds())
		if m.rss > 0 {
			fmt.Printf("  peak RSS %5.1f MB (max %.1f)", float64(m.rss)/1024, float64(r.maxRSS())/1024)
		}
		fmt.Println()
		return m, nil
	}
	dropCopy := func() error {
		if ok, _, err := conn.Exists(copyRoot); err != nil || !ok {
			return err
		}
		_, err := rawDelete(addr, copied)
		return err
	}
	checkFile := func() error {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if n := bytes.Count(b, []byte("\n")); n != len(paths)+2 {
			return fmt.Errorf("export has %d lines, want %d", n, len(paths)+2)
		}
		return nil
	}

	export, err := measure("zkc export", nil, checkFile, func() (sample, error) {
		return timeCmd(nil, zkcBin, "-server", addr, "export", root, "-f", file)
	})
	if err != nil {
		return err
	}
	exportNoACL, err := measure("zkc export --no-acl", nil, checkFile, func() (sample, error) {
		return timeCmd(nil, zkcBin, "-server", addr, "export", "--no-acl", root, "-f", file)
	})
	if err != nil {
		return err
	}
	if _, err := timeCmd(nil, zkcBin, "-server", addr, "export", root, "-f", file); err != nil {
		return err
	}
	imported, err := measure("zkc import", dropCopy, nil, func() (sample, error) {
		return timeCmd(func(out []byte) error {
			if !bytes.Contains(out, []byte(fmt.Sprintf("import: %d created", len(paths)))) {
				return fmt.Errorf("import said %q", out)
			}
			return nil
		}, zkcBin, "-server", addr, "import", file, copyRoot)
	})
	if err != nil {
		return err
	}
	raw, err := measure("raw pipelined multi create", dropCopy, nil, func() (sample, error) {
		return rawMultiCreate(addr, copied)
	})
	if err != nil {
		return err
	}
	if err := dropCopy(); err != nil {
		return err
	}
	if _, err := timeCmd(nil, zkcBin, "-server", addr, "import", file, copyRoot); err != nil {
		return err
	}
	diff, err := measure("zkc diff (equal trees)", nil, nil, func() (sample, error) {
		return timeCmd(nil, zkcBin, "-server", addr, "diff", root, copyRoot)
	})
	if err != nil {
		return err
	}
	if err := dropCopy(); err != nil {
		return err
	}

	var cliPerNode, zkcPerNode float64
	zkcPerNode = imported.dur.Seconds() / float64(len(paths))
	if cli != "" {
		n := min(len(paths), cliCreateCap)
		cliRoot := root + "-cli"
		cliPaths := copyPaths(paths[:n], cliRoot)
		var script strings.Builder
		for _, p := range cliPaths {
			script.WriteString("create " + p + " x\n")
		}
		script.WriteString("quit\n")
		s, err := measure(fmt.Sprintf("zkCli.sh %d piped creates", n), nil, func() error {
			_, err := rawDelete(addr, cliPaths)
			return err
		}, func() (sample, error) { return timeScript(cli, addr, script.String()) })
		if err != nil {
			return err
		}
		cliPerNode = s.dur.Seconds() / float64(n)
	}

	r := func(a, b sample) float64 { return a.dur.Seconds() / b.dur.Seconds() }
	fmt.Println("transfer ratios (medians):")
	if lsR.dur > 0 { // not run with -only
		fmt.Printf("  zkc export / zkc ls -R        %5.2fx  (target <= 2; one getACL per node: multiRead has none)\n", r(export, lsR))
		fmt.Printf("  export --no-acl / ls -R       %5.2fx\n", r(exportNoACL, lsR))
	}
	fmt.Printf("  zkc import / raw multi create %5.2fx  (target <= 1.5)\n", r(imported, raw))
	if lsR.dur > 0 {
		fmt.Printf("  zkc diff / zkc ls -R          %5.2fx  (target <= 2.5; both trees read, with ACLs)\n", r(diff, lsR))
	}
	if cliPerNode > 0 {
		fmt.Printf("  zkCli creates / zkc import    %5.1fx per node (target >= 15)\n", cliPerNode/zkcPerNode)
	}
	fmt.Printf("  peak RSS: export %.1f MB, import %.1f MB, diff %.1f MB (target <= 60)\n",
		float64(export.rss)/1024, float64(imported.rss)/1024, float64(diff.rss)/1024)
	return nil
}

// timeScript runs zkCli.sh with a script on stdin.
func timeScript(cli, addr, script string) (sample, error) {
	cmd := exec.Command(cli, "-server", addr)
	cmd.Stdin = strings.NewReader(script)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%v: %v\n%s", cmd.Args, err, tail(errb.String()))
	}
	return sample{dur: time.Since(t0)}, nil
}

// rawMultiCreate creates paths level by level (a level's parents are all
// there first) in multis of 1000 creates, 16 multis in flight, on a fresh
// connection: what an import could do at best.
func rawMultiCreate(addr string, paths []string) (sample, error) {
	t0 := time.Now()
	conn, err := rawConnect(addr)
	if err != nil {
		return sample{}, err
	}
	defer conn.Close()
	acl := zk.WorldACL(zk.PermAll)
	for _, level := range levels(paths) {
		var batches [][]string
		for i := 0; i < len(level); i += 1000 {
			batches = append(batches, level[i:min(i+1000, len(level))])
		}
		sem := make(chan struct{}, 16)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var first error
		for _, b := range batches {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				ops := make([]interface{}, len(b))
				for i, p := range b {
					ops[i] = &zk.CreateRequest{Path: p, Data: []byte("x"), Acl: acl}
				}
				if _, err := conn.Multi(ops...); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if first != nil {
			return sample{}, first
		}
	}
	return sample{dur: time.Since(t0)}, nil
}

// levels groups paths by depth, shallowest first: creating a level at a
// time (or deleting in reverse) never waits on a parent.
func levels(paths []string) [][]string {
	var out [][]string
	for _, p := range paths {
		d := strings.Count(p, "/")
		for len(out) < d {
			out = append(out, nil)
		}
		out[d-1] = append(out[d-1], p)
	}
	return out
}
