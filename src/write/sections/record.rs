//! The names a statement kept in place may create, recorded so that no key
//! deferred later is given one of them. A kind of statement whose names
//! dumpshift cannot tell (a DO block, a rename, anything not listed) makes
//! the namespace blind: every later unnamed key then stays where it is.

use pg_query::protobuf::{self, node::Node as N, AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::super::names::{addition, object_name, Namespace};

/// Records what `node`, run as written, may name.
pub fn kept(node: &NodeEnum, ns: &mut Namespace) {
    match node {
        N::CreateStmt(c) => {
            let Some(rel) = &c.relation else {
                return ns.blind();
            };
            ns.take(&rel.relname);
            for elt in &c.table_elts {
                match &elt.node {
                    Some(N::ColumnDef(col)) => {
                        let own = [col.colname.clone()];
                        for k in constraints(&col.constraints) {
                            key(&rel.relname, k, Some(&own), ns);
                        }
                    }
                    Some(N::Constraint(k)) => key(&rel.relname, k, None, ns),
                    _ => {}
                }
            }
        }
        // An index kept in place without a name is one dumpshift could not
        // name (an expression column, a numbered choice).
        N::IndexStmt(i) if i.idxname.is_empty() => match &i.relation {
            Some(r) => ns.unknown_names_on(&r.relname),
            None => ns.blind(),
        },
        N::IndexStmt(i) => ns.take(&i.idxname),
        N::AlterTableStmt(a) => alter(a, ns),
        N::ViewStmt(v) => {
            if let Some(r) = &v.view {
                ns.take(&r.relname);
            }
        }
        N::CreateSeqStmt(q) => {
            if let Some(r) = &q.sequence {
                ns.take(&r.relname);
            }
        }
        N::CommentStmt(_)
        | N::CreateFunctionStmt(_)
        | N::AlterSeqStmt(_)
        | N::CreateEnumStmt(_)
        | N::CompositeTypeStmt(_)
        | N::CreateDomainStmt(_)
        | N::CreateExtensionStmt(_)
        | N::GrantStmt(_)
        | N::VariableSetStmt(_)
        | N::DropStmt(_)
        | N::CreateTrigStmt(_) => {}
        _ => ns.blind(),
    }
}

fn alter(a: &protobuf::AlterTableStmt, ns: &mut Namespace) {
    let Some(rel) = &a.relation else {
        return ns.blind();
    };
    for cmd in &a.cmds {
        let Some(N::AlterTableCmd(c)) = &cmd.node else {
            return ns.blind();
        };
        let def = c.def.as_ref().and_then(|d| d.node.as_ref());
        match (AlterTableType::try_from(c.subtype), def) {
            (Ok(AlterTableType::AtAddConstraint), Some(N::Constraint(k))) => {
                key(&rel.relname, k, None, ns)
            }
            (Ok(AlterTableType::AtAddColumn), Some(N::ColumnDef(col))) => {
                let own = [col.colname.clone()];
                for k in constraints(&col.constraints) {
                    key(&rel.relname, k, Some(&own), ns);
                }
            }
            (
                Ok(
                    AlterTableType::AtDropConstraint
                    | AtColumnDefault
                    | AtDropNotNull
                    | AtSetNotNull
                    | AtDropColumn
                    | AtAlterColumnType
                    | AtValidateConstraint,
                ),
                _,
            ) => {}
            _ => return ns.blind(),
        }
    }
}

use AlterTableType::*;

fn constraints(nodes: &[protobuf::Node]) -> impl Iterator<Item = &protobuf::Constraint> {
    nodes.iter().filter_map(|n| match &n.node {
        Some(N::Constraint(k)) => Some(&**k),
        _ => None,
    })
}

/// Records the name a key gets: its own, or PostgreSQL's first choice.
fn key(table: &str, k: &protobuf::Constraint, own: Option<&[String]>, ns: &mut Namespace) {
    if !k.conname.is_empty() {
        return ns.take(&k.conname);
    }
    let strings = |nodes: &[protobuf::Node]| crate::dump::sql::strings(nodes);
    let cols = |nodes: &[protobuf::Node]| match own {
        Some(own) => own.to_vec(),
        None => strings(nodes),
    };
    let name = match ConstrType::try_from(k.contype) {
        Ok(ConstrType::ConstrPrimary) => object_name(table, None, "pkey"),
        Ok(ConstrType::ConstrUnique) => {
            let mut c = cols(&k.keys);
            c.extend(strings(&k.including));
            object_name(table, Some(&addition(&c)), "key")
        }
        Ok(ConstrType::ConstrForeign) => {
            object_name(table, Some(&addition(&cols(&k.fk_attrs))), "fkey")
        }
        Ok(ConstrType::ConstrExclusion) => return ns.blind(),
        _ => return,
    };
    ns.take(&name);
}
