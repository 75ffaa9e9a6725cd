//! Damaged `pg_dump -Fd` directories, `-Ft` tars and xz, bzip2 and lz4
//! streams, each made by cutting or editing a real one (the fixtures of
//! `archive/`, or a dump pg_dump makes at test time), and the paths that
//! are no dump: a folder without toc.dat, an empty folder, a dangling link.
//!
//! Owns the promise that each is refused with exit 1, naming the file that
//! is wrong and the byte where (the data file of a directory, the toc.dat
//! byte that names a missing one, the tar's byte, the compressed byte),
//! with no output left and the input untouched; and that links to a
//! directory or a tar, and a `-Fd -Z 0` directory, read like the real thing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{convert, dumpshift, fixture, stderr, Cluster};

/// Every file under `dir` with its bytes, to tell that nothing changed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let meta = fs::symlink_metadata(&p).unwrap();
        if meta.is_dir() {
            all.extend(snapshot(&p));
        } else if meta.is_file() {
            all.insert(p.clone(), fs::read(&p).unwrap());
        } else {
            all.insert(p.clone(), Vec::new());
        }
    }
    all
}

/// Runs dumpshift on `input` (inside `work`) into `work/out/v2_load.sql`:
/// exit 1, nothing in `out`, every file of `work` as it was; the message.
fn refuse(work: &Path, input: &Path) -> String {
    let out_dir = work.join("out");
    fs::create_dir_all(&out_dir).unwrap();
    let before = snapshot(work);
    let out = out_dir.join("v2_load.sql");
    let o = dumpshift([
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}: {e}", input.display());
    assert!(
        snapshot(work) == before,
        "{}: files changed or left: {e}",
        input.display()
    );
    assert_eq!(fs::read_dir(&out_dir).unwrap().count(), 0, "{e}");
    e
}

/// A copy of the fixture directory `name` in `work`.
fn copy_dir(name: &str, work: &Path) -> PathBuf {
    let to = work.join(Path::new(name).file_name().unwrap());
    fs::create_dir_all(&to).unwrap();
    for e in fs::read_dir(fixture(name)).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    to
}

/// The largest data file of a directory archive: the notes table.
fn largest_data_file(dir: &Path) -> PathBuf {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "toc.dat")
        .max_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap()
}

fn cut(path: &Path, keep: u64) {
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(keep)
        .unwrap();
}

#[test]
fn a_directory_archive_missing_a_data_file_is_refused_at_the_toc_entry_naming_it() {
    let work = tempfile::tempdir().unwrap();
    let dir = copy_dir("archive/life_os_v1_dir", work.path());
    let gone = largest_data_file(&dir);
    fs::remove_file(&gone).unwrap();
    let e = refuse(work.path(), &dir);
    let stem = gone.file_stem().unwrap().to_string_lossy().to_string(); // NNNN.dat
    assert!(
        e.contains(&format!("{} (byte ", dir.join("toc.dat").display())),
        "{e}"
    );
    assert!(
        e.contains(&format!("{} is missing", dir.join(&stem).display())),
        "{e}"
    );
    assert!(e.contains("public.notes"), "{e}");
}

#[test]
fn a_truncated_or_corrupt_data_file_is_refused_at_its_compressed_byte() {
    for name in [
        "archive/life_os_v1_dir",
        "archive/pg17/life_os_v1_dir_lz4",
        "archive/pg17/life_os_v1_dir_zstd",
    ] {
        let work = tempfile::tempdir().unwrap();
        let dir = copy_dir(name, work.path());
        let data = largest_data_file(&dir);
        let whole = fs::read(&data).unwrap();
        cut(&data, whole.len() as u64 / 2);
        let e = refuse(work.path(), &dir);
        assert!(
            e.contains(&format!("{} (compressed byte ", data.display())),
            "{name}: {e}"
        );
        assert!(
            e.contains("truncated") && e.contains("public.notes"),
            "{name}: {e}"
        );

        let mut bad = whole.clone();
        let at = whole.len() / 2;
        for b in &mut bad[at..at + 32] {
            *b ^= 0x5a;
        }
        fs::write(&data, &bad).unwrap();
        let e = refuse(work.path(), &dir);
        if name.ends_with("lz4") {
            // pg_dump's lz4 frames carry no checksum: the damage shows in
            // the SQL text the archive stands for.
            assert!(
                e.contains(&format!("{} (as SQL):", dir.display())),
                "{name}: {e}"
            );
            continue;
        }
        assert!(
            e.contains(&format!("{} (compressed byte ", data.display())),
            "{name}: {e}"
        );
        assert!(e.contains("corrupt"), "{name}: {e}");
    }
}

