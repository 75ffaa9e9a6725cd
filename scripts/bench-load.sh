#!/usr/bin/env bash
# The load's benchmarks (issue "the load is as fast as a plain restore"),
# side by side on one cluster, in one run:
#
#   scripts/bench-load.sh                      # or: make benchmarks
#   SIZES="100M 1G" RUNS=2 scripts/bench-load.sh
#
# Paths, per dump size (seeded generator, examples/bigdump/, seed 42):
#   (a) psql -f of the v1 dump into a new database: a plain restore;
#   (b) dumpshift, then psql -f of the full v2 load file;
#   (c) dumpshift --data-only, then psql -f of it onto a schema made by the
#       migrations (golang-migrate's bookkeeping; the migrations untimed);
#   (d) restore v1, then INSERT ... SELECT the v2 rows from the expected_*
#       views of tests/sql/check_v2.sql;
#   (e) dumpshift -o - | psql: the same as (b), through a pipe.
# on two throw-away clusters: one with stock, durable settings and one with
# fsync=off (so the disk is not what is measured). Both log every statement's
# duration (log_min_duration_statement=0): the breakdown by statement of the
# last run of (b) and (c) comes from there.
#
# Settings (environment variables):
#   SIZES     dump sizes, as bigdump reads them        (default "100M 1G")
#   RUNS      runs per path, median reported, interleaved (default 2)
#   DUMP_DIR  where dumps are generated/reused         (default /tmp: /tmp/bigdump-SIZE.sql)
#   PG_BIN    PostgreSQL 15 server binaries            (default /usr/lib/postgresql/15/bin)
#   BUILD=0   do not run cargo build first
#   REPORT    where the Markdown report goes           (default /tmp/dumpshift-bench-load.md)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SIZES=${SIZES:-100M 1G}
RUNS=${RUNS:-2}
SEED=${SEED:-42}
DUMP_DIR=${DUMP_DIR:-/tmp}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BUILD=${BUILD:-1}
REPORT=${REPORT:-/tmp/dumpshift-bench-load.md}

DUMPSHIFT=$ROOT/target/release/dumpshift
MAPPING=$ROOT/mappings/life_os.toml
ORACLE=$ROOT/tests/sql/check_v2.sql
ORACLE_END_MARKER='-- Expected vs actual, per mapped table.'

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench-load: RUNS must be a positive integer" >&2; exit 2; }
TIMEFORMAT='%3R'
export LC_ALL=C
unset PGHOST PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGPASSWORD PGTZ
export PGCLIENTENCODING=UTF8

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dumpshift-bench-load.XXXXXX")
LOG=$WORK/stderr.log
CLUSTERS=()

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
    local rc=$? dir
    for dir in "${CLUSTERS[@]}"; do
        as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -s stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    done
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "bench-load: $*" >&2; }
die() {
    echo "bench-load: ERROR: $*" >&2
    [[ -s $LOG ]] && tail -n 20 "$LOG" >&2
    exit 1
}

