//! `make dist` as an air-gapped host meets it: the tarball is checked with
//! `sha256sum -c`, unpacked into an empty folder, and its binary runs and
//! migrates the example dump with nothing from the build environment.
//!
//! The tests run `scripts/dist.sh`, the script behind `make dist`, twice,
//! once for the whole file. Its release build is cargo's own, in
//! `target/release`: the first run pays for it when it is stale (after a
//! commit, the crate alone; in a fresh clone, as in CI, every dependency:
//! 6 CPU-minutes), and the second finds it fresh, so it is the packaging
//! alone, seconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use pretty_assertions::assert_eq;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `dumpshift-VERSION-x86_64-linux`: the tarball's name and its one folder.
fn name() -> String {
    format!("dumpshift-{}-x86_64-linux", env!("CARGO_PKG_VERSION"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        text(&o.stdout),
        text(&o.stderr)
    );
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let o = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    check(&o, what);
    o
}

/// The commit this tree is, when it is the top of a git work tree.
fn head_commit() -> Option<String> {
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .ok()?;
        o.status
            .success()
            .then(|| text(&o.stdout).trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    (top.canonicalize().ok()? == root().canonicalize().ok()?)
        .then(|| git(&["rev-parse", "HEAD"]))
        .flatten()
}

/// An mtime for a source tree outside git, where the script needs one.
const EPOCH_OUTSIDE_GIT: &str = "1700000000";

struct Dist {
    _tmp: tempfile::TempDir,
    /// The first run's output folder, and the second's.
    a: PathBuf,
    b: PathBuf,
}

/// `scripts/dist.sh OUT`, run with what `make` would pass stripped, so a
/// `make test` does not hand its jobserver to the nested build. `odd` runs
/// it under umask 077, another time zone and locale: none may show in the
/// bytes.
fn dist_into(out: &Path, odd: bool) {
    let mut cmd = Command::new("bash");
    if odd {
        cmd.args(["-c", "umask 077 && exec bash \"$0\" \"$1\""])
            .env("TZ", "Pacific/Chatham")
            .env("LC_ALL", "C.UTF-8");
    }
    cmd.arg(root().join("scripts/dist.sh")).arg(out);
    for var in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "SOURCE_DATE_EPOCH"] {
        cmd.env_remove(var);
    }
    if head_commit().is_none() {
        cmd.env("SOURCE_DATE_EPOCH", EPOCH_OUTSIDE_GIT);
    }
    run(&mut cmd, "scripts/dist.sh");
}

fn dist() -> &'static Dist {
    static DIST: OnceLock<Dist> = OnceLock::new();
    DIST.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b/dist"));
        dist_into(&a, false);
        dist_into(&b, true);
        Dist { _tmp: tmp, a, b }
    })
}

fn tarball(dir: &Path, suffix: &str) -> PathBuf {
    dir.join(format!("{}{suffix}.tar.gz", name()))
}

/// Unpacks the main tarball (and the debug one) into a new empty folder, as
/// a host would; returns the folder and the unpacked binary's folder.
fn unpack(with_debug: bool) -> (tempfile::TempDir, PathBuf) {
    let host = tempfile::tempdir().unwrap();
    let mut suffixes = vec![""];
    if with_debug {
        suffixes.push("-debug");
    }
    for suffix in suffixes {
        run(
            Command::new("tar")
                .arg("-xzf")
                .arg(tarball(&dist().a, suffix))
                .arg("-C")
                .arg(host.path()),
            "tar -xzf",
        );
    }
    let entries: Vec<_> = std::fs::read_dir(host.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from(name())]);
    let dir = host.path().join(name());
    (host, dir)
}

/// The binary, run as `env -i PATH=/usr/bin:/bin dumpshift ARGS` in `cwd`.
fn bare(dumpshift: &Path, cwd: &Path, args: &[&str]) -> Output {
    run(
        Command::new("env")
            .args(["-i", "PATH=/usr/bin:/bin"])
            .arg(dumpshift)
            .args(args)
            .current_dir(cwd),
        &format!("dumpshift {}", args.join(" ")),
    )
}

fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

#[test]
fn two_dist_runs_in_different_environments_give_the_same_bytes_and_sums_that_check() {
    let d = dist();
    let top = |dir: &Path| -> BTreeSet<PathBuf> {
        let names = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| PathBuf::from(e.unwrap().file_name()));
        names.collect()
    };
    let (a, b) = (top(&d.a), top(&d.b));
    let want: BTreeSet<PathBuf> = [
        "SHA256SUMS".to_string(),
        format!("{}.tar.gz", name()),
        format!("{}-debug.tar.gz", name()),
    ]
    .into_iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(
        a, want,
        "the tarballs and sums only, no staging left behind"
    );
    assert_eq!(b, want);
    for f in &a {
        let same = std::fs::read(d.a.join(f)).unwrap() == std::fs::read(d.b.join(f)).unwrap();
        assert!(same, "{} differs between two runs", f.display());
    }
    let o = run(
        Command::new("sha256sum")
            .args(["-c", "--strict", "SHA256SUMS"])
            .current_dir(&d.a),
        "sha256sum -c",
    );
    assert_eq!(text(&o.stdout).matches(": OK\n").count(), 2);
}

/// `tar -tv` of a tarball, in UTC with numeric owners: (mode, owner, when, path).
fn listing(tarball: &Path) -> Vec<(String, String, String, String)> {
    let o = run(
        Command::new("tar")
            .args(["--numeric-owner", "--utc", "-tvzf"])
            .arg(tarball)
            .env("TZ", "UTC"),
        "tar -tvzf",
    );
    text(&o.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 6, "one name without blanks per entry: {l}");
            let when = format!("{} {}", f[3], f[4]);
            (f[0].into(), f[1].into(), when, f[5].into())
        })
        .collect()
}

/// The time every entry carries: the commit's, as `YYYY-MM-DD HH:MM` UTC.
fn expected_mtime() -> String {
    let epoch = match head_commit() {
        Some(_) => {
            let o = run(
                Command::new("git")
                    .args(["log", "-1", "--format=%ct", "HEAD"])
                    .current_dir(root()),
                "git log",
            );
            text(&o.stdout).trim().to_string()
        }
        None => EPOCH_OUTSIDE_GIT.to_string(),
    };
    let o = run(
        Command::new("date")
            .args(["-u", "-d", &format!("@{epoch}"), "+%Y-%m-%d %H:%M"])
            .env("TZ", "UTC"),
        "date",
    );
    text(&o.stdout).trim().to_string()
}

#[test]
fn the_tarballs_hold_exactly_the_expected_files_owned_by_root_at_the_commit_time() {
    let d = dist();
    let n = name();
    // The man pages are whatever the clap definitions make: one per command.
    let man = tempfile::tempdir().unwrap();
    run(
        Command::new(env!("CARGO_BIN_EXE_dumpshift"))
            .arg("man")
            .arg(man.path()),
        "dumpshift man",
    );
    let pages: Vec<String> = files_under(man.path())
        .into_iter()
        .map(|p| format!("{n}/man/man1/{}", p.display()))
        .collect();
    assert!(pages.len() > 5 && pages.contains(&format!("{n}/man/man1/dumpshift.1")));
    assert!(pages.contains(&format!("{n}/man/man1/dumpshift-inspect.1")));
    let mut want: Vec<String> = [
        "/",
        "/LICENSE-APACHE",
        "/LICENSE-MIT",
        "/README.md",
        "/complete/",
        "/complete/_dumpshift",
        "/complete/dumpshift.bash",
        "/complete/dumpshift.fish",
        "/dumpshift",
        "/man/",
        "/man/man1/",
    ]
    .iter()
    .map(|p| format!("{n}{p}"))
    .chain(pages)
    .collect();
    want.sort();

    let when = expected_mtime();
    let main = listing(&tarball(&d.a, ""));
    let names: Vec<String> = main.iter().map(|e| e.3.clone()).collect();
    assert_eq!(names, want, "sorted by name, nothing more, nothing less");
    for (mode, owner, at, path) in &main {
        let want_mode = if path.ends_with('/') {
            "drwxr-xr-x"
        } else if path == &format!("{n}/dumpshift") {
            "-rwxr-xr-x"
        } else {
            "-rw-r--r--"
        };
        assert_eq!(
            (mode.as_str(), owner.as_str()),
            (want_mode, "0/0"),
            "{path}"
        );
        assert_eq!(at, &when, "{path}: the commit's time");
    }
    let debug = listing(&tarball(&d.a, "-debug"));
    let entries: Vec<(&str, &str, &str, &str)> = debug
        .iter()
        .map(|(m, o, a, p)| (m.as_str(), o.as_str(), a.as_str(), p.as_str()))
        .collect();
    let file = format!("{n}/dumpshift.debug");
    assert_eq!(
        entries,
        vec![
            ("drwxr-xr-x", "0/0", when.as_str(), format!("{n}/").as_str()),
            ("-rw-r--r--", "0/0", when.as_str(), file.as_str()),
        ]
    );
}

