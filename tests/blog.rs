//! The blog example (`mappings/examples/blog/`), end to end: its v1
//! database is built in PostgreSQL, dumped with the real pg_dump in each
//! form, migrated with its mapping, loaded into a fresh database and every
//! column compared in SQL with what the mapping says. Each mistake a user
//! can make in such a mapping is found by `dumpshift mapping check` at its
//! line, and refused before a run reads the dump.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_success, dumpshift, pg_dump_to, stderr, v1_database, Cluster};

fn dir() -> PathBuf {
    common::repo_root().join("mappings/examples/blog")
}

fn mapping() -> PathBuf {
    dir().join("blog.toml")
}

fn v1_files() -> [PathBuf; 2] {
    [dir().join("v1.sql"), dir().join("sample_data.sql")]
}

fn v1_db(cluster: &Cluster) -> String {
    let db = cluster.fresh_db("blog_v1");
    for f in v1_files() {
        assert_success(&cluster.exec_file(&db, &f), "psql -f the blog v1");
    }
    db
}

/// Each v2 table's rows as the mapping says they must be, computed in SQL
/// from the v1 rows, beside the query reading what the load wrote.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "writers",
        "SELECT id, handle, COALESCE(display_name, handle), created_at, true FROM v1.authors",
        "SELECT id, handle, name, created_at, is_active FROM public.writers",
    ),
    (
        "posts",
        "SELECT id, author_id, title, body, 'markdown'::text, is_published,
                CASE state WHEN 'draft' THEN 'draft' WHEN 'live' THEN 'published'
                           WHEN 'old' THEN 'archived' END,
                published_at, created_at,
                (10 * row_number() OVER (PARTITION BY author_id ORDER BY published_at, id))::int, 0
         FROM v1.posts",
        "SELECT id, writer_id, title, body, format, is_published, status, published_at, created_at,
                sort_order, view_count
         FROM public.posts",
    ),
    (
        "writer_profiles",
        "SELECT id, bio FROM v1.authors",
        "SELECT id, bio FROM public.writer_profiles",
    ),
    (
        "comments",
        "SELECT c.id, c.post_id, p.author_id, COALESCE(c.commenter, 'anonymous'), c.body, c.created_at,
                (10 * row_number() OVER (PARTITION BY c.post_id ORDER BY c.created_at DESC, c.id))::int
         FROM v1.comments c JOIN v1.posts p ON p.id = c.post_id",
        "SELECT id, post_id, post_writer_id, commenter, body, created_at, sort_order
         FROM public.comments",
    ),
];

/// Panics, listing the differing rows, unless every v2 table of `db` holds
/// exactly what `EXPECTED` computes from v1.
fn assert_loaded_as_mapped(cluster: &Cluster, db: &str) {
    for (table, expected, actual) in EXPECTED {
        let rows = cluster.query(db, &format!("SELECT count(*) FROM ({expected}) e"));
        assert_ne!(rows, "0", "{table}: the v1 sample has rows");
        let diff = cluster.query(
            db,
            &format!(
                "(({expected}) EXCEPT ALL ({actual})) UNION ALL (({actual}) EXCEPT ALL ({expected}))"
            ),
        );
        assert!(diff.is_empty(), "{table} differs from the mapping:\n{diff}");
    }
    assert_eq!(cluster.query(db, "SELECT count(*) FROM public.tags"), "0");
}

fn migrate(dump: &Path, mapping: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        dump.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    dumpshift(&args)
}

#[test]
fn blog_dumps_of_every_form_migrate_to_the_same_load_and_load_as_mapped() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let v1 = v1_db(cluster);
    let mut first: Option<Vec<u8>> = None;
    let forms: &[&[&str]] = &[
        &[],
        &["--inserts"],
        &["-Fc"],
        &["--data-only"],
        &["--data-only", "--inserts"],
    ];
    for (i, form) in forms.iter().enumerate() {
        let dump = dir.path().join(format!("blog_{i}.dump"));
        pg_dump_to(cluster, &v1, form, &dump);
        let load = dir.path().join(format!("load_{i}.sql"));
        let out = migrate(&dump, &mapping(), &load, &["-q"]);
        assert_success(
            &out,
            &format!("dumpshift --mapping blog.toml, pg_dump {form:?}"),
        );
        let bytes = std::fs::read(&load).unwrap();
        match &first {
            None => {
                let db = v1_database(cluster, "blog_v2", &v1_files());
                assert_success(
                    &cluster.psql_file(&db, &load).unwrap(),
                    "psql -f the blog load",
                );
                assert_loaded_as_mapped(cluster, &db);
                first = Some(bytes);
            }
            Some(f) => assert!(*f == bytes, "pg_dump {form:?} gives another load"),
        }
    }
}

