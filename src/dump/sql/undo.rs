//! What undoes a DDL statement: for a baseline migration's down section,
//! pg_query classifies each statement of a schema dump and, for one that
//! creates a free-standing object, builds the `DROP ... IF EXISTS ...
//! CASCADE` for it and lets pg_query's deparser spell it.
//!
//! Objects that belong to another one (indexes, constraints, triggers,
//! policies, comments, grants, owners, sequence ownership) need no statement
//! of their own: they go when their owner is dropped.

use pg_query::protobuf::{self, node::Node as N, DropBehavior, ObjectType};
use pg_query::NodeEnum;

use super::{node_name, range_name, TableName};

/// What undoing one statement takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// The statement creates an object; `sql` drops it.
    Drop { object: String, sql: String },
    /// Nothing of its own: the statement changes or annotates an object
    /// that is dropped as a whole, or changes only the session.
    Nothing,
    /// It creates an object of a kind dumpshift does not drop (named by
    /// pg_query's node name, e.g. `CreateCastStmt`).
    Unknown(String),
    /// It creates a database: not part of one database's schema.
    Database,
}

/// Classifies one statement; `Err` carries pg_query's message when the
/// text does not parse.
pub fn undo(sql: &str) -> Result<Undo, String> {
    let parsed = pg_query::parse(sql, 0).map_err(|e| e.to_string())?;
    let Some(node) = parsed
        .protobuf
        .stmts
        .into_iter()
        .next()
        .and_then(|s| s.stmt)
        .and_then(|n| n.node)
    else {
        return Ok(Undo::Nothing);
    };
    let (kind, objects) = match dropped(&node) {
        Ok(found) => found,
        Err(undo) => return Ok(undo),
    };
    let drop = NodeEnum::DropStmt(protobuf::DropStmt {
        objects,
        remove_type: kind as i32,
        behavior: DropBehavior::DropCascade as i32,
        missing_ok: true,
        concurrent: false,
    });
    let sql = drop
        .deparse(Default::default())
        .map_err(|e| format!("cannot spell the DROP for it: {e}"))?;
    // `DROP TABLE IF EXISTS public.t CASCADE` names `table public.t`.
    let object = sql.split_once(" IF EXISTS ").map_or_else(
        || sql.clone(),
        |(kind, rest)| {
            let kind = kind.trim_start_matches("DROP ").to_lowercase();
            format!("{kind} {}", rest.trim_end_matches(" CASCADE"))
        },
    );
    Ok(Undo::Drop {
        object,
        sql: sql + ";",
    })
}

/// The kind and name of the object a statement creates, for its DROP; or
/// what else undoing it takes.
fn dropped(node: &NodeEnum) -> Result<(ObjectType, Vec<protobuf::Node>), Undo> {
    Ok(match node {
        NodeEnum::CreatedbStmt(_) => return Err(Undo::Database),
        NodeEnum::CreateSchemaStmt(s) => (ObjectType::ObjectSchema, vec![name(&s.schemaname)]),
        NodeEnum::CreateStmt(s) => (ObjectType::ObjectTable, relation(s.relation.as_ref())),
        NodeEnum::CreateForeignTableStmt(s) => (
            ObjectType::ObjectForeignTable,
            relation(s.base_stmt.as_ref().and_then(|b| b.relation.as_ref())),
        ),
        NodeEnum::CreateSeqStmt(s) => (ObjectType::ObjectSequence, relation(s.sequence.as_ref())),
        NodeEnum::ViewStmt(s) => (ObjectType::ObjectView, relation(s.view.as_ref())),
        NodeEnum::CreateTableAsStmt(s) => (
            match ObjectType::try_from(s.objtype) {
                Ok(ObjectType::ObjectMatview) => ObjectType::ObjectMatview,
                _ => ObjectType::ObjectTable,
            },
            relation(s.into.as_ref().and_then(|i| i.rel.as_ref())),
        ),
        NodeEnum::CreateFunctionStmt(f) => function(f),
        NodeEnum::CreateEnumStmt(s) => (ObjectType::ObjectType, vec![type_name(&s.type_name)]),
        NodeEnum::CreateRangeStmt(s) => (ObjectType::ObjectType, vec![type_name(&s.type_name)]),
        NodeEnum::CompositeTypeStmt(s) => (
            ObjectType::ObjectType,
            vec![type_name(&range_names(s.typevar.as_ref()))],
        ),
        NodeEnum::CreateDomainStmt(s) => (ObjectType::ObjectDomain, vec![type_name(&s.domainname)]),
        NodeEnum::DefineStmt(d) => match define(d) {
            Some(found) => found,
            None => return Err(Undo::Unknown(node_name(node))),
        },
        NodeEnum::CreateExtensionStmt(s) => (ObjectType::ObjectExtension, vec![name(&s.extname)]),
        NodeEnum::CreatePublicationStmt(s) => {
            (ObjectType::ObjectPublication, vec![name(&s.pubname)])
        }
        NodeEnum::CreateEventTrigStmt(s) => {
            (ObjectType::ObjectEventTrigger, vec![name(&s.trigname)])
        }
        NodeEnum::CreateFdwStmt(s) => (ObjectType::ObjectFdw, vec![name(&s.fdwname)]),
        NodeEnum::CreateForeignServerStmt(s) => {
            (ObjectType::ObjectForeignServer, vec![name(&s.servername)])
        }
        other if creates_standalone(other) => return Err(Undo::Unknown(node_name(other))),
        _ => return Err(Undo::Nothing),
    })
}

