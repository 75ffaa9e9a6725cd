use super::*;

const V2: &str = "
CREATE TABLE people (id uuid PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true, rank integer);
CREATE TABLE posts (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    title text NOT NULL,
    sort_order integer NOT NULL,
    note text
);
";

const V1: &str = "
CREATE TABLE authors (id uuid PRIMARY KEY, name text, code text, born timestamptz);
CREATE TABLE posts (id uuid PRIMARY KEY, author_id uuid, title text, created_at timestamptz, kind text);
";

fn catalog(sql: &str) -> Catalog {
    Catalog::from_sql(sql).unwrap()
}

fn read(text: &str) -> Description {
    Description::read(text).unwrap()
}

const GOOD: &str = r#"name = "t"

[[table]]
source = "authors"
target = "people"
columns = [
  { name = "id", copy = "id" },
  { name = "name", copy = "name" },
  { name = "rank", value = "3" },
]

[[table]]
source = "posts"
target = "posts"
columns = [
  { name = "id", copy = "id" },
  { name = "person_id", copy = "author_id" },
  { name = "title", copy = "title" },
  { name = "sort_order", sequence = { scope = ["author_id"], order_by = "created_at" } },
]
"#;

fn all(d: &Description) -> Vec<Finding> {
    let mut f = shape(d);
    f.extend(target(d, &catalog(V2)));
    f.extend(source(d, &[&catalog(V1)], Source::Complete));
    f
}

fn one(text: &str) -> Finding {
    let f = all(&read(text));
    assert_eq!(f.len(), 1, "{f:?}");
    f.into_iter().next().unwrap()
}

#[test]
fn a_good_mapping_has_no_findings() {
    assert_eq!(all(&read(GOOD)), vec![]);
}

#[test]
fn a_misspelled_target_column_is_found_at_its_line() {
    let f = one(&GOOD.replace(r#"name = "rank""#, r#"name = "rnak""#));
    assert_eq!(f.line, Some(9));
    assert!(
        f.message.starts_with(
            "public.authors column rnak: v2 people has no column rnak (its columns: id, name, active, rank)"
        ),
        "{}",
        f.message
    );
}

#[test]
fn constants_that_do_not_fit_their_column_are_found() {
    let f = one(&GOOD.replace(r#"value = "3""#, r#"value = "ten""#));
    assert_eq!(f.line, Some(9));
    assert!(
        f.message.contains(
            "public.authors column rank: the mapping writes this value in every row, and v2 refuses it: \"ten\" is not an integer"
        ),
        "{}",
        f.message
    );
    let text = GOOD.replace(
        r#"{ name = "rank", value = "3" },"#,
        "{ name = \"rank\", value = \"3\" },\n  { name = \"active\", value = \"maybe\" },",
    );
    let f = one(&text);
    assert_eq!(f.line, Some(10));
    assert!(
        f.message.contains("\"maybe\" is not a boolean"),
        "{}",
        f.message
    );
}

#[test]
fn a_not_null_column_the_mapping_leaves_empty_is_found() {
    let f = one(&GOOD.replace("  { name = \"title\", copy = \"title\" },\n", ""));
    assert_eq!(f.line, Some(14));
    assert!(
        f.message
            .contains("public.posts column title: v2 title is NOT NULL without a default"),
        "{}",
        f.message
    );
    let f = one(&GOOD.replace(r#"value = "3""#, "null = true").replace(
        r#"{ name = "name", copy = "name" }"#,
        r#"{ name = "name", null = true }"#,
    ));
    assert!(
        f.message
            .contains("public.authors column name: the mapping writes this value in every row, and v2 refuses it: NULL, but v2 name is NOT NULL"),
        "{}",
        f.message
    );
}

#[test]
fn rules_reading_columns_of_the_wrong_kind_are_found() {
    let f = one(&GOOD.replace(r#"scope = ["author_id"]"#, r#"scope = ["title"]"#));
    assert_eq!(f.line, Some(19));
    assert!(
        f.message
            .ends_with("sequence scope title is text, but it must be uuid"),
        "{}",
        f.message
    );
    let f = one(&GOOD.replace(r#"order_by = "created_at""#, r#"order_by = "kind""#));
    assert!(
        f.message
            .ends_with("sequence order_by kind is text, but it must be timestamptz or timestamp"),
        "{}",
        f.message
    );
    let f = one(&GOOD.replace(r#"copy = "author_id""#, r#"copy = "writer_id""#));
    assert!(
        f.message
            .ends_with("copied column writer_id is not a column of source table posts"),
        "{}",
        f.message
    );
}

#[test]
fn a_partial_source_checks_only_the_columns_it_has() {
    let d = read(&GOOD.replace(r#"copy = "author_id""#, r#"copy = "writer_id""#));
    assert_eq!(source(&d, &[&catalog(V1)], Source::Partial), vec![]);
}

#[test]
fn tables_load_after_the_tables_their_keys_point_at() {
    let swapped = GOOD.replacen("[[table]]", "[[first]]", 1);
    let (head, rest) = swapped.split_once("[[first]]").unwrap();
    let (people, posts) = rest.split_once("[[table]]").unwrap();
    let text = format!("{head}[[table]]{posts}\n[[table]]{people}");
    let d = read(&text);
    assert_eq!(d.tables[0].target, "posts");
    assert_eq!(load_order(&d, &catalog(V2)), Ok(vec![1, 0]));
    assert_eq!(load_order(&read(GOOD), &catalog(V2)), Ok(vec![0, 1]));
}

#[test]
fn a_cycle_of_foreign_keys_is_refused_naming_its_tables() {
    let v2 = "CREATE TABLE people (id uuid PRIMARY KEY, name text NOT NULL, active boolean, rank int, best_post uuid);
        CREATE TABLE posts (id uuid PRIMARY KEY, person_id uuid REFERENCES people(id), title text, sort_order int);
        ALTER TABLE people ADD CONSTRAINT best FOREIGN KEY (best_post) REFERENCES posts(id);";
    let e = load_order(&read(GOOD), &catalog(v2)).unwrap_err();
    assert_eq!(e.line, Some(5));
    assert!(
        e.message
            .starts_with("the target tables' foreign keys form a cycle (people → posts → people)"),
        "{}",
        e.message
    );
    let deferred = v2.replace("(id);\"", "(id) DEFERRABLE INITIALLY DEFERRED;");
    let deferred = deferred.replace(
        "REFERENCES posts(id);",
        "REFERENCES posts(id) DEFERRABLE INITIALLY DEFERRED;",
    );
    assert_eq!(load_order(&read(GOOD), &catalog(&deferred)), Ok(vec![0, 1]));
}

#[test]
fn findings_render_as_file_line_message() {
    let f = Finding::new(Some(7), "x");
    assert_eq!(f.render("m.toml"), "m.toml:7: x");
    assert_eq!(Finding::new(None, "y").render("m.toml"), "m.toml: y");
}
