use super::*;

fn one(up: &str) -> Sections {
    split(&[Migration {
        version: 1,
        name: "t".into(),
        up: up.into(),
        down: String::new(),
    }])
}

#[test]
fn keys_and_indexes_move_after_the_data_under_postgresql_names() {
    let s = one(
        "CREATE TABLE a (id uuid PRIMARY KEY, v text UNIQUE CHECK (v <> ''));\n\
         CREATE TABLE b (id uuid PRIMARY KEY, a_id uuid NOT NULL REFERENCES a(id) ON DELETE CASCADE,\n\
         x int, y int, UNIQUE (x, y));\n\
         CREATE INDEX idx_b_a ON b (a_id);\nCREATE INDEX ON b (y);",
    );
    assert!(!s.schema.contains("PRIMARY KEY"), "{}", s.schema);
    assert!(!s.schema.contains("REFERENCES"), "{}", s.schema);
    assert!(s.schema.contains("CHECK"), "{}", s.schema);
    let text = s.indexes.join("\n");
    for name in [
        "a_pkey",
        "a_v_key",
        "b_pkey",
        "b_x_y_key",
        "idx_b_a",
        "b_y_idx",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert_eq!(s.foreign_keys.len(), 1);
    assert!(
        s.foreign_keys[0].contains("b_a_id_fkey"),
        "{:?}",
        s.foreign_keys
    );
    assert!(s.foreign_keys[0].contains("ON DELETE CASCADE"));
}

#[test]
fn a_statement_of_another_kind_stays_in_place_after_what_was_deferred() {
    let s = one("CREATE TABLE a (id uuid PRIMARY KEY);\n\
         COMMENT ON CONSTRAINT a_pkey ON a IS 'k';\n\
         CREATE TABLE b (id uuid PRIMARY KEY);");
    let pkey = s
        .schema
        .find("a_pkey PRIMARY KEY")
        .expect("flushed before the comment");
    let comment = s.schema.find("COMMENT ON CONSTRAINT").unwrap();
    assert!(pkey < comment, "{}", s.schema);
    assert_eq!(s.indexes.len(), 1);
    assert!(s.indexes[0].contains("b_pkey"));
}

#[test]
fn a_name_postgresql_would_number_keeps_the_table_whole() {
    let s = one(
        "CREATE TABLE a_pkey_src (id int);\nCREATE INDEX a_pkey ON a_pkey_src (id);\n\
         CREATE TABLE a (id uuid PRIMARY KEY);",
    );
    assert!(s.schema.contains("id uuid PRIMARY KEY"), "{}", s.schema);
    assert!(s.indexes.is_empty() && s.foreign_keys.is_empty());
}

#[test]
fn a_do_block_makes_later_unnamed_keys_stay_in_place() {
    let s = one("DO $$ BEGIN EXECUTE 'CREATE TABLE x (id int)'; END $$;\n\
         CREATE TABLE a (id uuid PRIMARY KEY, CONSTRAINT a_u UNIQUE (id));");
    assert!(s.schema.contains("PRIMARY KEY"), "{}", s.schema);
    assert!(s.indexes.is_empty());
}

#[test]
fn nothing_is_dropped_from_the_embedded_migrations() {
    let migrations = crate::migrations::embedded();
    let s = split(&migrations);
    let indexes: usize = migrations
        .iter()
        .map(|m| m.up.matches("CREATE INDEX").count() + m.up.matches("CREATE UNIQUE INDEX").count())
        .sum();
    let tables: usize = migrations
        .iter()
        .map(|m| m.up.matches("CREATE TABLE").count())
        .sum();
    let references: usize = migrations
        .iter()
        .map(|m| m.up.matches("REFERENCES").count())
        .sum();
    assert_eq!(s.schema.matches("CREATE TABLE").count(), tables);
    assert_eq!(s.foreign_keys.len(), references);
    let pkeys = s
        .indexes
        .iter()
        .filter(|i| i.contains("PRIMARY KEY"))
        .count();
    assert_eq!(pkeys, tables);
    let created = s.indexes.iter().filter(|i| i.starts_with("CREATE")).count();
    assert_eq!(created, indexes);
}
