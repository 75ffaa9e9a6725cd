#!/usr/bin/env bash
# Build the PostgreSQL dump fixtures of dumpshift.
#
# Starts a throw-away PostgreSQL 15 cluster (Unix socket only, no TCP port),
# builds Life OS v1 databases from the SQL files in scripts/fixtures/, dumps
# them with the real pg_dump in several forms, restores every dump into a
# fresh database and compares it with its source, and only then writes the
# dumps into fixtures/. The cluster and its temporary directory are removed
# on exit, whatever happens.
#
# Usage: scripts/make-fixtures.sh
#
# Needs the PostgreSQL 15 server and client binaries (initdb, pg_ctl,
# postgres, psql, pg_dump). On Debian/Ubuntu:
#   apt-get install postgresql-15 postgresql-client-15
# /usr/lib/postgresql/15/bin is put first on PATH when it exists. Run as
# root, the server runs as the `postgres` user (initdb refuses root).
#
# The dumps are deterministic: the data is literal, and pg_dump is given a
# fixed \restrict key per file (--restrict-key, derived from the file name).
# Set DUMPSHIFT_FIXTURE_RANDOM_KEYS=1 to let pg_dump pick random keys.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sqldir="$here/fixtures"
outdir="$repo/fixtures"

log() { printf 'make-fixtures: %s\n' "$*" >&2; }
die() { printf 'make-fixtures: error: %s\n' "$*" >&2; exit 1; }

# --- binaries ----------------------------------------------------------------

if [[ -d /usr/lib/postgresql/15/bin ]]; then
    PATH="/usr/lib/postgresql/15/bin:$PATH"
