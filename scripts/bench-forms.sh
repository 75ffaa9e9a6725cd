#!/usr/bin/env bash
# What each input form costs against the plain dump: dumpshift (release) on
# each form of the same database, interleaved, ROUNDS times each (default
# 3), median wall time and its ratio to the plain file's median.
#
#   scripts/bench-forms.sh DIR [ROUNDS]
#
# DIR holds the forms of one v1 database, by these names (any may be
# missing; plain.sql must be there):
#   plain.sql          pg_dump -f plain.sql DB
#   v1.dump            pg_dump -Fc -f v1.dump DB
#   dir/               pg_dump -Fd -f dir DB            (gzip data files)
#   dir_z0/            pg_dump -Fd -Z 0 -f dir_z0 DB
#   dir_lz4/ dir_zst/  pg_dump (16+) -Fd -Z lz4|zstd -f dir_lz4|dir_zst DB
#   v1.tar             pg_dump -Ft -f v1.tar DB
#   plain17.sql.lz4    pg_dump (16+) -Z lz4 -f plain17.sql.lz4 DB
#   plain.sql.xz       xz -6 -c plain.sql      plain.sql.bz2  bzip2 -9 -c plain.sql
#   plain.sql.lz4      lz4 -c plain.sql        v1.dump.gz     gzip -c v1.dump
# The load file goes to DIR/out.sql (--no-sync: the fsync of OUT is not
# what is measured); every form must give the plain file's.
set -euo pipefail
dir="${1:?usage: scripts/bench-forms.sh DIR [ROUNDS]}"
rounds="${2:-3}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/target/release/dumpshift"
(cd "$repo" && cargo build --release --quiet)
forms=()
for f in plain.sql v1.dump dir dir_z0 dir_lz4 dir_zst v1.tar plain17.sql.lz4 \
         plain.sql.xz plain.sql.bz2 plain.sql.lz4 v1.dump.gz; do
    [[ -e "$dir/$f" ]] && forms+=("$f")
done
[[ "${forms[0]:-}" == plain.sql ]] || { echo "bench-forms: $dir/plain.sql is missing" >&2; exit 2; }
"$bin" -q --no-sync "$dir/plain.sql" -o "$dir/want.sql" --force
declare -A times
for ((r = 1; r <= rounds; r++)); do
    for f in "${forms[@]}"; do
        start=$(date +%s.%N)
        "$bin" -q --no-sync "$dir/$f" -o "$dir/out.sql" --force
        end=$(date +%s.%N)
        cmp -s "$dir/out.sql" "$dir/want.sql" || { echo "bench-forms: $f gives another load file" >&2; exit 1; }
        times[$f]+="$(echo "$end - $start" | bc) "
    done
done
echo "# $(uptime)"
echo "# $(du -sb "$dir/plain.sql" | cut -f1) bytes of plain dump; median of $rounds interleaved runs"
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${times[plain.sql]}" | median)
printf '%-18s %12s %10s %8s  %s\n' form bytes median ratio runs
for f in "${forms[@]}"; do
    m=$(echo "${times[$f]}" | median)
    printf '%-18s %12s %9.2fs %7.2fx  %s\n' "$f" "$(du -sb "$dir/$f" | cut -f1)" "$m" \
        "$(echo "$m / $base" | bc -l)" "${times[$f]}"
done
rm -f "$dir/out.sql" "$dir/want.sql"
