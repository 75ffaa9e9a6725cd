//! `--memory`: past the budget, whole-table sort keys go to sorted runs in a
//! temporary file in TMPDIR. The load is the same bytes for any budget and
//! any thread count, and the file is gone after every exit: success, an
//! error, a signal.
//!
//! The dumps are the benchmark generator's (`examples/bigdump`), compiled
//! in through `#[path]` as in tests/bigdump.rs: large enough that the tasks'
//! sort keys fill many runs at the smallest budget.

#[path = "../examples/bigdump/mod.rs"]
mod bigdump;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dumpshift")
}

fn generate(dir: &Path, size: u64) -> PathBuf {
    let path = dir.join("v1.sql");
    let file = fs::File::create(&path).unwrap();
    bigdump::generate(&bigdump::Config { size, seed: 42 }, file).unwrap();
    path
}

/// Runs dumpshift with TMPDIR set to `tmp`.
fn run(tmp: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .expect("run dumpshift")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_tiny_memory_budget_spills_the_sort_keys_and_changes_no_byte_of_the_load() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dump = generate(dir.path(), 2 << 20);
    let dump = dump.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let o = run(tmp.path(), &[dump, "-o", &out("default.sql"), "-q"]);
    assert_ok(&o, "default budget");
    let want = fs::read(out("default.sql")).unwrap();
    for j in ["1", "2"] {
        let name = format!("tiny-j{j}.sql");
        let o = run(
            tmp.path(),
            &[dump, "-o", &out(&name), "-q", "--memory", "64K", "-j", j],
        );
        assert_ok(&o, "--memory 64K");
        assert!(
            fs::read(out(&name)).unwrap() == want,
            "-j {j}: the load differs from the default budget's"
        );
        assert!(
            entries(tmp.path()).is_empty(),
            "left in TMPDIR: {:?}",
            entries(tmp.path())
        );
    }
}

/// The files process `pid` holds open in `dir`: spill files have no name,
/// so they show only as `/proc/PID/fd` links (`dir/#inode (deleted)`).
fn open_in(pid: u32, dir: &Path) -> Vec<PathBuf> {
    let dir = dir.canonicalize().unwrap();
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    fds.filter_map(|e| {
        let fd = e.ok()?.path();
        let target = fs::read_link(&fd).ok()?;
        (target.parent() == Some(dir.as_path())).then_some(fd)
    })
    .collect()
}

