//! `--mapping FILE` and `dumpshift mapping show`, end to end: the bookshop
//! example (another schema than Life OS) is built in PostgreSQL, dumped with
//! the real pg_dump, migrated with its own mapping, loaded into a fresh
//! database and compared row by row with what the mapping says; bad mapping
//! files are refused with the file, line and byte; the built-in mapping that
//! `mapping show` prints migrates exactly like the default.

mod bookshop;
mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_success, dumpshift, fixture, stderr, Cluster};

/// Migrates `dump` with the mapping file `mapping` into `dir/load.sql`.
fn migrate(dump: &Path, mapping: &Path, dir: &Path) -> (Output, PathBuf) {
    let load = dir.join("load.sql");
    let out = dumpshift([
        dump.as_os_str(),
        "-o".as_ref(),
        load.as_os_str(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
    ]);
    (out, load)
}

/// The example mapping with `edit` applied, written to `dir` with the
/// example's schema files named by absolute path.
fn edited_mapping(dir: &Path, edit: &dyn Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(bookshop::mapping()).unwrap();
    let here = bookshop::dir();
    let text = text
        .replace(
            "target_migrations = \"migrations\"",
            &format!("target_migrations = {:?}", here.join("migrations")),
        )
        .replace(
            "source_ddl = \"v1.sql\"",
            &format!("source_ddl = {:?}", here.join("v1.sql")),
        );
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes the mapping");
    let path = dir.join("edited.toml");
    std::fs::write(&path, edited).unwrap();
    path
}

#[test]
fn bookshop_dump_migrates_with_its_mapping_and_loads_into_postgresql() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop_v1.sql");
    bookshop::pg_dump(cluster, &bookshop::v1_db(cluster), &[], &dump);

    let (out, load) = migrate(&dump, &bookshop::mapping(), dir.path());
    assert_success(&out, "dumpshift --mapping bookshop.toml");
    let summary = stderr(&out);
    assert!(summary.contains("public.authors"), "{summary}");
    assert!(summary.contains("-> writers"), "{summary}");

    let db = bookshop::compare_db(cluster);
    assert_success(
        &cluster.psql_file(&db, &load).unwrap(),
        "psql -f the bookshop load",
    );
    bookshop::assert_loaded_as_mapped(cluster, &db);
    // migrations_version = 2: the third migration is not applied.
    assert_eq!(
        cluster.query(&db, "SELECT version, dirty FROM schema_migrations"),
        "2|f"
    );
    assert_eq!(
        cluster.query(&db, "SELECT to_regclass('public.price_history') IS NULL"),
        "t"
    );
    // Life OS is nowhere in a load of another schema.
    assert_eq!(
        cluster.query(&db, "SELECT to_regclass('public.tasks') IS NULL"),
        "t"
    );
}

#[test]
fn data_only_bookshop_dump_takes_its_foreign_keys_from_source_ddl() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop_data.sql");
    bookshop::pg_dump(cluster, &bookshop::v1_db(cluster), &["--data-only"], &dump);

    let (out, load) = migrate(&dump, &bookshop::mapping(), dir.path());
    assert_success(&out, "dumpshift --mapping on a data-only dump");
    let db = bookshop::compare_db(cluster);
    assert_success(&cluster.psql_file(&db, &load).unwrap(), "psql -f load");
    bookshop::assert_loaded_as_mapped(cluster, &db);

    // Deliberately bad input: one book's author_id edited to name no author.
    // Only v1.sql (source_ddl) says books.author_id references authors.
    let text = std::fs::read_to_string(&dump).unwrap();
    let author = "6f1c1d2e-0000-4000-8000-000000000002";
    assert_eq!(text.matches(author).count(), 2, "the author and one book");
    let orphan = text.replacen(
        &format!("\t{author}\t"),
        "\t6f1c1d2e-0000-4000-8000-0000000000ff\t",
        1,
    );
    assert_ne!(orphan, text);
    let bad = dir.path().join("bookshop_orphan.sql");
    std::fs::write(&bad, &orphan).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let (out, load) = migrate(&bad, &bookshop::mapping(), out_dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(msg.contains("bookshop_orphan.sql:"), "{msg}");
    assert!(msg.contains("public.books id a0000000-"), "{msg}");
    assert!(msg.contains("author_id"), "{msg}");
    assert!(!load.exists());
}