#[test]
fn the_unpacked_binary_needs_only_the_c_library_and_says_what_it_is() {
    let (_host, dir) = unpack(true);
    let bin = dir.join("dumpshift");
    let o = run(
        Command::new("bash")
            .arg(root().join("scripts/dist.sh"))
            .arg("check-binary")
            .arg(&bin),
        "dist.sh check-binary",
    );
    let glibc = text(&o.stdout).trim().to_string();
    assert!(glibc.starts_with("2."), "a glibc 2.x version: {glibc:?}");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains(&format!("glibc {glibc} or newer")));

    let version = text(&bare(&bin, &dir, &["--version"]).stdout);
    let lines: Vec<&str> = version.lines().collect();
    assert_eq!(lines.len(), 3, "{version}");
    assert_eq!(lines[0], format!("dumpshift {}", env!("CARGO_PKG_VERSION")));
    let commit = lines[1].strip_prefix("commit: ").expect(lines[1]);
    match head_commit() {
        Some(head) => assert!(
            commit == head || commit == format!("{head}-dirty"),
            "{commit} is not this tree's commit {head}"
        ),
        None => assert_eq!(commit, "unknown"),
    }
    let latest = std::fs::read_dir(root().join("migrations"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".up.sql")?
                .split('_')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap();
    assert_eq!(lines[2], format!("v2 schema: {latest}"));
    assert_eq!(
        text(&bare(&bin, &dir, &["-V"]).stdout),
        format!("{}\n", lines[0])
    );
    let help = text(&bare(&bin, &dir, &["--help"]).stdout);
    assert!(help.contains("Usage: dumpshift") && help.contains("Exit codes:"));

    // The debug tarball lands beside the binary, under the name and with the
    // build id the binary points at.
    let link = run(
        Command::new("readelf")
            .args(["--string-dump=.gnu_debuglink"])
            .arg(&bin),
        "readelf",
    );
    assert!(text(&link.stdout).contains("dumpshift.debug"));
    let build_id = |file: &Path| {
        let o = run(Command::new("readelf").arg("-n").arg(file), "readelf -n");
        text(&o.stdout)
            .lines()
            .find_map(|l| l.trim().strip_prefix("Build ID: ").map(str::to_string))
            .expect("a GNU build id")
    };
    assert_eq!(build_id(&bin), build_id(&dir.join("dumpshift.debug")));
}