/// Statements that create something with a life of its own that dumpshift
/// has no DROP for; anything else not matched above belongs to an object.
fn creates_standalone(node: &NodeEnum) -> bool {
    matches!(
        node,
        NodeEnum::CreateCastStmt(_)
            | NodeEnum::CreateConversionStmt(_)
            | NodeEnum::CreateOpClassStmt(_)
            | NodeEnum::CreateOpFamilyStmt(_)
            | NodeEnum::CreatePlangStmt(_)
            | NodeEnum::CreateAmStmt(_)
            | NodeEnum::CreateTransformStmt(_)
            | NodeEnum::CreateSubscriptionStmt(_)
            | NodeEnum::CreateRoleStmt(_)
            | NodeEnum::CreateTableSpaceStmt(_)
            | NodeEnum::CreateUserMappingStmt(_)
    )
}

fn string(s: &str) -> protobuf::Node {
    protobuf::Node {
        node: Some(N::String(protobuf::String {
            sval: s.to_string(),
        })),
    }
}

fn name(s: &str) -> protobuf::Node {
    string(s)
}

fn list(items: Vec<protobuf::Node>) -> protobuf::Node {
    protobuf::Node {
        node: Some(N::List(protobuf::List { items })),
    }
}

fn range_names(r: Option<&protobuf::RangeVar>) -> Vec<protobuf::Node> {
    let Some(r) = r else { return Vec::new() };
    let mut names = Vec::new();
    if !r.schemaname.is_empty() {
        names.push(string(&r.schemaname));
    }
    names.push(string(&r.relname));
    names
}

fn relation(r: Option<&protobuf::RangeVar>) -> Vec<protobuf::Node> {
    vec![list(range_names(r))]
}

fn type_name(names: &[protobuf::Node]) -> protobuf::Node {
    protobuf::Node {
        node: Some(N::TypeName(protobuf::TypeName {
            names: names.to_vec(),
            typemod: -1,
            ..Default::default()
        })),
    }
}

/// `DROP FUNCTION f(argument types)`: the types of the arguments a call
/// passes (not OUT or TABLE columns), so overloads are told apart.
fn function(f: &protobuf::CreateFunctionStmt) -> (ObjectType, Vec<protobuf::Node>) {
    use protobuf::FunctionParameterMode as M;
    let objargs = f
        .parameters
        .iter()
        .filter_map(|p| match &p.node {
            Some(N::FunctionParameter(p)) => Some(p),
            _ => None,
        })
        .filter(|p| !matches!(M::try_from(p.mode), Ok(M::FuncParamOut | M::FuncParamTable)))
        .filter_map(|p| p.arg_type.clone())
        .map(|t| protobuf::Node {
            node: Some(N::TypeName(t)),
        })
        .collect();
    let kind = if f.is_procedure {
        ObjectType::ObjectProcedure
    } else {
        ObjectType::ObjectFunction
    };
    let object = protobuf::Node {
        node: Some(N::ObjectWithArgs(protobuf::ObjectWithArgs {
            objname: f.funcname.clone(),
            objargs,
            ..Default::default()
        })),
    };
    (kind, vec![object])
}

/// `CREATE TYPE name (...)`, collations and text search objects; not
/// aggregates or operators, whose DROP needs their argument types.
fn define(d: &protobuf::DefineStmt) -> Option<(ObjectType, Vec<protobuf::Node>)> {
    let kind = ObjectType::try_from(d.kind).ok()?;
    match kind {
        ObjectType::ObjectType => Some((kind, vec![type_name(&d.defnames)])),
        ObjectType::ObjectCollation
        | ObjectType::ObjectTsconfiguration
        | ObjectType::ObjectTsdictionary
        | ObjectType::ObjectTsparser
        | ObjectType::ObjectTstemplate => Some((kind, vec![list(d.defnames.clone())])),
        _ => None,
    }
}

/// The table a statement creates or changes, for the statements pg_dump
/// writes about a table: `CREATE TABLE`, `ALTER TABLE`, `CREATE INDEX`.
pub fn table_of(sql: &str) -> Option<TableName> {
    let node = super::parse_one(sql).ok()??;
    let rel = match &node {
        NodeEnum::CreateStmt(s) => s.relation.as_ref(),
        NodeEnum::AlterTableStmt(s) => s.relation.as_ref(),
        NodeEnum::IndexStmt(s) => s.relation.as_ref(),
        NodeEnum::CommentStmt(c) => return comment_table(c),
        NodeEnum::GrantStmt(g) => g.objects.iter().find_map(|o| match &o.node {
            Some(N::RangeVar(r)) => Some(r),
            _ => None,
        }),
        _ => None,
    }?;
    Some(range_name(rel))
}

