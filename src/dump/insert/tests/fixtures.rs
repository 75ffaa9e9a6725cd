//! The fixture dumps: the same database written with COPY, `--inserts` and
//! `--column-inserts` must give the same raw fields.

use std::collections::BTreeMap;
use std::ops::Range;

use super::*;
use crate::copy::scan::{split_fields, Rows};
use crate::dump::split::{Kind, Splitter};
use crate::dump::{self, TableName};

pub(super) fn read_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The byte ranges of the INSERT statements of a dump, in order.
pub(super) fn insert_statements(data: &[u8]) -> Vec<Range<usize>> {
    Splitter::new(data)
        .map(|s| s.expect("the fixture splits"))
        .filter(|s| matches!(&s.kind, Kind::Sql { word } if data[word.clone()].eq_ignore_ascii_case(b"insert")))
        .map(|s| s.start..s.end)
        .collect()
}

type Fields = Vec<Vec<u8>>;

/// A table's column list and rows.
#[derive(Default)]
struct Table {
    columns: Option<Vec<String>>,
    rows: Vec<Fields>,
}

/// Every table's rows, read from the INSERT statements of `data`.
fn insert_tables(data: &[u8]) -> BTreeMap<TableName, Table> {
    let mut tables: BTreeMap<TableName, Table> = BTreeMap::new();
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    for r in insert_statements(data) {
        let stmt = &data[r.clone()];
        let h = parse_header(stmt).unwrap_or_else(|e| panic!("header at {}: {e}", r.start));
        let table = tables.entry(h.table.clone()).or_default();
        table.columns = h.columns.clone();
        let mut t = Tuples::new(stmt, h.values_at, true);
        while t
            .next_tuple(&mut buf, &mut ranges)
            .unwrap_or_else(|e| panic!("row at {}: {e}", r.start + e.byte().unwrap_or(0)))
            .is_some()
        {
            table
                .rows
                .push(ranges.iter().map(|x| buf[x.clone()].to_vec()).collect());
        }
    }
    tables
}

/// Every table's rows, read from the COPY blocks of `data`, and the types
/// of its columns from the DDL.
fn copy_tables(data: &[u8]) -> BTreeMap<TableName, (Table, Vec<String>)> {
    let idx = dump::index(data).expect("the fixture indexes");
    let mut tables = BTreeMap::new();
    let mut fields = Vec::new();
    for c in &idx.copies {
        let def = idx.catalog.get(&c.table).expect("the table's DDL");
        let types = c
            .columns
            .iter()
            .map(|n| {
                let col = def.columns.iter().find(|d| d.name == *n).expect("a column");
                col.type_name.clone()
            })
            .collect();
        let rows = Rows::new(&data[c.payload.clone()])
            .map(|(_, row)| {
                split_fields(row, &mut fields);
                fields.iter().map(|f| f.to_vec()).collect()
            })
            .collect();
        let table = Table {
            columns: Some(c.columns.clone()),
            rows,
        };
        tables.insert(c.table.clone(), (table, types));
    }
    tables
}

/// pg_dump writes the same output text for a value in COPY and in an
/// INSERT, and the lexer turns `true`/`false` into COPY's `t`/`f`: the fields
/// must be byte-identical, with nothing evened out.
fn normalise(_type_name: &str, field: &[u8]) -> Vec<u8> {
    field.to_vec()
}

#[test]
fn column_inserts_give_the_copy_fields() {
    let copy = copy_tables(&read_fixture("life_os_v1_plain.sql"));
    let inserts = insert_tables(&read_fixture("life_os_v1_column_inserts.sql"));
    assert_eq!(copy.len(), 11);
    assert_eq!(
        copy.keys().collect::<Vec<_>>(),
        inserts.keys().collect::<Vec<_>>()
    );
    let mut total = 0;
    for (name, (want, types)) in &copy {
        let got = &inserts[name];
        let want_cols = want.columns.as_ref().unwrap();
        let got_cols = got.columns.as_ref().expect("a column list");
        // Match by column name: the INSERT's column order is its own.
        let order: Vec<usize> = want_cols
            .iter()
            .map(|c| got_cols.iter().position(|g| g == c).expect("the column"))
            .collect();
        assert_eq!(got.rows.len(), want.rows.len(), "{name}");
        for (i, (w, g)) in want.rows.iter().zip(&got.rows).enumerate() {
            assert_eq!(g.len(), got_cols.len(), "{name} row {i}");
            for (k, &j) in order.iter().enumerate() {
                let (a, b) = (normalise(&types[k], &w[k]), normalise(&types[k], &g[j]));
                assert!(
                    a == b,
                    "{name} row {i} column {}: COPY {:?}, INSERT {:?}",
                    want_cols[k],
                    String::from_utf8_lossy(&w[k]),
                    String::from_utf8_lossy(&g[j])
                );
            }
        }
        total += want.rows.len();
    }
    let notes = &copy[&TableName::new("public", "notes")].0.rows;
    let tasks = &copy[&TableName::new("public", "tasks")].0.rows;
    assert_eq!((notes.len(), tasks.len(), total), (9, 43, 125));
}

#[test]
fn inserts_without_column_list_equal_column_inserts() {
    let plain = insert_tables(&read_fixture("life_os_v1_inserts.sql"));
    let named = insert_tables(&read_fixture("life_os_v1_column_inserts.sql"));
    assert_eq!(plain.len(), named.len());
    for (name, table) in &plain {
        assert_eq!(table.columns, None, "{name}");
        // Both follow the table's column order; the fixtures hold the same rows.
        assert!(table.rows == named[name].rows, "{name}");
    }
}

#[test]
fn the_large_note_and_the_dot_lines_survive() {
    let data = read_fixture("life_os_v1_column_inserts.sql");
    let tables = insert_tables(&data);
    let notes = &tables[&TableName::new("public", "notes")];
    let body = notes
        .columns
        .as_ref()
        .unwrap()
        .iter()
        .position(|c| c == "body")
        .unwrap();
    let large = notes.rows.iter().map(|r| r[body].len()).max().unwrap();
    // 3,040,566 bytes of text, a little longer once COPY escapes it.
    assert!(large > 3_040_566, "{large}");
    // Lines that read exactly `\.` in the INSERT file are `\\.` inside one
    // COPY row, so they cannot end a COPY block.
    let dot_lines = data.split(|&b| b == b'\n').filter(|l| *l == b"\\.").count();
    assert_eq!(dot_lines, 17);
    let fields_with_dot = notes
        .rows
        .iter()
        .filter(|r| r[body].windows(5).any(|w| w == b"\\n\\\\."))
        .count();
    assert!(fields_with_dot >= 2, "{fields_with_dot}");
}
