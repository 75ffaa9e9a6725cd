//! pg_query at the edge: the only place dumpshift hands SQL text to
//! PostgreSQL's grammar. It sees DDL and statement headers, never row data.

use pg_query::protobuf::{self, node::Node as N, ConstrType};
use pg_query::NodeEnum;

pub mod alter;
pub mod undo;

/// A schema-qualified table name as the dump spells it (unquoted, exact case).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TableName {
    pub schema: String,
    pub name: String,
}

impl TableName {
    pub fn new(schema: &str, name: &str) -> Self {
        TableName {
            schema: schema.to_string(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// What a `COPY ... FROM stdin` header names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyHeader {
    pub table: TableName,
    pub columns: Vec<String>,
    /// Any `WITH (...)` option; pg_dump writes none, and dumpshift reads only
    /// the default text format.
    pub has_options: bool,
    /// A `WHERE` clause, which makes psql skip rows; pg_dump writes none.
    pub has_where: bool,
    /// Whether the table is named with its schema; if not, `table.schema`
    /// is `public` until the search_path resolves it.
    pub qualified: bool,
}

/// A column of a `CREATE TABLE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    /// The type's last name part, `[]` appended for arrays (e.g. `uuid`, `text[]`, `int4`).
    pub type_name: String,
    pub not_null: bool,
    /// Generated columns are left out of COPY lists by pg_dump.
    pub generated: bool,
    /// The type's modifiers: `varchar(20)` has `[20]`, `numeric(10, 2)` `[10, 2]`.
    pub typmods: Vec<i64>,
    /// What a row that does not set the column gets.
    pub default: Option<ColumnDefault>,
    /// Where the column's definition starts, in bytes from the statement's start.
    pub at: usize,
}

/// A column's DEFAULT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnDefault {
    /// A constant (`'markdown'`, `0`, `true`): the same value in every row.
    Const(String),
    /// Anything else (`now()`, `gen_random_uuid()`): not known offline.
    Expr,
}

/// A PRIMARY KEY, UNIQUE constraint or unique index over plain columns
/// (unique indexes on expressions or with a WHERE are left to PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UniqueKey {
    pub columns: Vec<String>,
    /// `NULLS NOT DISTINCT`: rows with NULLs in the key conflict too.
    pub nulls_not_distinct: bool,
}

/// A foreign key: `columns` of the owning table reference `ref_columns` of `ref_table`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: TableName,
    pub ref_columns: Vec<String>,
    /// `INITIALLY DEFERRED`: checked at COMMIT, not row by row.
    pub deferred: bool,
}

/// A CHECK constraint of a form dumpshift can evaluate offline. Others are
/// left to PostgreSQL (the load is one transaction either way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// `col IN ('a', 'b')` or `col = ANY (ARRAY['a', 'b'])`.
    In { column: String, values: Vec<String> },
    /// `col BETWEEN low AND high` (integers).
    Between { column: String, low: i64, high: i64 },
    /// `col OP n` with OP one of `>= > <= <` and an integer n.
    Compare {
        column: String,
        op: String,
        value: i64,
    },
    /// `a <> b` between two columns.
    Differ { a: String, b: String },
    /// `col <> 'text'`.
    NotValue { column: String, value: String },
    /// `a OP b` between two columns, OP one of `>= > <= <`.
    Order { a: String, op: String, b: String },
}

/// What one DDL statement tells about the v1 catalog.
#[derive(Debug, PartialEq, Eq)]
pub enum Ddl {
    CreateTable {
        table: TableName,
        columns: Vec<ColumnDef>,
        primary_key: Vec<String>,
        foreign_keys: Vec<ForeignKey>,
        checks: Vec<Check>,
        uniques: Vec<UniqueKey>,
        /// Columns come from elsewhere too (`INHERITS`, `PARTITION OF`,
        /// `OF type`, `LIKE`): `columns` are not all the table has.
        open: bool,
    },
    AddUnique {
        table: TableName,
        key: UniqueKey,
    },
    /// `ALTER TABLE ... ADD COLUMN`, with the keys written on the column.
    AddColumn {
        table: TableName,
        column: ColumnDef,
        primary_key: Vec<String>,
        foreign_keys: Vec<ForeignKey>,
        checks: Vec<Check>,
        uniques: Vec<UniqueKey>,
    },
    AddPrimaryKey {
        table: TableName,
        columns: Vec<String>,
    },
    AddForeignKey {
        table: TableName,
        key: ForeignKey,
    },
    AddCheck {
        table: TableName,
        check: Check,
    },
    DropColumn {
        table: TableName,
        column: String,
    },
    AlterColumn {
        table: TableName,
        column: String,
        change: alter::ColumnChange,
    },
    RenameColumn {
        table: TableName,
        from: String,
        to: String,
    },
    /// `to` is the new name, in the same schema.
    RenameTable {
        table: TableName,
        to: String,
    },
    DropTable {
        table: TableName,
    },
}

