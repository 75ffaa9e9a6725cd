//! The archive reader against the real pg_dump 15 fixtures (their SQL text
//! must be what pg_dump printed in plain format), against synthesized
//! archives of the other versions and compressions, and against
//! deliberately damaged archives, which must be refused with a byte offset.

mod synth;

use std::path::PathBuf;

use super::read::DataPos;
use super::toc::{self, Compression};
use super::{restore, ArchiveError, Info, RestoreError};
use synth::Layout;

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn restored(archive: &[u8]) -> Result<(Vec<u8>, Info), RestoreError> {
    let mut out = Vec::new();
    let info = restore(archive, &mut out)?;
    Ok((out, info))
}

fn refused(archive: &[u8]) -> ArchiveError {
    match restored(archive) {
        Err(RestoreError::Archive(e)) => e,
        Err(RestoreError::Write(e)) => panic!("a write error instead of a refusal: {e}"),
        Ok(_) => panic!("a damaged archive was read without complaint"),
    }
}

/// The plain dump without its `\restrict KEY` and `\unrestrict KEY` lines
/// and the empty line after each: pg_restore chooses the key at random, and
/// dumpshift's text leaves them out.
fn without_restrict(plain: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(plain.len());
    let mut skip_blank = false;
    for l in plain.split_inclusive(|&b| b == b'\n') {
        if l.starts_with(b"\\restrict ") || l.starts_with(b"\\unrestrict ") {
            skip_blank = true;
            continue;
        }
        if !(skip_blank && l == b"\n") {
            out.extend_from_slice(l);
        }
        skip_blank = false;
    }
    out
}

fn assert_same_text(got: &[u8], want: &[u8], what: &str) {
    if got != want {
        let g = String::from_utf8_lossy(got);
        let w = String::from_utf8_lossy(want);
        let line = g.lines().zip(w.lines()).position(|(a, b)| a != b);
        panic!(
            "{what}: the SQL text differs from pg_dump's ({} vs {} bytes), first at line {:?}:\n got: {:?}\nwant: {:?}",
            got.len(),
            want.len(),
            line.map(|l| l + 1),
            line.and_then(|l| g.lines().nth(l)),
            line.and_then(|l| w.lines().nth(l)),
        );
    }
}

#[test]
fn real_archives_give_the_text_pg_dump_wrote_in_plain_format() {
    let cases = [
        ("archive/life_os_v1.dump", "life_os_v1_plain.sql", "gzip"),
        ("archive/life_os_v1_z0.dump", "life_os_v1_plain.sql", "none"),
        (
            "archive/life_os_v1_piped.dump",
            "life_os_v1_plain.sql",
            "gzip",
        ),
        ("archive/supabase_full.dump", "supabase/full.sql", "gzip"),
    ];
    for (dump, plain, compression) in cases {
        let (text, info) = restored(&fixture(dump)).expect(dump);
        assert_same_text(&text, &without_restrict(&fixture(plain)), dump);
        assert_eq!(info.version, "1.14", "{dump}");
        assert_eq!(info.compression.name(), compression, "{dump}");
    }
}

/// pg_dump 17 archives (1.16; lz4, zstd, one written to a pipe) give pg_dump
/// 17's text: for this database, pg_dump 15's plain dump with pg_dump 17's
/// version line and `SET transaction_timeout = 0;`.
#[test]
fn real_pg_dump_17_archives_give_pg_dump_17s_text() {
    let plain = String::from_utf8(without_restrict(&fixture("life_os_v1_plain.sql"))).unwrap();
    let idle = "SET idle_in_transaction_session_timeout = 0;\n";
    let want = plain
        .replacen(
            "-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)",
            "-- Dumped by pg_dump version 17.10",
            1,
        )
        .replacen(idle, &format!("{idle}SET transaction_timeout = 0;\n"), 1);
    for (dump, compression) in [
        ("archive/pg17/life_os_v1_lz4.dump", "lz4"),
        ("archive/pg17/life_os_v1_zstd.dump", "zstd"),
        ("archive/pg17/life_os_v1_zstd_piped.dump", "zstd"),
    ] {
        let (text, info) = restored(&fixture(dump)).expect(dump);
        assert_same_text(&text, want.as_bytes(), dump);
        assert_eq!(info.version, "1.16", "{dump}");
        assert_eq!(info.compression.name(), compression, "{dump}");
    }
}

#[test]
fn the_piped_fixture_has_no_data_offsets_and_the_other_has_them() {
    let piped = fixture("archive/life_os_v1_piped.dump");
    let t = toc::read(&piped).unwrap();
    let data: Vec<_> = t.entries.iter().filter(|e| e.had_dumper).collect();
    assert_eq!(data.len(), 11);
    assert!(data.iter().all(|e| e.data == DataPos::NotSet));
    let seekable = fixture("archive/life_os_v1.dump");
    let t = toc::read(&seekable).unwrap();
    assert!(t
        .entries
        .iter()
        .filter(|e| e.had_dumper)
        .all(|e| matches!(e.data, DataPos::At(_))));
}

