use super::*;

fn effect_of(sql: &str) -> Effect {
    classify(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn rel(schema: &str, name: &str) -> Rel {
    Rel {
        schema: (!schema.is_empty()).then(|| schema.to_string()),
        name: name.to_string(),
    }
}

#[test]
fn what_pg_dump_and_supabase_write_is_harmless() {
    for sql in [
        "SET statement_timeout = 0;",
        "SET session_replication_role = replica;",
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "SELECT pg_catalog.setval('public.seq', 3, true);",
        "SELECT * FROM pg_catalog.pg_restore_relation_stats('version', '180000'::integer, 'relpages', '1'::integer);",
        "COMMENT ON TABLE public.tasks IS 'x';",
        "GRANT ALL ON TABLE public.tasks TO anon;",
        "REVOKE USAGE ON SCHEMA public FROM PUBLIC;",
        "ALTER TABLE public.tasks OWNER TO postgres;",
        "ALTER TABLE ONLY public.tasks ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);",
        "ALTER TABLE ONLY public.tasks ALTER COLUMN id SET DEFAULT nextval('s'::regclass);",
        "ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE public.tasks DISABLE TRIGGER ALL;",
        "CREATE INDEX i ON public.tasks USING btree (status);",
        "CREATE SEQUENCE public.s START WITH 1;",
        "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.tasks; END $$;",
        "CREATE POLICY p ON public.tasks TO anon USING (true);",
        "CREATE VIEW public.v AS SELECT public.f2() FROM public.tasks;",
        "CREATE MATERIALIZED VIEW public.m AS SELECT 1 WITH NO DATA;",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;",
        "CREATE SCHEMA auth;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT ALL ON TABLES TO anon;",
        "CREATE PUBLICATION supabase_realtime WITH (publish = 'insert, update, delete');",
        "SET standard_conforming_strings = on;",
        "SAVEPOINT a;",
        "COPY public.tasks (id) TO stdout;",
        "DROP VIEW public.v CASCADE;",
    ] {
        assert_eq!(effect_of(sql), Effect::Harmless, "{sql}");
    }
}

#[test]
fn settings_that_decide_how_text_is_read_are_told_apart_from_the_rest() {
    assert_eq!(
        effect_of("SET client_encoding = 'UTF8';"),
        Effect::Encoding("UTF8".into())
    );
    assert_eq!(
        effect_of("SET NAMES 'latin1';"),
        Effect::Encoding("latin1".into())
    );
    for sql in [
        "RESET ALL;",
        "RESET standard_conforming_strings;",
        "SET standard_conforming_strings TO DEFAULT;",
        "SET standard_conforming_strings = 1;",
        "SET LOCAL client_encoding = 'UTF8';",
        "SELECT set_config('client_encoding', 'SJIS', false);",
        "SELECT set_config('standard' || '_conforming_strings', 'off', false);",
    ] {
        assert!(matches!(effect_of(sql), Effect::TextSetting(_)), "{sql}");
    }
    // A write (to pg_settings itself, or beside a set_config) is refused
    // wherever it is: judged as a setting, it would pass after the data.
    for sql in [
        "UPDATE pg_catalog.pg_settings SET setting = 'off';",
        "SELECT set_config('client_encoding', 'UTF8', false), public.wipe();",
    ] {
        assert!(matches!(effect_of(sql), Effect::Refused(_)), "{sql}");
    }
}

#[test]
fn row_changing_statements_name_their_tables_however_spelled() {
    let cases = [
        (
            "UPDATE public.tasks SET status = 'open';",
            rel("public", "tasks"),
            Verb::Update,
        ),
        (
            "delete /* c */ from \"public\".\"Tasks\";",
            rel("public", "Tasks"),
            Verb::Delete,
        ),
        ("DELETE FROM tasks;", rel("", "tasks"), Verb::Delete),
        (
            "TRUNCATE ONLY public.notes;",
            rel("public", "notes"),
            Verb::Truncate,
        ),
        (
            "MERGE INTO public.tasks t USING public.x s ON t.id = s.id WHEN MATCHED THEN DELETE;",
            rel("public", "tasks"),
            Verb::Merge,
        ),
        (
            "INSERT INTO public.tasks SELECT * FROM public.old;",
            rel("public", "tasks"),
            Verb::InsertSelect,
        ),
        (
            "COPY public.tasks FROM '/tmp/t.csv';",
            rel("public", "tasks"),
            Verb::CopyFromFile,
        ),
        (
            "WITH d AS (DELETE FROM public.tasks RETURNING id) SELECT count(*) FROM d;",
            rel("public", "tasks"),
            Verb::Delete,
        ),
        (
            "EXPLAIN (ANALYZE) UPDATE public.tasks SET title = '';",
            rel("public", "tasks"),
            Verb::Update,
        ),
    ];
    for (sql, table, verb) in cases {
        match effect_of(sql) {
            Effect::Writes {
                tables, verb: v, ..
            } => {
                assert!(tables.contains(&table), "{sql}: {tables:?}");
                assert_eq!(v, verb, "{sql}");
            }
            other => panic!("{sql}: {other:?}"),
        }
    }
    assert!(matches!(
        effect_of("TRUNCATE public.x CASCADE;"),
        Effect::Writes { cascade: true, .. }
    ));
}

#[test]
fn code_that_may_change_anything_is_refused() {
    for sql in [
        "DO $$ BEGIN DELETE FROM public.tasks; END $$;",
        "CALL public.cleanup();",
        "SELECT public.cleanup();",
        "SELECT cleanup();",
        "SELECT * FROM public.cleanup();",
        "UPDATE public.other SET a = public.cleanup();",
        "EXECUTE p;",
        "ROLLBACK;",
        "ROLLBACK TO SAVEPOINT a;",
        "PREPARE TRANSACTION 'x';",
        "DROP OWNED BY app;",
        "LOAD 'evil';",
        "COPY public.tasks TO PROGRAM 'sh';",
        "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;",
    ] {
        assert!(
            matches!(effect_of(sql), Effect::Refused(_)),
            "{sql}: {:?}",
            effect_of(sql)
        );
    }
    assert!(classify("SELECT 1 \\g").is_err());
    assert!(classify("DELETE FROM :tbl;").is_err());
}

#[test]
fn columns_names_triggers_and_drops_are_told_apart() {
    let reshape = |sql: &str| match effect_of(sql) {
        Effect::Reshapes {
            table, before_data, ..
        } => (table, before_data),
        other => panic!("{sql}: {other:?}"),
    };
    assert_eq!(
        reshape("ALTER TABLE public.tasks DROP COLUMN tags;"),
        (rel("public", "tasks"), false)
    );
    assert_eq!(
        reshape("ALTER TABLE public.tasks ALTER COLUMN priority TYPE text USING 'x';"),
        (rel("public", "tasks"), false)
    );
    assert_eq!(
        reshape("ALTER TABLE public.tasks RENAME COLUMN title TO name;").0,
        rel("public", "tasks")
    );
    assert_eq!(
        reshape("ALTER TABLE public.tasks RENAME TO old_tasks;").0,
        rel("public", "tasks")
    );
    assert_eq!(
        reshape("ALTER TABLE public.tasks SET SCHEMA archive;").0,
        rel("public", "tasks")
    );
    assert_eq!(
        reshape("ALTER TABLE ONLY public.tasks ADD COLUMN x integer;"),
        (rel("public", "tasks"), true)
    );
    assert_eq!(
        effect_of(
            "CREATE TRIGGER t BEFORE INSERT ON public.tasks FOR EACH ROW EXECUTE FUNCTION f();"
        ),
        Effect::Hook {
            table: rel("public", "tasks"),
            what: "a trigger"
        }
    );
    assert!(matches!(
        effect_of("CREATE RULE r AS ON INSERT TO public.tasks DO INSTEAD NOTHING;"),
        Effect::Hook { .. }
    ));
    assert_eq!(
        effect_of("DROP TABLE IF EXISTS public.tasks;"),
        Effect::Drops {
            tables: vec![rel("public", "tasks")],
            schemas: vec![],
            risky_cascade: false
        }
    );
    assert!(matches!(
        effect_of("DROP TYPE public.status CASCADE;"),
        Effect::Drops {
            risky_cascade: true,
            ..
        }
    ));
    assert_eq!(effect_of("BEGIN;"), Effect::Begin);
    assert_eq!(effect_of("START TRANSACTION;"), Effect::Begin);
    assert_eq!(effect_of("COMMIT;"), Effect::Commit);
    assert_eq!(effect_of("END;"), Effect::Commit);
    assert!(matches!(
        effect_of("CREATE TABLE public.p2024 PARTITION OF public.tasks FOR VALUES IN ('x');"),
        Effect::Creates { feeds, .. } if feeds == vec![rel("public", "tasks")]
    ));
}

#[test]
fn first_words_fold_whitespace_and_stop_early() {
    assert_eq!(
        first_words(b"UPDATE  public.tasks\n   SET status = 'open' WHERE id = 1;"),
        "UPDATE public.tasks SET status = 'open'"
    );
}
