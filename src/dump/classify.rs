//! What a statement does to the rows psql restores: every SQL statement of a
//! dump other than `COPY ... FROM stdin` and `INSERT ... VALUES` is given an
//! `Effect` here, from its pg_query parse tree, so quoting, comments and
//! schema-qualified or quoted names are read exactly as PostgreSQL reads them.
//!
//! The effect is mapping-agnostic: whether a write hits a mapped table, and
//! whether a trigger, a DROP or an ADD COLUMN comes before or after a
//! table's data, is decided by `migrate::statements` once the mapping and
//! the whole dump are known. A statement kind not listed here is refused:
//! what dumpshift does not know, it does not skip.

use super::sql::{node_name, strings};
use pg_query::protobuf::{self, node::Node as N, DropBehavior, ObjectType};
use pg_query::NodeEnum;
use serde_json::Value;

/// A table as a statement names it: `schema` is `None` when unqualified
/// (then `search_path` decides, so it may be any schema).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rel {
    pub schema: Option<String>,
    pub name: String,
}

impl std::fmt::Display for Rel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// What running one statement does, as far as rows of tables go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Changes no table's rows or columns (SET, COMMENT, GRANT, indexes,
    /// functions, policies, `setval`...).
    Harmless,
    /// Adds, changes or removes rows of `tables` (UPDATE, DELETE, TRUNCATE,
    /// MERGE, INSERT ... SELECT, COPY FROM a file). `cascade`: it also
    /// empties every table whose foreign keys point at them.
    Writes {
        tables: Vec<Rel>,
        verb: Verb,
        cascade: bool,
    },
    /// Changes a table's columns or name. `before_data`: harmless as long
    /// as the table's data comes after it (`ADD COLUMN`, as a schema script
    /// builds a table).
    Reshapes {
        table: Rel,
        why: &'static str,
        before_data: bool,
    },
    /// `CREATE TABLE`; `feeds` are tables its rows become part of
    /// (`INHERITS`, `PARTITION OF`).
    Creates { table: Rel, feeds: Vec<Rel> },
    /// A trigger or rule: it fires on every later write to `table`.
    Hook { table: Rel, what: &'static str },
    /// `DROP`: the tables and schemas it removes; `risky_cascade` when its
    /// CASCADE can remove columns of other tables (types, domains,
    /// functions, extensions, schemas).
    Drops {
        tables: Vec<Rel>,
        schemas: Vec<String>,
        risky_cascade: bool,
    },
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `END`.
    Commit,
    /// `SET client_encoding` / `SET NAMES` to a constant: psql reads the
    /// rest of the dump in that encoding, which must be the one dumpshift
    /// reads it in (`migrate::statements` knows which).
    Encoding(String),
    /// Changes `standard_conforming_strings` or `client_encoding` in a form
    /// dumpshift does not follow (the reason): refused when data comes
    /// after it (Supabase ends its dumps with a harmless `RESET ALL`).
    TextSetting(String),
    /// Refused whatever the tables: the reason.
    Refused(String),
}

/// The kind of a row-changing statement, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Update,
    Delete,
    Truncate,
    Merge,
    InsertSelect,
    CopyFromFile,
}

impl Verb {
    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Update => "UPDATE",
            Verb::Delete => "DELETE",
            Verb::Truncate => "TRUNCATE",
            Verb::Merge => "MERGE",
            Verb::InsertSelect => "INSERT ... SELECT",
            Verb::CopyFromFile => "COPY FROM file",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Verb::Update => "UPDATE changes rows",
            Verb::Delete => "DELETE removes rows",
            Verb::Truncate => "TRUNCATE removes every row",
            Verb::Merge => "MERGE changes rows",
            Verb::InsertSelect => "INSERT ... SELECT adds rows a query makes",
            Verb::CopyFromFile => "COPY FROM a file or program adds rows dumpshift cannot read",
        }
    }
}

