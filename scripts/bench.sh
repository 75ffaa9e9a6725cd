#!/usr/bin/env bash
# dumpshift benchmarks, side by side in one session (issue "Performance at scale").
#
#   scripts/bench.sh                         # or: make benchmarks
#   SIZES="10M 100M 1G 5G" RUNS=5 scripts/bench.sh
#   SIZES="100M 1G" MEMORY=64M scripts/bench.sh   # quicker; a smaller --memory
#
# For each dump size (seeded generator, examples/bigdump/, seed 42) it measures,
# as medians of RUNS runs with the dump in the page cache:
#   - cp, cat FILE > /dev/null and cat FILE > newfile of the same file;
#   - dumpshift (fsync, the default) and dumpshift --no-sync: wall, user+sys,
#     MB/s, rows/s, and the ratios to cp and to cat > /dev/null;
#   - thread scaling: -j 1 against -j 2 (--no-sync);
#   - memory: peak live heap (examples/heap_peak.rs) and a run inside a
#     256 MiB memory cgroup (cgroup v1; skipped when not writable);
#   - cost per GB (wall seconds per 10^9 bytes) at each size, and its spread
#     from the smallest to the largest size;
#   - up to SQL_MAX_SIZE, what a user would do instead: restore v1 into
#     PostgreSQL and INSERT ... SELECT the v2 rows from the expected_* views of
#     tests/sql/check_v2.sql, against dumpshift + psql -f load, in a throw-away
#     PostgreSQL cluster; both databases must end with the same row counts.
# The Markdown report goes to stdout and to $REPORT; progress goes to stderr.
#
# Settings (environment variables):
#   SIZES          dump sizes, as bigdump reads them      (default "100M 1G 5G")
#   MEMORY         dumpshift's --memory in every run     (default 256M, dumpshift's own default)
#   RUNS           runs per measurement, median reported  (default 3)
#   SEED           generator seed                         (default 42)
#   DUMP_DIR       where dumps are generated/reused       (default /tmp: /tmp/bigdump-SIZE.sql)
#   SQL_MAX_SIZE   largest size for the SQL-path comparison (default 1G); SQL=0 skips it
#   CGROUP_MIB     memory limit of the cgroup run         (default 256)
#   PG_BIN         PostgreSQL 15 binaries                 (default /usr/lib/postgresql/15/bin)
#   PG_SETTINGS    extra "-c name=value ..." for the throw-away server (default: none, stock settings)
#   BUILD=0        do not run cargo build first
#   REPORT         where the Markdown report is written   (default /tmp/dumpshift-bench.md)
#
# Method: every timed command is preceded by an untimed `sync`, so no run pays
# for the previous run's writeback; each run writes a new file, deleted
# (untimed) afterwards. Runs of the different commands are interleaved (run 1
# of each, then run 2 of each, ...), so a load change on the machine spreads
# over all of them instead of skewing one. cp, cat > file and dumpshift
# --no-sync return with their output still in the page cache; dumpshift
# without --no-sync also waits for the fsync, as pg_dump does.

set -euo pipefail

# --- settings ----------------------------------------------------------------

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SIZES=${SIZES:-100M 1G 5G}
MEMORY=${MEMORY:-256M}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
DUMP_DIR=${DUMP_DIR:-/tmp}
SQL=${SQL:-1}
SQL_MAX_SIZE=${SQL_MAX_SIZE:-1G}
CGROUP_MIB=${CGROUP_MIB:-256}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_SETTINGS=${PG_SETTINGS:-}
BUILD=${BUILD:-1}
REPORT=${REPORT:-/tmp/dumpshift-bench.md}

DUMPSHIFT=$ROOT/target/release/dumpshift
HEAP_PEAK=$ROOT/target/release/examples/heap_peak
MAPPING=$ROOT/mappings/life_os.toml
ORACLE=$ROOT/tests/sql/check_v2.sql
# check_v2.sql: everything before this line defines the helper functions, the
# expected_* views and the `mapped` table; after it come the comparisons.
ORACLE_END_MARKER='-- Expected vs actual, per mapped table.'

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive integer, not '$RUNS'" >&2; exit 2; }

