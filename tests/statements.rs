//! Every statement psql would run is accounted for: a real pg_dump with one
//! statement added (the bad input is that statement) is refused with its
//! place, first words and reason when the statement changes the rows or
//! columns of a mapped table, runs code, reads another file or changes what
//! psql commits; nothing is written and nothing is touched. Statements that
//! change nothing, or only tables outside the mapping, are accepted, and
//! the load then matches what psql restores from the same file.

mod common;

use std::path::{Path, PathBuf};

use common::{check_v2, dumpshift, fixture, Cluster};

const BASE: &str = "example/life_os_v1_backup.sql";
const OLD_OUT: &[u8] = b"-- an earlier load file, to be kept\n";

/// A temp dir holding `dump.sql` (the base dump with `edit` applied) and a
/// pre-existing `v2_load.sql`.
struct Case {
    dir: tempfile::TempDir,
    input: Vec<u8>,
}

impl Case {
    fn new(edit: impl FnOnce(&str) -> String) -> Case {
        let base = std::fs::read_to_string(fixture(BASE)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let input = edit(&base).into_bytes();
        std::fs::write(dir.path().join("dump.sql"), &input).unwrap();
        std::fs::write(dir.path().join("v2_load.sql"), OLD_OUT).unwrap();
        Case { dir, input }
    }

    fn appended(text: &str) -> Case {
        Case::new(|base| format!("{base}{text}\n"))
    }

    fn dump(&self) -> PathBuf {
        self.dir.path().join("dump.sql")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("v2_load.sql")
    }

    fn run(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            self.dump().into_os_string(),
            "-o".into(),
            self.out().into_os_string(),
            "--force".into(),
        ];
        args.extend(extra.iter().map(Into::into));
        dumpshift(&args)
    }

    /// Runs and expects a refusal naming `line` of dump.sql and every one
    /// of `expect`; then checks nothing was written or touched.
    fn refused(&self, line: usize, expect: &[&str]) -> String {
        let out = self.run(&[]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let place = format!("dump.sql:{line} (byte ");
        assert!(stderr.contains(&place), "want {place}: {stderr}");
        for e in expect {
            assert!(stderr.contains(e), "want {e:?}: {stderr}");
        }
        self.assert_untouched();
        stderr
    }

    fn assert_untouched(&self) {
        assert_eq!(
            std::fs::read(self.dump()).unwrap(),
            self.input,
            "input changed"
        );
        assert_eq!(std::fs::read(self.out()).unwrap(), OLD_OUT, "OUT changed");
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["dump.sql", "v2_load.sql"], "files left behind");
    }
}

fn base_lines() -> usize {
    std::fs::read_to_string(fixture(BASE))
        .unwrap()
        .lines()
        .count()
}

