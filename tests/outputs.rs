//! What dumpshift does with the paths and the process environment a real
//! user can hand it, on the binary, under a temporary directory: devices,
//! FIFOs and symbolic links as outputs, folders that are missing or cannot
//! be written, the umask, signals in the middle of a run, an input cut short
//! or rewritten while it is read, stdout and stderr that are closed or whose
//! reader went away, and every dump form pg_dump and the usual compressors
//! write, made at test time, read as the plain dump of the same database.
//!
//! Every test checks the exit code, the message, that nothing is left
//! behind, and that the input and any output that was there are unchanged.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{assert_success, fixture, stderr, Cluster};

const PLAIN: &str = "life_os_v1_plain.sql";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dumpshift")
}

/// dumpshift with `args`, run in `dir`, stdin closed.
fn run_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run dumpshift")
}

fn spawn_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Child {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dumpshift")
}

/// The names in `dir`, hidden ones included, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mkfifo(path: &Path) {
    let o = Command::new("mkfifo")
        .arg(path)
        .output()
        .expect("run mkfifo");
    assert_success(&o, "mkfifo");
}

/// The load file of the plain fixture, made once: any other way to the
/// same output must give the same bytes.
fn reference() -> &'static [u8] {
    static LOAD: OnceLock<Vec<u8>> = OnceLock::new();
    LOAD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let load = common::convert(&fixture(PLAIN), dir.path(), &["-q"]);
        fs::read(load).unwrap()
    })
}

/// Fails the test unless `o` exited with `code` and said `needle`.
fn assert_refused(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn fixture_unchanged(before: &[u8]) {
    assert!(
        fs::read(fixture(PLAIN)).unwrap() == before,
        "the input changed"
    );
}

#[test]
fn devices_are_written_straight_into_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = fs::read(fixture(PLAIN)).unwrap();
    for force in [false, true] {
        let mut args = vec![fixture(PLAIN), "-o".into(), "/dev/null".into(), "-q".into()];
        if force {
            args.push("--force".into());
        }
        let o = run_in(dir.path(), &args);
        assert_success(&o, "dumpshift -o /dev/null");
        let null = fs::symlink_metadata("/dev/null").unwrap();
        assert!(null.file_type().is_char_device(), "/dev/null was replaced");
    }
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            Path::new("/dev/full"),
        ],
    );
    assert_refused(&o, 1, "cannot write /dev/full: No space left on device");
    assert!(fs::symlink_metadata("/dev/full")
        .unwrap()
        .file_type()
        .is_char_device());
    // A report that cannot be written leaves no load file either.
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            Path::new("v2_load.sql"),
            Path::new("--report"),
            Path::new("/dev/full"),
            Path::new("-q"),
        ],
    );
    assert_refused(&o, 1, "cannot write /dev/full: No space left on device");
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            Path::new("/dev/stdout"),
            Path::new("-q"),
        ],
    );
    assert_success(&o, "dumpshift -o /dev/stdout");
    assert!(
        o.stdout == reference(),
        "-o /dev/stdout wrote the load to stdout"
    );
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    fixture_unchanged(&input);
}

#[test]
fn a_fifo_gets_the_whole_load_and_needs_no_force() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("load.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            &fifo,
            Path::new("-q"),
        ],
    );
    assert_success(&o, "dumpshift -o FIFO");
    assert!(
        reader.join().unwrap() == reference(),
        "the FIFO got the load"
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names(dir.path()), ["load.fifo"]);
}

#[test]
fn a_link_to_a_regular_file_is_followed_and_the_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.sql");
    let link = dir.path().join("link.sql");
    fs::write(&real, "previous\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o604)).unwrap();
    std::os::unix::fs::symlink("real.sql", &link).unwrap();
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            &link,
            Path::new("-q"),
        ],
    );
    assert_refused(&o, 1, "link.sql already exists; pass --force to replace it");
    assert_eq!(fs::read(&real).unwrap(), b"previous\n");
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_path(),
            Path::new("-o"),
            &link,
            Path::new("-q"),
            Path::new("--force"),
        ],
    );
    assert_success(&o, "dumpshift -o LINK --force");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real.sql"));
    assert!(fs::read(&real).unwrap() == reference());
    let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o604, "the replaced file keeps its mode");
    assert_eq!(names(dir.path()), ["link.sql", "real.sql"]);
}

