//! The benchmark dump generator, `examples/bigdump`, checked against the
//! real thing: its output is deterministic, restores into PostgreSQL 15
//! with the row counts it reports, comes back out of `pg_dump` line for
//! line, and converts with dumpshift into a load that PostgreSQL accepts
//! and the SQL oracle agrees with.
//!
//! Owns those promises only; the generator lives in `examples/bigdump/`
//! and is compiled into this test through `#[path]`, so no example binary
//! has to be built first.

mod common;

#[path = "../examples/bigdump/mod.rs"]
mod bigdump;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use bigdump::{Config, Report};
use common::{assert_success, check_v2, Cluster};

/// Small enough to keep the suite fast, large enough that every table has
/// hundreds of rows (and tasks thousands).
const SIZE: u64 = 2 << 20;
const SEED: u64 = 42;

fn generate_file(dir: &Path, cfg: &Config) -> (PathBuf, Report) {
    let path = dir.join("big.sql");
    let file = std::fs::File::create(&path).expect("create the dump file");
    let report = bigdump::generate(cfg, file).expect("generate the dump");
    (path, report)
}

fn generate_bytes(cfg: &Config) -> (Vec<u8>, Report) {
    let mut bytes = Vec::new();
    let report = bigdump::generate(cfg, &mut bytes).expect("generate the dump");
    (bytes, report)
}

fn assert_near(what: &str, actual: u64, wanted: u64) {
    let off = actual.abs_diff(wanted) as f64 / wanted as f64;
    assert!(
        off <= 0.05,
        "{what}: {actual} bytes, {:.1}% away from {wanted}",
        off * 100.0
    );
}

#[test]
fn same_seed_and_size_give_the_same_bytes() {
    let cfg = Config {
        size: SIZE,
        seed: SEED,
    };
    let (first, report) = generate_bytes(&cfg);
    let (second, _) = generate_bytes(&cfg);
    assert_eq!(report.bytes, first.len() as u64);
    assert!(first == second, "two runs with seed {SEED} differ");
    assert_near("2 MiB dump", report.bytes, SIZE);

    let (other, _) = generate_bytes(&Config { seed: 7, ..cfg });
    assert!(first != other, "seeds 42 and 7 gave the same dump");

    for size in [64 << 10, 10 << 20] {
        let report = bigdump::generate(&Config { size, seed: SEED }, std::io::sink()).unwrap();
        assert_near(&format!("dump of {size} bytes"), report.bytes, size);
    }
}

/// The generated file with each COPY block's rows sorted and the two
/// version lines set aside: `pg_dump` writes rows in heap order, which is
/// not always load order, and a newer 15.x client names itself.
fn comparable(dump: &str) -> String {
    let mut out = String::with_capacity(dump.len());
    let mut rows: Vec<&str> = Vec::new();
    let mut in_copy = false;
    for line in dump.split_inclusive('\n') {
        if in_copy && line == "\\.\n" {
            rows.sort_unstable();
            rows.drain(..).for_each(|row| out.push_str(row));
            in_copy = false;
        }
        if in_copy {
            rows.push(line);
            continue;
        }
        if !line.starts_with("-- Dumped from ") && !line.starts_with("-- Dumped by ") {
            out.push_str(line);
        }
        in_copy = line.starts_with("COPY ") && line.ends_with(" FROM stdin;\n");
    }
    out
}

/// Panics naming the first line where the two texts differ.
fn assert_same_lines(what: &str, ours: &str, theirs: &str) {
    if ours == theirs {
        return;
    }
    let mismatch = ours
        .lines()
        .zip(theirs.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b);
    match mismatch {
        Some((n, (a, b))) => panic!("{what}: line {} differs\nours:   {a}\ntheirs: {b}", n + 1),
        None => panic!(
            "{what}: one is a prefix of the other ({} and {} lines)",
            ours.lines().count(),
            theirs.lines().count()
        ),
    }
}

/// The pg_dump beside the cluster's psql, so client and server agree.
fn pg_dump_of(cluster: &Cluster) -> PathBuf {
    let psql = PathBuf::from(cluster.psql("postgres").get_program());
    let beside = psql.with_file_name("pg_dump");
    if beside.is_file() {
        return beside;
    }
    PathBuf::from("pg_dump")
}

fn rows_in(cluster: &Cluster, db: &str, table: &str) -> u64 {
    let count = cluster.query(db, &format!("SELECT count(*) FROM public.{table}"));
    count
        .parse()
        .unwrap_or_else(|_| panic!("count of {table}: {count:?}"))
}