/// Functions a top-level `SELECT` (or a statement on a table outside the
/// mapping) may call: what pg_dump and Supabase write (`set_config`,
/// `setval`, large objects, pg_dump 18's statistics) and built-ins that
/// change no table (large objects are no table's rows; pg_dump --clean
/// unlinks them). Any other function may write to any table.
const SAFE_FUNCTIONS: &[&str] = &[
    "set_config",
    "setval",
    "nextval",
    "currval",
    "lo_create",
    "lo_open",
    "lowrite",
    "lo_close",
    "lo_unlink",
    "lo_from_bytea",
    "lo_put",
    "pg_restore_relation_stats",
    "pg_restore_attribute_stats",
    "pg_clear_relation_stats",
    "pg_clear_attribute_stats",
    "now",
    "count",
    "min",
    "max",
    "sum",
    "avg",
    "lower",
    "upper",
    "length",
    "btrim",
    "substring",
    "replace",
    "concat",
    "format",
    "coalesce",
    "gen_random_uuid",
    "md5",
    "to_char",
    "date_trunc",
    "extract",
    "array_agg",
    "string_agg",
    "jsonb_build_object",
    "json_build_object",
    "current_setting",
];

/// The effect of one SQL statement; `Err` carries pg_query's message when
/// the text does not parse (then psql's server would refuse it too, or a
/// psql feature such as `:variable` substitution is at work).
pub fn classify(sql: &str) -> Result<Effect, String> {
    let parsed = pg_query::parse(sql, 0).map_err(|e| match e {
        pg_query::Error::Parse(m) => m,
        other => other.to_string(),
    })?;
    let mut stmts = parsed.protobuf.stmts.into_iter();
    let node = stmts.next().and_then(|s| s.stmt).and_then(|n| n.node);
    if stmts.next().is_some() {
        return Ok(Effect::Refused(
            "more than one statement in one piece".into(),
        ));
    }
    Ok(match node {
        None => Effect::Harmless,
        Some(node) => effect(&node),
    })
}

fn effect(node: &NodeEnum) -> Effect {
    if let Some(e) = executes(node) {
        return e;
    }
    match node {
        NodeEnum::VariableSetStmt(v) => setting(v),
        NodeEnum::DiscardStmt(d) if d.target == protobuf::DiscardMode::DiscardAll as i32 => {
            Effect::TextSetting("DISCARD ALL resets standard_conforming_strings and client_encoding, which change how the rest of the dump is read".into())
        }
        NodeEnum::DiscardStmt(_) => Effect::Harmless,
        NodeEnum::TransactionStmt(t) => transaction(t),
        NodeEnum::CreateStmt(c) => create(c),
        NodeEnum::AlterTableStmt(a) => alter_table(a),
        NodeEnum::RenameStmt(r) => rename(r),
        NodeEnum::AlterObjectSchemaStmt(s) => set_schema(s),
        NodeEnum::DropStmt(d) => drop(d),
        NodeEnum::CreateTrigStmt(t) => hook(t.relation.as_ref(), "a trigger"),
        NodeEnum::RuleStmt(r) => hook(r.relation.as_ref(), "a rule"),
        NodeEnum::DoStmt(_) => refused("a DO block runs code that may change any table"),
        NodeEnum::CallStmt(_) => refused("CALL runs a procedure that may change any table"),
        NodeEnum::ExecuteStmt(_) => {
            refused("EXECUTE runs a prepared statement that may change any table")
        }
        NodeEnum::LoadStmt(_) => refused("LOAD loads a library into the server"),
        NodeEnum::DropOwnedStmt(_) => {
            refused("DROP OWNED drops every table a role owns, mapped ones included")
        }
        NodeEnum::ImportForeignSchemaStmt(_) => {
            refused("IMPORT FOREIGN SCHEMA creates tables dumpshift does not see")
        }
        NodeEnum::CreateSubscriptionStmt(_) | NodeEnum::AlterSubscriptionStmt(_) => {
            refused("a subscription copies rows from another server")
        }
        other if harmless(other) => Effect::Harmless,
        other => Effect::Refused(format!(
            "a statement of a kind dumpshift does not know ({})",
            node_name(other)
        )),
    }
}

