//! What `migrate` decides before a row is checked: which tables of the dump
//! are read and in which order, which database of a pg_dumpall file, and
//! which foreign keys point where. The dumps are real pg_dump and
//! pg_dumpall output (fixtures/), whole or cut at a statement boundary; a
//! bad input is a real dump with one defect.

use super::*;
use crate::mapping::load::Mapping;

const SUPABASE: &str = include_str!("../../fixtures/supabase/db_dump_data_only_use_copy.sql");
const DUMPALL: &str = include_str!("../../fixtures/pg_dumpall.sql");
const PLAIN: &str = include_str!("../../fixtures/life_os_v1_data_only.sql");

/// The built-in mapping's options, accepting `allow_empty` tables.
fn options(allow_empty: &[&str]) -> Options {
    let m = Mapping::built_in();
    Options {
        input: "-".into(),
        output: "-".into(),
        storage_root: "/opt/lifeos/storage/files".into(),
        force: false,
        quiet: true,
        allow_drop: Vec::new(),
        allow_empty: allow_empty.iter().map(|t| t.to_string()).collect(),
        mapping: m.description,
        reference: m.reference,
        target: m.target,
        database: None,
        extras: Extras::default(),
    }
}

/// The part of `dump` from its start up to the line that starts with
/// `stop` (a statement or comment boundary pg_dump wrote).
fn cut<'a>(dump: &'a str, stop: &str) -> &'a str {
    let at = dump
        .find(&format!("\n{stop}"))
        .expect("the boundary is there");
    &dump[..=at]
}

/// The lines of `dump` from the `COPY` of `table` to its `\.`.
fn copy_block<'a>(dump: &'a str, table: &str) -> &'a str {
    let start = dump
        .find(&format!("\nCOPY {table} "))
        .expect("the table is there")
        + 1;
    let end = start + dump[start..].find("\n\\.\n").expect("the block ends") + 4;
    &dump[start..end]
}

fn labels(works: &[Work]) -> Vec<String> {
    works.iter().map(|w| w.label.clone()).collect()
}

fn select_all<'a>(
    opts: &Options,
    data: &'a [u8],
) -> (Result<Vec<Work<'a>>, Vec<DataError>>, Summary) {
    let idx = dump::index(data).unwrap();
    let mut summary = Summary::default();
    (select(opts, data, &idx, &mut summary, None), summary)
}