# bash's `time` keyword prints "wall user sys" in seconds.
TIMEFORMAT='%3R %3U %3S'
export LC_ALL=C

# --- scratch space and clean-up ----------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dumpshift-bench.XXXXXX")
LOG=$WORK/stderr.log # stderr of every measured command, shown on failure
PG_DIR=""            # throw-away cluster, when started
CG_DIR=""            # memory cgroup, while it exists

cleanup() {
    local rc=$?
    if [[ -n $CG_DIR && -d $CG_DIR ]]; then
        rmdir "$CG_DIR" 2>/dev/null || echo "bench: could not remove cgroup $CG_DIR" >&2
    fi
    if [[ -n $PG_DIR ]]; then
        if [[ -f $PG_DIR/data/postmaster.pid ]]; then
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -s stop >/dev/null 2>&1 ||
                as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -s stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_DIR"
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "bench: $*" >&2; }
die() {
    echo "bench: ERROR: $*" >&2
    if [[ -s $LOG ]]; then
        echo "bench: last lines of the commands' stderr:" >&2
        tail -n 20 "$LOG" >&2
    fi
    exit 1
}

# --- small helpers -----------------------------------------------------------

# "10M" -> bytes; K, M, G, T are powers of 1024, as bigdump reads them.
to_bytes() {
    awk -v s="$1" 'BEGIN {
        u = toupper(substr(s, length(s))); n = s; m = 1
        if (u == "K") m = 2^10; else if (u == "M") m = 2^20
        else if (u == "G") m = 2^30; else if (u == "T") m = 2^40
        if (m > 1) n = substr(s, 1, length(s) - 1)
        if (n !~ /^[0-9]+(\.[0-9]+)?$/) exit 1
        printf "%.0f\n", n * m }' || die "not a size: '$1' (try 10M, 1G, 5G)"
}

# Median of whitespace-separated numbers.
median() {
    printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]
        else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Arithmetic on decimals: calc 'a / b' (awk expression, %.Nf with $2 digits).
calc() { awk "BEGIN { printf \"%.${2:-2}f\n\", $1 }"; }

# ratio A B: A / B to one decimal, with the times sign ("-" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×\n", a / b; else print "-" }'; }

# 430000 -> 430k, 3000000 -> 3.00M.
human_count() {
    awk -v n="$1" 'BEGIN {
        if (n >= 1e6) printf "%.2fM\n", n / 1e6
        else if (n >= 1e3) printf "%.0fk\n", n / 1e3
        else printf "%.0f\n", n }'
}

# Runs a server program as the postgres user when we are root (PostgreSQL
# refuses to run as root).
as_postgres() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The commands measured beside dumpshift, as functions so that `time` sees
# the redirection and nothing else.
cat_null() { cat "$1" >/dev/null; }
cat_file() { cat "$1" >"$2"; }

# Wall and user+sys samples, keyed "SIZE:LABEL", space-separated.
declare -A WALL=() CPU=()

# timed SIZE LABEL CMD...: one run of CMD after an untimed sync; appends its
# wall and user+sys seconds. Any failure stops the benchmark.
timed() {
    local key=$1:$2 rc=0 wall user sys
    shift 2
    sync
    { time "$@" >/dev/null 2>>"$LOG"; } 2>"$WORK/time" || rc=$?
    ((rc == 0)) || die "'$*' failed with exit status $rc"
    read -r wall user sys <"$WORK/time"
    WALL[$key]+="$wall "
    CPU[$key]+="$(calc "$user + $sys" 3) "
}

# stopwatch VAR CMD...: wall seconds of CMD (no sync before), into VAR.
stopwatch() {
    local var=$1 rc=0 wall user sys
    shift
    { time "$@" >/dev/null 2>>"$LOG"; } 2>"$WORK/time" || rc=$?
    ((rc == 0)) || die "'$*' failed with exit status $rc"
    read -r wall user sys <"$WORK/time"
    printf -v "$var" '%s' "$wall"
}

