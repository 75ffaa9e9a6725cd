//! The `search_path` a psql restore has at each statement of the dump, and
//! the schema a table named without one resolves to under it.
//!
//! pg_dump names every table with its schema and empties the path
//! (`set_config('search_path', '', false)`); pg_dump 9.x wrote
//! `SET search_path = public, pg_catalog;` and unqualified names. Any other
//! path changes where psql puts the rows, so dumpshift follows the same
//! statements psql would, and refuses to guess after one it cannot read.

use pg_query::protobuf::{self, node::Node as N, VariableSetKind};

use super::sql::TableName;

/// The session's path as the statements so far leave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchPath {
    /// The schemas, in order, as PostgreSQL stores them (`$user` included).
    Known(Vec<String>),
    /// Set by the statement at `at` in a form dumpshift does not follow.
    Unreadable { at: usize, why: String },
}

impl Default for SearchPath {
    /// PostgreSQL's default, `"$user", public`.
    fn default() -> Self {
        SearchPath::Known(vec!["$user".into(), "public".into()])
    }
}

/// What one statement does to the path.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Set(Vec<String>),
    /// It sets the path, but how is not known offline.
    Unreadable(String),
}

impl SearchPath {
    /// Follows the statement `sql` at byte `at`, whose first word is `word`.
    pub fn follow(&mut self, sql: &[u8], word: &[u8], at: usize) {
        let may_set = [&b"set"[..], b"reset", b"select"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w));
        if !may_set {
            return;
        }
        let Ok(sql) = std::str::from_utf8(sql) else {
            return;
        };
        match change(sql) {
            None => {}
            Some(Change::Set(path)) => *self = SearchPath::Known(path),
            Some(Change::Unreadable(why)) => *self = SearchPath::Unreadable { at, why },
        }
    }

    /// The schema PostgreSQL would find table `name` in: the first schema of
    /// the path in which `exists` knows it, else the first schema named (a
    /// data-only dump's catalog knows no table). `Err` says why psql would
    /// not find it, or why the schema cannot be known.
    pub fn resolve(
        &self,
        name: &str,
        exists: impl Fn(&TableName) -> bool,
    ) -> Result<String, String> {
        let path = match self {
            SearchPath::Known(path) => path,
            SearchPath::Unreadable { at, why } => {
                return Err(format!(
                    "the table is named without a schema, after the search_path was set at byte {at} in a form dumpshift does not follow ({why}): which schema psql would load it into is not known; name the schema in the statement"
                ))
            }
        };
        // `$user` is a schema named like the restoring role: not known here.
        // pg_catalog never holds a dump's tables.
        let mut schemas = path.iter().filter(|s| *s != "$user" && *s != "pg_catalog");
        let first = schemas.clone().next().ok_or_else(|| {
            format!(
                "the table is named without a schema and the search_path holds no schema (pg_dump empties it with set_config('search_path', '', false)): psql would fail with relation \"{name}\" does not exist"
            )
        })?;
        let found = schemas.find(|s| exists(&TableName::new(s, name)));
        Ok(found.unwrap_or(first).clone())
    }
}

/// What `sql` does to the path; `None` when it leaves it alone.
pub fn change(sql: &str) -> Option<Change> {
    match &super::sql::parse_one(sql).ok()?? {
        N::VariableSetStmt(v) if v.name.eq_ignore_ascii_case("search_path") => set(v),
        N::VariableSetStmt(v) if v.kind == VariableSetKind::VarResetAll as i32 => {
            Some(Change::Set(default_path()))
        }
        N::SelectStmt(s) => s.target_list.iter().find_map(set_config),
        _ => None,
    }
}

fn default_path() -> Vec<String> {
    match SearchPath::default() {
        SearchPath::Known(p) => p,
        SearchPath::Unreadable { .. } => Vec::new(),
    }
}

