//! What each DDL statement does to a catalog, in the order the statements
//! run: CREATE TABLE defines a table, ALTER TABLE adds, drops, renames and
//! changes its columns and keys, DROP TABLE removes it. A change to a
//! table or column the catalog does not hold is no change (pg_dump
//! `--clean` drops what it is about to create).
//!
//! As PostgreSQL does, dropping a column drops the keys and checks that
//! name it, and (what CASCADE would do) the foreign keys of other tables
//! that point at it; renaming carries the new name into every key.

use super::sql::alter::ColumnChange;
use super::sql::{Check, Ddl};
use super::{Catalog, TableDef, TableName};

impl Catalog {
    /// Applies one DDL change of the statement at byte `at`.
    pub(super) fn apply(&mut self, ddl: Ddl, at: usize) {
        match ddl {
            Ddl::CreateTable {
                table,
                columns,
                primary_key,
                foreign_keys,
                checks,
                uniques,
                open,
            } => {
                let def = self.entry(table);
                def.columns = columns;
                def.open = open;
                def.checks = checks;
                def.uniques.extend(uniques);
                def.at = Some(at);
                if !primary_key.is_empty() {
                    def.primary_key = primary_key;
                }
                def.foreign_keys.extend(foreign_keys);
            }
            Ddl::AddColumn {
                table,
                column,
                primary_key,
                foreign_keys,
                checks,
                uniques,
            } => {
                let def = self.entry(table);
                def.columns.push(column);
                if !primary_key.is_empty() {
                    def.primary_key = primary_key;
                }
                def.foreign_keys.extend(foreign_keys);
                def.checks.extend(checks);
                def.uniques.extend(uniques);
            }
            Ddl::AddPrimaryKey { table, columns } => self.entry(table).primary_key = columns,
            Ddl::AddForeignKey { table, key } => self.entry(table).foreign_keys.push(key),
            Ddl::AddUnique { table, key } => self.entry(table).uniques.push(key),
            Ddl::AddCheck { table, check } => self.entry(table).checks.push(check),
            Ddl::DropColumn { table, column } => self.drop_column(&table, &column),
            Ddl::AlterColumn {
                table,
                column,
                change,
            } => self.alter_column(&table, &column, change),
            Ddl::RenameColumn { table, from, to } => self.rename_column(&table, &from, &to),
            Ddl::RenameTable { table, to } => self.rename_table(&table, &to),
            Ddl::DropTable { table } => {
                self.tables.retain(|(n, _)| *n != table);
                self.each_key_onto(&table, |keys| keys.clear());
            }
        }
    }

    fn find_mut(&mut self, name: &TableName) -> Option<&mut TableDef> {
        self.tables
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d)
    }

    /// Calls `f` with the foreign keys of every table, as one list per
    /// table, keeping only those that point at `target`.
    fn each_key_onto(
        &mut self,
        target: &TableName,
        mut f: impl FnMut(&mut Vec<super::ForeignKey>),
    ) {
        for (_, def) in &mut self.tables {
            let (mut onto, other): (Vec<_>, Vec<_>) = std::mem::take(&mut def.foreign_keys)
                .into_iter()
                .partition(|k| k.ref_table == *target);
            f(&mut onto);
            def.foreign_keys = other;
            def.foreign_keys.append(&mut onto);
        }
    }

    fn drop_column(&mut self, table: &TableName, column: &str) {
        let Some(def) = self.find_mut(table) else {
            return;
        };
        if !def.columns.iter().any(|c| c.name == column) {
            return;
        }
        def.columns.retain(|c| c.name != column);
        let names = |cols: &[String]| cols.iter().any(|c| c == column);
        if names(&def.primary_key) {
            def.primary_key.clear();
        }
        def.foreign_keys.retain(|k| !names(&k.columns));
        def.uniques.retain(|u| !names(&u.columns));
        def.checks.retain(|c| !c.columns().contains(&column));
        self.each_key_onto(table, |keys| keys.retain(|k| !names(&k.ref_columns)));
    }

    fn alter_column(&mut self, table: &TableName, column: &str, change: ColumnChange) {
        let Some(c) = self
            .find_mut(table)
            .and_then(|d| d.columns.iter_mut().find(|c| c.name == column))
        else {
            return;
        };
        match change {
            ColumnChange::Type { type_name, typmods } => {
                (c.type_name, c.typmods) = (type_name, typmods)
            }
            ColumnChange::NotNull(on) => c.not_null = on,
            ColumnChange::Default(d) => c.default = d,
        }
    }

    fn rename_column(&mut self, table: &TableName, from: &str, to: &str) {
        let Some(def) = self.find_mut(table) else {
            return;
        };
        let rename = |c: &mut String| {
            if c == from {
                *c = to.to_string();
            }
        };
        def.columns.iter_mut().for_each(|c| rename(&mut c.name));
        def.primary_key.iter_mut().for_each(rename);
        for k in &mut def.foreign_keys {
            k.columns.iter_mut().for_each(rename);
        }
        for u in &mut def.uniques {
            u.columns.iter_mut().for_each(rename);
        }
        def.checks.iter_mut().for_each(|c| c.rename(from, to));
        self.each_key_onto(table, |keys| {
            for k in keys {
                k.ref_columns.iter_mut().for_each(rename);
            }
        });
    }

    fn rename_table(&mut self, table: &TableName, to: &str) {
        let new = TableName::new(&table.schema, to);
        let Some(entry) = self.tables.iter_mut().find(|(n, _)| n == table) else {
            return;
        };
        entry.0 = new.clone();
        self.each_key_onto(table, |keys| {
            keys.iter_mut().for_each(|k| k.ref_table = new.clone())
        });
    }
}