# Rows per table of a dump: the data lines of its COPY blocks (COPY escapes
# newlines, so one line is one row). Cached beside the dump, keyed by size
# and mtime. Prints "table rows" lines, then "TOTAL rows".
count_rows() {
    local dump=$1 cache=$1.rows key
    key="$(stat -c '%s %Y' "$dump")"
    if [[ -f $cache && "$(head -n 1 "$cache")" == "$key" ]]; then
        tail -n +2 "$cache"
        return
    fi
    {
        echo "$key"
        awk 'copy { if ($0 == "\\.") copy = 0; else { n[t]++; total++ }; next }
             /^COPY [^ ]+ .*FROM stdin;$/ { t = $2; sub(/^public\./, "", t); n[t] += 0; copy = 1 }
             END { for (k in n) print k, n[k] | "sort"; close("sort"); print "TOTAL", total + 0 }' "$dump"
    } >"$cache.tmp"
    mv "$cache.tmp" "$cache"
    tail -n +2 "$cache"
}

# The mapped tables of mappings/life_os.toml in its order (load order, parents
# first), one line each: "source target col1,col2,..." with the v2 columns the
# load writes.
mapped_tables() {
    awk '
        function flush() { if (target != "") print source, target, cols; source = target = cols = "" }
        /^\[\[table\]\]/ { flush(); next }
        /^source = "/ { split($0, q, "\""); source = q[2]; next }
        /^target = "/ { split($0, q, "\""); target = q[2]; next }
        /^ *\{ *name = "/ { split($0, q, "\""); cols = cols (cols == "" ? "" : ",") q[2]; next }
        END { flush() }' "$MAPPING"
}

# --- the machine, before anything runs ---------------------------------------