#[test]
fn the_text_is_the_same_for_any_number_of_threads() {
    let a = fixture("archive/supabase_full.dump");
    let run = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| restored(&a).unwrap().0)
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}

/// Every archive version and compression dumpshift reads, synthesized from
/// the real 1.14 fixture, gives the fixture's text. Before 1.14 the TOC has
/// no table access method, so pg_restore prints no `SET
/// default_table_access_method`; from 1.16 on the text is pg_restore 17's,
/// with `SET transaction_timeout = 0;` (this database has no view or
/// sequence, whose owner statements change too).
#[test]
fn synthesized_versions_compressions_and_offset_states_give_the_same_text() {
    let real = fixture("archive/life_os_v1.dump");
    let parsed = synth::parse(&real);
    let (want, _) = restored(&real).unwrap();
    let text = String::from_utf8(want.clone()).unwrap();
    let want_pre14 = text
        .replace("SET default_table_access_method = heap;\n\n", "")
        .into_bytes();
    let idle = "SET idle_in_transaction_session_timeout = 0;\n";
    let want_16 = text
        .replacen(idle, &format!("{idle}SET transaction_timeout = 0;\n"), 1)
        .into_bytes();
    for minor in 12..=16u8 {
        let mut codecs = vec![Compression::None, Compression::Gzip];
        if minor >= 15 {
            codecs.extend([Compression::Lz4, Compression::Zstd]);
        }
        for compression in codecs {
            for offsets in [true, false] {
                let l = Layout {
                    minor,
                    compression,
                    offsets,
                    chunk: 4093,
                    cut_streams: false,
                };
                let a = synth::write(&parsed, l);
                let (text, info) = restored(&a).unwrap_or_else(|e| panic!("{l:?}: {e:?}"));
                let expected = match minor {
                    12 | 13 => &want_pre14,
                    16 => &want_16,
                    _ => &want,
                };
                assert_same_text(&text, expected, &format!("synthesized {l:?}"));
                assert_eq!(info.version, format!("1.{minor}"));
                assert_eq!(info.compression, compression);
            }
        }
    }
}

#[test]
fn an_entry_of_no_section_pg_dump_writes_is_refused_at_its_byte() {
    let real = fixture("archive/life_os_v1.dump");
    let mut parsed = synth::parse(&real);
    let l = Layout {
        minor: 15,
        compression: Compression::Gzip,
        offsets: true,
        chunk: 4096,
        cut_streams: false,
    };
    let i = parsed.entries.len() / 2;
    let id = parsed.entries[i].dump_id;
    for bad in [0, 5, 7, -1] {
        parsed.entries[i].section = bad;
        let e = refused(&synth::write(&parsed, l));
        assert!(
            e.message
                .contains(&format!("TOC entry id {id} has section {bad}")),
            "{bad}: {e}"
        );
        assert!(e.byte > 0, "{e}");
    }
}

#[test]
fn a_compressed_stream_cut_short_inside_intact_chunks_is_refused() {
    let real = fixture("archive/life_os_v1.dump");
    let parsed = synth::parse(&real);
    for compression in [Compression::Gzip, Compression::Lz4, Compression::Zstd] {
        let l = Layout {
            minor: 16,
            compression,
            offsets: true,
            chunk: 4096,
            cut_streams: true,
        };
        let e = refused(&synth::write(&parsed, l));
        assert!(
            e.message.starts_with("the data of public."),
            "{compression:?}: {e}"
        );
    }
}

#[test]
fn a_truncated_archive_is_refused_at_a_byte_offset_wherever_it_is_cut() {
    for name in ["archive/life_os_v1.dump", "archive/life_os_v1_piped.dump"] {
        let a = fixture(name);
        for cut in (5..a.len()).step_by(a.len() / 97) {
            let e = refused(&a[..cut]);
            assert!(e.byte <= cut as u64, "{name} cut at {cut}: {e}");
            assert!(
                e.message.contains("truncated") || e.message.contains("ends"),
                "{name} cut at {cut}: {e}"
            );
        }
    }
}