/// The line of `needle` in `text`, 1-based.
fn line_of(text: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(text);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn hand_edits_that_change_mapped_rows_are_refused_with_their_place() {
    let cases: &[(&str, &[&str])] = &[
        (
            "UPDATE public.tasks SET status = 'open' WHERE id = '00000000-0000-0000-0000-000000000000';",
            &["`UPDATE public.tasks SET status = 'open'", "UPDATE changes rows of mapped table public.tasks"],
        ),
        ("DELETE FROM public.reminders;", &["DELETE removes rows of mapped table public.reminders"]),
        ("delete /* all */ from \"public\".\"notes\";", &["mapped table public.notes"]),
        ("DELETE FROM tasks;", &["mapped table public.tasks"]),
        ("TRUNCATE ONLY public.links;", &["TRUNCATE removes every row of mapped table public.links"]),
        (
            "MERGE INTO public.tasks t USING public.projects p ON t.project_id = p.id WHEN MATCHED THEN DELETE;",
            &["MERGE changes rows of mapped table public.tasks"],
        ),
        ("INSERT INTO public.notes SELECT * FROM public.notes;", &["INSERT ... SELECT adds rows"]),
        ("COPY public.links FROM '/tmp/links.csv';", &["COPY FROM a file"]),
        (
            "WITH gone AS (DELETE FROM public.capture RETURNING id) SELECT count(*) FROM gone;",
            &["mapped table public.capture"],
        ),
        ("ALTER TABLE public.tasks DROP COLUMN tags;", &["DROP COLUMN", "public.tasks after its data"]),
        ("ALTER TABLE public.tasks ALTER COLUMN priority TYPE text;", &["TYPE rewrites"]),
        ("ALTER TABLE public.tasks RENAME COLUMN title TO name;", &["RENAME COLUMN"]),
        ("ALTER TABLE public.notes RENAME TO old_notes;", &["RENAME gives the table another name"]),
        ("ALTER TABLE public.notes SET SCHEMA pg_temp;", &["SET SCHEMA"]),
        ("DROP TABLE public.links;", &["drops mapped table public.links"]),
        ("DROP SCHEMA public CASCADE;", &["schema public"]),
        ("DROP EXTENSION IF EXISTS plpgsql CASCADE;", &["CASCADE"]),
        ("CREATE TABLE public.tasks (id uuid);", &["second CREATE TABLE of mapped table public.tasks"]),
        ("DO $$ BEGIN DELETE FROM public.tasks; END $$;", &["a DO block"]),
        ("SELECT public.cleanup();", &["calls public.cleanup()"]),
        ("CALL public.cleanup();", &["CALL runs a procedure"]),
        ("ROLLBACK;", &["ROLLBACK undoes"]),
        ("BEGIN;\nSET lock_timeout = 0;", &["`BEGIN` has no COMMIT"]),
        ("DELETE FROM :tbl;", &["not SQL PostgreSQL can parse"]),
        ("\\set ON_ERROR_STOP off", &["`\\set`", "go on after a failed statement"]),
        ("\\set AUTOCOMMIT off", &["commit nothing"]),
        ("\\if true\n\\endif", &["`\\if`", "conditional"]),
        ("\\i other.sql", &["`\\i`", "another file"]),
        ("\\ir other.sql", &["`\\ir`"]),
        ("\\include other.sql", &["`\\include`"]),
        ("\\include_relative other.sql", &["`\\include_relative`"]),
        ("\\copy public.tasks FROM 'tasks.csv'", &["`\\copy`"]),
        ("\\! touch /tmp/x", &["`\\!`", "shell command"]),
        ("\\o /tmp/out.txt", &["`\\o`"]),
        ("\\echo done \\i evil.sql", &["`\\i`"]),
        ("SELECT 1 \\g", &["`\\g` inside an SQL statement"]),
        ("UPDATE public.other SET a = 1 \\gexec", &["`\\gexec` inside an SQL statement"]),
        ("\\gexec", &["`\\gexec`"]),
        ("\\q", &["`\\q`", "not be run"]),
    ];
    let line = base_lines() + 1;
    for (text, expect) in cases {
        let case = Case::appended(text);
        let stderr = case.refused(line, expect);
        assert!(!stderr.contains("panicked"), "{text}: {stderr}");
    }
}

#[test]
fn a_trigger_or_rule_before_the_rows_it_would_fire_on_is_refused() {
    for hook in [
        "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n\
         CREATE TRIGGER drop_rows BEFORE INSERT ON public.tasks FOR EACH ROW EXECUTE FUNCTION public.f();\n",
        "CREATE RULE no_rows AS ON INSERT TO public.tasks DO INSTEAD NOTHING;\n",
    ] {
        let case = Case::new(|base| base.replacen("COPY public.tasks ", &format!("{hook}COPY public.tasks "), 1));
        let first = hook.lines().last().unwrap();
        let line = line_of(&case.input, first);
        case.refused(line, &["on public.tasks comes before rows are written to it"]);
    }
}

/// Converts `case`, expecting success; restores the same file with psql
/// and checks the load against it with the oracle. Returns stderr.
fn accepted_and_loaded(case: &Case, prefix: &str) -> String {
    let out = case.run(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let cluster = Cluster::shared();
    let db = common::v1_database(cluster, prefix, &[case.dump()]);
    cluster.exec_file(&db, &case.out());
    check_v2(cluster, &db, None);
    stderr
}

#[test]
fn statements_on_tables_outside_the_mapping_are_ignored_listed_and_load_as_psql_restores() {
    let case = Case::appended(
        "CREATE TABLE public.scratch (a integer);\n\
         INSERT INTO public.scratch VALUES (1), (3);\n\
         UPDATE public.scratch SET a = 2 WHERE a = 1;\n\
         UPDATE public.scratch SET a = a + 1;\n\
         DELETE FROM public.scratch WHERE a = 4;",
    );
    let stderr = accepted_and_loaded(&case, "stmts_unmapped");
    for want in [
        "ignored: public.scratch (2 UPDATE statements; not part of the mapping)",
        "ignored: public.scratch (1 DELETE statement; not part of the mapping)",
    ] {
        assert!(stderr.contains(want), "want {want:?}: {stderr}");
    }
}

#[test]
fn harmless_statements_are_skipped_and_the_load_matches_the_restore() {
    let case = Case::appended(
        "\\set ON_ERROR_STOP on\n\
         BEGIN;\n\
         SET LOCAL lock_timeout = '5s';\n\
         COMMENT ON TABLE public.tasks IS 'what to do';\n\
         GRANT SELECT ON TABLE public.tasks TO PUBLIC;\n\
         COMMIT;\n\
         CREATE INDEX tasks_title_idx ON public.tasks USING btree (title);\n\
         CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;\n\
         CREATE TRIGGER touch BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION public.touch();\n\
         SELECT count(*) FROM public.tasks;\n\
         \\echo restored",
    );
    let stderr = accepted_and_loaded(&case, "stmts_harmless");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn every_committed_dump_still_converts() {
    let dir = tempfile::tempdir().unwrap();
    let mut dumps: Vec<PathBuf> = Vec::new();
    for sub in ["", "supabase", "example", "handmade"] {
        for e in std::fs::read_dir(fixture(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "sql") {
                dumps.push(p);
            }
        }
    }
    for dump in dumps {
        let name = dump.file_name().unwrap().to_string_lossy().into_owned();
        let mut args: Vec<&std::ffi::OsStr> = vec![dump.as_os_str()];
        let out = dir.path().join("out.sql");
        args.extend([out.as_os_str(), "--force".as_ref(), "-q".as_ref()]);
        args.insert(1, "-o".as_ref());
        let database = ["--database", "lifeos_v1"];
        if name == "pg_dumpall.sql" {
            args.extend(database.iter().map(std::ffi::OsStr::new));
        }
        let result = dumpshift(&args);
        let stderr = String::from_utf8_lossy(&result.stderr);
        // A data-only --inserts dump without column names cannot be read
        // (its message says so); everything else converts.
        if name == "life_os_v1_inserts_data_only.sql" {
            assert!(
                stderr.contains("INSERT statements without column names"),
                "{stderr}"
            );
            continue;
        }
        assert!(result.status.success(), "{name}: {stderr}");
        assert!(Path::new(&out).is_file());
    }
}

#[test]
fn statements_after_a_connect_to_another_database_leave_the_dumped_one_alone() {
    let cluster = Cluster::shared();
    let other = cluster.fresh_db("stmts_connect_other");
    cluster.exec_file(&other, &fixture(BASE));
    let case = Case::appended(&format!(
        "\\connect {other}\nUPDATE public.tasks SET status = 'done';\nDELETE FROM public.reminders;"
    ));
    accepted_and_loaded(&case, "stmts_connect");
    assert_eq!(
        cluster.query(&other, "SELECT count(*) FROM public.reminders"),
        "0",
        "psql ran the statements in the other database"
    );

    // Before the `\connect`, the same statements change the dumped rows.
    let case = Case::appended(&format!(
        "UPDATE public.tasks SET status = 'done';\n\\connect {other}"
    ));
    case.refused(base_lines() + 1, &["mapped table public.tasks"]);
}

#[test]
fn pg_dump_options_that_add_statements_are_accepted() {
    let cluster = Cluster::shared();
    let db = common::v1_example_db(cluster, "stmts_options");
    cluster.exec(&db, "SELECT lo_from_bytea(0, 'a large object')");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.sql");
    let out = dir.path().join("v2_load.sql");
    for opts in [
        &["--clean", "--if-exists", "--blobs"][..],
        &["--clean", "--blobs", "--inserts"],
        &["--create", "--clean"],
        &["--data-only", "--disable-triggers"],
        &["--inserts", "--on-conflict-do-nothing"],
        &["--column-inserts", "--rows-per-insert=3"],
        &["--no-owner", "--no-privileges", "--quote-all-identifiers"],
    ] {
        common::pg_dump_to(cluster, &db, opts, &dump);
        let o = dumpshift([
            dump.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--force".as_ref(),
        ]);
        assert!(
            o.status.success(),
            "{opts:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if opts[0] == "--clean" && opts[2] == "--blobs" {
            let v1 =
                common::v1_database(cluster, "stmts_options_load", std::slice::from_ref(&dump));
            cluster.exec_file(&v1, &out);
            check_v2(cluster, &v1, None);
        }
    }
}

#[test]
fn a_function_called_in_the_rows_of_a_table_outside_the_mapping_is_refused() {
    let case = Case::appended(
        "CREATE TABLE public.scratch (a integer, b timestamptz);\n\
         INSERT INTO public.scratch VALUES (1, now());\n\
         INSERT INTO public.scratch VALUES (2, now()), (public.cleanup(), NULL);",
    );
    case.refused(
        base_lines() + 3,
        &["a row of public.scratch: it calls public.cleanup()"],
    );
}

#[test]
fn settings_that_change_how_later_text_is_read_are_refused_unless_written_as_pg_dump_writes_them() {
    // Each inserted just before the first data: psql would read the rows
    // after it otherwise than dumpshift does.
    let refused: &[(&str, &str)] = &[
        (
            "RESET standard_conforming_strings;",
            "standard_conforming_strings in a form dumpshift does not follow",
        ),
        (
            "SET standard_conforming_strings = 0;",
            "in a form dumpshift does not follow",
        ),
        (
            "SET LOCAL standard_conforming_strings = off;",
            "in a form dumpshift does not follow",
        ),
        ("RESET ALL;", "RESET ALL resets standard_conforming_strings"),
        (
            "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false);",
            "set_config('standard_conforming_strings'",
        ),
        (
            "SELECT set_config(current_user, 'off', false);",
            "no constant",
        ),
        (
            "UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings';",
            "a write to pg_settings",
        ),
        (
            "SET NAMES 'LATIN1';",
            "psql would read the rest of the dump as LATIN1",
        ),
        (
            "SET client_encoding = 'SJIS';",
            "as SJIS, while dumpshift reads it as UTF-8",
        ),
        (
            "SET client_encoding TO DEFAULT;",
            "client_encoding in a form dumpshift does not follow",
        ),
        (
            "RESET client_encoding;",
            "client_encoding in a form dumpshift does not follow",
        ),
    ];
    let first_data = "COPY public.domains ";
    for (statement, why) in refused {
        let case =
            Case::new(|base| base.replacen(first_data, &format!("{statement}\n{first_data}"), 1));
        case.refused(line_of(&case.input, statement), &[why]);
    }
    // As pg_dump writes them, or after the last rows (Supabase ends its
    // dumps with RESET ALL), they change nothing dumpshift reads.
    for statement in [
        "SET standard_conforming_strings = on;",
        "SET client_encoding = 'UTF8';",
        "SET NAMES 'utf-8';",
    ] {
        let case =
            Case::new(|base| base.replacen(first_data, &format!("{statement}\n{first_data}"), 1));
        let out = case.run(&["-q"]);
        assert!(
            out.status.success(),
            "{statement}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let case = Case::appended("RESET ALL;\nSET client_encoding = 'LATIN1';");
    let out = case.run(&["-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn settings_restored_by_a_later_header_or_safe_for_the_bytes_are_accepted_and_hidden_ones_refused()
{
    let header = "SET client_encoding = 'UTF8';";
    let first_data = "COPY public.domains ";
    // Two Supabase dumps in one file: the first ends in RESET ALL, the
    // second's header sets the text settings again before its rows.
    let case =
        Case::new(|base| base.replacen(header, &format!("RESET ALL;\nDISCARD ALL;\n{header}"), 1));
    let out = case.run(&["-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A database created with SQL_ASCII, its text UTF-8 (as plan() takes it).
    let case = Case::new(|base| base.replacen(header, "SET client_encoding = 'SQL_ASCII';", 1));
    let out = case.run(&["-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A setting changed inside a write is judged as the write, wherever it is.
    let statement =
        "DELETE FROM public.tasks WHERE set_config('client_encoding', 'UTF8', false) <> '';";
    let case = Case::appended(statement);
    case.refused(line_of(&case.input, statement), &["client_encoding"]);
    let statement = "DISCARD ALL;";
    let case =
        Case::new(|base| base.replacen(first_data, &format!("{statement}\n{first_data}"), 1));
    case.refused(line_of(&case.input, statement), &["DISCARD ALL resets"]);
}

#[test]
fn a_transcoded_dump_whose_later_section_says_utf8_is_refused() {
    let latin1 = std::fs::read(fixture("life_os_v1_latin1.sql")).unwrap();
    let data = b"COPY public.domains ";
    let first = latin1.windows(data.len()).position(|w| w == data).unwrap();
    let section = b"SET client_encoding = 'UTF8';\n";
    let edited = [&latin1[..first], &section[..], &latin1[first..]].concat();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dump.sql"), &edited).unwrap();
    std::fs::write(dir.path().join("v2_load.sql"), OLD_OUT).unwrap();
    let case = Case { dir, input: edited };
    let line = line_of(&case.input, "SET client_encoding = 'UTF8';");
    case.refused(
        line,
        &["psql would read the rest of the dump as UTF8, while dumpshift reads it as LATIN1"],
    );
}