machine() {
    local os cpu
    if command -v lsb_release >/dev/null 2>&1; then
        os=$(lsb_release -ds 2>/dev/null)
    else
        os=$(. /etc/os-release && echo "$PRETTY_NAME")
    fi
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    echo "- cores (nproc): $(nproc); CPU: ${cpu:-unknown}"
    echo "- memory: $(free -g | awk '/^Mem:/ { printf "%s GiB total, %s GiB available", $2, $7 }')"
    echo "- kernel: $(uname -sr) ($(uname -v)); OS: $os"
    echo "- filesystem of the dumps: $(findmnt -n -o FSTYPE -T "$DUMP_DIR" 2>/dev/null || echo '?') ($DUMP_DIR); scratch: $WORK"
    echo "- dumpshift $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || echo ' (src modified)'), $(rustc --version 2>/dev/null || echo 'rustc ?')"
    echo "- settings: SIZES=\"$SIZES\" RUNS=$RUNS SEED=$SEED SQL_MAX_SIZE=$SQL_MAX_SIZE CGROUP_MIB=$CGROUP_MIB MEMORY=$MEMORY"
    echo '```'
    free -g
    echo '```'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')

# --- build -------------------------------------------------------------------

if [[ $BUILD != 0 ]]; then
    say "cargo build --release --examples --bins"
    cargo build --release --examples --bins -q || die "cargo build failed"
fi
[[ -x $DUMPSHIFT ]] || die "$DUMPSHIFT is missing: run cargo build --release --examples --bins"
[[ -x $HEAP_PEAK ]] || die "$HEAP_PEAK is missing: run cargo build --release --examples --bins"

# --- 1. the dumps ------------------------------------------------------------

declare -A DUMP=() BYTES=() ROWS=()
for size in $SIZES; do
    want=$(to_bytes "$size")
    dump=$DUMP_DIR/bigdump-$size.sql
    if [[ ! -s $dump ]]; then
        # The dump, the cp copy and the load file live side by side.
        avail=$(df --output=avail -B1 "$DUMP_DIR" | tail -n 1)
        ((avail > 4 * want)) || die "$DUMP_DIR has $((avail >> 30)) GiB free; a $size run needs about $((4 * want >> 30)) GiB"
        say "generating $dump (seed $SEED)"
        # Under a temporary name: an interrupted run leaves no partial dump
        # that a later run would take for a whole one.
        cargo run --release -q --example bigdump -- --size "$size" --seed "$SEED" -o "$dump.partial" 2>>"$LOG" ||
            die "bigdump --size $size failed"
        mv "$dump.partial" "$dump"
    fi
    DUMP[$size]=$dump
    BYTES[$size]=$(stat -L -c %s "$dump")
    say "counting COPY rows of $dump"
    count_rows "$dump" >"$WORK/rows-$size"
    ROWS[$size]=$(awk '$1 == "TOTAL" { print $2 }' "$WORK/rows-$size")
done

# --- 2-4. throughput, side by side ---------------------------------------------

for size in $SIZES; do
    dump=${DUMP[$size]}
    out=$WORK/out.sql
    say "$size: warming the page cache"
    cat "$dump" >/dev/null
    for ((run = 1; run <= RUNS; run++)); do
        say "$size: run $run of $RUNS"
        timed "$size" cp cp "$dump" "$WORK/cp-$run.sql"
        rm -f "$WORK/cp-$run.sql"
        timed "$size" cat_null cat_null "$dump"
        timed "$size" cat_file cat_file "$dump" "$WORK/cat-$run.sql"
        rm -f "$WORK/cat-$run.sql"
        timed "$size" ds_sync "$DUMPSHIFT" "$dump" -o "$out" -q --force --memory "$MEMORY"
        rm -f "$out"
        timed "$size" ds_nosync "$DUMPSHIFT" "$dump" -o "$out" -q --force --memory "$MEMORY" --no-sync
        rm -f "$out"
        timed "$size" ds_j1 "$DUMPSHIFT" "$dump" -o "$out" -q --force --memory "$MEMORY" --no-sync -j 1
        rm -f "$out"
        timed "$size" ds_j2 "$DUMPSHIFT" "$dump" -o "$out" -q --force --memory "$MEMORY" --no-sync -j 2
        rm -f "$out"
    done
done

# --- 5. memory -----------------------------------------------------------------

declare -A HEAP=() RSS=() CGROUP=()

# The memory cgroup we are in (v1), under which the test group is created:
# a child of our own group stays under any limit we are already under.
cgroup_parent() {
    local rel
    rel=$(awk -F: '$2 == "memory" { print $3; exit }' /proc/self/cgroup)
    [[ -n $rel && -d /sys/fs/cgroup/memory$rel ]] || return 1
    echo "/sys/fs/cgroup/memory${rel%/}"
}

# One dumpshift run inside a fresh memory cgroup of CGROUP_MIB. The input is
# first dropped from the page cache (posix_fadvise through dd), so that its
# pages are read, and charged, inside the group; charged page cache is
# reclaimable, heap is not. Sets CGROUP[size].
cgroup_run() {
    local size=$1 dump=$2 out=$WORK/out.sql parent rc=0 wall failcnt maxu oom resident
    if ! parent=$(cgroup_parent) || ! mkdir "$parent/dumpshift-bench-$$" 2>/dev/null; then
        CGROUP[$size]="skipped: no writable cgroup v1 memory controller"
        return
    fi
    CG_DIR=$parent/dumpshift-bench-$$
    if ! echo $((CGROUP_MIB << 20)) >"$CG_DIR/memory.limit_in_bytes" 2>/dev/null; then
        rmdir "$CG_DIR"
        CG_DIR=""
        CGROUP[$size]="skipped: memory.limit_in_bytes not writable"
        return
    fi
    # No swap here to absorb the overflow either, where the kernel accounts it.
    if [[ -w $CG_DIR/memory.memsw.limit_in_bytes ]]; then
        echo $((CGROUP_MIB << 20)) >"$CG_DIR/memory.memsw.limit_in_bytes" 2>/dev/null || true
    fi
    sync
    dd if="$dump" iflag=nocache count=0 status=none 2>/dev/null || true
    resident=$(fincore -n -b -o RES "$dump" 2>/dev/null | awk '{ printf "%.0f MiB", $1 / 1048576 }') || true
    say "$size: run in a ${CGROUP_MIB} MiB memory cgroup (input in page cache before: ${resident:-?})"
    sync
    { time in_cgroup "$CG_DIR" "$DUMPSHIFT" "$dump" -o "$out" -q --force --memory "$MEMORY" >/dev/null 2>>"$LOG"; } 2>"$WORK/time" || rc=$?
    wall=$(awk '{ print $1 }' "$WORK/time")
    failcnt=$(cat "$CG_DIR/memory.failcnt")
    maxu=$(($(cat "$CG_DIR/memory.max_usage_in_bytes") >> 20))
    oom=$(awk '$1 == "oom_kill" { print $2 }' "$CG_DIR/memory.oom_control")
    rm -f "$out"
    rmdir "$CG_DIR" || die "could not remove cgroup $CG_DIR"
    CG_DIR=""
    if ((rc == 250)); then
        CGROUP[$size]="skipped: could not join the cgroup"
    elif ((rc == 0)); then
        CGROUP[$size]="pass (exit 0; max usage $maxu MiB, failcnt $failcnt, ${wall} s from a cold cache)"
    else
        CGROUP[$size]="**FAIL** (exit $rc; oom_kill ${oom:-?}, failcnt $failcnt, max usage $maxu MiB)"
    fi
}

# in_cgroup DIR CMD...: a subshell moves itself into the cgroup DIR, then
# becomes CMD; exit status 250 when it could not join.
in_cgroup() {
    local dir=$1
    shift
    (
        echo "$BASHPID" >"$dir/cgroup.procs" || exit 250
        exec "$@"
    )
}

for size in $SIZES; do
    dump=${DUMP[$size]}
    say "$size: peak live heap (examples/heap_peak)"
    cat "$dump" >/dev/null
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f 'maxrss %M' "$HEAP_PEAK" "$dump" -o "$WORK/out.sql" -q --force --memory "$MEMORY" 2>"$WORK/heap" ||
            { cat "$WORK/heap" >>"$LOG"; die "heap_peak failed on $dump"; }
        RSS[$size]="$(awk '$1 == "maxrss" { printf "%.0f MiB", $2 / 1024 }' "$WORK/heap")"
    else
        "$HEAP_PEAK" "$dump" -o "$WORK/out.sql" -q --force --memory "$MEMORY" 2>"$WORK/heap" ||
            { cat "$WORK/heap" >>"$LOG"; die "heap_peak failed on $dump"; }
        RSS[$size]="?"
    fi
    rm -f "$WORK/out.sql"
    HEAP[$size]=$(sed -n 's/^heap_peak: \([0-9.]*\) MiB of live heap at most$/\1 MiB/p' "$WORK/heap")
    cgroup_run "$size" "$dump"
    cat "$dump" >/dev/null # back into the page cache for what follows
done

# --- 6. what a user would do instead: restore v1, INSERT ... SELECT ------------

psql_() { psql -h "$PG_DIR" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
createdb_() { createdb -h "$PG_DIR" -U postgres -T template0 "$1"; }

start_cluster() {
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dumpshift-bench-pg.XXXXXX")
    if [[ $(id -u) == 0 ]]; then chown postgres: "$PG_DIR"; fi
    say "starting a throw-away PostgreSQL in $PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 \
        --locale=C.UTF-8 --no-instructions >>"$LOG" 2>&1 || die "initdb failed"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -s \
        -o "-k $PG_DIR -c listen_addresses='' $PG_SETTINGS" start >>"$LOG" 2>&1 ||
        { cat "$PG_DIR/server.log" >>"$LOG" 2>/dev/null; die "pg_ctl start failed"; }
}

# The SQL of the SQL path's last step: the oracle's definitions, then one
# INSERT ... SELECT per mapped table in load order, in one transaction.
insert_select_sql() {
    grep -qxF -- "$ORACLE_END_MARKER" "$ORACLE" ||
        die "$ORACLE no longer has the line '$ORACLE_END_MARKER'; update ORACLE_END_MARKER"
    echo 'BEGIN;'
    # Up to (not including) the marker line.
    sed -n "/^$(sed 's/[.]/\\./g' <<<"$ORACLE_END_MARKER")\$/q; p" "$ORACLE"
    local source target cols
    while read -r source target cols; do
        grep -q "^CREATE TEMP VIEW expected_$target AS\$" "$ORACLE" ||
            die "$ORACLE has no view expected_$target for mapped table $source -> $target"
        echo "INSERT INTO public.$target (${cols//,/, }) SELECT ${cols//,/, } FROM expected_$target;"
    done < <(mapped_tables)
    echo 'COMMIT;'
}

# Rows per table of schema public (without the load's schema_migrations):
# "table rows" lines, sorted.
table_counts() {
    psql_ -d "$1" -At -F ' ' -c "
        SELECT c.relname,
               (xpath('/row/n/text()',
                      query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname),
                                   false, true, '')))[1]::text
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
          AND c.relname <> 'schema_migrations'
        ORDER BY c.relname"
}

