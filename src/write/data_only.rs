//! The `--data-only` load file's opening check: the v2 schema is already in
//! the database, applied by golang-migrate or dbmate, and the load refuses
//! to run unless `schema_migrations` says it is at the expected version and
//! every table it fills exists and is empty.
//!
//! golang-migrate keeps `schema_migrations (version bigint, dirty boolean)`
//! with one row: the version must be the expected one and not dirty. dbmate
//! keeps `schema_migrations (version varchar)` with one row per applied
//! migration, named by the digits before the first `_` of its file name;
//! dumpshift's migrations are numbered `0001`..`0009`, so the expected row is
//! the version zero-padded to four digits (`0009`) and no newer one may exist.
//!
//! The check runs inside the load's transaction, before any row is copied;
//! its `RAISE EXCEPTION` ends psql (`ON_ERROR_STOP`) and nothing is changed.

use std::io::{self, Write};

use super::literal;

/// How dbmate names the migration of `version` (its file name's prefix).
pub fn dbmate_version(version: i64) -> String {
    format!("{version:04}")
}

/// Writes the check that the database holds the v2 schema at `version` and
/// that every table of `tables` exists and is empty.
pub fn require_schema(w: &mut dyn Write, version: i64, tables: &[&str]) -> io::Result<()> {
    let dbmate = literal(&dbmate_version(version));
    let expected = literal(&version.to_string());
    let list: Vec<String> = tables.iter().map(|t| literal(t)).collect();
    writeln!(
        w,
        "-- Data only: the v2 schema must already be here at version {version}, applied by\n\
         -- golang-migrate (version {version}, not dirty) or dbmate (version {}), its tables empty.",
        dbmate_version(version)
    )?;
    writeln!(
        w,
        "DO $dumpshift$\nDECLARE\n    t text;\n    v text;\n    dirty boolean;\n    found_rows boolean;\n    golang boolean;\n    dbmate boolean;\nBEGIN"
    )?;
    writeln!(
        w,
        "    IF to_regclass('public.schema_migrations') IS NULL THEN\n        \
         RAISE EXCEPTION 'dumpshift: this database has no public.schema_migrations: the data-only load needs the v2 schema at version % applied by golang-migrate or dbmate (or load a full load file, made without --data-only, into an empty database)', {expected};\n    \
         END IF;"
    )?;
    writeln!(
        w,
        "    SELECT bool_or(column_name = 'dirty'), bool_or(column_name = 'version' AND data_type IN ('character varying', 'text', 'character'))\n      \
         INTO golang, dbmate FROM information_schema.columns\n     \
         WHERE table_schema = 'public' AND table_name = 'schema_migrations';"
    )?;
    golang_check(w, &expected)?;
    dbmate_check(w, &dbmate)?;
    writeln!(
        w,
        "    ELSE\n        RAISE EXCEPTION 'dumpshift: public.schema_migrations is neither golang-migrate''s (version bigint, dirty boolean) nor dbmate''s (version varchar): cannot tell which version the v2 schema is at';\n    END IF;"
    )?;
    writeln!(
        w,
        "    FOREACH t IN ARRAY ARRAY[{}]::text[] LOOP",
        list.join(", ")
    )?;
    writeln!(
        w,
        "        IF to_regclass(format('public.%I', t)) IS NULL THEN\n            \
         RAISE EXCEPTION 'dumpshift: table % does not exist: the v2 schema in this database is not the one the load was made for', t;\n        \
         END IF;\n        \
         EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', t) INTO found_rows;\n        \
         IF found_rows THEN\n            \
         RAISE EXCEPTION 'dumpshift: table % already holds rows: the data-only load fills empty v2 tables', t;\n        \
         END IF;\n    END LOOP;"
    )?;
    writeln!(w, "END\n$dumpshift$;\n")
}

fn golang_check(w: &mut dyn Write, expected: &str) -> io::Result<()> {
    writeln!(
        w,
        "    IF golang THEN\n        \
         IF (SELECT count(*) FROM public.schema_migrations) <> 1 THEN\n            \
         RAISE EXCEPTION 'dumpshift: golang-migrate''s schema_migrations must hold one row, it holds %', (SELECT count(*) FROM public.schema_migrations);\n        \
         END IF;\n        \
         EXECUTE 'SELECT version::text, dirty FROM public.schema_migrations' INTO v, dirty;\n        \
         IF dirty THEN\n            \
         RAISE EXCEPTION 'dumpshift: schema_migrations marks version % dirty: a migration failed half-way; repair the schema and clear the flag (migrate force) before loading', v;\n        \
         END IF;\n        \
         IF v <> {expected} THEN\n            \
         RAISE EXCEPTION 'dumpshift: the v2 schema is at version % (golang-migrate), the load needs version %', v, {expected};\n        \
         END IF;"
    )
}

fn dbmate_check(w: &mut dyn Write, dbmate: &str) -> io::Result<()> {
    writeln!(
        w,
        "    ELSIF dbmate THEN\n        \
         EXECUTE 'SELECT max(version) FROM public.schema_migrations' INTO v;\n        \
         IF NOT EXISTS (SELECT 1 FROM public.schema_migrations s WHERE s.version::text = {dbmate}) THEN\n            \
         RAISE EXCEPTION 'dumpshift: dbmate''s schema_migrations has no version % (the newest applied is %): the load needs the v2 schema at %', {dbmate}, coalesce(v, 'none'), {dbmate};\n        \
         END IF;\n        \
         EXECUTE 'SELECT string_agg(version::text, '', '' ORDER BY version) FROM public.schema_migrations\n                  \
         WHERE CASE WHEN version::text ~ ''^[0-9]+$'' THEN version::text::numeric > $1::numeric ELSE true END'\n           \
         INTO v USING {dbmate};\n        \
         IF v IS NOT NULL THEN\n            \
         RAISE EXCEPTION 'dumpshift: dbmate''s schema_migrations holds versions after % (%): the v2 schema is not the one the load was made for', {dbmate}, v;\n        \
         END IF;"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbmate_versions_are_the_file_name_prefix() {
        assert_eq!(dbmate_version(9), "0009");
        assert_eq!(dbmate_version(12345), "12345");
    }

    #[test]
    fn the_check_names_the_versions_and_every_table() {
        let mut out = Vec::new();
        require_schema(&mut out, 9, &["domains", "o'dd"]).unwrap();
        let sql = String::from_utf8(out).unwrap();
        assert!(sql.contains("ARRAY['domains', 'o''dd']::text[]"), "{sql}");
        assert!(sql.contains("IF v <> '9' THEN"));
        assert!(sql.contains("s.version::text = '0009'"));
        assert!(sql.trim_end().ends_with("$dumpshift$;"));
    }
}
