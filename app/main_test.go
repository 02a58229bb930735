package app_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

var (
	pool zkharness.Pool
	zkc  *zkharness.Zkc
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zkc-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	zkc, err = zkharness.BuildZkc(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := zkharness.Main(m, &pool)
	os.RemoveAll(dir)
	os.Exit(code)
}

// server returns the shared standalone server's address.
func server(t *testing.T) string {
	return pool.Standalone(t, "default", zkharness.Config{}).Addr()
}