fn messages(errors: &[DataError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_mapped_table_is_selected_in_mapping_order_whatever_the_dump_order() {
    let opts = options(&[]);
    let (works, summary) = select_all(&opts, SUPABASE.as_bytes());
    let works = works.map_err(|e| messages(&e)).unwrap();
    let want: Vec<String> = opts
        .mapping
        .tables
        .iter()
        .map(|t| format!("public.{}", t.source))
        .collect();
    assert_eq!(labels(&works), want);
    // The dump lists tasks before context_types, which its lookup reads;
    // the load follows the mapping.
    let dump_order: Vec<String> = dump::index(SUPABASE.as_bytes())
        .unwrap()
        .copies
        .iter()
        .map(|c| c.table.name.clone())
        .collect();
    let pos = |n: &str| dump_order.iter().position(|t| t == n).unwrap();
    assert!(pos("tasks") < pos("context_types"));
    assert!(summary.allowed_empty.is_empty());
}

#[test]
fn tables_the_mapping_does_not_cover_are_ignored_with_their_row_counts() {
    let (works, summary) = select_all(&options(&[]), SUPABASE.as_bytes());
    assert!(works.is_ok());
    let ignored: Vec<(String, String)> = summary
        .ignored
        .iter()
        .map(|i| (i.table.clone(), i.data.clone()))
        .collect();
    assert_eq!(
        ignored,
        vec![
            ("public.UserPrefs".to_string(), "4 rows".to_string()),
            ("public.audit log".to_string(), "3 rows".to_string()),
        ]
    );
}

#[test]
fn a_mapped_table_without_data_is_refused_unless_allowed_empty() {
    let data = format!(
        "{}{}",
        cut(PLAIN, "-- Data for Name: domains"),
        copy_block(PLAIN, "public.domains")
    );
    let (works, _) = select_all(&options(&[]), data.as_bytes());
    let errors = messages(&works.err().expect("refused"));
    assert!(
        errors.contains("no data for mapped table public.areas"),
        "{errors}"
    );
    assert!(!errors.contains("public.domains:"), "{errors}");

    let others: Vec<String> = options(&[])
        .mapping
        .tables
        .iter()
        .map(|t| t.source.clone())
        .filter(|t| t != "domains")
        .collect();
    let others: Vec<&str> = others.iter().map(String::as_str).collect();
    let (works, summary) = select_all(&options(&others), data.as_bytes());
    let works = works.map_err(|e| messages(&e)).unwrap();
    assert_eq!(labels(&works), ["public.domains"]);
    assert_eq!(summary.allowed_empty.len(), others.len());
}

#[test]
fn a_table_whose_data_appears_twice_is_refused_at_the_second_copy() {
    let block = copy_block(PLAIN, "public.domains");
    let data = format!(
        "{}{block}\n{block}",
        cut(PLAIN, "-- Data for Name: domains")
    );
    let idx = dump::index(data.as_bytes()).unwrap();
    let name = TableName::new("public", "domains");
    let second = idx.copies[1].header_at;
    let err = source(data.as_bytes(), &idx, &name).err().expect("refused");
    assert_eq!(
        err,
        DataError::new("the table's data appears more than once in the dump").at(second)
    );
}

#[test]
fn foreign_keys_point_at_the_referenced_tables_work_and_a_self_reference_is_marked() {
    let (works, _) = select_all(&options(&[]), SUPABASE.as_bytes());
    let works = works.map_err(|e| messages(&e)).unwrap();
    let at = |label: &str| works.iter().position(|w| w.label == label).unwrap();
    let fk = |table: &str, column: &str| {
        let w = &works[at(table)];
        let field = w.plan.field(column).unwrap();
        let f = w
            .fks
            .iter()
            .find(|f| f.field == field)
            .expect("a foreign key");
        (f.target, f.target_label.clone())
    };
    assert_eq!(
        fk("public.areas", "domain_id"),
        (Some(at("public.domains")), "public.domains".to_string())
    );
    assert_eq!(
        fk("public.projects", "area_id"),
        (Some(at("public.areas")), "public.areas".to_string())
    );
    // Every key points at a table loaded before it, but a table's own.
    for (i, w) in works.iter().enumerate() {
        for f in &w.fks {
            let target = f.target.expect("every referenced table is in this dump");
            assert!(target <= i, "{} -> {}", w.label, f.target_label);
        }
    }
    let tasks = &works[at("public.tasks")];
    assert_eq!(tasks.self_fk, tasks.plan.field("parent_id"));
    assert!(works
        .iter()
        .filter(|w| w.label != "public.tasks")
        .all(|w| w.self_fk.is_none()));
}

fn mapped(t: &TableName) -> bool {
    t.schema == "public" && options(&[]).mapping.table(&t.name).is_some()
}

/// The database names of a `choose_database` error, or the section chosen.
fn choose(data: &str, wanted: Option<&str>) -> Result<DumpIndex, String> {
    let idx = dump::index(data.as_bytes()).unwrap();
    choose_database(data.as_bytes(), idx, wanted, &mapped).map_err(|e| e.to_string())
}

#[test]
fn the_only_database_of_a_pg_dumpall_file_with_mapped_data_is_chosen() {
    // The cluster dump up to its second Life OS database: template1, crm
    // (other tables) and lifeos_v1.
    let data = cut(DUMPALL, "-- Database \"lifeos_v1_copy\" dump");
    let start = data.find("\\connect lifeos_v1\n").unwrap();
    let idx = choose(data, None).unwrap();
    assert_eq!(idx.copies.len(), 11);
    assert!(idx.copies.iter().all(|c| c.header_at > start));
}

#[test]
fn several_databases_with_mapped_data_need_database_and_it_picks_one() {
    let err = choose(DUMPALL, None).unwrap_err();
    assert!(
        err.contains("several databases (lifeos_v1, lifeos_v1_copy)"),
        "{err}"
    );
    assert!(err.contains("--database NAME"), "{err}");
    let copy_at = DUMPALL.find("\\connect lifeos_v1_copy\n").unwrap();
    let idx = choose(DUMPALL, Some("lifeos_v1_copy")).unwrap();
    assert_eq!(idx.copies.len(), 11);
    assert!(idx.copies.iter().all(|c| c.header_at > copy_at));
    let idx = choose(DUMPALL, Some("lifeos_v1")).unwrap();
    assert!(idx.copies.iter().all(|c| c.header_at < copy_at));
}

#[test]
fn a_database_the_file_does_not_hold_is_refused_naming_those_it_holds() {
    let err = choose(DUMPALL, Some("lifeos")).unwrap_err();
    assert!(
        err.starts_with("--database lifeos: the dump holds the databases "),
        "{err}"
    );
    for db in [
        "template1",
        "crm",
        "lifeos_v1",
        "lifeos_v1_copy",
        "postgres",
    ] {
        assert!(err.contains(db), "{err}");
    }
}

#[test]
fn database_on_a_dump_of_one_database_is_refused_and_without_it_the_dump_is_read_whole() {
    let err = choose(PLAIN, Some("lifeos_v1")).unwrap_err();
    assert!(err.contains("no \\connect sections"), "{err}");
    let whole = dump::index(PLAIN.as_bytes()).unwrap().copies.len();
    assert_eq!(choose(PLAIN, None).unwrap().copies.len(), whole);
}