/// `-Fd -Z 0` writes the data uncompressed: a file cut at a line's end
/// still reads, so the missing `\.` at its end is what tells.
#[test]
fn an_uncompressed_directory_reads_and_one_cut_short_is_refused() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("archive_files_z0");
    cluster.exec_file(&db, &fixture("life_os_v1_plain.sql"));
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("v1dir");
    common::pg_dump_to(cluster, &db, &["-Fd", "-Z", "0"], &dir);
    let plain = work.path().join("v1.sql");
    common::pg_dump_to(cluster, &db, &[], &plain);
    let sub = work.path().join("a");
    fs::create_dir(&sub).unwrap();
    let want = fs::read(convert(&plain, &sub, &["-q"])).unwrap();
    fs::remove_dir_all(&sub).unwrap();
    fs::create_dir(&sub).unwrap();
    let got = fs::read(convert(&dir, &sub, &["-q"])).unwrap();
    assert!(
        got == want,
        "-Fd -Z 0 gives another load file than the plain dump"
    );
    fs::remove_dir_all(&sub).unwrap();
    fs::remove_file(&plain).unwrap();

    let data = largest_data_file(&dir);
    assert_eq!(data.extension().unwrap(), "dat");
    let text = fs::read(&data).unwrap();
    let half = text.len() / 2;
    let line_end = half + text[half..].iter().position(|&b| b == b'\n').unwrap() + 1;
    cut(&data, line_end as u64);
    let e = refuse(work.path(), &dir);
    assert!(
        e.contains(&format!("{} (byte {line_end})", data.display())),
        "{e}"
    );
    assert!(
        e.contains("end marker") && e.contains("public.notes"),
        "{e}"
    );
}

#[test]
fn a_truncated_tar_is_refused_at_its_byte_wherever_it_was_cut() {
    let tar = fs::read(fixture("archive/life_os_v1.tar")).unwrap();
    // Inside the toc.dat, inside a header, inside the tasks member, just
    // after a member (a cut at a 512-byte boundary), and before the end
    // blocks only.
    let boundary = {
        let size = usize::from_str_radix(
            std::str::from_utf8(&tar[124..135])
                .unwrap()
                .trim_matches(|c| c == ' ' || c == '\0'),
            8,
        )
        .unwrap();
        512 + size.div_ceil(512) * 512
    };
    for keep in [
        3000,
        boundary + 100,
        tar.len() / 2,
        boundary,
        tar.len() - 1024,
    ] {
        let work = tempfile::tempdir().unwrap();
        let input = work.path().join("v1.tar");
        fs::write(&input, &tar[..keep]).unwrap();
        let e = refuse(work.path(), &input);
        assert!(
            e.contains(&format!("{} (archive byte ", input.display())) && e.contains("truncated"),
            "cut at {keep}: {e}"
        );
    }
}

#[test]
fn a_tar_with_a_damaged_header_or_no_toc_is_refused() {
    let tar = fs::read(fixture("archive/life_os_v1.tar")).unwrap();
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("v1.tar");
    let mut bad = tar.clone();
    bad[130] ^= 0x01; // a digit of toc.dat's size
    fs::write(&input, &bad).unwrap();
    let e = refuse(work.path(), &input);
    assert!(
        e.contains("(archive byte 0): ") && e.contains("checksum"),
        "{e}"
    );

    // A tar made of a -Fd directory by tar itself: no toc.dat at the top.
    let made = work.path().join("dir.tar");
    let o = Command::new("tar")
        .arg("-cf")
        .arg(&made)
        .arg("-C")
        .arg(fixture("archive"))
        .arg("life_os_v1_dir")
        .output()
        .expect("run tar");
    assert!(o.status.success(), "{}", stderr(&o));
    fs::remove_file(&input).unwrap();
    let e = refuse(work.path(), &made);
    assert!(
        e.contains("without a toc.dat member") && e.contains("tar -xf"),
        "{e}"
    );
}

