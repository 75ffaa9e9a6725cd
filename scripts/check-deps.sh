#!/usr/bin/env bash
# Checks for exactly what the build and the tests load, and prints what is
# missing. Used by `make deps` (which installs it) and by .ci/run after it
# (which fails loudly if anything is still missing).
#
#   scripts/check-deps.sh [libclang|postgres|all]     exit 1 when something is missing
#
# libclang: pg_query's build script loads it through bindgen (clang-sys), which
# looks for libclang.so, libclang-*.so, libclang.so.* and libclang-*.so.*.
# libclang-cpp*.so* is a different library (the C++ interface, shipped on its
# own by some images) and must not count: matching it once let a machine
# without libclang pass this check.
set -u
what=${1:-all}
missing=()

has_libclang() {
  local dirs=(/usr/lib/llvm-*/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib)
  [ -n "${LIBCLANG_PATH:-}" ] && dirs=("$LIBCLANG_PATH" "${dirs[@]}")
  local d f base
  for d in "${dirs[@]}"; do
    [ -d "$d" ] || continue
    for f in "$d"/libclang.so "$d"/libclang.so.* "$d"/libclang-*.so "$d"/libclang-*.so.*; do
      [ -e "$f" ] || continue
      base=${f##*/}
      case "$base" in libclang-cpp*) continue ;; esac
      return 0
    done
  done
  return 1
}

# A PostgreSQL binary counts when it runs and says its version: a dangling
# link or a wrapper for a removed package does not.
has_runnable() { "$1" --version >/dev/null 2>&1; }

if [ "$what" = libclang ] || [ "$what" = all ]; then
  has_libclang || missing+=("libclang (Debian: libclang-dev clang)")
fi
if [ "$what" = postgres ] || [ "$what" = all ]; then
  for b in initdb pg_ctl postgres; do
    has_runnable "$b" || { missing+=("$b (Debian: postgresql-${PG_VERSION:-15})"); }
  done
  for b in psql pg_dump pg_restore; do
    has_runnable "$b" || { missing+=("$b (Debian: postgresql-client-${PG_VERSION:-15})"); }
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "dependencies present ($what)"