/// The blog mapping with `edit` applied, written to `dir` with the
/// example's schema files named by absolute path.
fn edited(dir: &Path, edit: &dyn Fn(String) -> String) -> (PathBuf, String) {
    let text = std::fs::read_to_string(mapping()).unwrap();
    let text = text
        .replace(
            "target_migrations = \"migrations\"",
            &format!("target_migrations = {:?}", self::dir().join("migrations")),
        )
        .replace(
            "source_ddl = \"v1.sql\"",
            &format!("source_ddl = {:?}", self::dir().join("v1.sql")),
        );
    let changed = edit(text.clone());
    assert_ne!(changed, text, "the edit changes the mapping");
    let path = dir.join("blog_edited.toml");
    std::fs::write(&path, &changed).unwrap();
    (path, changed)
}

/// The line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is in the mapping"))
        + 1
}

/// `(mistake, edit, the line's text, the message)`: one per mistake.
type Mistake = (&'static str, &'static str, &'static str, &'static str);

const MISTAKES: &[Mistake] = &[
    (
        "old = \"archived\"",
        "old = \"gone\"",
        "old = \"gone\"",
        "public.posts column status: map \"old\" = \"gone\": v2 refuses it: \"gone\" is not one of the values v2 status allows",
    ),
    (
        "value_if_null = \"anonymous\"",
        "value_if_null = \"anonymous\", map = { a = \"b\" }",
        "map = { a",
        "table comments: column commenter has more than one rule",
    ),
    (
        "{ name = \"commenter\", copy = \"commenter\", value_if_null = \"anonymous\" }",
        "{ name = \"commenter\", value_if_null = \"anonymous\" }",
        "{ name = \"commenter\", value_if_null",
        "table comments: column commenter: value_if_null goes with copy or coalesce",
    ),
    (
        "coalesce = [\"display_name\", \"handle\"]",
        "coalesce = [\"display_name\", \"nick\"]",
        "\"nick\"",
        "public.authors column name: coalesce column nick is not a column of source table authors",
    ),
    (
        "{ name = \"is_published\", copy",
        "{ name = \"is_publishd\", copy",
        "is_publishd",
        "public.posts column is_publishd: v2 posts has no column is_publishd (its columns: id, writer_id, title, body, format, is_published, status, published_at, created_at, sort_order, view_count)",
    ),
    (
        "{ name = \"is_active\", value = \"true\" }",
        "{ name = \"is_active\", value = \"maybe\" }",
        "\"maybe\"",
        "public.authors column is_active: the mapping writes this value in every row, and v2 refuses it: \"maybe\" is not a boolean (v2 is_active)",
    ),
    (
        "{ name = \"format\", value = \"markdown\" },",
        "{ name = \"format\", value = \"markdown\" },\n  { name = \"view_count\", value = \"ten\" },",
        "\"ten\"",
        "public.posts column view_count: the mapping writes this value in every row, and v2 refuses it: \"ten\" is not an integer (v2 view_count)",
    ),
    (
        "{ name = \"format\", value = \"markdown\" }",
        "{ name = \"format\", value = \"rst\" }",
        "\"rst\"",
        "public.posts column format: the mapping writes this value in every row, and v2 refuses it: \"rst\" is not one of the values v2 format allows",
    ),
    (
        "  { name = \"handle\", copy = \"handle\" },\n",
        "",
        "target = \"writers\"",
        "public.authors column handle: v2 handle is NOT NULL without a default, and the mapping writes nothing to it: every row would be refused",
    ),
    (
        "scope = [\"author_id\"]",
        "scope = [\"title\"]",
        "scope = [\"title\"]",
        "public.posts column sort_order: sequence scope title is text, but it must be uuid",
    ),
    (
        "order_by = \"published_at\"",
        "order_by = \"title\"",
        "order_by = \"title\"",
        "public.posts column sort_order: sequence order_by title is text, but it must be timestamptz or timestamp",
    ),
    (
        "key = \"post_id\"",
        "key = \"commenter\"",
        "key = \"commenter\"",
        "public.comments column post_writer_id: lookup key commenter is text, but it must be uuid",
    ),
    (
        "column = \"author_id\" }",
        "column = \"writer\" }",
        "column = \"writer\"",
        "public.comments column post_writer_id: lookup column writer is not a column of source table posts",
    ),
    (
        "{ name = \"body\", copy = \"body\" },\n  { name = \"created_at\"",
        "{ name = \"body\", copy = \"bodyy\" },\n  { name = \"created_at\"",
        "\"bodyy\"",
        "public.comments column body: copied column bodyy is not a column of source table comments",
    ),
];