fi
missing=()
for bin in initdb pg_ctl postgres psql pg_dump; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if ((${#missing[@]})); then
    die "missing PostgreSQL 15 binaries: ${missing[*]}.
  Install them with: apt-get install postgresql-15 postgresql-client-15
  and put /usr/lib/postgresql/15/bin on PATH."
fi
for bin in postgres pg_dump psql; do
    ver="$("$bin" --version)"
    [[ "$ver" =~ \)\ 15\. ]] || die "$bin is not PostgreSQL 15 ($ver).
  Install postgresql-15 and postgresql-client-15 and put /usr/lib/postgresql/15/bin on PATH."
done
pg_dump_version="$(pg_dump --version)"

for f in v1_schema.sql v1_schema_permuted.sql v1_hostile_data.sql example_data.sql; do
    [[ -f "$sqldir/$f" ]] || die "missing $sqldir/$f"
done

# Run the server as `postgres` when we are root.
if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server"
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

# --- a clean client environment -----------------------------------------------

while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^PG' || true)
unset PSQLRC
export LC_ALL=C
export PGCLIENTENCODING=UTF8
export PGUSER=postgres
export PGPORT=5432
# Loading happens in UTC; every timestamp in the data has its own offset anyway.
export PGTZ=UTC

# --- throw-away cluster --------------------------------------------------------

work="$(mktemp -d /tmp/dumpshift-fixtures.XXXXXX)"
server_started=0
cleanup() {
    local rc=$?
    if ((server_started)); then
        as_server pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    if ((rc != 0)) && [[ -f "$work/server.log" ]]; then
        log "server log (last lines):"
        tail -n 20 "$work/server.log" >&2 || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 0755 "$work"
if [[ $EUID -eq 0 ]]; then chown postgres "$work"; fi
export PGHOST="$work"

log "initdb in $work"
as_server initdb -D "$work/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_server pg_ctl -D "$work/data" -l "$work/server.log" -w \
    -o "-c listen_addresses='' -k $work -p $PGPORT -c TimeZone=UTC -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
    start >/dev/null
server_started=1

stage="$work/out"
mkdir -p "$stage/example"

psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_val() { psql -X -A -t -v ON_ERROR_STOP=1 "$@"; }
createdb_() { psql_run -d postgres -c "CREATE DATABASE \"$1\" TEMPLATE template0"; }

# --- source databases ------------------------------------------------------------

log "building lifeos_v1"
createdb_ lifeos_v1
psql_run -d lifeos_v1 -f "$sqldir/v1_schema.sql"
psql_run -d lifeos_v1 -f "$sqldir/v1_hostile_data.sql"

log "building lifeos_v1_permuted"
createdb_ lifeos_v1_permuted
psql_run -d lifeos_v1_permuted -f "$sqldir/v1_schema_permuted.sql"
psql_run -d lifeos_v1_permuted -f "$sqldir/v1_hostile_data.sql"

log "building lifeos_example"
createdb_ lifeos_example
psql_run -d lifeos_example -f "$sqldir/v1_schema.sql"
psql_run -d lifeos_example -f "$sqldir/example_data.sql"

tables=(domains areas projects context_types tasks notes links capture files daily_focus reminders)

# The permuted schema must be v1 with only the column order changed.
schema_shape() {
    psql_val -d "$1" <<'SQL'
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
   AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), NULL, ''
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
ORDER BY 1, 2, 3;
SQL
}
column_order() {
    psql_val -d "$1" -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
                          WHERE attrelid = 'public.$2'::regclass AND attnum > 0 AND NOT attisdropped"
}
[[ "$(schema_shape lifeos_v1)" == "$(schema_shape lifeos_v1_permuted)" ]] \
    || die "v1_schema_permuted.sql is not v1_schema.sql with the columns reordered"
for t in "${tables[@]}"; do
    [[ "$(column_order lifeos_v1 "$t")" != "$(column_order lifeos_v1_permuted "$t")" ]] \
        || die "table $t has the same column order in lifeos_v1_permuted"
done

# Per table: row count and a digest of every row, columns in v1 order, rows by id.
declare -A v1_columns
for t in "${tables[@]}"; do
    v1_columns[$t]="$(psql_val -d lifeos_v1 -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum)
                       FROM pg_attribute WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped")"
done
digest() {
    local db="$1" t q=""
    for t in "${tables[@]}"; do
        q+="${q:+ UNION ALL }SELECT '$t', count(*), coalesce(md5(string_agg(ROW(${v1_columns[$t]})::text, E'\\n' ORDER BY id)), '-') FROM public.$t"
    done
    psql_val -F ' ' -d "$db" -c "$q"
}
[[ "$(digest lifeos_v1)" == "$(digest lifeos_v1_permuted)" ]] \
    || die "lifeos_v1_permuted does not hold the same data as lifeos_v1"

# --- dumps -------------------------------------------------------------------------

restrict_key() {
    if [[ "${DUMPSHIFT_FIXTURE_RANDOM_KEYS:-}" == 1 ]]; then return; fi
    local key
    key="$(printf 'dumpshift fixture %s' "$1" | sha256sum | cut -c1-64)"
    printf -- '--restrict-key=%s' "$key"
}

# dump FILE TIMEZONE DATABASE [pg_dump options...]
dump() {
    local file="$1" tz="$2" db="$3" key
    shift 3
    key="$(restrict_key "$(basename "$file")")"
    log "pg_dump ${*:+$* }$db  (PGTZ=$tz) -> fixtures/$file"
    PGTZ="$tz" pg_dump ${key:+"$key"} "$@" -f "$stage/$file" "$db"
}

dump life_os_v1_plain.sql          America/New_York lifeos_v1
dump life_os_v1_inserts.sql        America/New_York lifeos_v1 --inserts
dump life_os_v1_column_inserts.sql America/New_York lifeos_v1 --column-inserts
dump life_os_v1_data_only.sql      America/New_York lifeos_v1 --data-only
dump life_os_v1_quoted.sql         America/New_York lifeos_v1 --quote-all-identifiers
dump life_os_v1_utc.sql            UTC              lifeos_v1
dump life_os_v1_permuted.sql       America/New_York lifeos_v1_permuted
dump example/life_os_v1_backup.sql America/New_York lifeos_example

# --- checks on the dump text ----------------------------------------------------------

has()     { grep -q -F -- "$2" "$stage/$1" || die "$1: expected to contain: $2"; }
has_re()  { grep -q -E -- "$2" "$stage/$1" || die "$1: expected a line matching: $2"; }
hasnt()   { ! grep -q -F -- "$2" "$stage/$1" || die "$1: expected not to contain: $2"; }
hasnt_re() { ! grep -q -E -- "$2" "$stage/$1" || die "$1: expected no line matching: $2"; }
count_x() { grep -c -x -F -- "$2" "$stage/$1" || true; }

for f in life_os_v1_plain.sql life_os_v1_inserts.sql life_os_v1_column_inserts.sql \
         life_os_v1_data_only.sql life_os_v1_quoted.sql life_os_v1_utc.sql \
         life_os_v1_permuted.sql example/life_os_v1_backup.sql; do
    has_re "$f" '^\\restrict [A-Za-z0-9]+$'
    has_re "$f" '^\\unrestrict [A-Za-z0-9]+$'
done
for f in life_os_v1_plain.sql life_os_v1_data_only.sql life_os_v1_utc.sql life_os_v1_permuted.sql; do
    # Every line that is exactly "\." ends a COPY: the data never produces one.
    [[ "$(grep -c '^COPY public\.' "$stage/$f")" == 11 ]] || die "$f: expected 11 COPY statements"
    [[ "$(count_x "$f" '\.')" == 11 ]] || die "$f: a data line reads exactly \\."
done
has life_os_v1_plain.sql 'COPY public.tasks (id, domain_id, project_id, parent_id, title, description, priority, status, due_date, deadline, recurrence, tags, context, is_custom_context, created_at, updated_at, completed_at) FROM stdin;'
has life_os_v1_permuted.sql 'COPY public.tasks (title, completed_at, tags, id, status, parent_id, created_at, context, due_date, project_id, is_custom_context, priority, updated_at, deadline, domain_id, recurrence, description) FROM stdin;'
has life_os_v1_plain.sql '2024-11-03 01:30:00-04'
has life_os_v1_plain.sql '2024-11-03 01:10:00-05'
has life_os_v1_utc.sql '2024-11-03 05:30:00+00'
hasnt life_os_v1_utc.sql '2024-11-03 01:30:00-04'
has life_os_v1_inserts.sql 'INSERT INTO public.tasks VALUES ('
has life_os_v1_column_inserts.sql 'INSERT INTO public.tasks (id, domain_id, project_id, parent_id, title,'
has life_os_v1_quoted.sql 'COPY "public"."tasks" ("id", "domain_id",'
hasnt_re life_os_v1_data_only.sql '^CREATE TABLE'
# In the INSERT forms a string literal spans lines, so a line can read "\.".
[[ "$(count_x life_os_v1_inserts.sql '\.')" -ge 1 ]] || die "life_os_v1_inserts.sql: no line reads exactly \\."
[[ "$(count_x life_os_v1_column_inserts.sql '\.')" -ge 1 ]] || die "life_os_v1_column_inserts.sql: no line reads exactly \\."

# --- restore every dump and compare it with its source ------------------------------------

restore_check() {
    local file="$1" source="$2" schema_first="${3:-}" db
    db="restore_$(basename "$file" .sql)"
    createdb_ "$db"
    if [[ -n "$schema_first" ]]; then
        psql_run -d "$db" -f "$sqldir/v1_schema.sql"
    fi
    psql_run -d "$db" -f "$stage/$file" >/dev/null
    if ! diff <(digest "$source") <(digest "$db") >&2; then
        die "$file: restored data differs from $source"
    fi
    log "restored $file: rows and data equal $source"
}
restore_check life_os_v1_plain.sql          lifeos_v1
restore_check life_os_v1_inserts.sql        lifeos_v1
restore_check life_os_v1_column_inserts.sql lifeos_v1
restore_check life_os_v1_data_only.sql      lifeos_v1 schema-first
restore_check life_os_v1_quoted.sql         lifeos_v1
restore_check life_os_v1_utc.sql            lifeos_v1
restore_check life_os_v1_permuted.sql       lifeos_v1
restore_check example/life_os_v1_backup.sql lifeos_example

# --- publish ------------------------------------------------------------------------------

mkdir -p "$outdir/example"
for f in life_os_v1_plain.sql life_os_v1_inserts.sql life_os_v1_column_inserts.sql \
         life_os_v1_data_only.sql life_os_v1_quoted.sql life_os_v1_utc.sql \
         life_os_v1_permuted.sql example/life_os_v1_backup.sql; do
    cp -- "$stage/$f" "$outdir/$f.tmp"
    chmod 0644 "$outdir/$f.tmp"
    mv -f -- "$outdir/$f.tmp" "$outdir/$f"
done

log "$pg_dump_version"
log "row counts (lifeos_v1 = lifeos_v1_permuted | lifeos_example):"
paste -d ' ' <(digest lifeos_v1 | cut -d ' ' -f 1,2) <(digest lifeos_example | cut -d ' ' -f 2) |
    while read -r t n m; do printf '  %-14s %4s | %4s\n' "$t" "$n" "$m" >&2; done
log "wrote:"
(cd "$outdir" && ls -l life_os_v1_*.sql example/life_os_v1_backup.sql | awk '{printf "  %10d  fixtures/%s\n", $5, $9}') >&2
