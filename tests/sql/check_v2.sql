-- The independent oracle of dumpshift's Life OS v1 -> v2 load.
--
-- Run it in a database holding the v1 data in schema `v1` (a restored v1
-- dump whose schema public was renamed) and the v2 load in schema `public`:
--
--   psql -X -v ON_ERROR_STOP=1 -f tests/sql/check_v2.sql DB
--   (optional: -v storage_root=/srv/files when the load used --storage-root)
--
-- The expected v2 rows are computed here, in plain SQL, from the rules of
-- MAPPING.md alone, never from dumpshift's code: a mistake shared by the
-- engine and its own tests cannot hide here. Every difference becomes a row
-- of oracle_diff naming the check, the table and the column; the file prints
-- them and then fails (non-zero exit from psql) if there is any.
--
-- What is compared per mapped table: the v2 columns that the load writes
-- (mappings/life_os.toml lists them), both ways (EXCEPT ALL on the typed
-- rows), then column by column on the text form of each value, which also
-- catches a value that compares equal but is not the same (a timestamptz
-- stored as timestamp, say), and names the column.

\if :{?storage_root}
\else
\set storage_root /opt/lifeos/storage/files
\endif

SET client_min_messages = warning;

CREATE TEMP TABLE oracle_diff (
    check_name text NOT NULL,
    tbl        text NOT NULL,
    col        text,
    detail     text NOT NULL
);

-- ---------------------------------------------------------------------------
-- files.storage_path: the key of an object of bucket life-os-files.
-- ---------------------------------------------------------------------------