/// Runs the bookshop dump with a broken mapping: the exit code and message.
fn refused(dump: &Path, edit: &dyn Fn(String) -> String) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mapping = edited_mapping(dir.path(), edit);
    let (out, load) = migrate(dump, &mapping, dir.path());
    assert!(!load.exists(), "no output after a refusal");
    let code = out.status.code().expect("exit code");
    (
        code,
        stderr(&out).replace(&*mapping.to_string_lossy(), "edited.toml"),
    )
}

#[test]
fn bad_mapping_files_are_refused_naming_where_they_are_wrong() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop_v1.sql");
    bookshop::pg_dump(cluster, &bookshop::v1_db(cluster), &[], &dump);
    let before = std::fs::read(&dump).unwrap();

    // A TOML syntax error: an unclosed string on the line of `target = "writers"`.
    let line = |text: &str, needle: &str| text.lines().position(|l| l == needle).unwrap() + 1;
    let text = std::fs::read_to_string(bookshop::mapping()).unwrap();
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("target = \"writers\"", "target = \"writers", 1)
    });
    assert_eq!(code, 2, "{msg}");
    let at = format!("edited.toml:{} (byte ", line(&text, "target = \"writers\""));
    assert!(msg.contains(&at), "{msg}");

    // An unknown key, with the line it is on.
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("digest = [\"title\"]", "digests = [\"title\"]", 1)
    });
    assert_eq!(code, 2, "{msg}");
    assert!(
        msg.contains(&format!(
            "edited.toml:{} (byte ",
            line(&text, "digest = [\"title\"]")
        )),
        "{msg}"
    );
    assert!(msg.contains("unknown field `digests`"), "{msg}");

    // A column rule naming a column the dump lacks: drift, refused like a
    // dump that lost the column, at the COPY header of the table.
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("copy = \"full_name\"", "copy = \"fullname\"", 1)
    });
    assert_eq!(code, 1, "{msg}");
    assert!(msg.contains("bookshop_v1.sql:"), "{msg}");
    assert!(
        msg.contains("public.authors column fullname: the mapping needs this column"),
        "{msg}"
    );

    // Target schema problems are found before the dump is read.
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("target = \"titles\"", "target = \"title\"", 1)
    });
    assert_eq!(code, 2, "{msg}");
    assert!(
        msg.contains(
            "table books: its target title is not created by the target schema's migrations"
        ),
        "{msg}"
    );
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("migrations_version = 2", "migrations_version = 7", 1)
    });
    assert_eq!(code, 2, "{msg}");
    assert!(
        msg.contains("migrations_version 7 is not one of the target migrations (1, 2, 3)"),
        "{msg}"
    );
    let (code, msg) = refused(&dump, &|t| {
        t.replacen("bookshop/migrations\"", "bookshop/no_such_folder\"", 1)
    });
    assert_eq!(code, 2, "{msg}");
    assert!(
        msg.contains("target_migrations") && msg.contains("no_such_folder"),
        "{msg}"
    );

    assert_eq!(
        std::fs::read(&dump).unwrap(),
        before,
        "the input is never touched"
    );
}

#[test]
fn mapping_show_prints_the_built_in_mapping_which_migrates_like_the_default() {
    let shown = dumpshift(["mapping", "show"]);
    assert_success(&shown, "dumpshift mapping show");
    let built_in = std::fs::read(common::repo_root().join("mappings/life_os.toml")).unwrap();
    assert_eq!(shown.stdout, built_in);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shown.toml");
    std::fs::write(&file, &shown.stdout).unwrap();
    let dump = fixture("life_os_v1_plain.sql");
    let default = common::convert(&dump, dir.path(), &["-q"]);
    let default = std::fs::read(default).unwrap();
    let (out, with_file) = migrate(&dump, &file, dir.path());
    assert_success(&out, "dumpshift --mapping shown.toml");
    assert!(
        std::fs::read(with_file).unwrap() == default,
        "--mapping with the shown file writes the same load file as the built-in mapping"
    );
}

