//! dumpshift's offline value checks against PostgreSQL itself: each value
//! is inserted into a column of its type in the test cluster (the input
//! function with the column's modifiers, as the load's COPY reads it), and
//! PostgreSQL's accept or refuse must be dumpshift's.

mod common;

use common::Cluster;
use dumpshift::dump::{Catalog, TableName};
use dumpshift::validate::values::input_accepts;

/// Values per type: edges, odd-but-valid spellings, and near misses.
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "date",
            vec![
                "2024-02-29",
                "2023-02-29",
                "5874897-12-31",
                "5874898-01-01",
                "4714-11-24 BC",
                "4714-11-23 BC",
                "0000-01-01",
                "0001-01-01 BC",
                "262143-01-01",
                "262144-06-30",
                "2024-1-1",
                "02024-01-01",
                " 2024-01-01 ",
                "2024-01-01 bc",
                "2024-01-01BC",
                "2024-001-01",
                "infinity",
                "-INFINITY",
                "2024-13-01",
                "2024-00-10",
            ],
        ),
        (
            "timestamptz",
            vec![
                "294276-12-31 23:59:59.999999+00",
                "294276-12-31 23:59:59-01",
                "294277-01-01 00:00:00+01",
                "4714-11-24 00:00:00+00 BC",
                "4714-11-24 00:30:00+01 BC",
                "4714-11-23 23:00:00-01 BC",
                "2024-01-01 24:00:00+00",
                "2024-01-01 24:00:01+00",
                "2024-01-01 23:59:60.5+00",
                "2024-01-01 23:59:60+00",
                "2024-01-01 00:00:00+16",
                "2024-01-01 00:00:00+15:59:59",
                "2024-01-01 00:00:00.1234567+00",
                "2024-01-01 00:00:00+00:60",
                "0000-01-01 00:00:00+00",
                "262143-01-01 00:00:00+00",
                "1000000-01-01 00:00:00+00",
                "2024-01-01T10:00:00+00",
                "2024-1-1 1:2:3+00",
                "2024-01-01 10:00:00+00 bc",
                "294276-12-31 23:59:59.9999999+00",
                "2024-11-03 01:30:00-04",
                " 2024-01-01 00:00:00+00 ",
                "2024-01-01 00:00:00+0530",
                "2024-01-01 00:00:00+123",
                "2024-01-01 00:00:00+5",
                "2024-01-01 00:00:00+12345",
                "2024-01-01 00:00:00+05:30:15",
                "2024-01-01 00:00:00+1:5",
                "2024-01-01 00:00:00-1559",
                "2024-01-01 00:00:00+1560",
                "2024-01-01 00:00:00.+00",
                "2024-01-01 00:00:00 +00",
                "2024-01-01 00:00:00Z",
                "2024-01-01 00:00:00 UTC",
                "2024-01-01 00:00:00+00BC",
                "2024-01-01  00:00:00+00",
                "2024-01-01 00:00:00+00 AD",
                "2024-01-01T00:00:00.5z",
                "2024-01-01 00:00:00 gmt",
                "2024-01-01 00:00:00+00 CE",
                "1883-11-18 12:03:58-04:56:02",
                "infinity",
                "-infinity",
            ],
        ),
        (
            "boolean",
            vec![
                "t", "TRUE", " yes ", "y", "on", "1", "f", "fal", "No", "off", "of", "0", "maybe",
                "o", "", "2", "truee", "onn", "10",
            ],
        ),
        (
            "uuid",
            vec![
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11",
                "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
            ],
        ),
        (
            "smallint",
            vec![
                "-32768", "32767", "32768", " 12 ", "+3", "1_000", "0x1F", "", "1.0", "- 1",
            ],
        ),
        ("integer", vec!["-2147483648", "2147483648", "007", "1e3"]),
        (
            "bigint",
            vec![
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
            ],
        ),
        (
            "numeric",
            vec![
                "1e1001",
                " 1.5 ",
                "+.5",
                "5.",
                ".",
                "nan",
                "inf",
                "-Infinity",
                "1_000",
                "0x10",
                "1e",
                "1.2.3",
                "1e131071",
                "1e131072",
                "1e-16383",
                "1e-16384",
                "-0",
            ],
        ),
        (
            "numeric(5,2)",
            vec![
                "999.994", "999.995", "-999.995", "0.001", "NaN", "Infinity", "1e2", "12345",
            ],
        ),
        ("numeric(3,-1)", vec!["1234", "9995", "-9994"]),
        (
            "numeric(2,4)",
            vec!["0.0099", "0.01", "0.00994999", "0.00995"],
        ),
        ("varchar(3)", vec!["abc  ", "abcd", "été", "ab c", ""]),
        ("char(2)", vec!["ab ", "abc", "a"]),
        (
            "text[]",
            vec![
                "{}",
                "{{}}",
                "{{},{}}",
                "{{a},{}}",
                " {a, b } ",
                "{a b}",
                "{\"a\"b}",
                "{a\"b\"}",
                "{,}",
                "{a,}",
                "{NULL,null,\"NULL\"}",
                "[1:2]={a,b}",
                "[1:3]={a,b}",
                "[0:1]={a,b}",
                "{a}x",
                "{a} ",
                "{{a,b},{c}}",
                "{{a},b}",
                "{a,{b}}",
                "{a\\,b}",
                "{a\\}",
                "{{{{{{{a}}}}}}}",
                "{{{{{{a}}}}}}",
                "{a{b}",
                "[1:2]{a,b}",
                "a",
                "{ }",
                "{\"\"}",
                "{a\\ }",
                "{ \\ a}",
                "[-2:-1]={a,b}",
                "[1]={a}",
                "[2]={a,b}",
                "{{a,b},{c,d}}",
                "[2:1]={}",
                "[1:2][1:1]={{a},{b}}",
                "{\"a\\\"b\"}",
                "{\"unterminated}",
            ],
        ),
        (
            "integer[]",
            vec![
                "{1,2}",
                "{1,x}",
                "{1,NULL}",
                "{\"3\"}",
                "{ 4 }",
                "{2147483648}",
                "{\\NULL}",
            ],
        ),
        ("date[]", vec!["{2024-01-01,5874897-12-31}", "{2024-02-30}"]),
        (
            "json",
            vec![
                "01",
                "-0",
                "1.",
                ".5",
                "1e5",
                "1E+5",
                "-",
                "\"\\u0000\"",
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"\\ud800\\udc00\"",
                "\"\\ud800x\"",
                "{\"a\":1,\"a\":2}",
                " [1 , 2] ",
                "[1,]",
                "\"a\tb\"",
                "\"\\x\"",
                "NaN",
                "tru",
                "true false",
                "\"\\/\"",
                "\"\"",
                "{}",
                "{\"a\"}",
                "\u{c}1",
                "",
                "[1}",
                "{\"a\":1,}",
                "[[[]]]",
                "{\"a\":{\"b\":[null,true,false]}}",
                "1e1000000",
                "\"\\uD83D\\uDE00\"",
                "\"\\u12\"",
                "-01",
                "1.5e-3",
                "[1 2]",
            ],
        ),
        (
            "jsonb",
            vec![
                "\"\\u0000\"",
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"\\ud800\\udc00\"",
                "\"\\ud800x\"",
                "1e1000000",
                "1e131071",
                "{\"a\":1}",
                "[1,]",
                "-0",
                "\"\\ud800\\u0041\"",
            ],
        ),
    ]
}

