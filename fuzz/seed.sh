#!/usr/bin/env bash
# Seeds fuzz/corpus/{split,copy_decode,insert_lex} with small pieces (< 4 KB
# each) cut from the dump fixtures. Run from anywhere; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
fx=../fixtures
plain=$fx/life_os_v1_plain.sql
colins=$fx/life_os_v1_column_inserts.sql
supa=$fx/supabase/db_dump_data_only.sql
max=4000

mkdir -p corpus/split corpus/copy_decode corpus/insert_lex

# seed TARGET NAME: stdin, cut to $max bytes, into corpus/TARGET/NAME.
seed() { head -c "$max" >"corpus/$1/$2"; }

# Lines N..M of FILE.
lines() { sed -n "$2,$3p" "$1"; }

# From the first line matching START up to the next line matching END.
stmt() { awk -v s="$2" -v e="$3" '!p && $0 ~ s {p=1} p {print} p && $0 ~ e {exit}' "$1"; }

# The rows of COPY block TABLE (without header or `\.`), only rows < 1000
# bytes, up to about 3.5 KB.
payload() {
    awk -v t="$2" '
        !p && index($0, "COPY public." t " ") == 1 {p=1; next}
        p && $0 == "\\." {exit}
        p && length($0) < 1000 && n + length($0) < 3500 {print; n += length($0) + 1}
    ' "$1"
}

# COPY block TABLE: header, the rows `payload` keeps, `\.`.
copy_block() {
    grep -m1 "^COPY public\.$2 " "$1"
    payload "$1" "$2"
    printf '\\.\n'
}

# Everything after the first ` VALUES `: a VALUES list on its own.
values_list() { sed '1s/^.* VALUES *//'; }

# split: whole statements and the stretches between them.
lines "$plain" 1 28 | seed split plain_header
stmt "$plain" '^CREATE TABLE public[.]areas ' ';$' | seed split plain_create_table
copy_block "$plain" areas | seed split plain_copy_areas
copy_block "$plain" links | seed split plain_copy_links
copy_block "$plain" notes | seed split plain_copy_notes
tail -n 12 "$plain" | seed split plain_tail
stmt "$colins" '^INSERT INTO public[.]notes ' '\);$' | seed split colins_insert_notes
lines "$supa" 1 26 | seed split supabase_header
stmt "$supa" '^INSERT INTO "public"[.]"areas" ' '\);$' | seed split supabase_insert_areas
stmt "$supa" '^INSERT INTO "public"[.]"audit log" ' '\);$' | seed split supabase_insert_audit_log

# copy_decode: COPY payloads, several rows each.
for t in areas capture daily_focus files links notes; do
    payload "$plain" "$t" | seed copy_decode "plain_$t"
done

# insert_lex: whole INSERT statements, and bare VALUES lists for the fixed
# header the target puts in front.
stmt "$colins" '^INSERT INTO public[.]notes ' '\);$' | seed insert_lex colins_notes
stmt "$colins" '^INSERT INTO public[.]files ' '\);$' | seed insert_lex colins_files
for t in domains areas 'audit log' projects; do
    name=${t// /_}
    stmt "$supa" "^INSERT INTO \"public\"[.]\"$t\" " '\);$' | seed insert_lex "supabase_$name"
    stmt "$supa" "^INSERT INTO \"public\"[.]\"$t\" " '\);$' | values_list | seed insert_lex "supabase_${name}_values"
done

for d in corpus/*; do
    echo "$d: $(ls "$d" | wc -l) files"
done
