//! The text form of an inspection: a few header lines, one line per table
//! (columns aligned), then the drift.

use std::io::{self, Write};

use super::{Database, Inspection};

pub fn text(w: &mut dyn Write, r: &Inspection) -> io::Result<()> {
    let unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".into());
    writeln!(w, "{}", r.file)?;
    writeln!(w, "  form      {}, rows as {}", r.form, r.data)?;
    writeln!(w, "  size      {} bytes", r.bytes)?;
    writeln!(w, "  encoding  {}", unknown(&r.encoding))?;
    writeln!(w, "  pg_dump   {}", unknown(&r.pg_dump_version))?;
    writeln!(w, "  server    {}", unknown(&r.server_version))?;
    writeln!(w, "  schemas   {}", r.schemas.join(", "))?;
    writeln!(
        w,
        "  mapping   {}: {} tables of schema {}",
        r.mapping.name, r.mapping.tables, r.mapping.source_schema
    )?;
    for db in &r.databases {
        database(w, db)?;
    }
    Ok(())
}

fn database(w: &mut dyn Write, db: &Database) -> io::Result<()> {
    writeln!(w)?;
    if let Some(name) = &db.name {
        writeln!(w, "database {name}")?;
    }
    if db.tables.is_empty() {
        writeln!(w, "  no tables")?;
    }
    let names: Vec<String> = db.tables.iter().map(|t| t.qualified()).collect();
    let targets: Vec<&str> = db
        .tables
        .iter()
        .map(|t| t.target.as_deref().unwrap_or("-"))
        .collect();
    let width = |items: &mut dyn Iterator<Item = usize>, header: &str| {
        items.max().unwrap_or(0).max(header.len())
    };
    let nw = width(&mut names.iter().map(String::len), "table");
    let tw = width(&mut targets.iter().map(|t| t.len()), "mapped to");
    let rw = width(
        &mut db.tables.iter().map(|t| t.rows.to_string().len()),
        "rows",
    );
    if !db.tables.is_empty() {
        writeln!(
            w,
            "  {:<nw$}  {:<6}  {:>rw$}  {:<tw$}  columns",
            "table", "data", "rows", "mapped to"
        )?;
    }
    for ((t, name), target) in db.tables.iter().zip(&names).zip(&targets) {
        writeln!(
            w,
            "  {name:<nw$}  {:<6}  {:>rw$}  {target:<tw$}  {}",
            t.data.unwrap_or("-"),
            t.rows,
            t.columns.join(", ")
        )?;
    }
    let mapped = db.tables.iter().any(|t| t.target.is_some());
    if db.name.is_some() && !mapped {
        writeln!(w, "\ndrift: not compared (no table of the mapping here)")
    } else if db.drift.is_empty() {
        writeln!(w, "\ndrift: none")
    } else {
        writeln!(w, "\ndrift ({}):", db.drift.len())?;
        for d in &db.drift {
            writeln!(w, "  {d}")?;
        }
        Ok(())
    }
}