/// The first statement of `sql`, parsed (`None`: only comments).
pub(crate) fn parse_one(sql: &str) -> Result<Option<NodeEnum>, String> {
    let parsed = pg_query::parse(sql, 0).map_err(|e| e.to_string())?;
    Ok(parsed
        .protobuf
        .stmts
        .into_iter()
        .next()
        .and_then(|s| s.stmt)
        .and_then(|n| n.node))
}

fn range_name(r: &protobuf::RangeVar) -> TableName {
    let schema = if r.schemaname.is_empty() {
        "public"
    } else {
        &r.schemaname
    };
    TableName::new(schema, &r.relname)
}

/// The string items of a pg_query list (names, column lists).
pub(crate) fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// The parse node's kind, as pg_query names it (`UpdateStmt`), for messages.
pub(crate) fn node_name(node: &NodeEnum) -> String {
    let debug = format!("{node:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Parses a `COPY table (cols) FROM stdin;` statement.
pub fn parse_copy(sql: &str) -> Result<CopyHeader, String> {
    match parse_one(sql)? {
        Some(NodeEnum::CopyStmt(c)) => {
            let rel = c.relation.as_ref().ok_or("COPY without a table")?;
            if !c.is_from || c.is_program || !c.filename.is_empty() {
                return Err("only COPY ... FROM stdin is supported".into());
            }
            Ok(CopyHeader {
                table: range_name(rel),
                columns: strings(&c.attlist),
                has_options: !c.options.is_empty(),
                has_where: c.where_clause.is_some(),
                qualified: !rel.schemaname.is_empty(),
            })
        }
        _ => Err("not a COPY statement".into()),
    }
}

/// Reads the catalog facts of a DDL statement, in order; none for a
/// statement that changes no table's columns or keys.
pub fn parse_ddl(sql: &str) -> Result<Vec<Ddl>, String> {
    Ok(match parse_one(sql)? {
        Some(NodeEnum::CreateStmt(c)) => vec![create_table(&c)?],
        Some(NodeEnum::AlterTableStmt(a)) => alter::alter_table(&a),
        Some(NodeEnum::RenameStmt(r)) => alter::rename(&r).into_iter().collect(),
        Some(NodeEnum::DropStmt(d)) => alter::drop_tables(&d),
        Some(NodeEnum::IndexStmt(i)) => unique_index(&i).into_iter().collect(),
        _ => Vec::new(),
    })
}

/// A table constraint added by `ALTER TABLE ... ADD CONSTRAINT`.
fn constraint_ddl(table: &TableName, con: &protobuf::Constraint) -> Option<Ddl> {
    let table = table.clone();
    if con.contype == ConstrType::ConstrPrimary as i32 {
        return Some(Ddl::AddPrimaryKey {
            table,
            columns: strings(&con.keys),
        });
    }
    if con.contype == ConstrType::ConstrCheck as i32 {
        return check(con).map(|check| Ddl::AddCheck { table, check });
    }
    if let Some(key) = foreign_key(con, &[]) {
        return Some(Ddl::AddForeignKey { table, key });
    }
    unique(con, &[]).map(|key| Ddl::AddUnique { table, key })
}

fn create_table(c: &protobuf::CreateStmt) -> Result<Ddl, String> {
    let rel = c.relation.as_ref().ok_or("CREATE TABLE without a name")?;
    let mut columns = Vec::new();
    let mut primary_key = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut checks = Vec::new();
    let mut uniques = Vec::new();
    let mut open = !c.inh_relations.is_empty() || c.partbound.is_some() || c.of_typename.is_some();
    for elt in &c.table_elts {
        match &elt.node {
            Some(N::ColumnDef(col)) => {
                let mut keys = Keys {
                    primary_key: &mut primary_key,
                    foreign_keys: &mut foreign_keys,
                    checks: &mut checks,
                    uniques: &mut uniques,
                };
                columns.push(column_def(col, &mut keys));
            }
            Some(N::Constraint(con)) if con.contype == ConstrType::ConstrPrimary as i32 => {
                primary_key = strings(&con.keys);
            }
            Some(N::Constraint(con)) if con.contype == ConstrType::ConstrCheck as i32 => {
                checks.extend(check(con))
            }
            Some(N::Constraint(con)) if con.contype == ConstrType::ConstrUnique as i32 => {
                uniques.extend(unique(con, &[]))
            }
            Some(N::Constraint(con)) => foreign_keys.extend(foreign_key(con, &[])),
            Some(N::TableLikeClause(_)) => open = true,
            _ => {}
        }
    }
    Ok(Ddl::CreateTable {
        table: range_name(rel),
        columns,
        primary_key,
        foreign_keys,
        checks,
        uniques,
        open,
    })
}

/// `ALTER TABLE table ADD COLUMN col ...`.
fn added_column(table: TableName, col: &protobuf::ColumnDef) -> Ddl {
    let (mut primary_key, mut foreign_keys, mut checks, mut uniques) = Default::default();
    let mut keys = Keys {
        primary_key: &mut primary_key,
        foreign_keys: &mut foreign_keys,
        checks: &mut checks,
        uniques: &mut uniques,
    };
    let column = column_def(col, &mut keys);
    Ddl::AddColumn {
        table,
        column,
        primary_key,
        foreign_keys,
        checks,
        uniques,
    }
}

/// Where the constraints written on a column go.
struct Keys<'a> {
    primary_key: &'a mut Vec<String>,
    foreign_keys: &'a mut Vec<ForeignKey>,
    checks: &'a mut Vec<Check>,
    uniques: &'a mut Vec<UniqueKey>,
}

/// One column of a CREATE TABLE; its inline constraints go to `keys`.
fn column_def(col: &protobuf::ColumnDef, keys: &mut Keys) -> ColumnDef {
    let own = std::slice::from_ref(&col.colname);
    let mut def = ColumnDef {
        name: col.colname.clone(),
        type_name: type_name(col.type_name.as_ref()),
        not_null: col.is_not_null,
        generated: !col.generated.is_empty(),
        typmods: col.type_name.as_ref().map_or_else(Vec::new, |t| {
            t.typmods.iter().filter_map(int_const).collect()
        }),
        default: None,
        at: usize::try_from(col.location).unwrap_or(0),
    };
    if def.type_name.contains("serial") {
        def.default = Some(ColumnDefault::Expr);
    }
    for con in &col.constraints {
        let Some(N::Constraint(con)) = &con.node else {
            continue;
        };
        match ConstrType::try_from(con.contype) {
            Ok(ConstrType::ConstrNotnull) => def.not_null = true,
            Ok(ConstrType::ConstrPrimary) => {
                def.not_null = true;
                *keys.primary_key = own.to_vec();
            }
            Ok(ConstrType::ConstrGenerated) => def.generated = true,
            Ok(ConstrType::ConstrCheck) => keys.checks.extend(check(con)),
            Ok(ConstrType::ConstrUnique) => keys.uniques.extend(unique(con, own)),
            Ok(ConstrType::ConstrDefault) => def.default = Some(column_default(con)),
            // Rows get the next number: never a constant.
            Ok(ConstrType::ConstrIdentity) => def.default = Some(ColumnDefault::Expr),
            _ => keys.foreign_keys.extend(foreign_key(con, own)),
        }
    }
    def
}

fn unique(con: &protobuf::Constraint, own: &[String]) -> Option<UniqueKey> {
    if con.contype != ConstrType::ConstrUnique as i32 {
        return None;
    }
    let columns = match strings(&con.keys) {
        v if v.is_empty() => own.to_vec(),
        v => v,
    };
    Some(UniqueKey {
        columns,
        nulls_not_distinct: con.nulls_not_distinct,
    })
}

/// `CREATE UNIQUE INDEX` over plain columns, without a WHERE.
fn unique_index(i: &protobuf::IndexStmt) -> Option<Ddl> {
    let rel = i.relation.as_ref()?;
    let columns: Option<Vec<String>> = i
        .index_params
        .iter()
        .map(|p| match &p.node {
            Some(N::IndexElem(e)) if e.expr.is_none() && !e.name.is_empty() => Some(e.name.clone()),
            _ => None,
        })
        .collect();
    match columns {
        Some(columns) if i.unique && i.where_clause.is_none() && !columns.is_empty() => {
            Some(Ddl::AddUnique {
                table: range_name(rel),
                key: UniqueKey {
                    columns,
                    nulls_not_distinct: i.nulls_not_distinct,
                },
            })
        }
        _ => None,
    }
}

fn column_default(con: &protobuf::Constraint) -> ColumnDefault {
    con.raw_expr
        .as_deref()
        .map_or(ColumnDefault::Expr, default_of)
}

/// What a DEFAULT expression gives: a constant, or something known only
/// when a row is inserted.
fn default_of(e: &protobuf::Node) -> ColumnDefault {
    let value = text_const(e).or_else(|| int_const(e).map(|n| n.to_string()));
    match (value, &e.node) {
        (Some(v), _) => ColumnDefault::Const(v),
        (None, Some(N::AConst(c))) => match &c.val {
            Some(protobuf::a_const::Val::Boolval(b)) => {
                ColumnDefault::Const(if b.boolval { "t" } else { "f" }.into())
            }
            _ => ColumnDefault::Expr,
        },
        _ => ColumnDefault::Expr,
    }
}

fn check(con: &protobuf::Constraint) -> Option<Check> {
    let Some(N::AExpr(e)) = con.raw_expr.as_ref()?.node.as_ref() else {
        return None;
    };
    let column = column_ref(e.lexpr.as_deref()?)?;
    let op = strings(&e.name).pop().unwrap_or_default();
    let rexpr = e.rexpr.as_deref()?;
    match protobuf::AExprKind::try_from(e.kind).ok()? {
        protobuf::AExprKind::AexprIn => Some(Check::In {
            column,
            values: list(rexpr)?.iter().map(text_const).collect::<Option<_>>()?,
        }),
        protobuf::AExprKind::AexprOpAny if op == "=" => {
            let Some(N::AArrayExpr(a)) = &rexpr.node else {
                return None;
            };
            Some(Check::In {
                column,
                values: a.elements.iter().map(text_const).collect::<Option<_>>()?,
            })
        }
        protobuf::AExprKind::AexprBetween => match list(rexpr)? {
            [low, high] => Some(Check::Between {
                column,
                low: int_const(low)?,
                high: int_const(high)?,
            }),
            _ => None,
        },
        protobuf::AExprKind::AexprOp if op == "<>" => match column_ref(rexpr) {
            Some(b) => Some(Check::Differ { a: column, b }),
            None => Some(Check::NotValue {
                column,
                value: text_const(rexpr)?,
            }),
        },
        protobuf::AExprKind::AexprOp if matches!(op.as_str(), ">=" | ">" | "<=" | "<") => {
            match column_ref(rexpr) {
                Some(b) => Some(Check::Order { a: column, op, b }),
                None => Some(Check::Compare {
                    column,
                    op,
                    value: int_const(rexpr)?,
                }),
            }
        }
        _ => None,
    }
}

fn column_ref(n: &protobuf::Node) -> Option<String> {
    let Some(N::ColumnRef(c)) = &n.node else {
        return None;
    };
    match strings(&c.fields).as_slice() {
        [name] => Some(name.clone()),
        _ => None,
    }
}

fn list(n: &protobuf::Node) -> Option<&[protobuf::Node]> {
    match &n.node {
        Some(N::List(l)) => Some(&l.items),
        _ => None,
    }
}

/// A string constant, possibly cast (`'a'::text`, as pg_dump writes it).
fn text_const(n: &protobuf::Node) -> Option<String> {
    match &n.node {
        Some(N::TypeCast(t)) => text_const(t.arg.as_deref()?),
        Some(N::AConst(c)) => match &c.val {
            Some(protobuf::a_const::Val::Sval(s)) => Some(s.sval.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn int_const(n: &protobuf::Node) -> Option<i64> {
    match &n.node {
        Some(N::TypeCast(t)) => int_const(t.arg.as_deref()?),
        Some(N::AConst(c)) => match &c.val {
            Some(protobuf::a_const::Val::Ival(i)) => Some(i64::from(i.ival)),
            _ => None,
        },
        _ => None,
    }
}

fn foreign_key(con: &protobuf::Constraint, own: &[String]) -> Option<ForeignKey> {
    if con.contype != ConstrType::ConstrForeign as i32 {
        return None;
    }
    let columns = match strings(&con.fk_attrs) {
        v if v.is_empty() => own.to_vec(),
        v => v,
    };
    Some(ForeignKey {
        columns,
        ref_table: range_name(con.pktable.as_ref()?),
        ref_columns: strings(&con.pk_attrs),
        deferred: con.initdeferred,
    })
}

fn type_name(t: Option<&protobuf::TypeName>) -> String {
    let Some(t) = t else { return String::new() };
    let mut name = strings(&t.names).pop().unwrap_or_default();
    if !t.array_bounds.is_empty() {
        name.push_str("[]");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one catalog change `sql` makes.
    fn one(sql: &str) -> Ddl {
        let mut all = parse_ddl(sql).unwrap();
        assert_eq!(all.len(), 1, "{sql}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn copy_header_with_quoted_identifiers() {
        let h = parse_copy(r#"COPY "public"."Tasks" ("id", "Title") FROM stdin;"#).unwrap();
        assert_eq!(h.table, TableName::new("public", "Tasks"));
        assert_eq!(h.columns, vec!["id", "Title"]);
        assert!(!h.has_options);
    }

    #[test]
    fn a_copy_header_says_whether_it_is_qualified_and_filtered() {
        let h = parse_copy("COPY tasks (id) FROM stdin WHERE id IS NOT NULL;").unwrap();
        assert!(!h.qualified && h.has_where);
        let h = parse_copy("COPY public.tasks (id) FROM stdin;").unwrap();
        assert!(h.qualified && !h.has_where);
    }

    #[test]
    fn a_table_that_takes_columns_from_elsewhere_is_open() {
        for (sql, open) in [
            ("CREATE TABLE public.t (a int);", false),
            ("CREATE TABLE public.t (b int) INHERITS (public.p);", true),
            ("CREATE TABLE public.t (LIKE public.p, b int);", true),
            (
                "CREATE TABLE public.t PARTITION OF public.p FOR VALUES IN (1);",
                true,
            ),
        ] {
            let Ddl::CreateTable { open: got, .. } = one(sql) else {
                panic!("not a table")
            };
            assert_eq!(got, open, "{sql}");
        }
    }

    #[test]
    fn copy_to_stdout_is_refused() {
        assert!(parse_copy("COPY public.tasks (id) TO stdout;").is_err());
    }

    #[test]
    fn create_table_as_pg_dump_writes_it() {
        let sql =
            "CREATE TABLE public.tasks (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n    \
                   tags text[],\n    total integer GENERATED ALWAYS AS (1) STORED,\n    \
                   parent_id uuid REFERENCES public.tasks(id)\n);";
        let Ddl::CreateTable {
            table,
            columns,
            foreign_keys,
            ..
        } = one(sql)
        else {
            panic!("not a table")
        };
        assert_eq!(table, TableName::new("public", "tasks"));
        let names: Vec<_> = columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.type_name.as_str(),
                    c.not_null,
                    c.generated,
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("id", "uuid", true, false),
                ("tags", "text[]", false, false),
                ("total", "int4", false, true),
                ("parent_id", "uuid", false, false)
            ]
        );
        assert_eq!(foreign_keys[0].columns, vec!["parent_id"]);
        assert_eq!(foreign_keys[0].ref_table, TableName::new("public", "tasks"));
    }

    #[test]
    fn checks_of_the_forms_dumpshift_evaluates() {
        let sql = "CREATE TABLE t (a text CHECK (a IN ('x', 'y')), b int CHECK (b BETWEEN 1 AND 4), c int CHECK (c >= 0), \
                   d text, p uuid, id uuid, CONSTRAINT d_check CHECK ((d = ANY (ARRAY['m'::text, 'n'::text]))), \
                   CHECK (p <> id), CHECK (lower(d) <> 'z'), CHECK (d <> ''), CONSTRAINT o CHECK (c >= b));";
        let Ddl::CreateTable { checks, .. } = one(sql) else {
            panic!("not a table")
        };
        assert_eq!(
            checks,
            vec![
                Check::In {
                    column: "a".into(),
                    values: vec!["x".into(), "y".into()]
                },
                Check::Between {
                    column: "b".into(),
                    low: 1,
                    high: 4
                },
                Check::Compare {
                    column: "c".into(),
                    op: ">=".into(),
                    value: 0
                },
                Check::In {
                    column: "d".into(),
                    values: vec!["m".into(), "n".into()]
                },
                Check::Differ {
                    a: "p".into(),
                    b: "id".into()
                },
                Check::NotValue {
                    column: "d".into(),
                    value: "".into()
                },
                Check::Order {
                    a: "c".into(),
                    op: ">=".into(),
                    b: "b".into()
                },
            ]
        );
    }

    #[test]
    fn alter_table_add_column_adds_the_column_and_its_keys() {
        let ddl = one(
            "ALTER TABLE public.writers ADD COLUMN pinned uuid NOT NULL REFERENCES public.posts(id)",
        );
        let Ddl::AddColumn {
            table,
            column,
            foreign_keys,
            ..
        } = ddl
        else {
            panic!("{ddl:?}");
        };
        assert_eq!(table, TableName::new("public", "writers"));
        assert_eq!(
            (
                column.name.as_str(),
                column.type_name.as_str(),
                column.not_null
            ),
            ("pinned", "uuid", true)
        );
        assert_eq!(foreign_keys[0].ref_table, TableName::new("public", "posts"));
        assert_eq!(foreign_keys[0].columns, ["pinned"]);
    }

    #[test]
    fn alter_table_adds_keys() {
        let pk = one("ALTER TABLE ONLY public.areas ADD CONSTRAINT areas_pkey PRIMARY KEY (id);");
        assert_eq!(
            pk,
            Ddl::AddPrimaryKey {
                table: TableName::new("public", "areas"),
                columns: vec!["id".into()]
            }
        );
        let fk = one(
            "ALTER TABLE ONLY public.areas ADD CONSTRAINT areas_domain_id_fkey FOREIGN KEY (domain_id) \
             REFERENCES public.domains(id) ON DELETE CASCADE;",
        );
        let Ddl::AddForeignKey { table, key } = fk else {
            panic!("not a fk")
        };
        assert_eq!(table.name, "areas");
        assert_eq!(key.ref_table.name, "domains");
        assert_eq!(key.ref_columns, vec!["id"]);
    }

    #[test]
    fn unique_keys_of_every_form_are_collected() {
        let Ddl::CreateTable { uniques, columns, .. } = one(
            "CREATE TABLE t (a text UNIQUE, b int DEFAULT 0, c date, d varchar(20) DEFAULT now()::text, \
             UNIQUE (b, c), UNIQUE NULLS NOT DISTINCT (c));",
        ) else {
            panic!("not a table")
        };
        let keys: Vec<(Vec<String>, bool)> = uniques
            .into_iter()
            .map(|k| (k.columns, k.nulls_not_distinct))
            .collect();
        assert_eq!(
            keys,
            vec![
                (vec!["a".into()], false),
                (vec!["b".into(), "c".into()], false),
                (vec!["c".into()], true)
            ]
        );
        assert_eq!(columns[1].default, Some(ColumnDefault::Const("0".into())));
        assert_eq!(columns[3].default, Some(ColumnDefault::Expr));
        assert_eq!(columns[3].typmods, vec![20]);
        let add = one("ALTER TABLE ONLY public.t ADD CONSTRAINT t_k UNIQUE (a, b);");
        assert!(matches!(add, Ddl::AddUnique { ref key, .. } if key.columns == ["a", "b"]));
        let idx = one("CREATE UNIQUE INDEX t_i ON public.t USING btree (c, d);");
        assert!(matches!(idx, Ddl::AddUnique { ref key, .. } if key.columns == ["c", "d"]));
        for skipped in [
            "CREATE UNIQUE INDEX t_p ON t (c) WHERE b > 0;",
            "CREATE UNIQUE INDEX t_e ON t (lower(a));",
            "CREATE INDEX t_n ON t (a);",
        ] {
            assert_eq!(parse_ddl(skipped).unwrap(), [], "{skipped}");
        }
    }
}