impl Check {
    /// The columns the check reads.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Check::In { column, .. }
            | Check::Between { column, .. }
            | Check::Compare { column, .. }
            | Check::NotValue { column, .. } => vec![column],
            Check::Differ { a, b } | Check::Order { a, b, .. } => vec![a, b],
        }
    }

    fn rename(&mut self, from: &str, to: &str) {
        let cols: Vec<&mut String> = match self {
            Check::In { column, .. }
            | Check::Between { column, .. }
            | Check::Compare { column, .. }
            | Check::NotValue { column, .. } => vec![column],
            Check::Differ { a, b } | Check::Order { a, b, .. } => vec![a, b],
        };
        for c in cols {
            if c == from {
                *c = to.to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::ColumnDefault;

    const MIGRATIONS: &str = "\
CREATE TABLE public.projects (id uuid PRIMARY KEY, name text NOT NULL, code text UNIQUE,
    status text CHECK (status IN ('a', 'b')));
CREATE TABLE public.tasks (id uuid PRIMARY KEY, project_id uuid REFERENCES public.projects (id),
    title text, legacy text UNIQUE, score int);
ALTER TABLE public.tasks ADD COLUMN a int, ADD COLUMN b text NOT NULL DEFAULT 'x';
ALTER TABLE public.tasks RENAME COLUMN title TO name;
ALTER TABLE public.tasks DROP COLUMN legacy;
ALTER TABLE public.tasks ALTER COLUMN name TYPE varchar(80), ALTER COLUMN name SET NOT NULL,
    ALTER COLUMN score SET DEFAULT 0, ALTER COLUMN b DROP DEFAULT;
ALTER TABLE public.tasks ADD CONSTRAINT tasks_score CHECK (score >= 0);
ALTER TABLE public.projects RENAME COLUMN status TO state;
ALTER TABLE public.projects RENAME TO boards;
ALTER TABLE public.boards DROP COLUMN code;
CREATE TABLE public.gone (id uuid PRIMARY KEY);
ALTER TABLE public.tasks ADD COLUMN gone_id uuid REFERENCES public.gone (id);
DROP TABLE public.gone CASCADE;
ALTER TABLE ONLY public.nowhere DROP CONSTRAINT nowhere_pkey;
ALTER TABLE public.tasks ALTER COLUMN nothing DROP DEFAULT;
";

    #[test]
    fn the_catalog_is_the_one_the_last_migration_leaves() {
        let c = Catalog::from_sql(MIGRATIONS).unwrap();
        let names: Vec<&str> = c.tables.iter().map(|(n, _)| n.name.as_str()).collect();
        assert_eq!(
            names,
            ["boards", "tasks"],
            "dropped and never-created tables are not there"
        );
        let tasks = c.get(&TableName::new("public", "tasks")).unwrap();
        let cols: Vec<&str> = tasks.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            cols,
            ["id", "project_id", "name", "score", "a", "b", "gone_id"]
        );
        let name = &tasks.columns[2];
        assert_eq!(
            (name.type_name.as_str(), &name.typmods[..], name.not_null),
            ("varchar", &[80][..], true)
        );
        assert_eq!(
            tasks.columns[3].default,
            Some(ColumnDefault::Const("0".into()))
        );
        assert_eq!(
            (tasks.columns[5].not_null, &tasks.columns[5].default),
            (true, &None)
        );
        assert!(
            tasks.uniques.is_empty(),
            "the unique key on the dropped column went with it"
        );
        assert_eq!(
            tasks.checks,
            [Check::Compare {
                column: "score".into(),
                op: ">=".into(),
                value: 0
            }]
        );
        let refs: Vec<String> = tasks
            .foreign_keys
            .iter()
            .map(|k| k.ref_table.to_string())
            .collect();
        assert_eq!(
            refs,
            ["public.boards"],
            "the key onto the renamed table follows it; the dropped table's goes"
        );
        let boards = c.get(&TableName::new("public", "boards")).unwrap();
        let cols: Vec<&str> = boards.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cols, ["id", "name", "state"]);
        assert!(boards.uniques.is_empty());
        assert_eq!(boards.checks[0].columns(), ["state"]);
    }

    #[test]
    fn a_clean_dumps_drops_before_its_creates_change_nothing() {
        let c = Catalog::from_sql(
            "ALTER TABLE ONLY public.t DROP CONSTRAINT t_pkey;
             ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT;
             DROP TABLE public.t;
             CREATE TABLE public.t (id integer NOT NULL, v text);
             ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);
             ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);",
        )
        .unwrap();
        let t = c.get(&TableName::new("public", "t")).unwrap();
        assert_eq!(t.columns.len(), 2);
        assert_eq!(t.primary_key, ["id"]);
        assert_eq!(t.columns[0].default, Some(ColumnDefault::Expr));
    }
}