#[test]
fn outputs_that_are_no_file_to_write_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("folder")).unwrap();
    fs::write(d.join("previous.sql"), "previous\n").unwrap();
    std::os::unix::fs::symlink("nowhere.sql", d.join("dangling.sql")).unwrap();
    std::os::unix::fs::symlink("folder", d.join("to_folder.sql")).unwrap();
    let before = names(d);
    let input = fs::read(fixture(PLAIN)).unwrap();
    let cases: [(&[&str], &str); 8] = [
        (
            &["-o", "dangling.sql"],
            "dangling.sql: is a symbolic link to nowhere.sql, which does not exist",
        ),
        (&["-o", "dangling.sql", "--force"], "which does not exist"),
        (
            &["-o", "to_folder.sql", "--force"],
            "to_folder.sql: is a symbolic link to a directory",
        ),
        (&["-o", "folder", "--force"], "folder: is a directory"),
        (
            &["-o", "missing/v2_load.sql"],
            "missing/v2_load.sql: the directory missing does not exist",
        ),
        (
            &["-o", "previous.sql/v2_load.sql"],
            "previous.sql is not a directory",
        ),
        (&["-o", "/proc/v2_load.sql"], "cannot create files in /proc"),
        (
            &["-o", "out.sql", "--report", "folder", "--force"],
            "folder: is a directory",
        ),
    ];
    for (args, needle) in cases {
        let mut argv = vec![fixture(PLAIN).display().to_string()];
        argv.extend(args.iter().map(|a| a.to_string()));
        let o = run_in(d, &argv);
        assert_refused(&o, 1, needle);
        assert_eq!(names(d), before, "{args:?} left something");
    }
    assert_eq!(fs::read(d.join("previous.sql")).unwrap(), b"previous\n");
    let o = run_in(d, &["migrations", "write", "previous.sql"]);
    assert_refused(&o, 1, "previous.sql: not a directory");
    assert_eq!(names(d), before);
    fixture_unchanged(&input);
}

/// Runs `bin args` in `dir` under `umask`.
fn with_umask(dir: &Path, umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run sh")
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn created_files_and_folders_get_the_mode_the_umask_gives() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let dump = fixture(PLAIN).display().to_string();
    let o = with_umask(
        d,
        "027",
        &[&dump, "-o", "v2_load.sql", "--report", "r.json", "-q"],
    );
    assert_success(&o, "dumpshift under umask 027");
    assert_eq!(mode(&d.join("v2_load.sql")), 0o640);
    assert_eq!(mode(&d.join("r.json")), 0o640);
    let o = with_umask(d, "022", &[&dump, "-o", "open.sql", "-q"]);
    assert_success(&o, "dumpshift under umask 022");
    assert_eq!(
        mode(&d.join("open.sql")),
        0o644,
        "readable by psql as postgres"
    );
    let o = with_umask(d, "027", &["migrations", "write", "new/migrations"]);
    assert_success(&o, "migrations write under umask 027");
    assert_eq!(mode(&d.join("new")), 0o750);
    assert_eq!(mode(&d.join("new/migrations")), 0o750);
    for e in fs::read_dir(d.join("new/migrations")).unwrap() {
        assert_eq!(mode(&e.unwrap().path()), 0o640);
    }
    assert_eq!(names(d), ["new", "open.sql", "r.json", "v2_load.sql"]);
}

