//! What would make `psql` stop halfway through the load is found before
//! anything is written: v2 unique keys, type drift in the dump's DDL, and
//! values PostgreSQL's input functions refuse. Values PostgreSQL takes, at
//! the edges of its ranges or oddly spelled, migrate, and the load holds
//! what psql restores from the same dump.
//!
//! Each bad input is the committed plain fixture with one defect, run
//! through the real binary.

mod common;

use std::path::Path;

use common::{check_v2, dumpshift, fixture, stderr, Cluster};

fn plain() -> String {
    std::fs::read_to_string(fixture("life_os_v1_plain.sql")).unwrap()
}

/// Writes `text` as `name` in `dir`, runs dumpshift on it with an output
/// that already exists, and asserts the refusal left everything as it was.
fn refuse(dir: &Path, name: &str, text: &str) -> String {
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.join("v2_load.sql");
    std::fs::write(&out, "previous load\n").unwrap();
    let o = dumpshift([
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous load\n");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let left = std::fs::read_dir(dir).unwrap().count();
    assert_eq!(left, 2, "only the input and the previous output remain");
    stderr(&o)
}

/// A table's COPY block, cut into rows and fields.
struct Block {
    before: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    after: String,
}

impl Block {
    fn of(text: &str, table: &str) -> Block {
        let copy = text.rfind(&format!("\nCOPY public.{table} (")).unwrap() + 1;
        let header_end = copy + text[copy..].find('\n').unwrap() + 1;
        let header = &text[copy..header_end];
        let columns = header[header.find('(').unwrap() + 1..header.find(')').unwrap()]
            .split(", ")
            .map(str::to_string)
            .collect();
        let end = header_end + text[header_end..].find("\\.\n").unwrap();
        Block {
            before: text[..header_end].to_string(),
            columns,
            rows: text[header_end..end]
                .lines()
                .map(|l| l.split('\t').map(str::to_string).collect())
                .collect(),
            after: text[end..].to_string(),
        }
    }

    fn col(&self, name: &str) -> usize {
        self.columns.iter().position(|c| c == name).unwrap()
    }

    fn text(&self) -> String {
        let body: String = self.rows.iter().map(|r| r.join("\t") + "\n").collect();
        format!("{}{}{}", self.before, body, self.after)
    }

    /// `file:line (byte n)` of row `i` in `text()`.
    fn place(&self, file: &str, i: usize) -> String {
        let byte = self.before.len()
            + self.rows[..i]
                .iter()
                .map(|r| r.join("\t").len() + 1)
                .sum::<usize>();
        let line = self.before.matches('\n').count() + 1 + i;
        format!("{file}:{line} (byte {byte})")
    }
}

#[test]
fn a_value_a_v2_unique_constraint_holds_twice_is_refused_naming_both_rows() {
    let mut b = Block::of(&plain(), "context_types");
    let value = b.col("value");
    b.rows[2][value] = b.rows[0][value].clone();
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "dup_value.sql", &b.text());
    let want = format!(
        "{}: public.context_types id {}, column value: duplicate key (value) = ({}): \
         v2 context_types allows one row per (value), and the row with id {} has it too \
         (the other row: ",
        b.place("dup_value.sql", 2),
        b.rows[2][0],
        b.rows[0][value],
        b.rows[0][0],
    );
    assert!(e.contains(&want), "{want}\n{e}");
    let other = format!("/{})", b.place("dup_value.sql", 0));
    assert!(e.contains(&other), "{other}\n{e}");
}

#[test]
fn a_composite_unique_key_is_compared_as_postgresql_compares_values() {
    // Same date and slot, spelled differently: PostgreSQL reads one key.
    let mut b = Block::of(&plain(), "daily_focus");
    let (date, slot) = (b.col("focus_date"), b.col("slot"));
    let (d, s) = (b.rows[0][date].clone(), b.rows[0][slot].clone());
    b.rows[1][date] = format!(
        "{}-{}-{}",
        &d[..4],
        d[5..7].trim_start_matches('0'),
        d[8..].trim_start_matches('0')
    );
    b.rows[1][slot] = format!("0{s}");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "dup_focus.sql", &b.text());
    let want = format!(
        "{}: public.daily_focus id {}, column focus_date, slot: duplicate key (focus_date, slot) = ({}, {}): \
         v2 daily_focus allows one row per (focus_date, slot)",
        b.place("dup_focus.sql", 1),
        b.rows[1][0],
        b.rows[1][date],
        b.rows[1][slot],
    );
    assert!(e.contains(&want), "{want}\n{e}");
    let other = format!("/{})", b.place("dup_focus.sql", 0));
    assert!(e.contains(&other), "{other}\n{e}");
}

