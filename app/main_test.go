package app_test

import (
	"os"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

var (
	pool zkharness.Pool
	zkc  *zkharness.Zkc
)

func TestMain(m *testing.M) { os.Exit(zkharness.MainWithZkc(m, &pool, &zkc)) }

// server returns the shared standalone server's address.
func server(t *testing.T) string {
	return pool.Standalone(t, "default", zkharness.Config{}).Addr()
}