/// Waits until a `.dumpshift-*` temporary file is in `dir`.
fn wait_for_temp(dir: &Path, child: &mut Child) {
    let start = Instant::now();
    while !names(dir).iter().any(|n| n.starts_with(".dumpshift-")) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("dumpshift ended ({status}) before it made its temporary file");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(pid: u32, signal: &str) {
    let o = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .output()
        .expect("run kill");
    assert_success(&o, "kill");
}

#[test]
fn signals_remove_every_temporary_file_and_exit_128_plus_the_signal() {
    let signals = [
        ("INT", 130),
        ("TERM", 143),
        ("HUP", 129),
        ("QUIT", 131),
        ("USR1", 138),
        ("ALRM", 142),
    ];
    for (signal, code) in signals {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("v2_load.sql"), "previous\n").unwrap();
        let input = d.join("v1.fifo");
        mkfifo(&input);
        let mut child = spawn_in(
            d,
            &[
                "v1.fifo",
                "-o",
                "v2_load.sql",
                "--force",
                "--report",
                "r.json",
            ],
        );
        // The run is mid-read: the FIFO is open and holds part of a dump.
        let mut writer = fs::OpenOptions::new().write(true).open(&input).unwrap();
        let dump = fs::read(fixture(PLAIN)).unwrap();
        writer.write_all(&dump[..dump.len() / 3]).unwrap();
        wait_for_temp(d, &mut child);
        kill(child.id(), signal);
        let out = child.wait_with_output().unwrap();
        drop(writer);
        assert_refused(
            &out,
            code,
            "stopped by a signal; its temporary files were removed",
        );
        assert_eq!(names(d), ["v1.fifo", "v2_load.sql"], "SIG{signal}");
        assert_eq!(fs::read(d.join("v2_load.sql")).unwrap(), b"previous\n");
    }
}

/// Starts a run of the copy `d/v1.sql` of the plain fixture into the FIFO
/// `d/load.fifo`, opens the FIFO (which returns once every row was checked
/// and the writing starts), lets `change` rewrite the input, reads the rest
/// and returns how the run ended and what the FIFO got.
fn change_while_read(d: &Path, change: impl FnOnce(&Path)) -> (Output, Vec<u8>) {
    let input = d.join("v1.sql");
    fs::copy(fixture(PLAIN), &input).unwrap();
    mkfifo(&d.join("load.fifo"));
    let child = spawn_in(d, &["v1.sql", "-o", "load.fifo", "-q", "-j", "1"]);
    let mut fifo = fs::File::open(d.join("load.fifo")).unwrap();
    let mut first = [0u8; 1];
    fifo.read_exact(&mut first).unwrap();
    change(&input);
    let mut rest = first.to_vec();
    fifo.read_to_end(&mut rest).unwrap();
    (child.wait_with_output().unwrap(), rest)
}

#[test]
fn an_input_cut_short_while_it_is_read_is_refused_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = change_while_read(dir.path(), |input| {
        let f = fs::OpenOptions::new().write(true).open(input).unwrap();
        f.set_len(4096).unwrap();
    });
    // The writer is blocked on the FIFO before the later tables were read:
    // reading them from the shortened map raises SIGBUS, caught.
    assert_refused(
        &out,
        1,
        "v1.sql: the input changed while it was read (another process cut it short)",
    );
    assert_eq!(names(dir.path()), ["load.fifo", "v1.sql"]);
}

#[test]
fn an_input_rewritten_in_place_while_it_is_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (out, streamed) = change_while_read(dir.path(), |input| {
        let mut f = fs::OpenOptions::new().write(true).open(input).unwrap();
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(100)).unwrap();
        f.write_all(b"--").unwrap();
    });
    assert_refused(
        &out,
        1,
        "v1.sql: the input changed while it was read (its modification time changed",
    );
    // The load was streamed whole but for its end: psql never commits it.
    assert!(streamed.len() > reference().len() / 2);
    assert!(reference().ends_with(b"\nCOMMIT;\n"));
    assert!(!streamed.ends_with(b"COMMIT;\n"), "the FIFO got no COMMIT");
    assert_eq!(names(dir.path()), ["load.fifo", "v1.sql"]);
}

#[test]
fn a_stdout_whose_reader_went_away_ends_the_run_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args([fixture(PLAIN).as_os_str(), "-o".as_ref(), "-".as_ref()])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut some = [0u8; 100];
    stdout.read_exact(&mut some).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_refused(&out, 1, "cannot write -: Broken pipe");
    assert!(names(dir.path()).is_empty());
}

#[test]
fn a_stderr_whose_reader_went_away_changes_no_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    for (args, code) in [
        (vec![fixture(PLAIN), "-o".into(), "v2_load.sql".into()], 0),
        (vec![PathBuf::from("/"), "-o".into(), "other.sql".into()], 1),
        (vec!["schema".into(), "--no-such-flag".into()], 2),
    ] {
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
    assert_eq!(names(dir.path()), ["v2_load.sql"]);
    assert!(fs::read(dir.path().join("v2_load.sql")).unwrap() == reference());
}

