//! What `ALTER TABLE`, `RENAME` and `DROP TABLE` do to a catalog. A target
//! schema grown by numbered migrations reshapes its tables as it goes:
//! migration 7 may rename the column migration 2 created, or drop it, or
//! change its type, so the catalog the mapping is checked against must be
//! the one the last migration leaves, not the first CREATE TABLE.
//!
//! Every command of an `ALTER TABLE` counts, in order (`ADD COLUMN a, ADD
//! COLUMN b` adds both). A command on a table or column the catalog does
//! not hold changes nothing: pg_dump `--clean` drops constraints and
//! defaults before it creates their tables.

use pg_query::protobuf::{self, node::Node as N, AlterTableType as T, ObjectType};

use super::{
    added_column, constraint_ddl, default_of, int_const, range_name, strings, type_name, Ddl,
    TableName,
};

/// How one column changes in place.
#[derive(Debug, PartialEq, Eq)]
pub enum ColumnChange {
    /// `ALTER COLUMN c TYPE t`.
    Type {
        type_name: String,
        typmods: Vec<i64>,
    },
    /// `SET NOT NULL` (true) or `DROP NOT NULL` (false).
    NotNull(bool),
    /// `SET DEFAULT e` or `DROP DEFAULT` (`None`).
    Default(Option<super::ColumnDefault>),
}

/// The catalog changes of one `ALTER TABLE`, command by command.
pub fn alter_table(a: &protobuf::AlterTableStmt) -> Vec<Ddl> {
    let Some(rel) = a.relation.as_ref() else {
        return Vec::new();
    };
    let table = range_name(rel);
    a.cmds
        .iter()
        .filter_map(|cmd| match &cmd.node {
            Some(N::AlterTableCmd(cmd)) => command(&table, cmd),
            _ => None,
        })
        .collect()
}

fn command(table: &TableName, cmd: &protobuf::AlterTableCmd) -> Option<Ddl> {
    let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
    let column = cmd.name.clone();
    let change = |change| {
        Some(Ddl::AlterColumn {
            table: table.clone(),
            column: column.clone(),
            change,
        })
    };
    match (T::try_from(cmd.subtype), def) {
        (Ok(T::AtAddColumn), Some(N::ColumnDef(col))) => Some(added_column(table.clone(), col)),
        (Ok(T::AtAddConstraint), Some(N::Constraint(con))) => constraint_ddl(table, con),
        (Ok(T::AtDropColumn), _) => Some(Ddl::DropColumn {
            table: table.clone(),
            column,
        }),
        (Ok(T::AtAlterColumnType), Some(N::ColumnDef(col))) => change(ColumnChange::Type {
            type_name: type_name(col.type_name.as_ref()),
            typmods: col.type_name.as_ref().map_or_else(Vec::new, |t| {
                t.typmods.iter().filter_map(int_const).collect()
            }),
        }),
        (Ok(T::AtSetNotNull), _) => change(ColumnChange::NotNull(true)),
        (Ok(T::AtDropNotNull), _) => change(ColumnChange::NotNull(false)),
        (Ok(T::AtColumnDefault), expr) => {
            let expr = cmd.def.as_deref().filter(|_| expr.is_some());
            change(ColumnChange::Default(expr.map(default_of)))
        }
        _ => None,
    }
}

/// `ALTER TABLE t RENAME [COLUMN] a TO b` and `ALTER TABLE t RENAME TO u`.
pub fn rename(r: &protobuf::RenameStmt) -> Option<Ddl> {
    let table = range_name(r.relation.as_ref()?);
    match ObjectType::try_from(r.rename_type) {
        Ok(ObjectType::ObjectColumn) => Some(Ddl::RenameColumn {
            table,
            from: r.subname.clone(),
            to: r.newname.clone(),
        }),
        Ok(ObjectType::ObjectTable) => Some(Ddl::RenameTable {
            table,
            to: r.newname.clone(),
        }),
        _ => None,
    }
}

/// `DROP TABLE a, b`: one change per table.
pub fn drop_tables(d: &protobuf::DropStmt) -> Vec<Ddl> {
    if ObjectType::try_from(d.remove_type) != Ok(ObjectType::ObjectTable) {
        return Vec::new();
    }
    d.objects
        .iter()
        .filter_map(|o| match &o.node {
            Some(N::List(l)) => {
                let mut names = strings(&l.items);
                let name = names.pop()?;
                let schema = names.pop().unwrap_or_else(|| "public".into());
                Some(Ddl::DropTable {
                    table: TableName::new(&schema, &name),
                })
            }
            _ => None,
        })
        .collect()
}
