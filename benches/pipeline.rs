//! Criterion benches with `Throughput::Bytes`: the statement splitter, the
//! COPY field decoder, and the whole pipeline (index, check, rewrite) into a
//! sink. Input: `DUMPSHIFT_BENCH_DUMP` if set (e.g. a generated large dump),
//! else the committed hostile fixture.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dumpshift::copy::{codec, scan};
use dumpshift::dump::{self, split::Splitter};
use dumpshift::mapping::{storage_path, Description};
use dumpshift::migrate::{self, Options};

fn input() -> (String, Vec<u8>) {
    let path = std::env::var_os("DUMPSHIFT_BENCH_DUMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/life_os_v1_plain.sql")
        });
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    (path.display().to_string(), data)
}

fn options() -> Options {
    Options {
        input: "bench.sql".into(),
        output: "-".into(),
        storage_root: storage_path::DEFAULT_ROOT.into(),
        force: true,
        quiet: true,
        allow_drop: Vec::new(),
        allow_empty: Vec::new(),
        mapping: Description::life_os(),
        reference: dumpshift::dump::Catalog::from_sql(dumpshift::mapping::LIFE_OS_V1_SCHEMA)
            .expect("parses"),
        target: dumpshift::migrations::embedded(),
        database: None,
        extras: Default::default(),
    }
}

fn benches(c: &mut Criterion) {
    let (name, data) = input();
    let mut g = c.benchmark_group("dumpshift");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function(BenchmarkId::new("split", &name), |b| {
        b.iter(|| Splitter::new(&data).count())
    });

    let idx = dump::index(&data).expect("a valid dump");
    let payloads: Vec<&[u8]> = idx
        .copies
        .iter()
        .map(|c| &data[c.payload.clone()])
        .collect();
    let payload_bytes: u64 = payloads.iter().map(|p| p.len() as u64).sum();
    g.throughput(Throughput::Bytes(payload_bytes));
    g.bench_function(BenchmarkId::new("decode_fields", &name), |b| {
        let mut fields = Vec::new();
        let mut out = Vec::new();
        b.iter(|| {
            for p in &payloads {
                // The scanner the pipeline runs: rows and fields in one sweep.
                scan::for_each_row(p, &mut fields, |_, row| {
                    for f in row {
                        out.clear();
                        codec::decode_into(f, &mut out);
                    }
                    true
                });
            }
            out.len()
        })
    });

    g.throughput(Throughput::Bytes(data.len() as u64));
    let opts = options();
    g.bench_function(BenchmarkId::new("pipeline", &name), |b| {
        b.iter(|| {
            let prepared = migrate::prepare(&name, &data, &opts, None).expect("a valid dump");
            prepared.write(&mut std::io::sink()).expect("written")
        })
    });
    g.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
