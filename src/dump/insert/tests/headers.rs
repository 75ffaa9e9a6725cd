//! INSERT headers: the fixtures' two forms, Supabase's quoted form,
//! OVERRIDING, and the headers that must be refused.

use super::fixtures::{insert_statements, read_fixture};
use super::*;
use crate::dump::insert::HeaderCache;
use crate::dump::TableName;

fn cols(names: &[&str]) -> Option<Vec<String>> {
    Some(names.iter().map(|s| s.to_string()).collect())
}

#[test]
fn fixture_inserts_have_no_column_list() {
    let data = read_fixture("life_os_v1_inserts.sql");
    let stmts = insert_statements(&data);
    let first = &data[stmts[0].clone()];
    assert!(first.starts_with(b"INSERT INTO public.areas VALUES ('9b241df2-"));
    let h = parse_header(first).unwrap();
    assert_eq!(h.table, TableName::new("public", "areas"));
    assert_eq!(h.columns, None);
    assert_eq!(h.values_at, "INSERT INTO public.areas VALUES ".len());
}

#[test]
fn fixture_column_inserts_name_every_column() {
    let data = read_fixture("life_os_v1_column_inserts.sql");
    let stmts = insert_statements(&data);
    let first = &data[stmts[0].clone()];
    let h = parse_header(first).unwrap();
    assert_eq!(h.table, TableName::new("public", "areas"));
    assert_eq!(
        h.columns,
        cols(&["id", "domain_id", "name", "description", "created_at"])
    );
    assert_eq!(first[h.values_at], b'(');
    assert!(first[..h.values_at].ends_with(b"created_at) VALUES "));
}

#[test]
fn supabase_quoted_rows_per_insert() {
    let stmt = "INSERT INTO \"public\".\"tasks\" (\"id\", \"title\") VALUES\n\t('a1', 'One'),\n\t('b2', 'Two, \"quoted\"');";
    let h = parse_header(stmt.as_bytes()).unwrap();
    assert_eq!(h.table, TableName::new("public", "tasks"));
    assert_eq!(h.columns, cols(&["id", "title"]));
    assert_eq!(
        lex_stmt(stmt.as_bytes(), true).unwrap(),
        vec![
            vec![b"a1".to_vec(), b"One".to_vec()],
            vec![b"b2".to_vec(), b"Two, \"quoted\"".to_vec()]
        ]
    );
}

#[test]
fn overriding_system_or_user_value() {
    for kind in ["SYSTEM", "USER", "system"] {
        let stmt = format!("INSERT INTO public.t (id) OVERRIDING {kind} VALUE VALUES (1);");
        let h = parse_header(stmt.as_bytes()).unwrap();
        assert_eq!(h.table, TableName::new("public", "t"));
        assert_eq!(h.columns, cols(&["id"]));
        assert_eq!(&stmt[h.values_at..], "(1);");
    }
}

#[test]
fn values_inside_names_strings_and_comments_is_not_the_keyword() {
    let stmt = "INSERT INTO \"Values\".\"values\" /* VALUES ( */ (\"values\", \"VALUES\") -- VALUES (\n VALUES ('values');";
    let h = parse_header(stmt.as_bytes()).unwrap();
    assert_eq!(h.table, TableName::new("Values", "values"));
    assert_eq!(h.columns, cols(&["values", "VALUES"]));
    assert_eq!(&stmt[h.values_at..], "('values');");
    // Unquoted names fold to lower case and the schema defaults to public.
    let h = parse_header(b"insert into Tasks (Title) values (1);").unwrap();
    assert_eq!(h.table, TableName::new("public", "tasks"));
    assert_eq!(h.columns, cols(&["title"]));
}

#[test]
fn headers_that_carry_no_plain_rows_are_refused() {
    let cases = [
        ("INSERT INTO t DEFAULT VALUES;", "DEFAULT VALUES"),
        ("INSERT INTO t SELECT 1;", "no VALUES"),
        ("INSERT INTO t SELECT * FROM (VALUES (1)) v;", "no VALUES"),
        (
            "INSERT INTO t SELECT 1 UNION VALUES (2);",
            "part of a query",
        ),
        ("INSERT INTO t (a[1]) VALUES (2);", "subscripts"),
        ("INSERT INTO t VALUES 1;", "expected `(`"),
        ("INSERT INTO t (a VALUES (1);", "no VALUES"),
        ("INSERT INTO \"t VALUES (1);", "not terminated"),
        (
            "UPDATE t SET a = 1 VALUES (1);",
            "cannot read INSERT header",
        ),
    ];
    for (stmt, want) in cases {
        let e = parse_header(stmt.as_bytes()).unwrap_err();
        assert!(e.message().contains(want), "{stmt}: {e}");
        assert!(e.byte().is_some(), "{stmt}");
    }
    let e = parse_header(b"INSERT INTO t\xff VALUES (1);").unwrap_err();
    assert!(e.message().contains("UTF-8"), "{e}");
}

#[test]
fn the_cache_parses_a_repeated_header_once_and_follows_changes() {
    let mut cache = HeaderCache::default();
    let a = b"INSERT INTO public.t (id) VALUES (1);";
    let b = b"INSERT INTO public.t (id) VALUES\n\t(2);";
    let c = b"INSERT INTO public.u VALUES (3);";
    assert_eq!(cache.parse(a).unwrap(), &parse_header(a).unwrap());
    assert_eq!(cache.parse(b).unwrap(), &parse_header(b).unwrap());
    assert_eq!(cache.parse(c).unwrap(), &parse_header(c).unwrap());
    assert!(cache.parse(b"INSERT INTO t (a VALUES (1);").is_err());
    assert_eq!(cache.parse(a).unwrap(), &parse_header(a).unwrap());
}