#[test]
fn sigterm_or_sigkill_while_the_sort_keys_are_on_disk_leaves_no_spill_file() {
    for (signal, code) in [("TERM", Some(143)), ("KILL", None)] {
        let dir = tempfile::tempdir().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dump = generate(dir.path(), 16 << 20);
        let out = dir.path().join("v2_load.sql");
        let mut child = Command::new(bin())
            .arg(&dump)
            .arg("-o")
            .arg(&out)
            .args(["-q", "--memory", "64K"])
            .env("TMPDIR", tmp.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        // The tasks' keys fill a run long before the table is read.
        let spilled = loop {
            let open = open_in(child.id(), tmp.path());
            if !open.is_empty() {
                break open;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("dumpshift ended ({status}) before it spilled a run");
            }
            assert!(start.elapsed() < Duration::from_secs(120), "no spill file");
            std::thread::sleep(Duration::from_millis(2));
        };
        for fd in spilled {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(mode) = fs::metadata(&fd).map(|m| m.permissions().mode()) {
                assert_eq!(
                    mode & 0o077,
                    0,
                    "{} is open to others: {mode:o}",
                    fd.display()
                );
            }
        }
        assert!(entries(tmp.path()).is_empty(), "a spill file has a name");
        let kill = Command::new("kill")
            .args(["-s", signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let o = child.wait_with_output().unwrap();
        assert_eq!(
            o.status.code(),
            code,
            "SIG{signal}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            entries(tmp.path()).is_empty(),
            "SIG{signal} left in TMPDIR: {:?}",
            entries(tmp.path())
        );
        if code.is_some() {
            assert_eq!(
                entries(dir.path()),
                ["v1.sql"],
                "no load file, no temporary twin"
            );
        }
        assert!(!out.exists(), "SIG{signal}: no load file");
    }
}

#[test]
fn a_temporary_folder_that_cannot_hold_the_runs_is_a_clear_error_and_leaves_no_load() {
    let dir = tempfile::tempdir().unwrap();
    let dump = generate(dir.path(), 2 << 20);
    let out = dir.path().join("v2_load.sql");
    let missing = dir.path().join("no-such-folder");
    let o = run(
        &missing,
        &[
            dump.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--memory",
            "64K",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("public.tasks")
            && err.contains("could not keep the sort keys in a temporary file")
            && err.contains("no-such-folder"),
        "{err}"
    );
    assert_eq!(entries(dir.path()), ["v1.sql"]);
}

/// Runs dumpshift with TMPDIR set to `tmp`, where no file may grow past
/// `kib` KiB: a full disk, as the process meets it (EFBIG instead of
/// ENOSPC; SIGXFSZ is ignored, as a full disk sends no signal).
fn run_on_a_full_disk(tmp: &Path, kib: u64, args: &[&str]) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .expect("run dumpshift under bash")
}

#[test]
fn a_disk_that_fills_under_the_temporary_files_or_the_load_is_a_clear_error_and_destroys_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dump = generate(dir.path(), 2 << 20);
    let out = dir.path().join("v2_load.sql");
    fs::write(&out, "the load of last night\n").unwrap();
    let (dump, out_s) = (dump.to_str().unwrap(), out.to_str().unwrap());
    // Under the spilled keys: the checks cannot keep them.
    let o = run_on_a_full_disk(
        tmp.path(),
        64,
        &[dump, "-o", out_s, "--force", "-q", "--memory", "64K"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("public.tasks")
            && err.contains("in a temporary file in")
            && err.contains("File too large"),
        "{err}"
    );
    // Under the load: the keys fit in memory, the load does not fit on disk.
    let o = run_on_a_full_disk(tmp.path(), 1024, &[dump, "-o", out_s, "--force", "-q"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("cannot write {out_s}")) && err.contains("File too large"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "the load of last night\n"
    );
    assert_eq!(entries(dir.path()), ["v1.sql", "v2_load.sql"]);
    assert!(
        entries(tmp.path()).is_empty(),
        "left in TMPDIR: {:?}",
        entries(tmp.path())
    );
}

#[test]
fn a_memory_budget_that_is_not_a_size_or_below_64k_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["1K", "lots", "12Q"] {
        let o = run(tmp.path(), &["v1.sql", "-o", "out.sql", "--memory", bad]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("--memory"), "{bad}: {err}");
    }
}

/// The dump `text` with one row of `table`'s COPY data changed: `edit` is
/// given the fields of every row in turn and returns true once it changed
/// one (a deliberate defect, in an otherwise real dump).
fn with_defect(text: &str, table: &str, edit: impl FnMut(&mut Vec<String>) -> bool) -> String {
    edit_rows(text, table, 1, edit)
}

/// `with_defect`, changing up to `most` rows.
fn edit_rows(
    text: &str,
    table: &str,
    most: usize,
    mut edit: impl FnMut(&mut Vec<String>) -> bool,
) -> String {
    let header = format!("COPY public.{table} (");
    let mut out = String::with_capacity(text.len());
    let (mut inside, mut changed) = (false, 0);
    for line in text.split_inclusive('\n') {
        if inside && line == "\\.\n" {
            inside = false;
        }
        if inside && changed < most {
            let mut fields: Vec<String> = line
                .trim_end_matches('\n')
                .split('\t')
                .map(str::to_string)
                .collect();
            if edit(&mut fields) {
                changed += 1;
                out.push_str(&fields.join("\t"));
                out.push('\n');
                continue;
            }
        }
        if line.starts_with(&header) {
            inside = true;
        }
        out.push_str(line);
    }
    assert_eq!(changed, most, "too few rows of {table} were changed");
    out
}

const NOWHERE: &str = "00000000-0000-4000-8000-0000000000ff";

#[test]
/// At the default budget the keys stay in memory; at 64K the ids, the
/// parent links and every key merged against them are on disk.
fn keys_on_disk_report_each_defect_exactly_as_keys_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let clean = fs::read_to_string(generate(dir.path(), 2 << 20)).unwrap();
    // Changes field `f` of the `n`th row (from 1) of `table` to `value`.
    let set = |text: &str, table: &str, n: usize, f: usize, value: &str| {
        let mut seen = 0;
        with_defect(text, table, |fields| {
            seen += 1;
            if seen == n {
                fields[f] = value.to_string();
            }
            seen == n
        })
    };
    let first_with_parent = |text: &str| {
        let mut seen = 0;
        with_defect(text, "tasks", |f| {
            seen += 1;
            f[3] != "\\N"
        });
        seen
    };
    let (task_a, task_b) = (nth_id(&clean, "tasks", 1), nth_id(&clean, "tasks", 2));
    let focus = nth_row(&clean, "daily_focus", 1);
    let defects: Vec<(&str, String)> = vec![
        ("is not in public.tasks", {
            let mut seen = 0;
            let n = {
                with_defect(&clean, "notes", |f| {
                    seen += 1;
                    f[3] != "\\N"
                });
                seen
            };
            set(&clean, "notes", n, 3, NOWHERE)
        }),
        (
            "parent_id 00000000-0000-4000-8000-0000000000ff is not in public.tasks",
            set(&clean, "tasks", first_with_parent(&clean), 3, NOWHERE),
        ),
        (
            "forms a cycle",
            set(&set(&clean, "tasks", 1, 3, &task_b), "tasks", 2, 3, &task_a),
        ),
        (
            "duplicate key",
            set(
                &set(&clean, "daily_focus", 2, 1, &focus[1]),
                "daily_focus",
                2,
                3,
                &focus[3],
            ),
        ),
        (
            "duplicate primary key",
            set(&clean, "projects", 2, 0, &nth_id(&clean, "projects", 1)),
        ),
        // More dangling keys than a report keeps: the same first rows.
        (
            "more problems were found; only the first",
            edit_rows(&clean, "notes", 60, |f| {
                let set = f[3] != "\\N";
                if set {
                    f[3] = NOWHERE.to_string();
                }
                set
            }),
        ),
        // A parent whose sort key is refused is still a parent: only its
        // own row is in the report, not its children's.
        ("created_at", {
            let parent = parent_row(&clean);
            set(&clean, "tasks", parent, 14, "not a time")
        }),
    ];
    for (k, (want, text)) in defects.iter().enumerate() {
        let dump = dir.path().join(format!("defect-{k}.sql"));
        fs::write(&dump, text).unwrap();
        let dump = dump.to_str().unwrap();
        let out = dir.path().join("v2_load.sql");
        let out = out.to_str().unwrap();
        let in_memory = run(tmp.path(), &[dump, "-o", out, "-q"]);
        let on_disk = run(tmp.path(), &[dump, "-o", out, "-q", "--memory", "64K"]);
        let err = String::from_utf8_lossy(&on_disk.stderr);
        assert_eq!(on_disk.status.code(), Some(1), "defect {k}: {err}");
        assert!(err.contains(want), "defect {k}: wanted {want:?} in:\n{err}");
        if *want == "created_at" {
            assert!(!err.contains("is not in public.tasks"), "{err}");
        }
        pretty_assertions::assert_eq!(
            String::from_utf8_lossy(&in_memory.stderr),
            err,
            "defect {k}: the default budget and 64K report differently"
        );
        assert_eq!(in_memory.status.code(), Some(1));
        assert!(!Path::new(out).exists(), "defect {k}: a load was written");
        assert!(
            entries(tmp.path()).is_empty(),
            "left in TMPDIR: {:?}",
            entries(tmp.path())
        );
    }
}

/// The row number (from 1) of the first task that another task names as
/// its parent.
fn parent_row(text: &str) -> usize {
    let at = text.find("COPY public.tasks (").unwrap();
    let rows: Vec<Vec<&str>> = text[at..]
        .lines()
        .skip(1)
        .take_while(|l| *l != "\\.")
        .map(|l| l.split('\t').collect())
        .collect();
    let named = rows.iter().find(|r| r[3] != "\\N").unwrap()[3];
    1 + rows.iter().position(|r| r[0] == named).unwrap()
}

/// The fields of the `n`th row (from 1) of `table`'s COPY data.
fn nth_row(text: &str, table: &str, n: usize) -> Vec<String> {
    let at = text.find(&format!("COPY public.{table} (")).unwrap();
    let row = text[at..].lines().nth(n).unwrap();
    row.split('\t').map(str::to_string).collect()
}

fn nth_id(text: &str, table: &str, n: usize) -> String {
    nth_row(text, table, n).swap_remove(0)
}