/// The column definition dumpshift reads from `CREATE TABLE t (v <type>)`.
fn column(ty: &str) -> dumpshift::dump::ColumnDef {
    let c = Catalog::from_sql(&format!("CREATE TABLE t (v {ty});")).unwrap();
    c.get(&TableName::new("public", "t")).unwrap().columns[0].clone()
}

fn literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

#[test]
fn value_checks_refuse_exactly_what_postgresql_refuses() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("oracle");
    cluster.exec(
        &db,
        "CREATE FUNCTION takes(tab text, v text) RETURNS boolean LANGUAGE plpgsql AS $$
         BEGIN EXECUTE format('INSERT INTO %I VALUES (%L)', tab, v); RETURN true;
         EXCEPTION WHEN others THEN RETURN false; END $$;",
    );
    let mut rows = Vec::new();
    for (k, (ty, values)) in cases().into_iter().enumerate() {
        cluster.exec(&db, &format!("CREATE TABLE c{k} (v {ty})"));
        for v in values {
            rows.push((k, ty, v));
        }
    }
    let answers = postgresql_takes(cluster, &db, &rows);
    let mut wrong = Vec::new();
    for ((_, ty, v), pg) in rows.iter().zip(answers) {
        let ours = input_accepts(&column(ty), v.as_bytes());
        if pg != ours {
            wrong.push(format!("{ty} {v:?}: PostgreSQL {pg}, dumpshift {ours}"));
        }
    }
    assert!(wrong.is_empty(), "disagreements:\n{}", wrong.join("\n"));
}