#[test]
fn a_closed_stdout_is_refused_for_dash_and_dev_null_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let dump = fixture(PLAIN).display().to_string();
    for (redirect, code) in [(">&-", 1), ("> /dev/null", 0)] {
        for args in [vec![dump.as_str(), "-o", "-", "-q"], vec!["schema"]] {
            let o = Command::new("sh")
                .arg("-c")
                .arg(format!("exec \"$0\" \"$@\" {redirect}"))
                .arg(bin())
                .args(&args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(code),
                "{args:?} {redirect}: {}",
                stderr(&o)
            );
            if code == 1 {
                assert_refused(&o, 1, "stdout is closed");
            }
        }
    }
    assert!(names(dir.path()).is_empty());
}

/// The pg_dump, pg_restore beside the cluster's psql.
fn pg_tool(cluster: &Cluster, name: &str) -> PathBuf {
    let psql = PathBuf::from(cluster.psql("postgres").get_program());
    let beside = psql.with_file_name(name);
    if beside.is_file() {
        beside
    } else {
        PathBuf::from(name)
    }
}

fn sh_in(dir: &Path, cmd: &str, path: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("run sh")
}

/// Fails, saying what to install, when a compressor the test runs is missing.
fn need(tools: &[(&str, &str)]) {
    for (tool, package) in tools {
        let found = Command::new(tool).arg("--version").output().is_ok();
        assert!(
            found,
            "{tool} is missing: apt-get install {package} (or make deps)"
        );
    }
}

#[test]
fn every_form_pg_dump_and_the_compressors_write_reads_as_the_plain_dump() {
    need(&[
        ("gzip", "gzip"),
        ("zstd", "zstd"),
        ("xz", "xz-utils"),
        ("bzip2", "bzip2"),
        ("lz4", "lz4"),
    ]);
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("outputs_forms");
    cluster.exec_file(&db, &fixture(PLAIN));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg_dump = pg_tool(cluster, "pg_dump");
    let tools = pg_dump.parent().map(Path::to_path_buf).unwrap_or_default();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dump = |args: &[&str]| {
        let o = Command::new(&pg_dump)
            .arg("-h")
            .arg(cluster.socket_dir())
            .args(["-U", "postgres"])
            .args(args)
            .arg(&db)
            .current_dir(d)
            .output()
            .expect("run pg_dump");
        assert_success(&o, &format!("pg_dump {args:?}"));
    };
    dump(&["-Ft", "-f", "v1.tar"]);
    dump(&["-Fd", "-f", "v1dir"]);
    dump(&["-Fd", "-j", "2", "-f", "v1dir_j2"]);
    dump(&["-Fc", "-f", "v1.dump"]);
    dump(&["-f", "v1.sql"]);
    for cmd in [
        "gzip -c v1.dump > v1.dump.gz",
        "zstd -q -c v1.dump > v1.dump.zst",
        "gzip -c v1.tar > v1.tar.gz",
        "xz -c v1.sql > v1.sql.xz",
        "bzip2 -c v1.sql > v1.sql.bz2",
        "lz4 -q -c v1.sql > v1.sql.lz4",
    ] {
        assert_success(&sh_in(d, cmd, &path), cmd);
    }
    let o = run_in(d, &["v1.sql", "-o", "want.sql", "-q"]);
    assert_success(&o, "dumpshift v1.sql");
    let want = fs::read(d.join("want.sql")).unwrap();
    for input in [
        "v1.tar",
        "v1dir",
        "v1dir/",
        "v1dir_j2",
        "v1dir/toc.dat",
        "v1.dump.gz",
        "v1.dump.zst",
        "v1.tar.gz",
        "v1.sql.xz",
        "v1.sql.bz2",
        "v1.sql.lz4",
    ] {
        let before = names(d);
        let o = run_in(d, &[input, "-o", "-", "-q"]);
        assert_success(&o, input);
        assert!(o.stdout == want, "{input}: another load file than v1.sql's");
        assert_eq!(names(d), before, "{input} left something");
    }
    // From stdin, a tar and an archive compressed whole.
    for input in ["v1.tar", "v1.dump.zst"] {
        let o = Command::new(bin())
            .args(["-", "-o", "-", "-q"])
            .current_dir(d)
            .stdin(fs::File::open(d.join(input)).unwrap())
            .output()
            .unwrap();
        assert_success(&o, &format!("{input} on stdin"));
        assert!(o.stdout == want, "{input} on stdin: another load file");
    }
}