fn refused(why: &str) -> Effect {
    Effect::Refused(why.to_string())
}

/// Settings that change how the rest of the dump's text is read.
/// dumpshift follows them only in the forms pg_dump writes; any other way
/// to change them (RESET, DEFAULT, LOCAL, set_config, pg_settings, a value
/// PostgreSQL reads otherwise than dumpshift would) is refused, since a
/// misread setting changes every later string silently.
const TEXT_SETTINGS: [&str; 2] = ["standard_conforming_strings", "client_encoding"];

fn setting(v: &protobuf::VariableSetStmt) -> Effect {
    use protobuf::VariableSetKind as K;
    let kind = K::try_from(v.kind);
    if kind == Ok(K::VarResetAll) {
        return Effect::TextSetting("RESET ALL resets standard_conforming_strings and client_encoding, which change how the rest of the dump is read; dumpshift follows only SET name = value".into());
    }
    let name = v.name.to_ascii_lowercase();
    if !TEXT_SETTINGS.contains(&name.as_str()) {
        return Effect::Harmless;
    }
    let value = match (kind, v.is_local, v.args.as_slice()) {
        (Ok(K::VarSetValue), false, [arg]) => constant(arg),
        _ => None,
    };
    match (name.as_str(), value) {
        ("standard_conforming_strings", Some(on))
            if ["on", "off", "true", "false"].contains(&on.to_ascii_lowercase().as_str()) =>
        {
            Effect::Harmless
        }
        ("client_encoding", Some(enc)) => Effect::Encoding(enc),
        _ => Effect::TextSetting(format!(
            "it changes {name} in a form dumpshift does not follow (pg_dump writes SET {name} = value, with on or off for standard_conforming_strings): the setting decides how every later string is read"
        )),
    }
}

