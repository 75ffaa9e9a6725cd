//! Archives and compressed dumps: `pg_dump -Fc` (compressed, `-Z 0`, written
//! to a pipe), `pg_dump -Fc` of the Supabase-like project, pg_dump 17's
//! `-Fc -Z lz4` and `-Z zstd` (archive 1.16), `pg_dump -Fd` directories
//! (pg_dump 15's gzip data files, pg_dump 17's lz4 and zstd ones), a
//! `pg_dump -Ft` tar, gzip/zstd/xz/bzip2/lz4 copies of plain dumps, pg_dump
//! 17's own lz4 plain dump, and archives compressed whole (see
//! fixtures/README.md, "archive/"). Damaged directories, tars and streams
//! of the new forms are in `archive_files.rs`.
//!
//! Owns the promise that these forms are read directly, by their magic
//! bytes, and give exactly what the plain dump of the same database gives:
//! the load file is byte-identical, also through stdin, and it loads into
//! PostgreSQL and passes the oracle. Also owns the refusals of damaged
//! inputs (truncated, corrupt, unknown version), each with the file, a byte
//! offset, exit 1, nothing left behind and the input untouched, and the
//! `(as SQL)` naming of problems found in the SQL an archive stands for.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Once;

use common::{check_v2, convert, dumpshift, fixture, stderr, Cluster};

/// Forms of `lifeos_v1` that are one file, so they can be piped too.
const V1_FORMS: [&str; 16] = [
    "archive/life_os_v1.dump",
    "archive/life_os_v1_z0.dump",
    "archive/life_os_v1_piped.dump",
    "archive/pg17/life_os_v1_lz4.dump",
    "archive/pg17/life_os_v1_zstd.dump",
    "archive/pg17/life_os_v1_zstd_piped.dump",
    "archive/life_os_v1_plain.sql.gz",
    "archive/life_os_v1_plain.sql.zst",
    "archive/life_os_v1_plain.sql.xz",
    "archive/life_os_v1_plain.sql.bz2",
    "archive/life_os_v1_plain.sql.lz4",
    "archive/pg17/life_os_v1_plain.sql.lz4",
    "archive/life_os_v1.tar",
    "archive/life_os_v1.tar.xz",
    "archive/life_os_v1.dump.gz",
    // The toc.dat of a directory archive names its directory.
    "archive/life_os_v1_dir/toc.dat",
];
/// `pg_dump -Fd` directories of `lifeos_v1`.
const V1_DIRS: [&str; 3] = [
    "archive/life_os_v1_dir",
    "archive/pg17/life_os_v1_dir_lz4",
    "archive/pg17/life_os_v1_dir_zstd",
];
const SUPABASE_FORMS: [&str; 2] = ["archive/supabase_full.dump", "archive/supabase_full.sql.gz"];

fn load_file(dump: &str, dir: &Path) -> Vec<u8> {
    let sub = dir.join(dump.replace('/', "_"));
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::read(convert(&fixture(dump), &sub, &["-q"])).unwrap()
}

#[test]
fn every_form_gives_the_load_file_of_its_plain_dump_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for (plain, forms) in [
        (
            "life_os_v1_plain.sql",
            &[&V1_FORMS[..], &V1_DIRS[..]].concat()[..],
        ),
        ("supabase/full.sql", &SUPABASE_FORMS[..]),
    ] {
        let want = load_file(plain, dir.path());
        for form in forms {
            let got = load_file(form, dir.path());
            assert!(got == want, "{form}: the load file differs from {plain}'s");
        }
    }
}

/// `-` and pipes are read by their first bytes too; an archive from a pipe
/// is kept in a temporary file, so its data blocks can be found.
#[test]
fn every_form_works_through_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let want = load_file("life_os_v1_plain.sql", dir.path());
    // A toc.dat alone on stdin has no directory: see archive_files.rs.
    for form in V1_FORMS.iter().filter(|f| !f.ends_with("toc.dat")) {
        let o = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
            .args(["-", "-o", "-", "-q"])
            .stdin(std::fs::File::open(fixture(form)).unwrap())
            .output()
            .unwrap();
        assert!(o.status.success(), "{form} on stdin: {}", stderr(&o));
        assert!(o.stdout == want, "{form} on stdin: the load file differs");
    }
}

fn ensure_supabase_roles(cluster: &Cluster) {
    static ROLES: Once = Once::new();
    ROLES.call_once(|| {
        let present = cluster.query(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname = 'supabase_auth_admin'",
        );
        if present == "0" {
            let roles = common::repo_root().join("scripts/fixtures/supabase_roles.sql");
            cluster.exec_file("postgres", &roles);
        }
    });
}