declare -A SQLROW=()
COUNTS_MD=""
sql_max=$(to_bytes "$SQL_MAX_SIZE")
if [[ $SQL != 0 ]]; then
    for b in initdb pg_ctl; do [[ -x $PG_BIN/$b ]] || die "$PG_BIN/$b missing (apt-get install postgresql-15, or set PG_BIN)"; done
    for b in psql createdb; do command -v $b >/dev/null || die "$b missing (apt-get install postgresql-client-15)"; done
    mapped_tables >"$WORK/mapped"
    [[ -s $WORK/mapped ]] || die "no [[table]] found in $MAPPING"
    insert_select_sql >"$WORK/insert_select.sql"
    unset PGHOST PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGPASSWORD PGTZ
    export PGCLIENTENCODING=UTF8
    for size in $SIZES; do
        (($(to_bytes "$size") <= sql_max)) || { say "$size: SQL path skipped (above SQL_MAX_SIZE=$SQL_MAX_SIZE)"; continue; }
        [[ -n $PG_DIR ]] || start_cluster
        dump=${DUMP[$size]}
        load=$WORK/v2_load.sql
        tag=${size,,}
        tag=${tag//[^a-z0-9]/_}
        a=bench_dumpshift_$tag
        b=bench_sql_$tag
        cat "$dump" >/dev/null

        # (a) dumpshift, then psql -f load into a new database.
        say "$size: dumpshift path"
        stopwatch a1 "$DUMPSHIFT" "$dump" -o "$load" -q --force
        stopwatch a2 createdb_ "$a"
        stopwatch a3 psql_ -d "$a" -f "$load"
        rm -f "$load"

        # (b) restore v1, rename it out of the way, create v2, INSERT ... SELECT.
        say "$size: SQL path"
        stopwatch b1 createdb_ "$b"
        stopwatch b2 psql_ -d "$b" -f "$dump"
        stopwatch b3 psql_ -d "$b" -c 'ALTER SCHEMA public RENAME TO v1; CREATE SCHEMA public;'
        stopwatch b4 bash -c "set -o pipefail; '$DUMPSHIFT' schema | psql -h '$PG_DIR' -U postgres -X -q -v ON_ERROR_STOP=1 -d '$b'"
        stopwatch b5 psql_ -d "$b" -f "$WORK/insert_select.sql"

        ta=$(calc "$a1 + $a2 + $a3" 3)
        tb=$(calc "$b1 + $b2 + $b3 + $b4 + $b5" 3)
        SQLROW[$size]="| $size | $a1 | $a2 | $a3 | **$ta** | $b1 | $b2 | $b3 | $b4 | $b5 | **$tb** | $(ratio "$tb" "$ta") |"

        # Same rows in both databases, table by table; and each mapped table
        # holds as many rows as its v1 table in the dump.
        table_counts "$a" >"$WORK/counts-a"
        table_counts "$b" >"$WORK/counts-b"
        mismatch=0
        COUNTS_MD+=$'\n'"Rows per v2 table, $size (v1: COPY rows of the dump's source table):"$'\n\n'
        COUNTS_MD+="| table | v1 dump | dumpshift path | SQL path |"$'\n'"|---|---:|---:|---:|"$'\n'
        while read -r table na nb; do
            v1=$(awk -v t="$table" '$2 == t { print $1; exit }' "$WORK/mapped")
            nv1=""
            [[ -n $v1 ]] && nv1=$(awk -v t="$v1" '$1 == t { print $2 }' "$WORK/rows-$size")
            flag=""
            if [[ $na != "$nb" || (-n $v1 && $nv1 != "$na") ]]; then
                flag=" **MISMATCH**"
                mismatch=1
            fi
            COUNTS_MD+="| $table | ${nv1:--} | $na | $nb$flag |"$'\n'
        done < <(join -a1 -a2 -e MISSING -o 0,1.2,2.2 "$WORK/counts-a" "$WORK/counts-b")
        if ((mismatch)); then
            echo "$COUNTS_MD" >&2
            die "$size: the dumpshift path and the SQL path end with different row counts (see above)"
        fi
        psql_ -d postgres -c "DROP DATABASE $a" -c "DROP DATABASE $b"
    done
fi

# --- 7. the report -----------------------------------------------------------

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

report() {
    local size w_sync w_nosync c_sync c_nosync w_cp w_cat w_catf w1 w2 c1 c2
    echo "# dumpshift benchmark, $STARTED"
    echo
    echo "Medians of $RUNS run(s) per cell; input in the page cache; an untimed \`sync\` before each run."
    echo "Sizes in MB are 10^6 bytes. Rows are the COPY data rows of the dump."
    echo
    echo "## Machine"
    echo
    machine
    echo
    echo "Load average (1, 5, 15 min): before **$LOAD_BEFORE**, after **$LOAD_AFTER**."
    echo
    echo "## Throughput against cp and cat"
    echo
    echo "dumpshift: \`dumpshift FILE -o OUT -q --force\` (fsync, the default) / with \`--no-sync\`."
    echo "Ratios: dumpshift (fsync) / (--no-sync) over cp, and over cat > /dev/null. MB/s and rows/s: the fsync run."
    echo
    echo "| size | bytes | rows | dumpshift | dumpshift --no-sync | user+sys | cp | cat > /dev/null | cat > file | ratio to cp | ratio to cat | MB/s | rows/s | peak heap | peak RSS | ${CGROUP_MIB} MiB cgroup |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for size in $SIZES; do
        w_sync=$(median "${WALL[$size:ds_sync]}")
        w_nosync=$(median "${WALL[$size:ds_nosync]}")
        c_sync=$(median "${CPU[$size:ds_sync]}")
        c_nosync=$(median "${CPU[$size:ds_nosync]}")
        w_cp=$(median "${WALL[$size:cp]}")
        w_cat=$(median "${WALL[$size:cat_null]}")
        w_catf=$(median "${WALL[$size:cat_file]}")
        echo "| $size | ${BYTES[$size]} | ${ROWS[$size]} | $w_sync s | $w_nosync s | $c_sync / $c_nosync s | $w_cp s | $w_cat s | $w_catf s" \
            "| $(ratio "$w_sync" "$w_cp") / $(ratio "$w_nosync" "$w_cp")" \
            "| $(ratio "$w_sync" "$w_cat") / $(ratio "$w_nosync" "$w_cat")" \
            "| $(calc "${BYTES[$size]} / 1e6 / $w_sync" 0) | $(human_count "$(calc "${ROWS[$size]} / $w_sync" 0)")" \
            "| ${HEAP[$size]:-?} | ${RSS[$size]:-?} | ${CGROUP[$size]:-?} |"
    done
    echo
    echo "## Cost per GB (--no-sync)"
    echo
    echo "Wall seconds per 10^9 bytes of dump, and user+sys per GB; the spread is largest over smallest."
    echo
    echo "| size | wall s/GB | user+sys s/GB |"
    echo "|---|---:|---:|"
    local per lo="" hi=""
    for size in $SIZES; do
        per=$(calc "$(median "${WALL[$size:ds_nosync]}") / (${BYTES[$size]} / 1e9)" 3)
        echo "| $size | $per | $(calc "$(median "${CPU[$size:ds_nosync]}") / (${BYTES[$size]} / 1e9)" 3) |"
        if [[ -z $lo ]] || awk -v a="$per" -v b="$lo" 'BEGIN { exit !(a < b) }'; then lo=$per; fi
        if [[ -z $hi ]] || awk -v a="$per" -v b="$hi" 'BEGIN { exit !(a > b) }'; then hi=$per; fi
    done
    echo
    echo "Spread of wall s/GB across sizes: $(awk -v a="$hi" -v b="$lo" 'BEGIN { if (b > 0) printf "%.0f%%", (a / b - 1) * 100; else print "-" }') (target: within 15%)."
    echo
    echo "peak heap: live heap bytes at most (examples/heap_peak.rs, same arguments); peak RSS: /usr/bin/time of that run,"
    echo "which also counts the touched pages of the memory-mapped input. The cgroup run starts with the input dropped"
    echo "from the page cache, so its pages are charged to the group (reclaimable)."
    echo
    echo "## Thread scaling (--no-sync)"
    echo
    echo "| size | -j 1 wall | -j 1 user+sys | -j 2 wall | -j 2 user+sys | speedup t1/t2 |"
    echo "|---|---:|---:|---:|---:|---:|"
    for size in $SIZES; do
        w1=$(median "${WALL[$size:ds_j1]}")
        w2=$(median "${WALL[$size:ds_j2]}")
        c1=$(median "${CPU[$size:ds_j1]}")
        c2=$(median "${CPU[$size:ds_j2]}")
        echo "| $size | $w1 s | $c1 s | $w2 s | $c2 s | $(awk -v a="$w1" -v b="$w2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "-" }') |"
    done
    echo
    echo "## What a user would do instead: PostgreSQL 15, one run each, seconds"
    echo
    if [[ $SQL == 0 ]]; then
        echo "Skipped (SQL=0)."
    elif ((${#SQLROW[@]} == 0)); then
        echo "Skipped: no size up to SQL_MAX_SIZE=$SQL_MAX_SIZE."
    else
        echo "dumpshift path: \`dumpshift\`, \`createdb\`, \`psql -f v2_load.sql\` (the load re-counts and digests every table before COMMIT)."
        echo "SQL path: \`createdb\`, \`psql -f dump\` (restores v1), \`ALTER SCHEMA public RENAME TO v1; CREATE SCHEMA public;\`,"
        echo "\`dumpshift schema | psql\`, then one session and one transaction: the helper functions and \`expected_*\` views of"
        echo "tests/sql/check_v2.sql and \`INSERT INTO public.<t> (<cols>) SELECT <cols> FROM expected_<t>\` per mapped table"
        echo "(no verification). Server settings: stock${PG_SETTINGS:+, plus $PG_SETTINGS}."
        echo
        echo "| size | dumpshift | createdb | psql -f load | dumpshift path | createdb | restore v1 | rename schema | v2 schema | INSERT … SELECT | SQL path | SQL / dumpshift |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for size in $SIZES; do
            [[ -n ${SQLROW[$size]:-} ]] && echo "${SQLROW[$size]}"
        done
        echo "$COUNTS_MD"
    fi
    echo
    echo "## Raw samples (wall seconds, in run order)"
    echo
    for size in $SIZES; do
        for label in cp cat_null cat_file ds_sync ds_nosync ds_j1 ds_j2; do
            echo "- $size $label: ${WALL[$size:$label]}"
        done
    done
}

report | tee "$REPORT"
say "report written to $REPORT"