#[test]
fn a_corrupt_zlib_stream_is_refused_naming_the_table() {
    let mut a = fixture("archive/life_os_v1.dump");
    let t = toc::read(&a).unwrap();
    let tasks = t
        .entries
        .iter()
        .find(|e| e.desc == b"TABLE DATA" && e.tag == Some(b"tasks"))
        .unwrap();
    let DataPos::At(block) = tasks.data else {
        panic!("offsets are set")
    };
    // Past the block type, the dump id, the first chunk length and the
    // zlib header: into the deflate data.
    let at = block as usize + 1 + 5 + 5 + 40;
    a[at] ^= 0xff;
    a[at + 1] ^= 0x55;
    let e = refused(&a);
    assert!(e.message.contains("public.tasks"), "{e}");
    assert!(e.message.contains("corrupt"), "{e}");
    assert!(e.byte >= block && e.byte < a.len() as u64, "{e}");
}

#[test]
fn a_data_offset_past_the_end_is_refused_at_the_end() {
    // One bit flipped in the table of contents of the -Z 0 fixture sends a
    // table's data offset far past the end (a case the damage proptest
    // found): the refusal points at the end, where the bytes run out.
    let mut a = fixture("archive/life_os_v1_z0.dump");
    a[8789] ^= 1;
    let e = refused(&a);
    assert_eq!(e.byte, a.len() as u64, "{e}");
    assert!(e.message.contains("past the end of the archive"), "{e}");
}

#[test]
fn unknown_archive_versions_and_formats_are_refused() {
    let a = fixture("archive/life_os_v1.dump");
    for (minor, shown) in [(17u8, "1.17.0"), (11, "1.11.0")] {
        let mut b = a.clone();
        b[6] = minor;
        let e = refused(&b);
        assert_eq!(e.byte, 5);
        assert!(
            e.message.contains(shown) && e.message.contains("1.12 to 1.16"),
            "{e}"
        );
    }
    let mut dir = a.clone();
    dir[10] = 5;
    assert!(refused(&dir).message.contains("pg_dump -Fd"));
    let mut level = a.clone();
    level[12] = 42;
    assert!(refused(&level).message.contains("compression level"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Damage anywhere, most often in the header and table of contents where
    /// the parsing decisions are: the reader refuses or reads, never panics,
    /// and a refusal points inside the archive.
    #[test]
    fn damaged_archives_never_panic(
        flips in proptest::collection::vec((0usize..1 << 20, 1u8..=255), 1..8),
        near_start in proptest::bool::ANY,
        zlib in proptest::bool::ANY,
    ) {
        let mut a = fixture(if zlib { "archive/life_os_v1.dump" } else { "archive/life_os_v1_z0.dump" });
        let span = if near_start { 40_000 } else { a.len() };
        for (at, x) in flips {
            let i = at % span;
            a[i] ^= x;
        }
        match restored(&a) {
            Ok(_) => {}
            Err(RestoreError::Archive(e)) => proptest::prop_assert!(e.byte <= a.len() as u64),
            Err(RestoreError::Write(e)) => proptest::prop_assert!(false, "write error {e}"),
        }
    }
}

/// The real pg_dump 15 tar, read as a whole and through its parts: its SQL
/// text is the plain dump's, like the -Fc archive's.
fn tar_restored(tar: &[u8]) -> Result<Vec<u8>, ArchiveError> {
    let members = super::tar::read(tar)?;
    let (at, toc) = members.toc()?;
    let mut out = Vec::new();
    match super::restore_files(toc, at, &super::Source::Tar(&members.members), &mut out) {
        Ok(_) => Ok(out),
        Err(RestoreError::Archive(e)) => Err(e),
        Err(RestoreError::Write(e)) => panic!("write error {e}"),
    }
}

#[test]
fn the_tar_and_the_directory_give_the_plain_dumps_text() {
    let plain = without_restrict(&fixture("life_os_v1_plain.sql"));
    let text = tar_restored(&fixture("archive/life_os_v1.tar")).unwrap();
    assert_same_text(&text, &plain, "life_os_v1.tar");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive/life_os_v1_dir");
    let mut out = Vec::new();
    let toc = fixture("archive/life_os_v1_dir/toc.dat");
    super::restore_files(&toc, 0, &super::Source::Directory(&dir), &mut out).unwrap();
    assert_same_text(&out, &plain, "life_os_v1_dir");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Damage in the tar headers and the toc.dat member, or a cut anywhere:
    /// refused inside the tar or read, never a panic.
    #[test]
    fn damaged_tars_never_panic(
        flips in proptest::collection::vec((0usize..40_000, 1u8..=255), 0..6),
        cut in proptest::option::of(0usize..3_403_264),
    ) {
        let mut t = fixture("archive/life_os_v1.tar");
        for (at, x) in flips {
            t[at] ^= x;
        }
        if let Some(c) = cut {
            t.truncate(c);
        }
        if let Err(e) = tar_restored(&t) {
            proptest::prop_assert!(e.byte <= t.len() as u64, "{e}");
        }
    }
}