#[test]
fn restores_with_the_reported_counts_and_dumps_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, report) = generate_file(
        dir.path(),
        &Config {
            size: SIZE,
            seed: SEED,
        },
    );
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("bigdump_restore");
    // The dump's own ALTER TABLE ... ADD CONSTRAINT lines check every key,
    // UNIQUE (focus_date, slot) and foreign key while it restores.
    cluster.exec_file(&db, &dump);
    for (table, rows) in report.counts.by_table() {
        assert!(rows > 0, "no {table} rows generated");
        assert_eq!(rows_in(cluster, &db, table), rows, "rows in {table}");
    }

    let out = Command::new(pg_dump_of(cluster))
        .arg("-h")
        .arg(cluster.socket_dir())
        .args([
            "-U",
            "postgres",
            "--restrict-key",
            &report.restrict_key,
            &db,
        ])
        .env("PGTZ", "America/New_York")
        .env_remove("PGOPTIONS")
        .output()
        .expect("run pg_dump");
    assert_success(&out, "pg_dump of the restored dump");
    let ours = std::fs::read_to_string(&dump).unwrap();
    let theirs = String::from_utf8(out.stdout).expect("pg_dump output is UTF-8");
    assert!(theirs.contains("\n-- Dumped by pg_dump version 15."));
    assert_same_lines(
        "generated dump vs pg_dump of its restore",
        &comparable(&ours),
        &comparable(&theirs),
    );
}

/// Instants where the New York offset could go wrong: noon of every day
/// 1900-2100 (which side of a transition each day is on), the minutes
/// around 06:00 and 07:00 UTC, when clocks change, on every Sunday and on
/// the few transitions that fell on other days, a week apart until 2700
/// (how far large dumps' daily_focus rows reach), and some fractions.
fn probe_instants() -> Vec<(i64, u32)> {
    const DAY: i64 = 86_400;
    let from = bigdump::tz::days_from_civil(1900, 1, 1);
    let to = bigdump::tz::days_from_civil(2100, 12, 31);
    let odd_days = [
        bigdump::tz::days_from_civil(1942, 2, 9),
        bigdump::tz::days_from_civil(1945, 9, 30),
        bigdump::tz::days_from_civil(1974, 1, 6),
    ];
    let mut probes = Vec::new();
    for day in from..=to {
        probes.push((day * DAY + 12 * 3_600, 0));
        // 1970-01-04 was a Sunday.
        if (day - 3).rem_euclid(7) == 0 || odd_days.contains(&day) {
            for secs in [5 * 3_600 + 3_599, 6 * 3_600, 6 * 3_600 + 3_599, 7 * 3_600] {
                probes.push((day * DAY + secs, 0));
            }
        }
    }
    let far = bigdump::tz::days_from_civil(2700, 1, 1);
    for day in (to..far).step_by(7) {
        probes.push((day * DAY + (day % 24) * 3_600, 0));
    }
    for (i, micros) in [1, 10, 500_000, 123_456, 999_999, 120_000]
        .into_iter()
        .enumerate()
    {
        probes.push((1_700_000_000 + i as i64 * 7_919, micros));
    }
    probes
}

#[test]
fn time_zone_offsets_match_postgres() {
    let probes = probe_instants();
    let ours = bigdump::timestamps_text(&probes).unwrap();

    let mut seconds = String::new();
    let mut micros = String::new();
    for (i, (t, us)) in probes.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        write!(seconds, "{sep}{t}").unwrap();
        write!(micros, "{sep}{us}").unwrap();
    }
    let sql = format!(
        "SET timezone TO 'America/New_York';\n\
         SELECT (timestamptz 'epoch' + t * interval '1 second' + u * interval '1 microsecond')::text\n\
         FROM unnest('{{{seconds}}}'::bigint[], '{{{micros}}}'::int[]) WITH ORDINALITY AS x(t, u, n)\n\
         ORDER BY n;\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("probes.sql");
    std::fs::write(&file, sql).unwrap();
    let cluster = Cluster::shared();
    let out = cluster
        .psql("postgres")
        .arg("-At")
        .arg("-f")
        .arg(&file)
        .output()
        .expect("run psql");
    assert_success(&out, "psql: format the probe instants");
    let theirs = String::from_utf8(out.stdout).unwrap();
    assert_eq!(ours.lines().count(), probes.len());
    assert_same_lines("timestamptz text in America/New_York", &ours, &theirs);
}

/// `dumpshift big.sql -o out.sql -q` succeeds, the load goes into an empty
/// database, and beside the restored v1 data the oracle finds every row
/// where MAPPING.md puts it.
#[test]
fn dumpshift_converts_it_into_a_load_that_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, _) = generate_file(
        dir.path(),
        &Config {
            size: SIZE,
            seed: SEED,
        },
    );
    let load = dir.path().join("out.sql");
    let out = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .arg(&dump)
        .arg("-o")
        .arg(&load)
        .arg("-q")
        .output()
        .expect("run dumpshift");
    assert_success(&out, "dumpshift big.sql -o out.sql -q");

    let cluster = Cluster::shared();
    let empty = cluster.fresh_db("bigdump_load");
    cluster.exec_file(&empty, &load);

    let db = common::v1_database(cluster, "bigdump_oracle", &[dump]);
    cluster.exec_file(&db, &load);
    check_v2(cluster, &db, None);
}