/// `SET search_path ...`, `SET search_path TO DEFAULT`, `RESET search_path`.
fn set(v: &protobuf::VariableSetStmt) -> Option<Change> {
    if v.is_local {
        return Some(Change::Unreadable(
            "SET LOCAL holds until the transaction ends".into(),
        ));
    }
    match VariableSetKind::try_from(v.kind).ok()? {
        VariableSetKind::VarSetValue => v
            .args
            .iter()
            .map(|a| match &a.node {
                Some(N::AConst(c)) => match &c.val {
                    Some(protobuf::a_const::Val::Sval(s)) => Some(s.sval.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Option<Vec<String>>>()
            .map(Change::Set)
            .or_else(|| Some(Change::Unreadable("a value that is not a name".into()))),
        VariableSetKind::VarSetDefault | VariableSetKind::VarReset => {
            Some(Change::Set(default_path()))
        }
        // `FROM CURRENT` keeps the value it has.
        VariableSetKind::VarSetCurrent => None,
        _ => Some(Change::Unreadable("an unknown form of SET".into())),
    }
}

/// `SELECT pg_catalog.set_config('search_path', 'a, b', false)`.
fn set_config(target: &protobuf::Node) -> Option<Change> {
    let Some(N::ResTarget(t)) = &target.node else {
        return None;
    };
    let Some(N::FuncCall(f)) = t.val.as_ref()?.node.as_ref() else {
        return None;
    };
    let name = super::sql::strings(&f.funcname).pop()?;
    if !name.eq_ignore_ascii_case("set_config") {
        return None;
    }
    let unreadable = |why: &str| Some(Change::Unreadable(format!("set_config with {why}")));
    let [setting, value, local] = f.args.as_slice() else {
        return unreadable("other than three arguments");
    };
    match constant(setting) {
        Some(Const::Str(s)) if !s.eq_ignore_ascii_case("search_path") => return None,
        Some(Const::Str(_)) => {}
        _ => return unreadable("a setting name that is not a constant"),
    }
    match (constant(value), constant(local)) {
        (Some(Const::Str(v)), Some(Const::Bool(false))) => match split_path(&v) {
            Some(path) => Some(Change::Set(path)),
            None => unreadable("a path that is not a list of names"),
        },
        (_, Some(Const::Bool(true))) => {
            unreadable("is_local true, which holds until the transaction ends")
        }
        _ => unreadable("a value that is not a constant"),
    }
}

enum Const {
    Str(String),
    Bool(bool),
}

fn constant(n: &protobuf::Node) -> Option<Const> {
    match &n.node {
        Some(N::TypeCast(t)) => constant(t.arg.as_deref()?),
        Some(N::AConst(c)) => match &c.val {
            Some(protobuf::a_const::Val::Sval(s)) => Some(Const::Str(s.sval.clone())),
            Some(protobuf::a_const::Val::Boolval(b)) => Some(Const::Bool(b.boolval)),
            _ => None,
        },
        _ => None,
    }
}

/// Splits a path value as PostgreSQL does (`SplitIdentifierString`): names
/// separated by commas, double-quoted ones kept as written, others folded
/// to lower case. `None` for text PostgreSQL would reject.
pub fn split_path(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    if rest.is_empty() {
        return Some(out);
    }
    loop {
        let (name, after) = match rest.strip_prefix('"') {
            Some(q) => quoted(q)?,
            None => {
                let end = rest
                    .find(|c: char| c == ',' || c.is_whitespace())
                    .unwrap_or(rest.len());
                (rest[..end].to_ascii_lowercase(), &rest[end..])
            }
        };
        if name.is_empty() {
            return None;
        }
        out.push(name);
        rest = after.trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None if rest.is_empty() => return Some(out),
            None => return None,
        }
    }
}

/// A double-quoted name after its opening quote: the name and what follows.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if s[i + 1..].starts_with('"') {
            name.push('"');
            chars.next();
        } else {
            return Some((name, &s[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_to(sql: &str) -> Option<Vec<String>> {
        match change(sql) {
            Some(Change::Set(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn the_forms_psql_runs_set_the_path() {
        let p = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            set_to("SET search_path = public, pg_catalog;"),
            p(&["public", "pg_catalog"])
        );
        assert_eq!(
            set_to("SET search_path TO \"Other\", public"),
            p(&["Other", "public"])
        );
        assert_eq!(
            set_to("SELECT pg_catalog.set_config('search_path', '', false);"),
            p(&[])
        );
        assert_eq!(
            set_to("select set_config('search_path', ' Other ,\"A b\"', false)"),
            p(&["other", "A b"])
        );
        assert_eq!(set_to("RESET search_path;"), p(&["$user", "public"]));
        assert_eq!(
            set_to("SET search_path TO DEFAULT;"),
            p(&["$user", "public"])
        );
        assert_eq!(set_to("RESET ALL;"), p(&["$user", "public"]));
    }

    #[test]
    fn other_statements_leave_the_path_alone() {
        for sql in [
            "SET statement_timeout = 0;",
            "SELECT pg_catalog.setval('public.t_id_seq', 3, true);",
            "SELECT pg_catalog.set_config('standard_conforming_strings', 'on', false);",
            "SET search_path FROM CURRENT;",
        ] {
            assert_eq!(change(sql), None, "{sql}");
        }
    }

    #[test]
    fn forms_not_known_offline_are_unreadable() {
        for sql in [
            "SET LOCAL search_path = other;",
            "SELECT set_config('search_path', current_setting('x'), false);",
            "SELECT set_config('search_path', 'other', true);",
            "SELECT set_config(lower('SEARCH_PATH'), 'other', false);",
            "SELECT set_config('search_path', 'a b', false);",
        ] {
            assert!(matches!(change(sql), Some(Change::Unreadable(_))), "{sql}");
        }
    }

    #[test]
    fn a_name_resolves_to_the_first_schema_that_holds_it() {
        let path = SearchPath::Known(vec!["$user".into(), "other".into(), "public".into()]);
        let holds = |t: &TableName| t.schema == "public";
        assert_eq!(path.resolve("areas", holds).unwrap(), "public");
        assert_eq!(path.resolve("areas", |_| false).unwrap(), "other");
        let empty = SearchPath::Known(Vec::new());
        assert!(empty
            .resolve("areas", holds)
            .unwrap_err()
            .contains("does not exist"));
        let old = SearchPath::Known(vec!["public".into(), "pg_catalog".into()]);
        assert_eq!(old.resolve("tasks", |_| false).unwrap(), "public");
    }
}