#[test]
fn help_of_each_command_has_examples() {
    for args in [
        &["mapping", "show", "--help"][..],
        &["inspect", "--help"],
        &["--help"],
    ] {
        let out = dumpshift(args);
        assert_success(&out, &format!("dumpshift {args:?}"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Examples:"), "{args:?}:\n{text}");
        assert!(text.contains("--mapping"), "{args:?}:\n{text}");
    }
}

/// Two tables whose foreign keys point at each other: a team's captain is
/// one of its players. Neither can be checked first, so one key is checked
/// by a second read once both tables' ids are known.
const LEAGUE_V1: &str = "
CREATE TABLE teams (id uuid PRIMARY KEY, name text NOT NULL, captain_id uuid);
CREATE TABLE players (
    id uuid PRIMARY KEY,
    team_id uuid NOT NULL REFERENCES teams(id),
    name text NOT NULL
);
ALTER TABLE teams ADD CONSTRAINT teams_captain_fk
    FOREIGN KEY (captain_id) REFERENCES players(id) DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO teams VALUES
    ('00000000-0000-4000-8000-00000000a001', 'Owls', '00000000-0000-4000-8000-00000000b002'),
    ('00000000-0000-4000-8000-00000000a002', 'Foxes', '00000000-0000-4000-8000-00000000b003'),
    ('00000000-0000-4000-8000-00000000a003', 'Newts', NULL);
INSERT INTO players VALUES
    ('00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000a001', 'Ada'),
    ('00000000-0000-4000-8000-00000000b002', '00000000-0000-4000-8000-00000000a001', 'Bo'),
    ('00000000-0000-4000-8000-00000000b003', '00000000-0000-4000-8000-00000000a002', 'Cy');
COMMIT;
";

const LEAGUE_V2: &str = "
CREATE TABLE squads (id uuid PRIMARY KEY, name text NOT NULL, captain_id uuid);
CREATE TABLE members (
    id uuid PRIMARY KEY,
    squad_id uuid NOT NULL REFERENCES squads(id),
    name text NOT NULL
);
ALTER TABLE squads ADD CONSTRAINT squads_captain_fk
    FOREIGN KEY (captain_id) REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED;
";

const LEAGUE_MAPPING: &str = r#"
name = "league"
target_migrations = "migrations"

[[table]]
source = "teams"
target = "squads"
columns = [
  { name = "id", copy = "id" },
  { name = "name", copy = "name" },
  { name = "captain_id", copy = "captain_id" },
]

[[table]]
source = "players"
target = "members"
columns = [
  { name = "id", copy = "id" },
  { name = "squad_id", copy = "team_id" },
  { name = "name", copy = "name" },
]
"#;

#[test]
fn tables_whose_keys_point_at_each_other_are_checked_and_loaded() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let v1 = cluster.fresh_db("league_v1");
    cluster.exec(&v1, LEAGUE_V1);
    let dump = dir.path().join("league_v1.sql");
    bookshop::pg_dump(cluster, &v1, &[], &dump);
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(migrations.join("0001_league.up.sql"), LEAGUE_V2).unwrap();
    std::fs::write(
        migrations.join("0001_league.down.sql"),
        "DROP TABLE members, squads CASCADE;\n",
    )
    .unwrap();
    let mapping = dir.path().join("league.toml");
    std::fs::write(&mapping, LEAGUE_MAPPING).unwrap();

    let (out, load) = migrate(&dump, &mapping, dir.path());
    assert_success(&out, "dumpshift --mapping league.toml");
    let v2 = cluster.fresh_db("league_v2");
    assert_success(
        &cluster.psql_file(&v2, &load).unwrap(),
        "psql -f the league load",
    );
    assert_eq!(
        cluster.query(
            &v2,
            "SELECT s.name || ':' || m.name FROM squads s JOIN members m ON m.id = s.captain_id ORDER BY 1"
        ),
        "Foxes:Cy\nOwls:Bo"
    );
    assert_eq!(cluster.query(&v2, "SELECT count(*) FROM members"), "3");

    // A captain who is no player: found by the second read, at its row.
    let text = std::fs::read_to_string(&dump).unwrap();
    let bad_text = text.replacen(
        "Owls\t00000000-0000-4000-8000-00000000b002",
        "Owls\t00000000-0000-4000-8000-00000000b009",
        1,
    );
    assert_ne!(bad_text, text, "the dump holds the Owls row");
    let bad = dir.path().join("league_bad.sql");
    std::fs::write(&bad, &bad_text).unwrap();
    std::fs::remove_file(&load).unwrap();
    let (out, load) = migrate(&bad, &mapping, dir.path());
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    let byte = bad_text
        .find("00000000-0000-4000-8000-00000000a001\tOwls")
        .unwrap();
    let line = bad_text[..byte].matches('\n').count() + 1;
    assert!(
        e.contains(&format!(
            "league_bad.sql:{line} (byte {byte}): public.teams id 00000000-0000-4000-8000-00000000a001, column captain_id: captain_id 00000000-0000-4000-8000-00000000b009 is not in public.players"
        )),
        "{e}"
    );
    assert!(!load.exists(), "nothing is written");
}

/// A third bookshop migration that reshapes the tables the first two
/// created, as a schema grown by numbered migrations does.
const RESHAPE_UP: &str = "\
ALTER TABLE writers RENAME COLUMN name TO display_name;
ALTER TABLE titles ADD COLUMN isbn text, ADD COLUMN subtitle text NOT NULL DEFAULT '';
ALTER TABLE reviews DROP COLUMN moderated;
ALTER TABLE titles ALTER COLUMN title TYPE varchar(200);
";

/// The bookshop migrations with `third` as migration 3, in `dir`, and the
/// example mapping loading up to it with `edit` applied.
fn reshaped_bookshop(dir: &Path, third: &str, edit: &dyn Fn(String) -> String) -> PathBuf {
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    for name in ["0001_catalog", "0002_reviews"] {
        for half in ["up", "down"] {
            let file = format!("{name}.{half}.sql");
            std::fs::copy(
                bookshop::dir().join("migrations").join(&file),
                migrations.join(&file),
            )
            .unwrap();
        }
    }
    std::fs::write(migrations.join("0003_reshape.up.sql"), third).unwrap();
    std::fs::write(migrations.join("0003_reshape.down.sql"), "SELECT 1;\n").unwrap();
    let text = std::fs::read_to_string(bookshop::mapping())
        .unwrap()
        .replace(
            "target_migrations = \"migrations\"",
            &format!("target_migrations = {migrations:?}"),
        )
        .replace(
            "source_ddl = \"v1.sql\"",
            &format!("source_ddl = {:?}", bookshop::dir().join("v1.sql")),
        )
        .replace("migrations_version = 2", "migrations_version = 3");
    let path = dir.join("reshaped.toml");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

#[test]
fn a_mapping_is_checked_against_the_schema_its_last_migration_leaves() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop_v1.sql");
    bookshop::pg_dump(cluster, &bookshop::v1_db(cluster), &[], &dump);
    let to_display_name = |t: String| {
        t.replace(
            "{ name = \"name\", copy = \"full_name\" }",
            "{ name = \"display_name\", copy = \"full_name\" }",
        )
    };
    let mapping = reshaped_bookshop(dir.path(), RESHAPE_UP, &to_display_name);

    // The renamed column is written, the dropped one is not, the added one
    // takes its default.
    let (out, load) = migrate(&dump, &mapping, dir.path());
    assert_success(&out, "dumpshift with a reshaping migration");
    let db = cluster.fresh_db("bookshop_reshaped");
    assert_success(&cluster.psql_file(&db, &load).unwrap(), "psql -f the load");
    assert_eq!(
        cluster.query(
            &db,
            "SELECT count(*) FILTER (WHERE display_name <> ''), count(*) FROM writers"
        ),
        cluster.query(&db, "SELECT count(*), count(*) FROM writers"),
    );
    assert_eq!(
        cluster.query(
            &db,
            "SELECT count(*) FROM titles WHERE subtitle = '' AND isbn IS NULL"
        ),
        cluster.query(&db, "SELECT count(*) FROM titles"),
    );
    std::fs::remove_file(&load).unwrap();

    // The name the column had before migration 3 is refused before any row
    // is read, not by PostgreSQL at the end of the load.
    let old_name = reshaped_bookshop(&dir.path().join("old"), RESHAPE_UP, &|t| t);
    let (out, load) = migrate(&dump, &old_name, dir.path());
    let e = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{e}");
    assert!(e.contains("writers") && e.contains("display_name"), "{e}");
    assert!(!load.exists());

    // A type narrowed by migration 3 is checked against every row.
    let narrowed = RESHAPE_UP.replace("varchar(200)", "varchar(5)");
    let mapping = reshaped_bookshop(&dir.path().join("narrow"), &narrowed, &to_display_name);
    let (out, load) = migrate(&dump, &mapping, dir.path());
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains("public.books")
            && e.contains("column title")
            && e.contains("longer than 5 characters"),
        "{e}"
    );
    assert!(!load.exists());
}