/// dumpshift with `args` in `dir`, its stdin and stdout the files given.
fn run_with_stdio(dir: &Path, args: &[&str], stdin: Stdio, stdout: Stdio) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(stdout)
        .output()
        .expect("run dumpshift")
}

#[test]
fn stdout_that_is_the_input_file_is_refused_and_the_input_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("a.sql");
    fs::copy(fixture(PLAIN), &dump).unwrap();
    let before = fs::read(&dump).unwrap();
    let open = |append: bool| -> Stdio {
        let mut f = fs::OpenOptions::new();
        f.read(true).write(true).append(append);
        f.open(&dump).unwrap().into()
    };
    let stdin = || Stdio::from(fs::File::open(&dump).unwrap());
    // `-o - 1<>a.sql`, `-o - >>a.sql`, `- -o - <a.sql >>a.sql`, `--report - >>a.sql`.
    let cases: [(&[&str], Stdio, Stdio); 4] = [
        (&["a.sql", "-o", "-", "-q"], Stdio::null(), open(false)),
        (&["a.sql", "-o", "-", "-q"], Stdio::null(), open(true)),
        (&["-", "-o", "-", "-q"], stdin(), open(true)),
        (
            &["a.sql", "-o", "load.sql", "-q", "--report", "-"],
            Stdio::null(),
            open(true),
        ),
    ];
    for (args, stdin, stdout) in cases {
        let o = run_with_stdio(dir.path(), args, stdin, stdout);
        assert_refused(&o, 1, "stdout is that file");
        assert!(
            fs::read(&dump).unwrap() == before,
            "{args:?} changed the input"
        );
        assert_eq!(names(dir.path()), ["a.sql"], "{args:?}");
    }
}

#[test]
fn a_report_and_a_load_that_are_one_file_by_any_name_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture(PLAIN), dir.path().join("a.sql")).unwrap();
    fs::write(dir.path().join("old.sql"), "the load of last night\n").unwrap();
    let to_old = || -> Stdio {
        fs::File::create(dir.path().join("stdout.txt"))
            .unwrap()
            .into()
    };
    let cases: [(&[&str], Stdio); 3] = [
        (
            &["a.sql", "-o", "/dev/stdout", "--report", "-", "-q"],
            Stdio::piped(),
        ),
        (
            &["a.sql", "-o", "x.json", "--report", "./x.json", "-q"],
            Stdio::piped(),
        ),
        // Stdout redirected onto the load file the run replaces.
        (
            &[
                "a.sql",
                "-o",
                "stdout.txt",
                "--force",
                "--report",
                "-",
                "-q",
            ],
            to_old(),
        ),
    ];
    for (args, stdout) in cases {
        let o = run_with_stdio(dir.path(), args, Stdio::null(), stdout);
        assert_refused(&o, 2, "are the same file");
    }
    assert_eq!(names(dir.path()), ["a.sql", "old.sql", "stdout.txt"]);
}

#[test]
fn a_run_under_nohup_lives_through_a_hangup_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("v1.fifo");
    mkfifo(&input);
    let mut child = Command::new("bash")
        .arg("-c")
        .arg("trap '' HUP; exec \"$0\" \"$@\"")
        .arg(bin())
        .args(["v1.fifo", "-o", "v2_load.sql", "-q"])
        .current_dir(d)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dumpshift under bash");
    let mut writer = fs::OpenOptions::new().write(true).open(&input).unwrap();
    let dump = fs::read(fixture(PLAIN)).unwrap();
    writer.write_all(&dump[..dump.len() / 3]).unwrap();
    wait_for_temp(d, &mut child);
    kill(child.id(), "HUP");
    writer.write_all(&dump[dump.len() / 3..]).unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    assert_success(&out, "dumpshift with SIGHUP ignored");
    assert!(fs::read(d.join("v2_load.sql")).unwrap() == reference());
}

#[test]
fn a_report_and_a_load_both_sent_to_dev_null_are_no_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            fixture(PLAIN).as_os_str(),
            "-o".as_ref(),
            "/dev/null".as_ref(),
            "--report".as_ref(),
            "/dev/null".as_ref(),
            "-q".as_ref(),
        ],
    );
    assert_success(&o, "-o /dev/null --report /dev/null");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}