median() {
    printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END {
        if (NR % 2) printf "%.1f\n", a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"%.${2:-1}f\n\", $1 }"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "-" }'; }

# stopwatch CMD...: prints the wall seconds of CMD; any failure stops everything.
stopwatch() {
    local rc=0
    { time "$@" >/dev/null 2>>"$LOG"; } 2>"$WORK/time" || rc=$?
    ((rc == 0)) || die "'$*' failed with exit status $rc"
    cat "$WORK/time"
}

# start_cluster SETTINGS...: a throw-away cluster on a unix socket; its
# directory goes into PG (not through $(...): cleanup must see CLUSTERS).
start_cluster() {
    PG=$(mktemp -d "${TMPDIR:-/tmp}/dumpshift-bench-load-pg.XXXXXX")
    CLUSTERS+=("$PG")
    [[ $(id -u) == 0 ]] && chown postgres: "$PG"
    as_postgres "$PG_BIN/initdb" -D "$PG/data" -A trust -U postgres -E UTF8 \
        --locale=C.UTF-8 --no-instructions >>"$LOG" 2>&1 || die "initdb failed"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -s \
        -o "-k $PG -c listen_addresses='' -c log_min_duration_statement=0 $*" start >>"$LOG" 2>&1 ||
        die "pg_ctl start failed"
}

PG="" # the socket directory of the cluster in use
drop_db() { psql_ -d postgres -c "DROP DATABASE $1" >>"$LOG"; }
psql_() { psql -h "$PG" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { createdb -h "$PG" -U postgres -T template0 "$1"; }

mapped_tables() {
    awk '
        function flush() { if (target != "") print source, target, cols; source = target = cols = "" }
        /^\[\[table\]\]/ { flush(); next }
        /^source = "/ { split($0, q, "\""); source = q[2]; next }
        /^target = "/ { split($0, q, "\""); target = q[2]; next }
        /^ *\{ *name = "/ { split($0, q, "\""); cols = cols (cols == "" ? "" : ",") q[2]; next }
        END { flush() }' "$MAPPING"
}

# The oracle's definitions, then one INSERT ... SELECT per mapped table.
insert_select_sql() {
    grep -qxF -- "$ORACLE_END_MARKER" "$ORACLE" || die "$ORACLE lost its marker line"
    echo 'BEGIN;'
    sed -n "/^$(sed 's/[.]/\\./g' <<<"$ORACLE_END_MARKER")\$/q; p" "$ORACLE"
    local source target cols
    while read -r source target cols; do
        echo "INSERT INTO public.$target (${cols//,/, }) SELECT ${cols//,/, } FROM expected_$target;"
    done < <(mapped_tables)
    echo 'COMMIT;'
}

# A database with the v2 schema applied as golang-migrate does it.
migrated_db() {
    local db=$1 up v
    fresh_db "$db"
    for up in migrations/*.up.sql; do psql_ -d "$db" -1 -f "$up" >>"$LOG"; done
    v=$(ls migrations/*.up.sql | sed 's|.*/0*\([0-9]*\)_.*|\1|' | sort -n | tail -n 1)
    psql_ -d "$db" -c "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
                       INSERT INTO schema_migrations VALUES ($v, false);"
}

# One run of every path on the cluster at $PG; appends to T[cluster:size:path].
declare -A T=()
run_paths() {
    local c=$1 size=$2 run=$3 dump=$4 tag=$5 load=$WORK/v2_load.sql data=$WORK/v2_data.sql t1 t2
    fresh_db "a_${tag}_$run"
    T[$c:$size:a]+="$(stopwatch psql_ -d "a_${tag}_$run" -f "$dump") "
    drop_db "a_${tag}_$run"
    t1=$(stopwatch "$DUMPSHIFT" "$dump" -o "$load" -q --force)
    fresh_db "b_${tag}_$run"
    MARK_B=$(wc -c <"$PG/server.log")
    t2=$(stopwatch psql_ -d "b_${tag}_$run" -f "$load")
    LOG_B=$(tail -c +"$((MARK_B + 1))" "$PG/server.log")
    T[$c:$size:b1]+="$t1 "
    T[$c:$size:b2]+="$t2 "
    T[$c:$size:b]+="$(calc "$t1 + $t2" 3) "
    drop_db "b_${tag}_$run"
    rm -f "$load"
    migrated_db "c_${tag}_$run"
    t1=$(stopwatch "$DUMPSHIFT" "$dump" -o "$data" -q --force --data-only)
    MARK_C=$(wc -c <"$PG/server.log")
    t2=$(stopwatch psql_ -d "c_${tag}_$run" -f "$data")
    LOG_C=$(tail -c +"$((MARK_C + 1))" "$PG/server.log")
    T[$c:$size:c]+="$(calc "$t1 + $t2" 3) "
    drop_db "c_${tag}_$run"
    rm -f "$data"
    fresh_db "d_${tag}_$run"
    t1=$(stopwatch psql_ -d "d_${tag}_$run" -f "$dump")
    t2=$(stopwatch bash -c "set -o pipefail; psql -h '$PG' -U postgres -X -q -v ON_ERROR_STOP=1 -d 'd_${tag}_$run' \
        -c 'ALTER SCHEMA public RENAME TO v1; CREATE SCHEMA public;' && '$DUMPSHIFT' schema | \
        psql -h '$PG' -U postgres -X -q -v ON_ERROR_STOP=1 -d 'd_${tag}_$run' && \
        psql -h '$PG' -U postgres -X -q -v ON_ERROR_STOP=1 -d 'd_${tag}_$run' -f '$WORK/insert_select.sql'")
    T[$c:$size:d]+="$(calc "$t1 + $t2" 3) "
    drop_db "d_${tag}_$run"
    fresh_db "e_${tag}_$run"
    T[$c:$size:e]+="$(stopwatch bash -c "set -o pipefail; '$DUMPSHIFT' '$dump' -q -o - | \
        psql -h '$PG' -U postgres -X -q -v ON_ERROR_STOP=1 -d 'e_${tag}_$run'") "
    drop_db "e_${tag}_$run"
}