#[test]
fn a_column_declared_with_another_type_is_refused_at_its_definition() {
    let text = plain();
    let at = text.find("CREATE TABLE public.tasks (").unwrap();
    let col = at + text[at..].find("    tags text[],").unwrap();
    let drifted = format!(
        "{}    tags jsonb,{}",
        &text[..col],
        &text[col + "    tags text[],".len()..]
    );
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "drift.sql", &drifted);
    let line = drifted[..col].matches('\n').count() + 1;
    let want = format!(
        "drift.sql:{line} (byte {}): public.tasks column tags: type drift: the dump declares tags as jsonb, \
         the mapping's source schema as text[]",
        col + 4
    );
    assert!(e.contains(&want), "{want}\n{e}");
    std::fs::write(dir.path().join("drift.sql"), &drifted).unwrap();
    let o = dumpshift(["inspect".as_ref(), dir.path().join("drift.sql").as_os_str()]);
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("public.tasks column tags: declared jsonb, where the mapping's source schema has text[]"),
        "{report}"
    );
}

#[test]
fn values_postgresql_would_refuse_are_refused_at_their_row_and_column() {
    let mut b = Block::of(&plain(), "tasks");
    let (tags, custom, created) = (
        b.col("tags"),
        b.col("is_custom_context"),
        b.col("created_at"),
    );
    b.rows[0][tags] = "{a,{b}}".into();
    b.rows[1][custom] = "o".into();
    b.rows[2][created] = "294276-12-31 23:59:59-01".into();
    b.rows[3][tags] = "{\"unterminated}".into();
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "values.sql", &b.text());
    for (i, col, what) in [
        (
            0,
            "tags",
            "\"{a,{b}}\" is not a valid array: malformed array literal (v2 tags)",
        ),
        (1, "is_custom_context", "\"o\" is not a boolean"),
        (2, "created_at", "not a timestamptz"),
        (3, "tags", "is not a valid array: malformed array literal"),
    ] {
        let want = format!(
            "{}: public.tasks id {}, column {col}: ",
            b.place("values.sql", i),
            b.rows[i][0]
        );
        assert!(e.contains(&want) && e.contains(what), "{want} {what}\n{e}");
    }
}

#[test]
fn dates_at_postgresqls_edges_and_odd_spellings_migrate_as_psql_restores_them() {
    let mut b = Block::of(&plain(), "tasks");
    let (due, deadline, created, custom, tags) = (
        b.col("due_date"),
        b.col("deadline"),
        b.col("created_at"),
        b.col("is_custom_context"),
        b.col("tags"),
    );
    b.rows[0][due] = "5874897-12-31".into();
    b.rows[1][due] = "4714-11-24 BC".into();
    b.rows[2][deadline] = "294276-12-31 23:59:59.999999+00".into();
    b.rows[3][deadline] = "262143-06-01 12:00:00+00".into();
    // Orders first and last among the tasks: sort_order must follow.
    b.rows[4][created] = "4714-11-24 00:00:00+00 BC".into();
    b.rows[5][created] = "294276-12-31 23:59:59+00".into();
    b.rows[6][created] = "2024-01-01 24:00:00+00".into();
    b.rows[1][custom] = "yes".into();
    b.rows[2][tags] = " {\"a b\" , c\\\\,d, NULL} ".into();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("edges.sql");
    std::fs::write(&dump, b.text()).unwrap();
    let load = common::convert(&dump, dir.path(), &["-q"]);
    let cluster = Cluster::shared();
    let db = common::v1_database(cluster, "edges", &[dump]);
    cluster.exec_file(&db, &load);
    check_v2(cluster, &db, None);
    let ids = [0, 1, 2, 3, 4, 5]
        .map(|i| format!("'{}'", b.rows[i][0]))
        .join(", ");
    let same = cluster.query(
        &db,
        &format!(
            "SELECT count(*) FROM v1.tasks o JOIN public.tasks n USING (id)
             WHERE id IN ({ids}) AND o.due_date IS NOT DISTINCT FROM n.due_date
               AND o.deadline IS NOT DISTINCT FROM n.deadline AND o.created_at = n.created_at
               AND o.tags IS NOT DISTINCT FROM n.tags"
        ),
    );
    assert_eq!(same, "6");
}