fn comment_table(c: &protobuf::CommentStmt) -> Option<TableName> {
    if c.objtype != ObjectType::ObjectTable as i32 {
        return None;
    }
    let Some(N::List(l)) = c.object.as_ref()?.node.as_ref() else {
        return None;
    };
    let names: Vec<String> = l
        .items
        .iter()
        .filter_map(|n| match &n.node {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect();
    match names.as_slice() {
        [schema, table] => Some(TableName::new(schema, table)),
        [table] => Some(TableName::new("public", table)),
        _ => None,
    }
}

/// pg_query's message when `sql` does not parse.
pub fn parse_error(sql: &str) -> Option<String> {
    pg_query::parse(sql, 0).err().map(|e| match e {
        pg_query::Error::Parse(m) => m,
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drop_of(sql: &str) -> String {
        match undo(sql).unwrap() {
            Undo::Drop { sql, .. } => sql,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn drops_for_what_pg_dump_creates() {
        let cases = [
            ("CREATE SCHEMA auth;", "DROP SCHEMA IF EXISTS auth CASCADE;"),
            (
                "CREATE TABLE public.\"audit log\" (id bigint NOT NULL);",
                "DROP TABLE IF EXISTS public.\"audit log\" CASCADE;",
            ),
            (
                "CREATE SEQUENCE auth.refresh_tokens_id_seq START WITH 1;",
                "DROP SEQUENCE IF EXISTS auth.refresh_tokens_id_seq CASCADE;",
            ),
            (
                "CREATE VIEW public.open_tasks WITH (security_invoker='true') AS SELECT 1;",
                "DROP VIEW IF EXISTS public.open_tasks CASCADE;",
            ),
            (
                "CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2');",
                "DROP TYPE IF EXISTS auth.aal_level CASCADE;",
            ),
            (
                "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA extensions;",
                "DROP EXTENSION IF EXISTS \"uuid-ossp\" CASCADE;",
            ),
            (
                "CREATE PUBLICATION supabase_realtime WITH (publish = 'insert');",
                "DROP PUBLICATION IF EXISTS supabase_realtime CASCADE;",
            ),
            (
                "CREATE MATERIALIZED VIEW public.m AS SELECT 1 WITH NO DATA;",
                "DROP MATERIALIZED VIEW IF EXISTS public.m CASCADE;",
            ),
            (
                "CREATE DOMAIN public.pos AS integer CHECK (VALUE > 0);",
                "DROP DOMAIN IF EXISTS public.pos CASCADE;",
            ),
        ];
        for (create, want) in cases {
            assert_eq!(drop_of(create), want, "{create}");
        }
    }

    #[test]
    fn functions_are_dropped_by_their_call_signature() {
        let sql = "CREATE FUNCTION graphql_public.graphql(\"operationName\" text DEFAULT NULL::text, \
                   variables jsonb DEFAULT NULL::jsonb, OUT n integer) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;";
        assert_eq!(
            drop_of(sql),
            "DROP FUNCTION IF EXISTS graphql_public.graphql(text, jsonb) CASCADE;"
        );
        assert_eq!(
            drop_of("CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS $$ SELECT NULL $$;"),
            "DROP FUNCTION IF EXISTS auth.uid() CASCADE;"
        );
        let Undo::Drop { object, .. } =
            undo("CREATE PROCEDURE public.p(a int) LANGUAGE sql AS $$ $$;").unwrap()
        else {
            panic!("not a drop")
        };
        assert_eq!(object, "procedure public.p(int)");
    }

    #[test]
    fn parts_of_objects_and_unknown_kinds() {
        for sql in [
            "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);",
            "CREATE INDEX i ON public.t USING btree (a);",
            "CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.f();",
            "CREATE POLICY p ON public.t TO anon USING (true);",
            "COMMENT ON TABLE public.t IS 'x';",
            "GRANT ALL ON TABLE public.t TO anon;",
            "SET default_tablespace = '';",
        ] {
            assert_eq!(undo(sql).unwrap(), Undo::Nothing, "{sql}");
        }
        assert_eq!(
            undo("CREATE CAST (text AS int) WITH INOUT;").unwrap(),
            Undo::Unknown("CreateCastStmt".into())
        );
        assert_eq!(undo("CREATE DATABASE x;").unwrap(), Undo::Database);
        assert!(undo("CREATE TABLE (").is_err());
    }

    #[test]
    fn the_table_a_statement_is_about() {
        let t = TableName::new("public", "schema_migrations");
        for sql in [
            "CREATE TABLE public.schema_migrations (version bigint NOT NULL);",
            "ALTER TABLE public.schema_migrations OWNER TO postgres;",
            "ALTER TABLE ONLY public.schema_migrations ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);",
            "COMMENT ON TABLE public.schema_migrations IS 'x';",
            "GRANT SELECT ON TABLE public.schema_migrations TO anon;",
        ] {
            assert_eq!(table_of(sql), Some(t.clone()), "{sql}");
        }
        assert_eq!(table_of("CREATE SCHEMA x;"), None);
    }
}