# Every statement's seconds summed by kind: "kind\tseconds", for the breakdown.
by_kind() {
    awk 'function emit() {
             if (rec !~ /duration: [0-9.]+ ms  statement: /) return
             ms = rec; sub(/.*duration: /, "", ms); sub(/ ms.*/, "", ms)
             st = rec; sub(/.*statement: /, "", st); gsub(/[ \t]+/, " ", st)
             k = "other"
             if (st ~ /^COPY /) k = "COPY (all tables)"
             else if (st ~ /PRIMARY KEY \(|UNIQUE /) k = "primary keys and unique constraints"
             else if (st ~ /^CREATE (UNIQUE )?INDEX/) k = "CREATE INDEX"
             else if (st ~ /FOREIGN KEY/) k = "foreign keys"
             else if (st ~ /^CREATE TABLE/) k = "CREATE TABLE"
             else if (st ~ /DECLARE n bigint/) k = "the proof"
             else if (st ~ /DECLARE s text/) k = "data-only: rebuild keys, indexes, foreign keys"
             else if (st ~ /DECLARE r record/) k = "data-only: drop keys, indexes, foreign keys"
             else if (st ~ /^COMMIT/) k = "COMMIT"
             t[k] += ms / 1000; all += ms / 1000
         }
         /^[0-9][0-9][0-9][0-9]-/ { emit(); rec = $0; next }
         { rec = rec " " $0 }
         END { emit(); for (k in t) printf "%s\t%.1f\t%.0f%%\n", k, t[k], 100 * t[k] / all }' | sort -t$'\t' -k2,2 -rn
}

# The statements of a psql run over 0.1 s, from the server log (a log entry
# runs on over the lines that do not start with a timestamp): "seconds\tstatement".
breakdown() {
    awk 'function emit() {
             if (rec !~ /duration: [0-9.]+ ms  statement: /) return
             ms = rec; sub(/.*duration: /, "", ms); sub(/ ms.*/, "", ms)
             st = rec; sub(/.*statement: /, "", st); gsub(/[ \t]+/, " ", st)
             if (st ~ /^DO \$dumpshift\$/) {
                 if (st ~ /DECLARE n bigint/) st = "DO: the proof"
                 else if (st ~ /DECLARE s text/) st = "DO: rebuild the keys and indexes"
                 else if (st ~ /DECLARE r record/) st = "DO: drop the keys and indexes"
                 else st = "DO: the opening check"
             }
             if (ms + 0 >= 100) printf "%.1f\t%s\n", ms / 1000, substr(st, 1, 90)
         }
         /^[0-9][0-9][0-9][0-9]-/ { emit(); rec = $0; next }
         { rec = rec " " $0 }
         END { emit() }' | sort -t$'\t' -k1,1 -rn | head -n 25
}

