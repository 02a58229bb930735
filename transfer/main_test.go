package transfer

import (
	"os"
	"testing"

	"github.com/zkc-cli/zkc/zkharness"
)

var pool zkharness.Pool

func TestMain(m *testing.M) { os.Exit(zkharness.Main(m, &pool)) }