#[test]
fn corrupt_and_truncated_xz_bzip2_and_lz4_streams_are_refused() {
    for name in [
        "archive/life_os_v1_plain.sql.xz",
        "archive/life_os_v1_plain.sql.bz2",
        "archive/life_os_v1_plain.sql.lz4",
        "archive/pg17/life_os_v1_plain.sql.lz4",
        "archive/life_os_v1.tar.xz",
    ] {
        let whole = fs::read(fixture(name)).unwrap();
        let work = tempfile::tempdir().unwrap();
        let input = work.path().join("v1_bad");
        fs::write(&input, &whole[..whole.len() / 2]).unwrap();
        let e = refuse(work.path(), &input);
        assert!(
            e.contains(&format!("{} (compressed byte ", input.display()))
                && e.contains("truncated"),
            "{name}: {e}"
        );
        let mut bad = whole.clone();
        let at = whole.len() / 2;
        for b in &mut bad[at..at + 32] {
            *b ^= 0x3c;
        }
        fs::write(&input, &bad).unwrap();
        let e = refuse(work.path(), &input);
        // pg_dump 17's lz4 frames carry no checksum: the damage shows in
        // the SQL text instead.
        let found = if name.starts_with("archive/pg17/") {
            format!("{} (as SQL):", input.display())
        } else {
            format!("{} (compressed byte ", input.display())
        };
        assert!(e.contains(&found), "{name}: {e}");
    }
}

/// A whole stream intact around a cut archive: the byte counts in the
/// archive the stream holds.
#[test]
fn a_truncated_archive_inside_an_intact_gzip_stream_is_refused_at_its_decompressed_byte() {
    let a = fs::read(fixture("archive/life_os_v1.dump")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &a[..a.len() / 2]).unwrap();
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("v1.dump.gz");
    fs::write(&input, gz.finish().unwrap()).unwrap();
    let e = refuse(work.path(), &input);
    assert!(
        e.contains(&format!("{} (decompressed archive byte ", input.display()))
            && e.contains("truncated"),
        "{e}"
    );
}

#[test]
fn folders_that_are_no_dump_and_dangling_links_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let e = refuse(work.path(), &empty);
    assert!(
        e.contains("is a directory, not a dump file") && e.contains("it is empty"),
        "{e}"
    );

    // The data files of a directory archive without its toc.dat.
    let dir = copy_dir("archive/life_os_v1_dir", work.path());
    fs::remove_file(dir.join("toc.dat")).unwrap();
    let e = refuse(work.path(), &dir);
    assert!(e.contains("it holds no toc.dat"), "{e}");
    fs::remove_dir_all(&dir).unwrap();

    // A folder of plain dumps is not a dump either.
    let e = refuse(work.path(), &fixture("example"));
    assert!(e.contains("it holds no toc.dat"), "{e}");

    let link = work.path().join("link");
    std::os::unix::fs::symlink(work.path().join("nowhere"), &link).unwrap();
    let e = refuse(work.path(), &link);
    assert!(e.contains(&link.display().to_string()), "{e}");
}

#[test]
fn links_to_a_directory_archive_and_to_a_tar_read_like_them() {
    let work = tempfile::tempdir().unwrap();
    let plain = fixture("life_os_v1_plain.sql");
    let sub = work.path().join("plain");
    fs::create_dir(&sub).unwrap();
    let want = fs::read(convert(&plain, &sub, &["-q"])).unwrap();
    for (i, target) in ["archive/life_os_v1_dir", "archive/life_os_v1.tar"]
        .iter()
        .enumerate()
    {
        let link = work.path().join(format!("link{i}"));
        std::os::unix::fs::symlink(fixture(target), &link).unwrap();
        let sub = work.path().join(i.to_string());
        fs::create_dir(&sub).unwrap();
        let got = fs::read(convert(&link, &sub, &["-q"])).unwrap();
        assert!(got == want, "{target} through a link: another load file");
    }
}

#[test]
fn a_toc_dat_on_stdin_is_refused_naming_its_directory() {
    let o = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args(["-", "-o", "-", "-q"])
        .stdin(fs::File::open(fixture("archive/life_os_v1_dir/toc.dat")).unwrap())
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("- is the toc.dat of a pg_dump -Fd (directory) archive"),
        "{}",
        stderr(&o)
    );
}