#[test]
fn mapping_check_finds_each_mistake_at_its_line_and_exits_1() {
    let clean = dumpshift(["mapping".as_ref(), "check".as_ref(), mapping().as_os_str()]);
    assert_success(&clean, "dumpshift mapping check blog.toml");
    assert!(
        clean.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert!(stderr(&clean).contains("no findings"), "{}", stderr(&clean));

    for (from, to, at, message) in MISTAKES {
        let dir = tempfile::tempdir().unwrap();
        let (path, text) = edited(dir.path(), &|t| t.replacen(from, to, 1));
        let out = dumpshift(["mapping".as_ref(), "check".as_ref(), path.as_os_str()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{to}: {stdout}{}", stderr(&out));
        let want = format!("{}:{}: {message}", path.display(), line_of(&text, at));
        assert!(
            stdout.lines().any(|l| l == want),
            "{to}:\nwant {want}\ngot\n{stdout}"
        );
        assert!(stderr(&out).contains("finding"), "{}", stderr(&out));
    }
}

#[test]
fn a_run_with_a_mistaken_mapping_is_refused_before_the_dump_is_read() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog.sql");
    pg_dump_to(cluster, &v1_db(cluster), &[], &dump);
    let (path, text) = edited(dir.path(), &|t| {
        t.replacen("value = \"true\"", "value = \"maybe\"", 1)
    });
    let load = dir.path().join("load.sql");
    let out = migrate(&dump, &path, &load, &[]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    let at = format!("{}:{}: ", path.display(), line_of(&text, "\"maybe\""));
    assert!(e.contains(&at) && e.contains("is not a boolean"), "{e}");
    assert!(!load.exists(), "nothing is written");

    // A target column the target lacks makes the file no usable mapping: 2.
    let (path, text) = edited(dir.path(), &|t| {
        t.replacen("name = \"is_published\"", "name = \"is_publishd\"", 1)
    });
    let out = migrate(&dump, &path, &load, &[]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{e}");
    let at = format!("{}:{}: ", path.display(), line_of(&text, "is_publishd"));
    assert!(
        e.contains(&at) && e.contains("v2 posts has no column is_publishd"),
        "{e}"
    );
    assert!(!load.exists(), "nothing is written");
}

#[test]
fn a_value_the_map_does_not_list_refuses_its_row() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog.sql");
    pg_dump_to(cluster, &v1_db(cluster), &[], &dump);
    // Deliberately bad input: one post's state edited to one the map lacks.
    let text = std::fs::read_to_string(&dump).unwrap();
    let row = "d0000000-0000-4000-8000-000000000002\tc0000000-0000-4000-8000-000000000001\tTie\tsame instant\tt\tlive\t";
    assert_eq!(text.matches(row).count(), 1, "the dump holds the Tie post");
    let bad_text = text.replacen(row, &row.replace("\tlive\t", "\tsecret\t"), 1);
    let bad = dir.path().join("blog_secret.sql");
    std::fs::write(&bad, &bad_text).unwrap();
    let load = dir.path().join("load.sql");
    let out = migrate(&bad, &mapping(), &load, &[]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    let byte = bad_text
        .find("d0000000-0000-4000-8000-000000000002\tc0")
        .unwrap();
    let line = bad_text[..byte].matches('\n').count() + 1;
    assert!(
        e.contains(&format!(
            "blog_secret.sql:{line} (byte {byte}): public.posts id d0000000-0000-4000-8000-000000000002, column state: \"secret\" is not a value the mapping's map lists (\"draft\", \"live\", \"old\")"
        )),
        "{e}"
    );
    assert!(!load.exists(), "nothing is written");
}

#[test]
fn inspect_reads_a_data_only_inserts_dump_with_the_column_order_of_source_ddl() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog_data.sql");
    pg_dump_to(
        cluster,
        &v1_db(cluster),
        &["--data-only", "--inserts"],
        &dump,
    );
    let out = dumpshift([
        "inspect".as_ref(),
        dump.as_os_str(),
        "--mapping".as_ref(),
        mapping().as_os_str(),
        "--json".as_ref(),
    ]);
    assert_success(&out, "dumpshift inspect --mapping blog.toml");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let drift = &report["databases"][0]["drift"];
    assert_eq!(drift, &serde_json::json!([]), "{report:#}");
}

#[test]
fn tables_listed_out_of_foreign_key_order_load_in_it() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog.sql");
    pg_dump_to(cluster, &v1_db(cluster), &[], &dump);
    // comments first, then posts, then authors: the reverse of FK order
    // (writer_profiles stays last, where the tie-break puts it anyway).
    let (path, _) = edited(dir.path(), &|t| {
        let (head, rest) = t.split_once("[[table]]").unwrap();
        let mut tables: Vec<&str> = rest.split("[[table]]").collect();
        assert_eq!(tables.len(), 4);
        tables[..3].reverse();
        let body: Vec<String> = tables
            .iter()
            .map(|s| format!("[[table]]{}\n", s.trim_end()))
            .collect();
        format!("{head}{}", body.join("\n"))
    });
    let check = dumpshift(["mapping".as_ref(), "check".as_ref(), path.as_os_str()]);
    assert_success(&check, "mapping check on a reversed mapping");
    let reversed = dir.path().join("reversed.sql");
    assert_success(&migrate(&dump, &path, &reversed, &["-q"]), "reversed");
    let straight = dir.path().join("straight.sql");
    assert_success(&migrate(&dump, &mapping(), &straight, &["-q"]), "straight");
    assert!(
        std::fs::read(&reversed).unwrap() == std::fs::read(&straight).unwrap(),
        "the file's order changes nothing when the foreign keys decide"
    );
}

#[test]
fn a_data_only_dump_without_source_ddl_warns_that_foreign_keys_are_unchecked_even_with_q() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog_data.sql");
    pg_dump_to(cluster, &v1_db(cluster), &["--data-only"], &dump);
    let (path, _) = edited(dir.path(), &|t| {
        let start = t.find("source_ddl = ").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    let load = dir.path().join("load.sql");
    let report = dir.path().join("report.json");
    let out = migrate(
        &dump,
        &path,
        &load,
        &["-q", "--report", report.to_str().unwrap()],
    );
    assert_success(&out, "dumpshift -q on a data-only dump without source_ddl");
    let e = stderr(&out);
    let warning = "public.posts: neither the dump nor the mapping (source_ddl) declares this table: its foreign keys are not checked";
    assert!(e.contains(&format!("dumpshift: warning: {warning}")), "{e}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 4, "one per mapped table: {json:#}");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with(warning)),
        "{json:#}"
    );
    // The blog writes no storage path: the report names no storage root.
    assert!(json.get("storage_root").is_none(), "{json:#}");
}

#[test]
fn allow_drop_takes_schema_qualified_names_lists_what_it_dropped_and_refuses_unknown_columns() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("blog.sql");
    pg_dump_to(cluster, &v1_db(cluster), &[], &dump);
    // The mapping no longer writes writers.name: authors.display_name is
    // then read by nothing, and its data would be lost.
    let (path, _) = edited(dir.path(), &|t| {
        t.replacen(
            "  { name = \"name\", coalesce = [\"display_name\", \"handle\"] },\n",
            "",
            1,
        )
    });
    let load = dir.path().join("load.sql");
    let out = migrate(&dump, &path, &load, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--allow-drop authors.display_name"));

    let report = dir.path().join("report.json");
    let out = migrate(
        &dump,
        &path,
        &load,
        &[
            "--allow-drop",
            "public.authors.display_name",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_success(&out, "--allow-drop public.authors.display_name");
    assert!(
        stderr(&out)
            .contains("  dropped: public.authors.display_name (its data is not carried over"),
        "{}",
        stderr(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(
        json["dropped"],
        serde_json::json!(["public.authors.display_name"])
    );

    let other = dir.path().join("other.sql");
    let out = migrate(&dump, &path, &other, &["--allow-drop", "posts.nonexistent"]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains("public.posts: --allow-drop posts.nonexistent: the dump's public.posts has no column nonexistent (its columns: id, author_id, title, body, is_published, state, published_at, created_at)"),
        "{e}"
    );
    assert!(!other.exists());
    let out = migrate(&dump, &path, &other, &["--allow-drop", "v1.posts.title"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("v1 is not the mapping's source schema (public)"));
    let out = migrate(&dump, &path, &other, &["--allow-drop", "pots.title"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pots is not a table of the blog mapping"));
}

#[test]
fn verify_recomputes_the_blog_mapping_from_v1_and_finds_a_changed_row() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let v1 = v1_db(cluster);
    let dump = dir.path().join("blog.sql");
    pg_dump_to(cluster, &v1, &[], &dump);
    let load = dir.path().join("load.sql");
    assert_success(&migrate(&dump, &mapping(), &load, &["-q"]), "migrate");
    let v2 = cluster.fresh_db("blog_verify_v2");
    assert_success(&cluster.psql_file(&v2, &load).unwrap(), "psql -f load");
    let conn = |db: &str| {
        format!(
            "postgresql:///{db}?host={}&user=postgres",
            cluster.socket_dir().display()
        )
    };
    let verify = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dumpshift"))
            .args([
                "verify",
                "--v1",
                &conn(&v1),
                "--v2",
                &conn(&v2),
                "--mapping",
            ])
            .arg(mapping())
            .args(extra)
            .env_remove("PGOPTIONS")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let out = verify(&[]);
    assert_success(&out, "dumpshift verify --mapping blog.toml");
    // A comment renumbered and a status renamed otherwise: both differ
    // from what coalesce, map and a descending sequence make of v1.
    cluster.exec(
        &v2,
        "UPDATE comments SET sort_order = 99 WHERE id = 'e0000000-0000-4000-8000-000000000003';
         UPDATE posts SET status = 'draft' WHERE id = 'd0000000-0000-4000-8000-000000000003';",
    );
    // --strict: rows changed since the load count as differences.
    let out = verify(&["--strict"]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(e.contains("comments") && e.contains("posts"), "{e}");
}

#[test]
fn mapping_check_without_source_ddl_says_the_source_side_was_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = edited(dir.path(), &|t| {
        let start = t.find("source_ddl = ").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        // A source column that does not exist: only a run can tell.
        format!("{}{}", &t[..start], &t[end..]).replacen(
            "copy = \"bio\"",
            "copy = \"biography\"",
            1,
        )
    });
    let out = dumpshift(["mapping".as_ref(), "check".as_ref(), path.as_os_str()]);
    assert_success(&out, "mapping check without source_ddl");
    let e = stderr(&out);
    assert!(
        e.contains("no source_ddl: the source columns the rules read were not checked"),
        "{e}"
    );
}

#[test]
fn target_foreign_keys_in_a_cycle_are_refused_naming_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    let up = std::fs::read_to_string(self::dir().join("migrations/0001_blog.up.sql")).unwrap();
    // Each writer names a pinned post: writers and posts point at each other.
    let cyclic =
        format!("{up}\nALTER TABLE writers ADD COLUMN pinned_post uuid REFERENCES posts(id);\n");
    std::fs::write(migrations.join("0001_blog.up.sql"), &cyclic).unwrap();
    std::fs::copy(
        self::dir().join("migrations/0001_blog.down.sql"),
        migrations.join("0001_blog.down.sql"),
    )
    .unwrap();
    let (path, text) = edited(dir.path(), &|t| {
        t.replace(
            &format!("target_migrations = {:?}", self::dir().join("migrations")),
            &format!("target_migrations = {migrations:?}"),
        )
    });
    let out = dumpshift(["mapping".as_ref(), "check".as_ref(), path.as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", stderr(&out));
    let want = format!(
        "{}:{}: the target tables' foreign keys form a cycle (writers → posts → writers)",
        path.display(),
        line_of(&text, "target = \"writers\"")
    );
    assert!(stdout.starts_with(&want), "want {want}\ngot {stdout}");
    // A run refuses the file as no usable mapping.
    let load = dir.path().join("load.sql");
    let out = migrate(&mapping(), &path, &load, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("form a cycle (writers → posts → writers)"));
    assert!(!load.exists());
}
