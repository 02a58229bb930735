// Command zkc is a ZooKeeper shell and one-shot client, compatible with zkCli.sh.
package main

import (
	"os"
	"runtime/debug"

	"github.com/zkc-cli/zkc/app"
)

func main() {
	// zkc's heap is mostly short-lived request and reply garbage over a
	// small live set, and its big walks wait on the server, not the CPU:
	// collecting at 50 % growth instead of 100 % keeps `ls -R` of 200,000
	// nodes near 31 MB of RSS instead of 40-53 MB at the same speed (the
	// CPU-bound export and diff pay about 5 %). GOGC still overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	os.Exit(app.Main(os.Args[1:], app.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}))
}