-- %XX escapes to bytes, then the bytes as UTF-8: keys may hold any character.
CREATE FUNCTION pg_temp.percent_decode(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(convert_from(string_agg(
               CASE WHEN m[1] IS NOT NULL THEN decode(m[1], 'hex')
                    ELSE convert_to(m[2], 'UTF8') END,
               ''::bytea ORDER BY ord), 'UTF8'), '')
    FROM regexp_matches(s, '%([0-9A-Fa-f]{2})|([^%]+|%)', 'g') WITH ORDINALITY AS r(m, ord)
$$;

-- The three forms of MAPPING.md: a bare key, 'life-os-files/<key>', or a
-- Storage URL (public, sign or authenticated) whose query is dropped and
-- whose key is percent-decoded. NULL when the value fits none of them.
CREATE FUNCTION pg_temp.storage_key(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE
        WHEN p ~ '^[A-Za-z][A-Za-z0-9+.-]*://' THEN pg_temp.percent_decode(substring(p FROM
            '^https?://[^/?]+/storage/v1/object/(?:public|sign|authenticated)/life-os-files/([^?]*)'))
        WHEN p LIKE 'life-os-files/%' THEN substr(p, length('life-os-files/') + 1)
        ELSE p
    END
$$;

-- ---------------------------------------------------------------------------
-- Expected v2 rows, from v1, one view per mapped table, and the same columns
-- of the actual v2 table. Sequential sort_order: 10, 20, 30 ... within the
-- scope, by created_at (the instant), ties by id as text.
-- ---------------------------------------------------------------------------

CREATE TEMP VIEW expected_domains AS
SELECT id, name, color, NULL::text AS description, NULL::text AS icon,
       created_at, created_at AS updated_at, true AS is_active,
       (10 * row_number() OVER (ORDER BY created_at, id::text))::integer AS sort_order
FROM v1.domains;
CREATE TEMP VIEW actual_domains AS
SELECT id, name, color, description, icon, created_at, updated_at, is_active, sort_order
FROM public.domains;

CREATE TEMP VIEW expected_areas AS
SELECT id, domain_id, name, description, NULL::text AS icon, NULL::text AS color,
       created_at, created_at AS updated_at, true AS is_active,
       (10 * row_number() OVER (PARTITION BY domain_id
                                ORDER BY created_at, id::text))::integer AS sort_order
FROM v1.areas;
CREATE TEMP VIEW actual_areas AS
SELECT id, domain_id, name, description, icon, color, created_at, updated_at,
       is_active, sort_order
FROM public.areas;

-- A NULL area_id is its own group within the domain: PARTITION BY treats
-- NULLs as equal, which is exactly that rule.
CREATE TEMP VIEW expected_projects AS
SELECT id, domain_id, area_id, name, description, status, 3 AS priority,
       NULL::date AS start_date, due_date AS target_date, NULL::text AS color,
       NULL::uuid AS release_id, created_at, updated_at, true AS is_active,
       (10 * row_number() OVER (PARTITION BY domain_id, area_id
                                ORDER BY created_at, id::text))::integer AS sort_order
FROM v1.projects;
CREATE TEMP VIEW actual_projects AS
SELECT id, domain_id, area_id, name, description, status, priority, start_date,
       target_date, color, release_id, created_at, updated_at, is_active, sort_order
FROM public.projects;

-- v1 has no created_at here: the order the rows appear in the dump, which
-- after a fresh restore by COPY into an empty table is the physical order.
CREATE TEMP VIEW expected_context_types AS
SELECT id, value, label, is_system, true AS is_active,
       (10 * row_number() OVER (ORDER BY ctid))::integer AS sort_order
FROM v1.context_types;
CREATE TEMP VIEW actual_context_types AS
SELECT id, value, label, is_system, is_active, sort_order
FROM public.context_types;

-- Tasks of a project are one group; tasks without a project are grouped per
-- domain, apart from every project group (the second key is NULL for them).
CREATE TEMP VIEW expected_tasks AS
SELECT id, domain_id, project_id, parent_id, title, description, priority, status,
       due_date, deadline, recurrence, tags, context, is_custom_context,
       NULL::uuid AS assigned_to, NULL::integer AS estimated_minutes,
       NULL::integer AS actual_minutes, NULL::text AS energy_level,
       NULL::uuid AS template_id, created_at, updated_at, completed_at,
       true AS is_active,
       (10 * row_number() OVER (
            PARTITION BY project_id, CASE WHEN project_id IS NULL THEN domain_id END
            ORDER BY created_at, id::text))::integer AS sort_order
FROM v1.tasks;
CREATE TEMP VIEW actual_tasks AS
SELECT id, domain_id, project_id, parent_id, title, description, priority, status,
       due_date, deadline, recurrence, tags, context, is_custom_context, assigned_to,
       estimated_minutes, actual_minutes, energy_level, template_id, created_at,
       updated_at, completed_at, is_active, sort_order
FROM public.tasks;

CREATE TEMP VIEW expected_notes AS
SELECT id, domain_id, project_id, task_id, title, body, content_format, tags,
       false AS is_pinned, created_at, updated_at, true AS is_active, 0 AS sort_order
FROM v1.notes;
CREATE TEMP VIEW actual_notes AS
SELECT id, domain_id, project_id, task_id, title, body, content_format, tags,
       is_pinned, created_at, updated_at, is_active, sort_order
FROM public.notes;

CREATE TEMP VIEW expected_capture AS
SELECT id, raw_text, processed, task_id, NULL::uuid AS domain_id, NULL::uuid AS project_id,
       'web'::text AS source, created_at, created_at AS updated_at, true AS is_active,
       0 AS sort_order
FROM v1.capture;
CREATE TEMP VIEW actual_capture AS
SELECT id, raw_text, processed, task_id, domain_id, project_id, source, created_at,
       updated_at, is_active, sort_order
FROM public.capture;

CREATE TEMP VIEW expected_bookmarks AS
SELECT id, domain_id, project_id, task_id, NULL::uuid AS folder_id, label, url,
       description, NULL::text AS favicon_url, NULL::text[] AS tags, created_at,
       created_at AS updated_at, true AS is_active, 0 AS sort_order
FROM v1.links;
CREATE TEMP VIEW actual_bookmarks AS
SELECT id, domain_id, project_id, task_id, folder_id, label, url, description,
       favicon_url, tags, created_at, updated_at, is_active, sort_order
FROM public.bookmarks;

CREATE TEMP VIEW expected_files AS
SELECT id, domain_id, project_id, task_id, capture_id, NULL::uuid AS note_id, filename,
       original_filename,
       :'storage_root' || '/' || pg_temp.storage_key(storage_path) AS storage_path,
       mime_type, size_bytes, description, tags, created_at, updated_at,
       true AS is_active, 0 AS sort_order
FROM v1.files;
CREATE TEMP VIEW actual_files AS
SELECT id, domain_id, project_id, task_id, capture_id, note_id, filename,
       original_filename, storage_path, mime_type, size_bytes, description, tags,
       created_at, updated_at, is_active, sort_order
FROM public.files;

CREATE TEMP VIEW expected_daily_focus AS
SELECT f.id, f.focus_date, f.task_id, t.domain_id, f.slot, f.completed, f.note,
       f.created_at, f.created_at AS updated_at, true AS is_active, 0 AS sort_order
FROM v1.daily_focus f
LEFT JOIN v1.tasks t ON t.id = f.task_id;
CREATE TEMP VIEW actual_daily_focus AS
SELECT id, focus_date, task_id, domain_id, slot, completed, note, created_at,
       updated_at, is_active, sort_order
FROM public.daily_focus;

CREATE TEMP VIEW expected_reminders AS
SELECT id, 'task'::text AS entity_type, task_id AS entity_id, remind_at, note, is_sent,
       NULL::text AS recurrence, NULL::timestamptz AS snoozed_until, created_at,
       created_at AS updated_at, true AS is_active, 0 AS sort_order
FROM v1.reminders;
CREATE TEMP VIEW actual_reminders AS
SELECT id, entity_type, entity_id, remind_at, note, is_sent, recurrence, snoozed_until,
       created_at, updated_at, is_active, sort_order
FROM public.reminders;

-- v1 table -> v2 table, in load order.
CREATE TEMP TABLE mapped (v1_table text NOT NULL, v2_table text NOT NULL);
INSERT INTO mapped VALUES
    ('domains', 'domains'), ('areas', 'areas'), ('projects', 'projects'),
    ('context_types', 'context_types'), ('tasks', 'tasks'), ('notes', 'notes'),
    ('capture', 'capture'), ('links', 'bookmarks'), ('files', 'files'),
    ('daily_focus', 'daily_focus'), ('reminders', 'reminders');

-- ---------------------------------------------------------------------------
-- Expected vs actual, per mapped table.
-- ---------------------------------------------------------------------------

-- Each value as (row id, column, text): the text form shows what a typed
-- comparison can hide, such as the offset of a timestamptz stored as
-- timestamp, or the lower bound of an array ('[0:2]={x,y,z}').
CREATE TEMP TABLE cmp_expected (id uuid, col text, val text);
CREATE TEMP TABLE cmp_actual (id uuid, col text, val text);

-- Fills `target` with the values of view `rel`, one row per column.
CREATE FUNCTION pg_temp.unpivot(rel text, target text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cols text;
BEGIN
    SELECT string_agg(format('(%L, x.%I::text)', attname, attname), ', ' ORDER BY attnum)
    INTO cols
    FROM pg_attribute
    WHERE attrelid = rel::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format('INSERT INTO %s SELECT x.id, v.col, v.val FROM %s x
                    CROSS JOIN LATERAL (VALUES %s) AS v(col, val)', target, rel, cols);
END
$$;

CREATE FUNCTION pg_temp.compare_table(tbl text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    e text := format('pg_temp.%I', 'expected_' || tbl);
    a text := format('pg_temp.%I', 'actual_' || tbl);
    missing bigint;
    extra bigint;
BEGIN
    EXECUTE format('SELECT (SELECT count(*) FROM (TABLE %1$s EXCEPT ALL TABLE %2$s) d),
                           (SELECT count(*) FROM (TABLE %2$s EXCEPT ALL TABLE %1$s) d)', e, a)
        INTO missing, extra;
    IF missing > 0 OR extra > 0 THEN
        INSERT INTO oracle_diff VALUES ('rows', tbl, NULL, format(
            '%s expected row(s) not in v2, %s v2 row(s) not expected', missing, extra));
    END IF;

    EXECUTE format('INSERT INTO oracle_diff
                    SELECT %L, %L, %L, format(%L, id, count(*))
                    FROM %s GROUP BY id HAVING count(*) > 1',
                   'duplicate id', tbl, 'id', 'id %s appears %s times in v2', a);

    TRUNCATE cmp_expected, cmp_actual;
    PERFORM pg_temp.unpivot(e, 'cmp_expected');
    PERFORM pg_temp.unpivot(a, 'cmp_actual');

    INSERT INTO oracle_diff
    SELECT 'missing row', tbl, 'id', format('%s v1 row(s) absent from v2, e.g. id %s',
                                            count(DISTINCT x.id), min(x.id::text))
    FROM cmp_expected x
    WHERE NOT EXISTS (SELECT 1 FROM cmp_actual y WHERE y.id = x.id)
    HAVING count(*) > 0;

    INSERT INTO oracle_diff
    SELECT 'unexpected row', tbl, 'id', format('%s v2 row(s) with no v1 row, e.g. id %s',
                                               count(DISTINCT y.id), min(y.id::text))
    FROM cmp_actual y
    WHERE NOT EXISTS (SELECT 1 FROM cmp_expected x WHERE x.id = y.id)
    HAVING count(*) > 0;

    INSERT INTO oracle_diff
    SELECT 'value', tbl, d.col,
           format('%s row(s) differ, e.g. %s', count(*),
                  string_agg(d.example, '; ' ORDER BY d.id::text) FILTER (WHERE d.rn <= 3))
    FROM (
        SELECT x.col, x.id,
               format('id %s: expected %s, got %s', x.id,
                      left(coalesce(to_json(x.val)::text, 'NULL'), 200),
                      left(coalesce(to_json(y.val)::text, 'NULL'), 200)) AS example,
               row_number() OVER (PARTITION BY x.col ORDER BY x.id::text) AS rn
        FROM cmp_expected x
        JOIN cmp_actual y ON y.id = x.id AND y.col = x.col
        WHERE x.val IS DISTINCT FROM y.val
    ) d
    GROUP BY d.col;
END
$$;

DO $$ BEGIN PERFORM pg_temp.compare_table(v2_table) FROM mapped; END $$;

-- ---------------------------------------------------------------------------
-- The validation checklist of the plan (section 5.4), with dumpshift's
-- stricter reading where MAPPING.md gives one.
-- ---------------------------------------------------------------------------

CREATE FUNCTION pg_temp.row_count(rel text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', rel) INTO n;
    RETURN n;
END
$$;

-- 1. Row counts: exactly equal for every mapped table.
INSERT INTO oracle_diff
SELECT 'row count', v2_table, NULL, format('v1 %s has %s rows, v2 %s has %s',
                                           v1_table, v1_rows, v2_table, v2_rows)
FROM (SELECT v1_table, v2_table,
             pg_temp.row_count(format('v1.%I', v1_table)) AS v1_rows,
             pg_temp.row_count(format('public.%I', v2_table)) AS v2_rows
      FROM mapped) c
WHERE v1_rows <> v2_rows;

-- 2. UUID preservation: no v1 id missing in v2.
CREATE FUNCTION pg_temp.missing_ids(v1_table text, v2_table text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (SELECT id FROM v1.%I EXCEPT SELECT id FROM public.%I) m',
                   v1_table, v2_table) INTO n;
    RETURN n;
END
$$;

INSERT INTO oracle_diff
SELECT 'uuid preservation', v2_table, 'id', format('%s id(s) of v1 %s missing', n, v1_table)
FROM (SELECT v1_table, v2_table, pg_temp.missing_ids(v1_table, v2_table) AS n FROM mapped) c
WHERE n > 0;

-- 3. FK integrity: no orphan behind any foreign key of v2 (MATCH SIMPLE: a
-- key with a NULL column references nothing), every FK validated, and the
-- FKs the mapping relies on exist.
CREATE FUNCTION pg_temp.check_foreign_keys() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    fk record;
    orphans bigint;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass::text AS child,
               c.confrelid::regclass::text AS parent, c.convalidated,
               string_agg(quote_ident(ca.attname), ', ' ORDER BY k.i) AS cols,
               string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND ') AS present,
               string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ') AS matches
        FROM pg_constraint c
        CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, i)
        JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        GROUP BY c.oid, c.conname, c.conrelid, c.confrelid, c.convalidated
    LOOP
        EXECUTE format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS
                            (SELECT 1 FROM %s p WHERE %s)',
                       fk.child, fk.present, fk.parent, fk.matches) INTO orphans;
        IF orphans > 0 THEN
            INSERT INTO oracle_diff VALUES ('orphan foreign key', fk.child, fk.cols,
                format('%s row(s) reference no row of %s (%s)', orphans, fk.parent, fk.conname));
        END IF;
        IF NOT fk.convalidated THEN
            INSERT INTO oracle_diff VALUES ('foreign key not validated', fk.child, fk.cols,
                format('%s is NOT VALID', fk.conname));
        END IF;
    END LOOP;
END
$$;

DO $$ BEGIN PERFORM pg_temp.check_foreign_keys(); END $$;

-- The v1 FKs kept by v2 and the new ones MAPPING.md names.
INSERT INTO oracle_diff
SELECT 'foreign key missing', r.child, r.col, format('no FOREIGN KEY (%s) REFERENCES %s',
                                                     r.col, r.parent)
FROM (VALUES
    ('areas', 'domain_id', 'domains'), ('projects', 'domain_id', 'domains'),
    ('projects', 'area_id', 'areas'), ('projects', 'release_id', 'releases'),
    ('tasks', 'domain_id', 'domains'), ('tasks', 'project_id', 'projects'),
    ('tasks', 'parent_id', 'tasks'), ('tasks', 'assigned_to', 'contacts'),
    ('tasks', 'template_id', 'task_templates'), ('notes', 'domain_id', 'domains'),
    ('notes', 'project_id', 'projects'), ('notes', 'task_id', 'tasks'),
    ('capture', 'task_id', 'tasks'), ('bookmarks', 'domain_id', 'domains'),
    ('bookmarks', 'project_id', 'projects'), ('bookmarks', 'task_id', 'tasks'),
    ('bookmarks', 'folder_id', 'bookmark_folders'), ('files', 'domain_id', 'domains'),
    ('files', 'project_id', 'projects'), ('files', 'task_id', 'tasks'),
    ('files', 'capture_id', 'capture'), ('files', 'note_id', 'notes'),
    ('daily_focus', 'task_id', 'tasks'), ('daily_focus', 'domain_id', 'domains')
) AS r(child, col, parent)
WHERE NOT EXISTS (
    SELECT 1
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum]
    WHERE c.contype = 'f'
      AND c.conrelid = to_regclass('public.' || r.child)
      AND c.confrelid = to_regclass('public.' || r.parent)
      AND a.attname = r.col);

-- reminders.entity_id is polymorphic, so no FK guards it: check by hand.
INSERT INTO oracle_diff
SELECT 'orphan reference', 'reminders', 'entity_id',
       format('%s task reminder(s) name no task, e.g. %s', count(*), min(r.entity_id::text))
FROM public.reminders r
WHERE r.entity_type = 'task'
  AND NOT EXISTS (SELECT 1 FROM public.tasks t WHERE t.id = r.entity_id)
HAVING count(*) > 0;

-- 4. Files: the path stays under the storage root. (Serving the staged file
-- is a check of the staging step, outside this database.)
INSERT INTO oracle_diff
SELECT 'storage path', 'files', 'storage_path',
       format('%s path(s) leave %s, e.g. %s', count(*), :'storage_root', min(storage_path))
FROM public.files
WHERE left(storage_path, length(:'storage_root') + 1) <> :'storage_root' || '/'
   OR length(storage_path) = length(:'storage_root') + 1
   OR storage_path ~ '(^|/)\.\.(/|$)' OR strpos(storage_path, E'\\') > 0
HAVING count(*) > 0;

-- 5. Note bodies intact, every one, by digest.
INSERT INTO oracle_diff
SELECT 'note body', 'notes', 'body',
       format('%s body digest(s) differ, e.g. note %s', count(*), min(o.id::text))
FROM v1.notes o
LEFT JOIN public.notes n ON n.id = o.id
WHERE md5(o.body) IS DISTINCT FROM md5(n.body)
   OR (n.id IS NULL)
HAVING count(*) > 0;

-- 6. Task parent chains: no dangling parent, no cycle.
INSERT INTO oracle_diff
SELECT 'dangling parent', 'tasks', 'parent_id',
       format('%s task(s) name a missing parent, e.g. task %s', count(*), min(t.id::text))
FROM public.tasks t
WHERE t.parent_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM public.tasks p WHERE p.id = t.parent_id)
HAVING count(*) > 0;

INSERT INTO oracle_diff
SELECT 'parent cycle', 'tasks', 'parent_id',
       format('%s task(s) lead into a cycle, e.g. task %s', count(*), min(start_id::text))
FROM (
    WITH RECURSIVE walk(start_id, next_id, path, cycle) AS (
        SELECT id, parent_id, ARRAY[id], parent_id = id
        FROM public.tasks
        WHERE parent_id IS NOT NULL
        UNION ALL
        SELECT w.start_id, t.parent_id, w.path || t.id, t.parent_id = ANY (w.path || t.id)
        FROM walk w
        JOIN public.tasks t ON t.id = w.next_id
        WHERE NOT w.cycle AND t.parent_id IS NOT NULL
    )
    SELECT DISTINCT start_id FROM walk WHERE cycle
) c
HAVING count(*) > 0;

-- ---------------------------------------------------------------------------
-- The rest of the v2 schema.
-- ---------------------------------------------------------------------------

-- The 31 tables of v2 (11 mapped, 20 new); the load's own bookkeeping table
-- schema_migrations is not one of them.
CREATE TEMP TABLE v2_tables (name text PRIMARY KEY, is_new boolean NOT NULL);
INSERT INTO v2_tables SELECT v2_table, false FROM mapped;
INSERT INTO v2_tables
SELECT unnest(ARRAY[
    'contacts', 'contact_groups', 'lists', 'list_items', 'calendar_events', 'time_entries',
    'time_blocks', 'time_budgets', 'releases', 'milestones', 'task_dependencies',
    'task_templates', 'note_links', 'bookmark_folders', 'tags', 'entity_tags',
    'activity_log', 'user_settings', 'saved_views', 'search_index']), true;

CREATE TEMP VIEW public_tables AS
SELECT c.relname::text AS name
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace
  AND c.relkind IN ('r', 'p', 'm')
  AND c.relname <> 'schema_migrations';

INSERT INTO oracle_diff
SELECT 'table missing', name, NULL, 'v2 table absent from public'
FROM v2_tables
WHERE name NOT IN (SELECT name FROM public_tables);

INSERT INTO oracle_diff
SELECT 'table unexpected', name, NULL, 'public holds a table v2 does not name'
FROM public_tables
WHERE name NOT IN (SELECT name FROM v2_tables);

-- New tables are empty after the load.
INSERT INTO oracle_diff
SELECT 'new table not empty', name, NULL, format('%s row(s)', n)
FROM (SELECT name, pg_temp.row_count(format('public.%I', name)) AS n
      FROM v2_tables
      WHERE is_new AND name IN (SELECT name FROM public_tables)) c
WHERE n > 0;

-- context_types rows get created_at/updated_at from the DDL default now():
-- set, equal to each other, and one instant for all rows (one transaction).
INSERT INTO oracle_diff
SELECT 'load timestamp', 'context_types', 'created_at',
       'created_at/updated_at NULL, unequal, or not one instant for all rows'
FROM public.context_types
HAVING count(*) > 0
   AND (bool_or(created_at IS NULL OR created_at IS DISTINCT FROM updated_at)
        OR count(DISTINCT created_at) <> 1);

-- ---------------------------------------------------------------------------
-- Report.
-- ---------------------------------------------------------------------------

\pset footer off
SELECT check_name, tbl AS "table", col AS "column", detail
FROM oracle_diff
ORDER BY tbl, check_name, col;

SELECT format('oracle: %s v2 tables in public, %s v1 rows compared, %s difference(s)',
              (SELECT count(*) FROM public_tables),
              (SELECT sum(pg_temp.row_count(format('v1.%I', v1_table))) FROM mapped),
              (SELECT count(*) FROM oracle_diff)) AS summary;

DO $$
DECLARE
    first_diff oracle_diff;
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM oracle_diff;
    IF n > 0 THEN
        SELECT * INTO first_diff FROM oracle_diff ORDER BY tbl, check_name, col LIMIT 1;
        RAISE EXCEPTION 'v2 load differs from MAPPING.md in % place(s); first: %.% (%): %',
            n, first_diff.tbl, coalesce(first_diff.col, '*'), first_diff.check_name,
            first_diff.detail;
    END IF;
END
$$;