/// Rows are checked in the SQL text the archive stands for, as for -Fc.
#[test]
fn problems_in_the_rows_of_a_directory_archive_name_it_as_sql() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("archive_files_rows");
    cluster.exec_file(&db, &fixture("life_os_v1_plain.sql"));
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("v1dir");
    common::pg_dump_to(cluster, &db, &["-Fd", "-Z", "0"], &dir);
    // The first domain's id, at the start of its data file, made a bad UUID.
    let first = "bda47f5a-01a4-4118-991e-8a2afdd911cb\tWork\t";
    let mut edited = false;
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let text = fs::read(&p).unwrap();
        if text.starts_with(first.as_bytes()) {
            let bad = [&b"not-a-uuid"[..], &text[36..]].concat();
            fs::write(&p, bad).unwrap();
            edited = true;
        }
    }
    assert!(edited, "a domains row named Work");
    let e = refuse(work.path(), &dir);
    assert!(
        e.contains(&format!("{} (as SQL):", dir.display())) && e.contains("public.domains"),
        "{e}"
    );
}

#[test]
fn inspect_names_each_form_and_its_compression() {
    for (input, form) in [
        (
            "archive/life_os_v1_dir",
            "directory-format (-Fd) archive 1.14 (data: gzip)",
        ),
        (
            "archive/pg17/life_os_v1_dir_lz4",
            "directory-format (-Fd) archive 1.16 (data: lz4)",
        ),
        (
            "archive/life_os_v1.tar",
            "tar-format (-Ft) archive 1.14 (data: none)",
        ),
        (
            "archive/life_os_v1.tar.xz",
            "tar-format (-Ft) archive 1.14 (data: none), the whole archive xz-compressed",
        ),
        (
            "archive/life_os_v1.dump.gz",
            "custom-format (-Fc) archive 1.14 (data: gzip), the whole archive gzip-compressed",
        ),
        ("archive/life_os_v1_plain.sql.xz", "xz-compressed SQL"),
        ("archive/life_os_v1_plain.sql.bz2", "bzip2-compressed SQL"),
        (
            "archive/pg17/life_os_v1_plain.sql.lz4",
            "lz4-compressed SQL",
        ),
    ] {
        let o = dumpshift(["inspect".as_ref(), fixture(input).as_os_str()]);
        assert!(o.status.success(), "{input}: {}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        let line = text.lines().find(|l| l.trim_start().starts_with("form "));
        assert_eq!(
            line.map(|l| l.trim_start()["form".len()..].trim_start()),
            Some(format!("{form}, rows as COPY").as_str()),
            "{input}"
        );
    }
}

/// Every file of a directory archive is part of the dump: even `--force`
/// does not write the load over one of them.
#[test]
fn the_output_never_replaces_a_file_of_the_input_directory() {
    let work = tempfile::tempdir().unwrap();
    let dir = copy_dir("archive/life_os_v1_dir", work.path());
    let before = snapshot(work.path());
    let data = largest_data_file(&dir);
    for (input, out) in [
        (dir.clone(), data.clone()),
        (dir.join("toc.dat"), data.clone()),
        (dir.clone(), dir.join("toc.dat")),
    ] {
        let o = dumpshift([
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--force".as_ref(),
            "-q".as_ref(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("a file of the input dump directory"),
            "{}",
            stderr(&o)
        );
        assert!(snapshot(work.path()) == before, "{}", out.display());
    }
    // A new file there is no part of the dump.
    let out = dir.join("v2_load.sql");
    let o = dumpshift([
        dir.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_fifo_as_the_toc_dat_of_a_directory_is_refused_without_waiting_for_a_writer() {
    let work = tempfile::tempdir().unwrap();
    let dir = copy_dir("archive/life_os_v1_dir", work.path());
    fs::remove_file(dir.join("toc.dat")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.join("toc.dat"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = work.path().join("v2_load.sql");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("dumpshift waited on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut e = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut e).unwrap();
    assert_eq!(status.code(), Some(1), "{e}");
    assert!(e.contains("its toc.dat is not a regular file"), "{e}");
    assert!(!out.exists());
}