/// PostgreSQL's answer for each `(table index, type, value)`, in order.
fn postgresql_takes(cluster: &Cluster, db: &str, rows: &[(usize, &str, &str)]) -> Vec<bool> {
    let values: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(n, (k, _, v))| format!("({n}, 'c{k}', {})", literal(v)))
        .collect();
    let answers = cluster.query(
        db,
        &format!(
            "SELECT takes(tab, v) FROM (VALUES {}) AS x(n, tab, v) ORDER BY n",
            values.join(", ")
        ),
    );
    let answers: Vec<bool> = answers.lines().map(|l| l == "t").collect();
    assert_eq!(answers.len(), rows.len());
    answers
}

/// Forms PostgreSQL reads through the loading session's settings (TimeZone
/// for a timestamp without an offset, DateStyle for `01/02/2024`) or the
/// clock (`now`, `today`), and other spellings pg_dump never writes:
/// dumpshift refuses them rather than guess what the load would store.
#[test]
fn spellings_pg_dump_never_writes_and_session_dependent_ones_are_refused_though_postgresql_reads_them(
) {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("oracle_forms");
    cluster.exec(
        &db,
        "CREATE FUNCTION takes(tab text, v text) RETURNS boolean LANGUAGE plpgsql AS $$
         BEGIN EXECUTE format('INSERT INTO %I VALUES (%L)', tab, v); RETURN true;
         EXCEPTION WHEN others THEN RETURN false; END $$;
         CREATE TABLE c0 (v date); CREATE TABLE c1 (v timestamptz);",
    );
    let rows = vec![
        (0, "date", "01/02/2024"),
        (0, "date", "Jan 2 2024"),
        (0, "date", "today"),
        (0, "date", "epoch"),
        (1, "timestamptz", "2024-01-01 10:00:00"),
        (1, "timestamptz", "2024-01-01 10:00+00"),
        (1, "timestamptz", "now"),
        (1, "timestamptz", "2024-01-01 10:00:00 Europe/Paris"),
        (1, "timestamptz", "2024-01-01 10:00:00 CET"),
        (1, "timestamptz", "2024-01-01 00:00:00 BC"),
        (0, "date", "20240101"),
        (0, "date", "2024-01-01 10:00:00"),
    ];
    for ((_, ty, v), pg) in rows.iter().zip(postgresql_takes(cluster, &db, &rows)) {
        assert!(pg, "PostgreSQL reads {ty} {v:?}");
        assert!(
            !input_accepts(&column(ty), v.as_bytes()),
            "dumpshift refuses {ty} {v:?}"
        );
    }
}
