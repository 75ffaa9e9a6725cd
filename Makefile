# dumpshift: build, demo, tests and benchmarks.
#
#   make demo    build, migrate the committed example dump into v2_load.sql
#   make test    the whole test suite, against a throw-away PostgreSQL
#   make ci      cargo fmt --check, clippy -D warnings, then the test suite
#   make dist    dist/dumpshift-VERSION-x86_64-linux.tar.gz and SHA256SUMS for
#                hosts without a compiler or network: the stripped release
#                binary (checked to need only the C library), README, licences,
#                completions, man pages; dumpshift.debug in a -debug tarball.
#                Same commit and checkout path => same bytes (scripts/dist.sh)
#
# System packages are this file's job: `deps` installs what is missing with
# apt-get when run as root, or stops and prints the exact command.

SHELL := /bin/bash
CARGO ?= cargo
PG_VERSION ?= 15
PG_BIN := /usr/lib/postgresql/$(PG_VERSION)/bin
export PATH := $(PATH):$(PG_BIN)

EXAMPLE := fixtures/example/life_os_v1_backup.sql

.PHONY: all deps build release dist demo test ci fmt clippy fixtures bench bigdump benchmarks clean

all: build

# libclang: pg_query's build generates bindings with it.
# postgresql server + client: the tests start their own throw-away cluster.
# gzip, zstd, xz, bzip2, lz4: the tests make the compressed forms with them.
deps:
	@missing=""; \
	scripts/check-deps.sh libclang >/dev/null 2>&1 || missing="$$missing libclang-dev clang"; \
	for b in initdb pg_ctl postgres; do "$$b" --version >/dev/null 2>&1 || { missing="$$missing postgresql-$(PG_VERSION)"; break; }; done; \
	for b in psql pg_dump pg_restore; do "$$b" --version >/dev/null 2>&1 || { missing="$$missing postgresql-client-$(PG_VERSION)"; break; }; done; \
	for p in gzip:gzip zstd:zstd xz:xz-utils bzip2:bzip2 lz4:lz4; do command -v "$${p%%:*}" >/dev/null 2>&1 || missing="$$missing $${p#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || exit 1; \
	  else \
	    echo "make deps: missing system packages. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi; \
	PG_VERSION=$(PG_VERSION) scripts/check-deps.sh all

build: deps
	$(CARGO) build

release: deps
	$(CARGO) build --release

dist: deps
	scripts/dist.sh dist

demo: release
	./target/release/dumpshift $(EXAMPLE) -o v2_load.sql --force
	@echo
	@echo "Load it into a new database:"
	@echo "  createdb lifeos && psql -v ON_ERROR_STOP=1 -f v2_load.sql lifeos"

test: deps
	$(CARGO) test

fmt:
	$(CARGO) fmt --check

clippy: deps
	$(CARGO) clippy --all-targets -- -D warnings

ci: fmt clippy test

# Regenerates fixtures/ with the real pg_dump (see fixtures/README.md).
fixtures: deps
	scripts/make-fixtures.sh

bench: deps
	$(CARGO) bench

SIZE ?= 1G
SEED ?= 42
BIGDUMP ?= /tmp/bigdump-$(SIZE).sql

# A seeded Life OS v1 dump of about SIZE bytes for benchmarks: same SIZE and SEED, same bytes.
#   make bigdump SIZE=1G && time ./target/release/dumpshift $(BIGDUMP) -o /tmp/out.sql -q --force
bigdump: deps
	$(CARGO) run --release --example bigdump -- --size $(SIZE) --seed $(SEED) -o $(BIGDUMP)

# dumpshift against cp and cat, thread scaling, peak heap, a 256 MiB memory
# cgroup and the psql INSERT ... SELECT path, side by side: scripts/bench.sh.
# The Markdown report goes to stdout and /tmp/dumpshift-bench.md.
# Then the load itself, paths (a)-(e) on a durable and an fsync=off cluster:
# scripts/bench-load.sh, report in /tmp/dumpshift-bench-load.md.
#   make benchmarks SIZES="10M 100M 1G 5G" RUNS=3
benchmarks: deps
	scripts/bench.sh
	BUILD=0 scripts/bench-load.sh

clean:
	$(CARGO) clean
	rm -f v2_load.sql