/// A constant argument (`'UTF8'`, `on`) as text.
fn constant(arg: &protobuf::Node) -> Option<String> {
    match &arg.node {
        Some(N::AConst(c)) => match &c.val {
            Some(protobuf::a_const::Val::Sval(s)) => Some(s.sval.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Statements that run a query: the rows they write, the functions they
/// call. `None` for statements that run nothing.
fn executes(node: &NodeEnum) -> Option<Effect> {
    if !runs_query(node) {
        return None;
    }
    let tree = serde_json::to_value(node).unwrap_or(Value::Null);
    let mut found = Found::default();
    found.walk(&tree);
    // A setting changed beside a write or another call is refused
    // outright: judged as a setting, it would pass after the data.
    if let Some(why) = found.settings.first() {
        let alone = found.writes.is_empty()
            && found
                .calls
                .iter()
                .all(|f| f.last().is_some_and(|n| n == "set_config"))
            && !matches!(node, NodeEnum::TruncateStmt(_) | NodeEnum::CopyStmt(_));
        return Some(match alone {
            true => Effect::TextSetting(why.clone()),
            false => Effect::Refused(why.clone()),
        });
    }
    if let Some(f) = found.calls.iter().find(|f| !safe_function(f)) {
        return Some(Effect::Refused(format!(
            "it calls {}(), which may change any table",
            f.join(".")
        )));
    }
    if let NodeEnum::PrepareStmt(_) = node {
        // PREPARE runs nothing; EXECUTE, refused, would.
        return Some(Effect::Harmless);
    }
    let (mut tables, verb, cascade) = match node {
        NodeEnum::TruncateStmt(t) => (
            t.relations.iter().filter_map(range_var).collect(),
            Verb::Truncate,
            t.behavior == DropBehavior::DropCascade as i32,
        ),
        NodeEnum::CopyStmt(c) if c.is_program && !c.is_from => {
            return Some(refused("COPY TO PROGRAM runs a program on the server"))
        }
        NodeEnum::CopyStmt(c) if c.is_from => (
            c.relation.iter().map(rel).collect(),
            Verb::CopyFromFile,
            false,
        ),
        _ => (Vec::new(), found.verb.unwrap_or(Verb::Update), false),
    };
    tables.extend(found.writes);
    if !tables.is_empty() {
        return Some(Effect::Writes {
            tables,
            verb,
            cascade,
        });
    }
    Some(match created_by_query(node) {
        Some(table) => Effect::Creates {
            table,
            feeds: Vec::new(),
        },
        None => Effect::Harmless,
    })
}

/// Whether the statement runs a query (or truncates) when executed.
fn runs_query(node: &NodeEnum) -> bool {
    match node {
        NodeEnum::SelectStmt(_)
        | NodeEnum::InsertStmt(_)
        | NodeEnum::UpdateStmt(_)
        | NodeEnum::DeleteStmt(_)
        | NodeEnum::MergeStmt(_)
        | NodeEnum::DeclareCursorStmt(_)
        | NodeEnum::PrepareStmt(_) => true,
        NodeEnum::ExplainStmt(e) => explain_analyze(e),
        NodeEnum::CreateTableAsStmt(c) => !c.into.as_ref().is_some_and(|i| i.skip_data),
        NodeEnum::CopyStmt(c) => c.query.is_some() || c.is_from || c.is_program,
        NodeEnum::TruncateStmt(_) => true,
        _ => false,
    }
}

/// The table `CREATE TABLE ... AS` or `SELECT ... INTO` creates.
fn created_by_query(node: &NodeEnum) -> Option<Rel> {
    let into = match node {
        NodeEnum::CreateTableAsStmt(c) => c.into.as_deref(),
        NodeEnum::SelectStmt(s) => s.into_clause.as_deref(),
        _ => None,
    };
    into.and_then(|i| i.rel.as_ref()).map(rel)
}

fn explain_analyze(e: &protobuf::ExplainStmt) -> bool {
    e.options.iter().any(|o| match &o.node {
        Some(N::DefElem(d)) => d.defname.eq_ignore_ascii_case("analyze"),
        _ => false,
    })
}

/// Whether the function `name` (schema-qualified or not) changes no table.
pub fn safe_function(name: &[String]) -> bool {
    match name {
        [f] => SAFE_FUNCTIONS.contains(&f.as_str()),
        [schema, f] => schema == "pg_catalog" && SAFE_FUNCTIONS.contains(&f.as_str()),
        _ => false,
    }
}

/// What a walk over every node of a statement's tree finds. The tree is
/// walked as JSON so no node type can be missed: pg_query's own walker
/// skips some (VALUES lists, for one).
#[derive(Default)]
struct Found {
    writes: Vec<Rel>,
    verb: Option<Verb>,
    calls: Vec<Vec<String>>,
    /// Why a call or write changes a setting that decides how the dump's
    /// text is read (`TEXT_SETTINGS`).
    settings: Vec<String>,
}

impl Found {
    /// `set_config(name, ...)`: refused for a text setting, or when the
    /// name is no constant (it could be one).
    fn set_config(&mut self, name: &Value) {
        let constant = name["node"]["AConst"]["val"]["Sval"]["sval"].as_str();
        match constant.map(str::to_ascii_lowercase) {
            Some(n) if !TEXT_SETTINGS.contains(&n.as_str()) => {}
            Some(n) => self.settings.push(format!(
                "set_config('{n}', ...) changes {n}, which decides how the rest of the dump is read; dumpshift follows only SET {n} = value"
            )),
            None => self.settings.push(
                "set_config() with a name that is no constant may change standard_conforming_strings or client_encoding, which decide how the rest of the dump is read".into(),
            ),
        }
    }

    fn walk(&mut self, v: &Value) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.walk(i)),
            Value::Object(map) => {
                for (key, inner) in map {
                    self.note(key, inner);
                    self.walk(inner);
                }
            }
            _ => {}
        }
    }

    fn note(&mut self, key: &str, inner: &Value) {
        let verb = match key {
            "FuncCall" => {
                let name = json_strings(&inner["funcname"]);
                if name.last().is_some_and(|n| n == "set_config") {
                    self.set_config(&inner["args"][0]);
                }
                self.calls.push(name);
                return;
            }
            "UpdateStmt" => Verb::Update,
            "DeleteStmt" => Verb::Delete,
            "MergeStmt" => Verb::Merge,
            "InsertStmt" => Verb::InsertSelect,
            _ => return,
        };
        let relation = &inner["relation"];
        let name = relation["relname"].as_str().unwrap_or_default();
        let schema = relation["schemaname"].as_str().unwrap_or_default();
        if name.eq_ignore_ascii_case("pg_settings") && matches!(schema, "" | "pg_catalog") {
            self.settings.push("a write to pg_settings changes session settings, standard_conforming_strings and client_encoding among them, which decide how the rest of the dump is read".into());
        }
        self.writes.push(Rel {
            schema: (!schema.is_empty()).then(|| schema.to_string()),
            name: name.to_string(),
        });
        self.verb.get_or_insert(verb);
    }
}

fn json_strings(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|n| n["node"]["String"]["sval"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn transaction(t: &protobuf::TransactionStmt) -> Effect {
    use protobuf::TransactionStmtKind as K;
    match K::try_from(t.kind) {
        Ok(K::TransStmtBegin | K::TransStmtStart) => Effect::Begin,
        Ok(K::TransStmtCommit) if !t.chain => Effect::Commit,
        Ok(K::TransStmtSavepoint | K::TransStmtRelease) => Effect::Harmless,
        Ok(K::TransStmtRollback | K::TransStmtRollbackTo) => {
            refused("ROLLBACK undoes statements psql ran before it, which dumpshift would keep")
        }
        Ok(K::TransStmtPrepare | K::TransStmtCommitPrepared | K::TransStmtRollbackPrepared) => {
            refused("a two-phase commit decides outside the file what is committed")
        }
        _ => refused("a transaction statement dumpshift does not know"),
    }
}

fn create(c: &protobuf::CreateStmt) -> Effect {
    let Some(r) = c.relation.as_ref() else {
        return Effect::Harmless;
    };
    Effect::Creates {
        table: rel(r),
        feeds: c.inh_relations.iter().filter_map(range_var).collect(),
    }
}

fn alter_table(a: &protobuf::AlterTableStmt) -> Effect {
    use protobuf::AlterTableType as T;
    let Some(r) = a.relation.as_ref() else {
        return Effect::Harmless;
    };
    if a.objtype != ObjectType::ObjectTable as i32 {
        return Effect::Harmless;
    }
    for cmd in &a.cmds {
        let Some(N::AlterTableCmd(cmd)) = &cmd.node else {
            continue;
        };
        let (why, before_data) = match T::try_from(cmd.subtype) {
            Ok(T::AtAddColumn) => ("ADD COLUMN adds a column", true),
            Ok(T::AtDropColumn) => ("DROP COLUMN removes a column and its values", false),
            Ok(T::AtAlterColumnType) => ("ALTER COLUMN ... TYPE rewrites a column's values", false),
            Ok(T::AtSetExpression | T::AtDropExpression) => {
                ("it changes a generated column's values", false)
            }
            Ok(T::AtAttachPartition | T::AtDetachPartition | T::AtDetachPartitionFinalize) => {
                ("it moves a partition's rows in or out of the table", false)
            }
            Ok(T::AtAddInherit | T::AtDropInherit) => {
                ("it changes which tables' rows the table shows", false)
            }
            Ok(T::Undefined) | Err(_) => ("an ALTER TABLE action dumpshift does not know", false),
            Ok(_) => continue,
        };
        return Effect::Reshapes {
            table: rel(r),
            why,
            before_data,
        };
    }
    Effect::Harmless
}

fn rename(r: &protobuf::RenameStmt) -> Effect {
    let kind = ObjectType::try_from(r.rename_type);
    let table = r.relation.as_ref().map(rel);
    match (kind, table) {
        (Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable), Some(table)) => {
            Effect::Reshapes {
                table,
                why: "RENAME gives the table another name",
                before_data: false,
            }
        }
        (Ok(ObjectType::ObjectColumn), Some(table)) => Effect::Reshapes {
            table,
            why: "RENAME COLUMN gives a column another name",
            before_data: false,
        },
        (Ok(ObjectType::ObjectSchema), _) => Effect::Drops {
            tables: Vec::new(),
            schemas: vec![r.subname.clone()],
            risky_cascade: false,
        },
        _ => Effect::Harmless,
    }
}

fn set_schema(s: &protobuf::AlterObjectSchemaStmt) -> Effect {
    match (ObjectType::try_from(s.object_type), s.relation.as_ref()) {
        (Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable), Some(r)) => {
            Effect::Reshapes {
                table: rel(r),
                why: "SET SCHEMA moves the table to another schema",
                before_data: false,
            }
        }
        _ => Effect::Harmless,
    }
}

fn drop(d: &protobuf::DropStmt) -> Effect {
    let kind = ObjectType::try_from(d.remove_type).unwrap_or(ObjectType::Undefined);
    let cascade = d.behavior == DropBehavior::DropCascade as i32;
    let names: Vec<Vec<String>> = d
        .objects
        .iter()
        .map(|o| match &o.node {
            Some(N::List(l)) => strings(&l.items),
            Some(N::String(s)) => vec![s.sval.clone()],
            _ => Vec::new(),
        })
        .collect();
    match kind {
        ObjectType::ObjectTable | ObjectType::ObjectForeignTable => Effect::Drops {
            tables: names.iter().filter_map(|n| qualified(n)).collect(),
            schemas: Vec::new(),
            risky_cascade: false,
        },
        ObjectType::ObjectSchema => Effect::Drops {
            tables: Vec::new(),
            schemas: names.into_iter().flatten().collect(),
            risky_cascade: cascade,
        },
        ObjectType::ObjectView
        | ObjectType::ObjectMatview
        | ObjectType::ObjectSequence
        | ObjectType::ObjectIndex
        | ObjectType::ObjectPolicy
        | ObjectType::ObjectTrigger
        | ObjectType::ObjectRule
        | ObjectType::ObjectPublication
        | ObjectType::ObjectRole => Effect::Harmless,
        _ if cascade => Effect::Drops {
            tables: Vec::new(),
            schemas: Vec::new(),
            risky_cascade: true,
        },
        _ => Effect::Harmless,
    }
}

fn qualified(names: &[String]) -> Option<Rel> {
    match names {
        [name] => Some(Rel {
            schema: None,
            name: name.clone(),
        }),
        [.., schema, name] => Some(Rel {
            schema: Some(schema.clone()),
            name: name.clone(),
        }),
        [] => None,
    }
}

fn hook(r: Option<&protobuf::RangeVar>, what: &'static str) -> Effect {
    match r {
        Some(r) => Effect::Hook {
            table: rel(r),
            what,
        },
        None => Effect::Harmless,
    }
}

/// Kinds that change no table's rows or columns: session settings,
/// annotations, privileges, and objects beside the tables.
fn harmless(node: &NodeEnum) -> bool {
    use NodeEnum as E;
    matches!(
        node,
        E::VariableSetStmt(_)
            | E::VariableShowStmt(_)
            | E::CommentStmt(_)
            | E::SecLabelStmt(_)
            | E::GrantStmt(_)
            | E::GrantRoleStmt(_)
            | E::AlterDefaultPrivilegesStmt(_)
            | E::AlterOwnerStmt(_)
            | E::ReassignOwnedStmt(_)
            | E::IndexStmt(_)
            | E::CreateSeqStmt(_)
            | E::AlterSeqStmt(_)
            | E::CreateFunctionStmt(_)
            | E::AlterFunctionStmt(_)
            | E::CreatePolicyStmt(_)
            | E::AlterPolicyStmt(_)
            | E::CreateSchemaStmt(_)
            | E::CreateExtensionStmt(_)
            | E::AlterExtensionStmt(_)
            | E::AlterExtensionContentsStmt(_)
            | E::CreateEnumStmt(_)
            | E::AlterEnumStmt(_)
            | E::CreateRangeStmt(_)
            | E::CompositeTypeStmt(_)
            | E::CreateDomainStmt(_)
            | E::AlterDomainStmt(_)
            | E::DefineStmt(_)
            | E::ViewStmt(_)
            | E::CreateTableAsStmt(_)
            | E::RefreshMatViewStmt(_)
            | E::CreatePublicationStmt(_)
            | E::AlterPublicationStmt(_)
            | E::CreateEventTrigStmt(_)
            | E::AlterEventTrigStmt(_)
            | E::CreateFdwStmt(_)
            | E::AlterFdwStmt(_)
            | E::CreateForeignServerStmt(_)
            | E::AlterForeignServerStmt(_)
            | E::CreateForeignTableStmt(_)
            | E::CreateUserMappingStmt(_)
            | E::AlterUserMappingStmt(_)
            | E::CreateCastStmt(_)
            | E::CreateConversionStmt(_)
            | E::CreateOpClassStmt(_)
            | E::CreateOpFamilyStmt(_)
            | E::AlterOpFamilyStmt(_)
            | E::AlterOperatorStmt(_)
            | E::AlterTypeStmt(_)
            | E::CreatePlangStmt(_)
            | E::CreateAmStmt(_)
            | E::CreateTransformStmt(_)
            | E::CreateStatsStmt(_)
            | E::AlterStatsStmt(_)
            | E::AlterCollationStmt(_)
            | E::AlterTsdictionaryStmt(_)
            | E::AlterTsconfigurationStmt(_)
            | E::CreateRoleStmt(_)
            | E::AlterRoleStmt(_)
            | E::AlterRoleSetStmt(_)
            | E::DropRoleStmt(_)
            | E::CreatedbStmt(_)
            | E::AlterDatabaseStmt(_)
            | E::AlterDatabaseSetStmt(_)
            | E::AlterDatabaseRefreshCollStmt(_)
            | E::DropdbStmt(_)
            | E::CreateTableSpaceStmt(_)
            | E::AlterTableSpaceOptionsStmt(_)
            | E::AlterObjectDependsStmt(_)
            | E::AlterSystemStmt(_)
            | E::LockStmt(_)
            | E::ConstraintsSetStmt(_)
            | E::ClusterStmt(_)
            | E::VacuumStmt(_)
            | E::ReindexStmt(_)
            | E::CheckPointStmt(_)
            | E::NotifyStmt(_)
            | E::ListenStmt(_)
            | E::UnlistenStmt(_)
            | E::ClosePortalStmt(_)
            | E::FetchStmt(_)
            | E::DeallocateStmt(_)
            | E::ExplainStmt(_)
            | E::CopyStmt(_)
    )
}

fn rel(r: &protobuf::RangeVar) -> Rel {
    Rel {
        schema: (!r.schemaname.is_empty()).then(|| r.schemaname.clone()),
        name: r.relname.clone(),
    }
}

fn range_var(n: &protobuf::Node) -> Option<Rel> {
    match &n.node {
        Some(N::RangeVar(r)) => Some(rel(r)),
        _ => None,
    }
}

/// The statement's first words, for messages: at most six, whitespace
/// and comments folded, cut to 60 characters.
pub fn first_words(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    let mut s = words.join(" ");
    if s.chars().count() > 60 {
        s = s.chars().take(57).collect::<String>() + "...";
    }
    s
}

#[cfg(test)]
mod tests;