/// The pg_dump beside the cluster's psql, so client and server agree.
fn pg_dump(cluster: &Cluster, db: &str, args: &[&str], to: &Path) {
    let psql = std::path::PathBuf::from(cluster.psql("postgres").get_program());
    let beside = psql.with_file_name("pg_dump");
    let bin = if beside.is_file() {
        beside
    } else {
        "pg_dump".into()
    };
    let out = std::process::Command::new(bin)
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "-d", db, "-f"])
        .arg(to)
        .args(args)
        .env_remove("PGOPTIONS")
        .output()
        .expect("run pg_dump");
    common::assert_success(&out, "pg_dump");
}

#[test]
fn a_v1_without_the_v2_unique_constraint_dumped_by_pg_dump_is_refused_in_every_form() {
    // v1 as a user may have it: the constraint dropped, duplicates written.
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("no_unique");
    cluster.exec_file(&db, &fixture("life_os_v1_plain.sql"));
    cluster.exec(
        &db,
        "ALTER TABLE public.daily_focus DROP CONSTRAINT daily_focus_focus_date_slot_key;
         UPDATE public.daily_focus SET slot = 1
          WHERE id = (SELECT id FROM public.daily_focus WHERE slot = 2 ORDER BY id LIMIT 1);",
    );
    let wanted = cluster.query(
        &db,
        "SELECT d.id || '|' || d.focus_date || '|' || e.id FROM public.daily_focus d
           JOIN public.daily_focus e ON e.focus_date = d.focus_date AND e.slot = 1 AND e.id <> d.id
          WHERE d.slot = 1 LIMIT 1",
    );
    // Two rows that now hold one key: their ids (and the date between).
    let pair: Vec<&str> = wanted.split('|').collect();
    for (form, args) in [
        ("copy", &[][..]),
        ("inserts", &["--inserts"][..]),
        ("data_only", &["--data-only", "--column-inserts"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join(format!("{form}.sql"));
        pg_dump(cluster, &db, args, &dump);
        let text = std::fs::read_to_string(&dump).unwrap();
        std::fs::remove_file(&dump).unwrap();
        let e = refuse(dir.path(), &format!("{form}.sql"), &text);
        assert!(
            e.contains("column focus_date, slot: duplicate key (focus_date, slot) = (")
                && e.contains(", 1): v2 daily_focus allows one row per (focus_date, slot)")
                && e.contains(pair[0])
                && e.contains(pair[2])
                && e.contains("(the other row: "),
            "{form}: {e}"
        );
    }
}

#[test]
fn a_mapping_that_writes_what_v2_refuses_in_every_row_is_refused_before_the_rows() {
    let built_in =
        std::fs::read_to_string(common::repo_root().join("mappings/life_os.toml")).unwrap();
    let edited = built_in
        .replace(
            r#"{ name = "source", value = "web" }"#,
            r#"{ name = "source", value = "sms" }"#,
        )
        .replace(
            r#"{ name = "entity_type", value = "task" }"#,
            r#"{ name = "entity_type", null = true }"#,
        );
    assert_ne!(edited, built_in);
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("m.toml");
    std::fs::write(&mapping, &edited).unwrap();
    let out = dir.path().join("v2_load.sql");
    let o = dumpshift([
        fixture("life_os_v1_plain.sql").as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
    ]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!out.exists());
    for want in [
        "public.capture column source: the mapping writes this value in every row, and v2 refuses it: \"sms\" is not one of the values v2 source allows",
        "public.reminders column entity_type: the mapping writes this value in every row, and v2 refuses it: NULL, but v2 entity_type is NOT NULL",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
}
