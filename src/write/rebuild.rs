//! The data-only load's keys: after the opening check (`data_only`), the
//! foreign keys of the tables the load fills, those that reference them, and
//! the tables' indexes (primary keys and unique constraints included) are
//! dropped, and after the COPYs they are rebuilt from what the catalog held,
//! so `pg_dump --schema-only` is the same before and after the load.
//!
//! The definitions come from the database itself (`pg_get_constraintdef`,
//! `pg_get_indexdef`), not from the migrations: a schema that differs from
//! them in a detail is rebuilt as it was, not as dumpshift would have made
//! it. What those functions cannot give back whole stays in place and is
//! maintained row by row as before: an index or key with a comment, storage
//! options, its own tablespace, column statistics targets, CLUSTER or
//! REPLICA IDENTITY, or anything else depending on it (a view grouped by a
//! primary key). The statements to rebuild live in a transaction-local
//! setting, so the catalog never sees them; any failure rolls back the drops
//! with everything else.

use std::io::{self, Write};

use super::literal;

/// The transaction-local setting that carries the rebuild statements.
const SETTING: &str = "dumpshift.rebuild";

/// Drops the keys and indexes of `tables` that can be rebuilt exactly.
pub fn drop_keys(w: &mut dyn Write, tables: &[&str]) -> io::Result<()> {
    let list: Vec<String> = tables.iter().map(|t| literal(t)).collect();
    writeln!(
        w,
        "-- The foreign keys and indexes of the tables filled here are dropped, and rebuilt\n\
         -- as they were after the rows: one pass each instead of one step per row."
    )?;
    writeln!(
        w,
        "DO $dumpshift$\nDECLARE\n    r record;\n    tables oid[];\n    fks text[] := '{{}}';\n    idx text[] := '{{}}';\nBEGIN"
    )?;
    writeln!(
        w,
        "    SELECT array_agg(to_regclass(format('public.%I', t))::oid) INTO tables\n      \
         FROM unnest(ARRAY[{}]::text[]) t;",
        list.join(", ")
    )?;
    writeln!(
        w,
        "    FOR r IN SELECT c.oid, c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def\n               \
         FROM pg_constraint c\n              \
         WHERE c.contype = 'f' AND c.conparentid = 0 AND (c.conrelid = ANY (tables) OR c.confrelid = ANY (tables))\n                \
         AND obj_description(c.oid, 'pg_constraint') IS NULL\n              \
         ORDER BY c.conrelid::regclass::text, c.conname\n    LOOP\n        \
         fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);\n        \
         EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);\n    END LOOP;"
    )?;
    writeln!(
        w,
        "    FOR r IN SELECT i.indexrelid, i.indrelid::regclass AS tbl, con.oid AS con, con.conname\n               \
         FROM pg_index i\n               \
         JOIN pg_class ic ON ic.oid = i.indexrelid\n               \
         LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')\n              \
         WHERE i.indrelid = ANY (tables) AND ic.relkind = 'i' AND i.indisvalid AND i.indisready\n                \
         AND NOT i.indisclustered AND NOT i.indisreplident AND ic.reltablespace = 0 AND ic.reloptions IS NULL\n                \
         AND obj_description(i.indexrelid, 'pg_class') IS NULL\n                \
         AND (con.oid IS NULL OR obj_description(con.oid, 'pg_constraint') IS NULL)\n                \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.oid IS DISTINCT FROM con.oid)\n                \
         AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0)\n                \
         AND NOT EXISTS (SELECT 1 FROM pg_depend d\n                                 \
         WHERE (d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid)\n                                    \
         OR (d.refclassid = 'pg_constraint'::regclass AND d.refobjid = con.oid\n                                        \
         AND NOT (d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid)))\n              \
         ORDER BY i.indrelid::regclass::text, ic.relname\n    LOOP"
    )?;
    writeln!(
        w,
        "        IF r.con IS NULL THEN\n            \
         idx := idx || pg_get_indexdef(r.indexrelid);\n            \
         EXECUTE format('DROP INDEX %s', r.indexrelid::regclass);\n        \
         ELSE\n            \
         idx := idx || format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, pg_get_constraintdef(r.con));\n            \
         EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);\n        \
         END IF;\n    END LOOP;"
    )?;
    writeln!(
        w,
        "    PERFORM set_config('{SETTING}', (idx || fks)::text, true);\nEND\n$dumpshift$;\n"
    )
}

/// Rebuilds what [`drop_keys`] dropped: indexes and keys first, then the
/// foreign keys, each validated in one pass.
pub fn rebuild_keys(w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "-- The keys, indexes and foreign keys dropped before the rows, rebuilt as they were."
    )?;
    writeln!(
        w,
        "DO $dumpshift$\nDECLARE\n    s text;\nBEGIN\n    \
         FOREACH s IN ARRAY current_setting('{SETTING}')::text[] LOOP\n        \
         EXECUTE s;\n    END LOOP;\nEND\n$dumpshift$;\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drop_names_every_table_and_the_rebuild_reads_the_same_setting() {
        let mut out = Vec::new();
        drop_keys(&mut out, &["tasks", "o'dd"]).unwrap();
        rebuild_keys(&mut out).unwrap();
        let sql = String::from_utf8(out).unwrap();
        assert!(sql.contains("ARRAY['tasks', 'o''dd']::text[]"), "{sql}");
        assert_eq!(sql.matches(SETTING).count(), 2);
        assert_eq!(sql.matches("$dumpshift$;").count(), 2);
    }
}
