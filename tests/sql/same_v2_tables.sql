-- Are two v2 loads the same? Compares every table of schema `expected` (a
-- load of the plain fixture, its schema renamed) with the table of the same
-- name in schema `public` (a load of another form of the same database):
--
--   psql -X -v ON_ERROR_STOP=1 -f tests/sql/same_v2_tables.sql DB
--
-- Rows are compared as typed values with EXCEPT ALL in both directions, so a
-- duplicated or lost row counts, and a timestamptz compares as an instant:
-- a dump taken in another session TimeZone writes other text for the same
-- instant and must still load the same values. Every difference becomes a
-- row of form_diff (the table, which side holds the rows, how many, up to
-- three of them); the file prints them and fails if there is any.

SET client_min_messages = warning;

CREATE TEMP TABLE form_diff (
    tbl    text NOT NULL,
    side   text NOT NULL,
    n      bigint NOT NULL,
    sample text
);

-- Columns that hold the instant of the load, not data of the dump: v1 has no
-- timestamps for context_types, so the v2 DDL default now() fills them, and
-- two loads never run at the same instant. Left out of the row comparison;
-- the oracle (check_v2.sql) checks them on its own.
CREATE TEMP TABLE load_time_columns (tbl text, col text);
INSERT INTO load_time_columns VALUES
    ('context_types', 'created_at'),
    ('context_types', 'updated_at');

-- A table on one side only is a difference of its own.
INSERT INTO form_diff
SELECT coalesce(e.tablename, p.tablename),
       CASE WHEN e.tablename IS NULL THEN 'table only in public' ELSE 'table only in expected' END,
       0, NULL
FROM (SELECT tablename FROM pg_tables WHERE schemaname = 'expected') e
FULL JOIN (SELECT tablename FROM pg_tables WHERE schemaname = 'public') p USING (tablename)
WHERE e.tablename IS NULL OR p.tablename IS NULL;

-- The rows of one table that `from_schema` holds and `other` does not, as
-- (count, first three rows as text, each cut to 300 characters: a note body
-- runs to megabytes).
CREATE FUNCTION pg_temp.rows_only_in(from_schema text, other text, t text, cols text,
                                     OUT n bigint, OUT sample text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'SELECT count(*), string_agg(left(r, 300), E''\n'') FILTER (WHERE i <= 3)
         FROM (SELECT d::text AS r, row_number() OVER () AS i
               FROM (SELECT %1$s FROM %2$I.%4$I EXCEPT ALL SELECT %1$s FROM %3$I.%4$I) d) x',
        cols, from_schema, other, t)
    INTO n, sample;
END
$$;

INSERT INTO form_diff
SELECT t.tablename, side.label, r.n, r.sample
FROM (SELECT tablename FROM pg_tables WHERE schemaname = 'expected'
      INTERSECT SELECT tablename FROM pg_tables WHERE schemaname = 'public') t
CROSS JOIN LATERAL (
    SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) AS cols
    FROM information_schema.columns c
    WHERE c.table_schema = 'expected' AND c.table_name = t.tablename
      AND (c.table_name, c.column_name) NOT IN (SELECT tbl, col FROM load_time_columns)
) c
CROSS JOIN LATERAL (VALUES ('expected', 'public', 'rows only in expected'),
                           ('public', 'expected', 'rows only in public')) side(a, b, label)
CROSS JOIN LATERAL pg_temp.rows_only_in(side.a, side.b, t.tablename, c.cols) r
WHERE r.n > 0;

\pset footer off
SELECT tbl AS "table", side, n AS "rows", sample
FROM form_diff
ORDER BY tbl, side;

SELECT format('same_v2_tables: %s tables compared, %s rows in expected, %s difference(s)',
              (SELECT count(*) FROM pg_tables WHERE schemaname = 'expected'),
              (SELECT sum((xpath('/row/n/text()',
                      query_to_xml(format('SELECT count(*) AS n FROM expected.%I', tablename),
                                   false, true, '')))[1]::text::bigint)
               FROM pg_tables WHERE schemaname = 'expected'),
              (SELECT count(*) FROM form_diff)) AS summary;

DO $$
DECLARE
    first_diff form_diff;
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM form_diff;
    IF n > 0 THEN
        SELECT * INTO first_diff FROM form_diff ORDER BY tbl, side LIMIT 1;
        RAISE EXCEPTION 'the two loads differ in % place(s); first: % (%: % row(s))',
            n, first_diff.tbl, first_diff.side, first_diff.n;
    END IF;
END
$$;