for b in initdb pg_ctl; do [[ -x $PG_BIN/$b ]] || die "$PG_BIN/$b missing (apt-get install postgresql-15, or set PG_BIN)"; done
for b in psql createdb; do command -v $b >/dev/null || die "$b missing (apt-get install postgresql-client-15)"; done
if [[ $BUILD != 0 ]]; then
    say "building dumpshift (release)"
    cargo build --release --quiet --bin dumpshift --example bigdump
fi
insert_select_sql >"$WORK/insert_select.sql"
declare -A DUMP=()
for size in $SIZES; do
    DUMP[$size]=$DUMP_DIR/bigdump-$size.sql
    [[ -s ${DUMP[$size]} ]] || "$ROOT/target/release/examples/bigdump" --size "$size" --seed "$SEED" -o "${DUMP[$size]}"
done

{
    echo "### The load, side by side ($(date -u +%Y-%m-%d), RUNS=$RUNS, medians; seconds)"
    echo
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- dumpshift $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }')"
    echo
} >"$REPORT"

for cluster in durable fsync_off; do
    settings=""
    [[ $cluster == fsync_off ]] && settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    start_cluster "$settings"
    say "$cluster cluster in $PG"
    for size in $SIZES; do
        cat "${DUMP[$size]}" >/dev/null
        for ((run = 1; run <= RUNS; run++)); do
            say "$cluster $size run $run of $RUNS"
            run_paths "$cluster" "$size" "$run" "${DUMP[$size]}" "${size,,}"
        done
        {
            echo "By kind, $cluster, $size, last run of (b) | (c):"
            echo
            echo '| path | kind | s | share |'
            echo '|---|---|---:|---:|'
            by_kind <<<"$LOG_B" | awk -F'\t' '{ printf "| (b) | %s | %s | %s |\n", $1, $2, $3 }'
            by_kind <<<"$LOG_C" | awk -F'\t' '{ printf "| (c) | %s | %s | %s |\n", $1, $2, $3 }'
            echo
            echo "Per statement, $cluster, $size, last run of (b) (statements over 0.1 s):"
            echo
            echo '| s | statement |'
            echo '|---:|---|'
            breakdown <<<"$LOG_B" | awk -F'\t' '{ printf "| %s | `%s` |\n", $1, $2 }'
            echo
            echo "Per statement, $cluster, $size, last run of (c):"
            echo
            echo '| s | statement |'
            echo '|---:|---|'
            breakdown <<<"$LOG_C" | awk -F'\t' '{ printf "| %s | `%s` |\n", $1, $2 }'
            echo
        } >>"$WORK/breakdown.md"
    done
    as_postgres "$PG_BIN/pg_ctl" -D "$PG/data" -m fast -w -s stop >>"$LOG" 2>&1 || true
    rm -rf "$PG"
done

{
    echo '| cluster | size | (a) restore v1 | (b) dumpshift | (b) psql -f load | (b) total | (c) data-only | (d) INSERT … SELECT | (e) pipe | (b)/(a) | (c)/(a) | (d)/(a) | (e)/(a) |'
    echo '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
    for cluster in durable fsync_off; do
        for size in $SIZES; do
            k=$cluster:$size
            a=$(median "${T[$k:a]}"); b=$(median "${T[$k:b]}"); c=$(median "${T[$k:c]}")
            d=$(median "${T[$k:d]}"); e=$(median "${T[$k:e]}")
            echo "| $cluster | $size | $a | $(median "${T[$k:b1]}") | $(median "${T[$k:b2]}") | $b | $c | $d | $e | $(ratio "$b" "$a") | $(ratio "$c" "$a") | $(ratio "$d" "$a") | $(ratio "$e" "$a") |"
        done
    done
    echo
    echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    cat "$WORK/breakdown.md"
} >>"$REPORT"
cat "$REPORT"
