// Command zkc is a ZooKeeper shell and one-shot client, compatible with zkCli.sh.
package main

import (
	"os"

	"github.com/zkc-cli/zkc/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], app.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}))
}