/// Each form's load, run by psql into a database beside the v1 data its
/// plain dump restores, is what MAPPING.md says (`tests/sql/check_v2.sql`).
#[test]
fn every_form_loads_into_postgresql_and_passes_the_oracle() {
    let cluster = Cluster::shared();
    ensure_supabase_roles(cluster);
    let dir = tempfile::tempdir().unwrap();
    let cases = V1_FORMS
        .iter()
        .chain(&V1_DIRS)
        .map(|f| (*f, "life_os_v1_plain.sql"))
        .chain(SUPABASE_FORMS.iter().map(|f| (*f, "supabase/full.sql")));
    for (i, (form, plain)) in cases.enumerate() {
        let sub = dir.path().join(i.to_string());
        std::fs::create_dir_all(&sub).unwrap();
        let load = convert(&fixture(form), &sub, &["-q"]);
        let db = common::v1_database(cluster, &format!("archive_{i}"), &[fixture(plain)]);
        cluster.exec_file(&db, &load);
        let report = check_v2(cluster, &db, None);
        let summary = report.lines().find(|l| l.contains("oracle:"));
        eprintln!("{form}: {}", summary.unwrap_or("").trim());
    }
}

/// Writes `bytes` as the deliberately bad input `name` in a fresh
/// directory and runs dumpshift on it: exit 1, the message on stderr,
/// nothing left beside the input, the input untouched.
fn refuse(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    let out = dir.path().join("v2_load.sql");
    let o = dumpshift([input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
    assert!(!out.exists(), "{name}: no output may be left behind");
    let left = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(left, 1, "{name}: only the input remains");
    assert!(
        std::fs::read(&input).unwrap() == bytes,
        "{name}: the input is never touched"
    );
    let e = stderr(&o);
    assert!(e.contains(&input.display().to_string()), "{name}: {e}");
    e
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn a_truncated_archive_is_refused_with_its_byte_offset() {
    let a = read("archive/life_os_v1.dump");
    let cut = a.len() * 2 / 3;
    let e = refuse("truncated_bad.dump", &a[..cut]);
    assert!(
        e.contains("archive byte ") && e.contains("truncated"),
        "{e}"
    );
    let piped = read("archive/life_os_v1_piped.dump");
    let e = refuse("truncated_piped_bad.dump", &piped[..cut]);
    assert!(
        e.contains("archive byte ") && e.contains("truncated"),
        "{e}"
    );
}

#[test]
fn a_corrupt_archive_data_stream_is_refused_naming_the_table() {
    let mut a = read("archive/life_os_v1.dump");
    // The last table's data block is the file's tail; its middle is deflate data.
    let at = a.len() - 2000;
    for b in &mut a[at..at + 16] {
        *b ^= 0xa5;
    }
    let e = refuse("corrupt_bad.dump", &a);
    assert!(
        e.contains("archive byte ") && e.contains("the data of public."),
        "{e}"
    );
    assert!(e.contains("corrupt"), "{e}");
}

#[test]
fn an_unknown_archive_version_is_refused() {
    let mut a = read("archive/life_os_v1.dump");
    a[6] = 17;
    let e = refuse("version_1_17_bad.dump", &a);
    assert!(
        e.contains("(archive byte 5): unsupported archive version 1.17.0"),
        "{e}"
    );
}

#[test]
fn corrupt_and_truncated_compressed_dumps_are_refused() {
    for name in [
        "archive/life_os_v1_plain.sql.gz",
        "archive/life_os_v1_plain.sql.zst",
    ] {
        let whole = read(name);
        let e = refuse("truncated_bad.sql.z", &whole[..whole.len() / 2]);
        assert!(
            e.contains("compressed byte ") && e.contains("truncated"),
            "{name}: {e}"
        );
        let mut bad = whole.clone();
        let at = whole.len() / 2;
        for b in &mut bad[at..at + 32] {
            *b ^= 0x3c;
        }
        let e = refuse("corrupt_bad.sql.z", &bad);
        assert!(
            e.contains("compressed byte ") && e.contains("corrupt"),
            "{name}: {e}"
        );
    }
}

/// Problems in the rows are found in the SQL text the input stands for, so
/// the message names the file `(as SQL)`: its lines and byte offsets count
/// in that text (what `gunzip -c` or `pg_restore -f -` prints).
#[test]
fn problems_in_the_rows_of_a_compressed_dump_name_the_file_as_sql() {
    let text = String::from_utf8(read("life_os_v1_plain.sql")).unwrap();
    let copy = text.rfind("\nCOPY public.domains ").unwrap() + 1;
    let row = copy + text[copy..].find('\n').unwrap() + 1;
    let bad = format!("{}not-a-uuid{}", &text[..row], &text[row + 36..]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bad.as_bytes()).unwrap();
    let line = text[..row].matches('\n').count() + 1;
    let e = refuse("bad_uuid.sql.gz", &gz.finish().unwrap());
    assert!(
        e.contains(&format!(
            "bad_uuid.sql.gz (as SQL):{line} (byte {row}): public.domains"
        )),
        "{e}"
    );
}

#[test]
fn a_damaged_archive_on_stdin_is_refused_too() {
    let a = read("archive/life_os_v1_piped.dump");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args(["-", "-o", "-", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let half = a[..a.len() / 2].to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&half));
    let o = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on stdout");
    assert!(
        stderr(&o).contains("dumpshift: - (archive byte "),
        "{}",
        stderr(&o)
    );
}
