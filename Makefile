# zkc — see README.md. `make run` to try it, `make test` to run everything.
SHELL := /bin/bash
GO ?= go
BIN := bin/zkc
ZK_JAR := /usr/share/java/zookeeper.jar
ZK_DIR := $(CURDIR)/.zk
ZK_PORT ?= 2181
ZK_ADDR := 127.0.0.1:$(ZK_PORT)
JAVA_CP := /etc/zookeeper/conf:$(ZK_JAR):/usr/share/java/*

.PHONY: all build deps test vet run zk-start zk-stop bench fuzz fuzz-smoke clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/zkc

# Installs what the tests run against when it is missing: ZooKeeper (Debian's
# package, with Java) and MIT Kerberos (the SASL/Kerberos tests start their own
# KDC; krb5-user's /etc/krb5.conf is never used by them) and tmux (the
# terminal emulator the shell's screen tests draw in).
DEB_PACKAGES := zookeeper krb5-kdc krb5-admin-server krb5-user tmux
deps:
	@if [ ! -f $(ZK_JAR) ] || ! command -v java >/dev/null || [ ! -x /usr/sbin/krb5kdc ] || \
		[ ! -x /usr/sbin/kadmin.local ] || ! command -v kinit >/dev/null || ! command -v tmux >/dev/null; then \
		echo "installing Debian's $(DEB_PACKAGES)..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "packages are missing and I am not root: run 'apt-get install -y $(DEB_PACKAGES)' as root" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES) >/dev/null; \
	fi
	@test -f $(ZK_JAR) || { echo "ZooKeeper jar $(ZK_JAR) still missing" >&2; exit 1; }
	@test -x /usr/sbin/krb5kdc || { echo "krb5kdc still missing" >&2; exit 1; }
	@command -v tmux >/dev/null || { echo "tmux (the shell's screen tests) still missing" >&2; exit 1; }

vet:
	$(GO) vet ./...

# The whole suite against real ZooKeeper servers the tests start themselves.
test: deps vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted" >&2; exit 1; fi
	$(GO) test -race -count=1 -timeout 12m ./...
	@$(MAKE) --no-print-directory fuzz-smoke

# Fuzz targets as "package:FuzzName"; adding one is one line (the 4lw answer
# parsers' targets go here too).
FUZZ_TARGETS := \
	./shell:FuzzTokenize \
	./app:FuzzRewriteArgs \
	./commands:FuzzRewriteSingleDash \
	./commands:FuzzParseACL \
	./commands:FuzzACLErrorHidesSecret \
	./session:FuzzParseConnectString \
	./clientconf:FuzzParseProperties \
	./clientconf:FuzzPropertiesErrorHidesSecret \
	./fourlw:FuzzParseSrvr \
	./fourlw:FuzzParseMntr \
	./fourlw:FuzzParseConf \
	./fourlw:FuzzParseCons \
	./fourlw:FuzzParseWatches \
	./fourlw:FuzzParseSmall \
	./fourlw:FuzzParseAdmin \
	./transfer:FuzzDecodeNodeFast \
	./transfer:FuzzSkimNodeLine \
	./walk:FuzzSortNames
FUZZTIME ?= 60s
FUZZ_SMOKE_TIME ?= 20000x

# Each fuzz target briefly (part of `make test`); the seeds and any saved
# failures under <pkg>/testdata/fuzz already run as plain tests in go test.
# The budget is a count, not a duration: Go 1.26's fuzz coordinator can fail
# a clean run with "context deadline exceeded" when a -fuzztime duration
# ends (golang/go#75804, fixed in 1.27); a count has no deadline to race.
fuzz-smoke:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "fuzz $$pkg $$name ($(FUZZ_SMOKE_TIME))"; \
		out=$$($(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZ_SMOKE_TIME) -fuzzminimizetime=200x 2>&1) || \
			{ echo "$$out" | tail -30; exit 1; }; \
		case "$$out" in *"no fuzz tests to fuzz"*) echo "no fuzz target $$name in $$pkg"; exit 1;; esac; \
	done

# Longer fuzzing: FUZZTIME per target (make fuzz FUZZTIME=10m).
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime=200x; \
	done

# Starts a local standalone server on 127.0.0.1:$(ZK_PORT) (data in .zk/) unless
# one answers there; it says "started" only once the server answers ruok, and
# otherwise why not (port taken, java died: the end of its log), exit 1.
zk-start: deps
	@ZK_DIR=$(ZK_DIR) ZK_PORT=$(ZK_PORT) JAVA_CP="$(JAVA_CP)" scripts/zk-start.sh

# Stops the server zk-start started (and nothing else).
zk-stop:
	@if [ -f $(ZK_DIR)/server.pid ] && kill $$(cat $(ZK_DIR)/server.pid) 2>/dev/null; then \
		echo "stopped ZooKeeper (pid $$(cat $(ZK_DIR)/server.pid))"; else echo "no zkc-started ZooKeeper is running"; fi
	@rm -f $(ZK_DIR)/server.pid

# The newcomer's first command: a local server and the zkc shell on it.
run: zk-start build
	./$(BIN) -server $(ZK_ADDR)

# Performance (README, Performance): zkc against zkCli.sh (when installed) and
# the raw limits (pipelined and multiRead walks, pipelined deletes and creates)
# on a 200,000-node tree on a server it starts (2 GB heap), a piped
# 10,000-create script, then the Go benchmarks of the hot paths. BENCHFLAGS
# passes flags to ./bench: -runs 3, -nodes 1000000, -fanout 100, -no-zkcli,
# -script-lines 10000, -server-heap 2g, -only 'ls -R|walk'. `make test` runs
# none of this.
bench: deps
	$(GO) run ./bench $(BENCHFLAGS)
	$(GO) test -run '^$$' -bench . -benchmem ./shell ./format ./completion
	$(GO) test -run '^$$' -bench . -benchtime 5x ./walk

clean:
	rm -rf bin