#[test]
fn the_unpacked_binary_migrates_the_example_into_the_golden_load_file_with_a_bare_environment() {
    let (host, dir) = unpack(false);
    // The dump is carried across too: nothing of this checkout is in reach.
    let work = host.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::copy(
        root().join("fixtures/example/life_os_v1_backup.sql"),
        work.join("life_os_v1_backup.sql"),
    )
    .unwrap();
    let o = bare(
        &dir.join("dumpshift"),
        &work,
        &["life_os_v1_backup.sql", "-o", "v2_load.sql"],
    );
    assert!(o.stdout.is_empty(), "stdout carries no data with -o FILE");
    let got = std::fs::read_to_string(work.join("v2_load.sql")).unwrap();
    let want = std::fs::read_to_string(root().join("tests/golden/example_v2_load.sql")).unwrap();
    assert!(
        got == want,
        "the load file differs from tests/golden/example_v2_load.sql"
    );
}

#[test]
fn the_packed_completions_and_man_pages_are_what_the_binary_itself_writes() {
    let (host, dir) = unpack(false);
    let bin = dir.join("dumpshift");
    for (shell, file) in [
        ("bash", "dumpshift.bash"),
        ("zsh", "_dumpshift"),
        ("fish", "dumpshift.fish"),
    ] {
        let o = bare(&bin, &dir, &["completions", shell]);
        let packed = std::fs::read(dir.join("complete").join(file)).unwrap();
        assert!(
            o.stdout == packed,
            "complete/{file} is not `completions {shell}`"
        );
    }
    let fresh = host.path().join("man");
    bare(&bin, &dir, &["man", fresh.to_str().unwrap()]);
    let packed = dir.join("man/man1");
    assert_eq!(files_under(&fresh), files_under(&packed));
    for page in files_under(&fresh) {
        let (a, b) = (fresh.join(&page), packed.join(&page));
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{}",
            page.display()
        );
    }
    let main = std::fs::read_to_string(packed.join("dumpshift.1")).unwrap();
    assert!(main.contains(".TH dumpshift 1") && main.contains("dumpshift\\-inspect(1)"));
}

/// Builds a small C program with `cc`, linked with `flags`.
fn c_program(dir: &Path, flags: &[&str]) -> PathBuf {
    let src = dir.join("main.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let out = dir.join("prog");
    run(
        Command::new("cc")
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .args(flags)
            .current_dir(dir),
        "cc",
    );
    out
}

fn refusal(file: &Path) -> String {
    let o = Command::new("bash")
        .arg(root().join("scripts/dist.sh"))
        .arg("check-binary")
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{} must be refused",
        file.display()
    );
    assert!(o.stdout.is_empty());
    text(&o.stderr)
}

#[test]
fn binaries_needing_more_than_the_c_library_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let lib_src = dir.path().join("extra.c");
    std::fs::write(&lib_src, "int extra(void) { return 1; }\n").unwrap();
    run(
        Command::new("cc")
            .args(["-shared", "-fPIC", "-o", "libextra.so"])
            .arg(&lib_src)
            .current_dir(dir.path()),
        "cc -shared",
    );
    let needs_extra = c_program(dir.path(), &["-L.", "-Wl,--no-as-needed", "-lextra"]);
    let e = refusal(&needs_extra);
    assert!(
        e.contains("needs more than the C library: libextra.so"),
        "{e}"
    );

    let with_rpath = c_program(dir.path(), &["-Wl,-rpath,/opt/build-host/lib"]);
    assert!(refusal(&with_rpath).contains("RPATH or RUNPATH"));

    let plain = c_program(dir.path(), &[]);
    let o = run(
        Command::new("bash")
            .arg(root().join("scripts/dist.sh"))
            .arg("check-binary")
            .arg(&plain),
        "check-binary of a program that needs libc only",
    );
    assert!(text(&o.stdout).trim().starts_with("2."));

    assert!(refusal(&root().join("README.md")).contains("not an x86_64 ELF file"));
}

#[test]
fn a_source_date_epoch_that_is_not_whole_seconds_is_refused_before_building() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new("bash")
        .arg(root().join("scripts/dist.sh"))
        .arg(out.path().join("dist"))
        .env("SOURCE_DATE_EPOCH", "2026-03-01")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("SOURCE_DATE_EPOCH must be whole seconds"));
    assert!(!out.path().join("dist").exists(), "nothing written");
}
