//! The header of an INSERT statement: which table, which columns, and where
//! the VALUES list starts.
//!
//! `VALUES` is found by lexing, so a quoted identifier `"values"` or a
//! string cannot be mistaken for it; then only the text before it, with a
//! dummy ` VALUES (NULL)`, goes to pg_query. The rows never reach the parser.

use pg_query::NodeEnum;

use crate::dump::lex::{is_ident_start, skip_ident, skip_trivia};
use crate::dump::sql::TableName;
use crate::error::DataError;

use super::lex::skip_quoted_ident;
use super::{literal, InsertHeader};

/// Parses the header of one INSERT statement (`stmt` runs from `INSERT` to
/// its final `;`). Error offsets are within `stmt`.
pub fn parse_header(stmt: &[u8]) -> Result<InsertHeader, DataError> {
    let (keyword, values_at) = locate_values(stmt)?;
    parse_head(&stmt[..keyword], values_at)
}

/// Parses INSERT headers, calling the SQL parser only when the header text
/// changes: `--inserts` repeats the same header on every row, and parsing it
/// per row would cost more than lexing the row.
#[derive(Debug, Default)]
pub struct HeaderCache {
    text: Vec<u8>,
    header: Option<InsertHeader>,
}

impl HeaderCache {
    pub fn parse(&mut self, stmt: &[u8]) -> Result<&InsertHeader, DataError> {
        let (keyword, values_at) = locate_values(stmt)?;
        let head = &stmt[..keyword];
        let header = match self.header.take() {
            Some(h) if self.text == head => h,
            _ => {
                let h = parse_head(head, values_at)?;
                self.text.clear();
                self.text.extend_from_slice(head);
                h
            }
        };
        Ok(self.header.insert(InsertHeader {
            values_at,
            ..header
        }))
    }
}

/// Finds the top-level `VALUES` keyword: returns its offset and the offset
/// of the `(` after it.
fn locate_values(s: &[u8]) -> Result<(usize, usize), DataError> {
    let mut i = 0;
    let mut depth = 0usize;
    let mut after_default = false;
    let mut scratch = Vec::new();
    loop {
        i = skip_trivia(s, i)?;
        let Some(&c) = s.get(i) else {
            return Err(DataError::new("INSERT has no VALUES list").at(0));
        };
        match c {
            b'"' => i = skip_quoted_ident(s, i)?,
            b'\'' => i = literal::quoted(s, i, false, &mut scratch)?,
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b';' => return Err(DataError::new("INSERT has no VALUES list").at(0)),
            _ if (c == b'e' || c == b'E') && s.get(i + 1) == Some(&b'\'') => {
                i = literal::quoted(s, i + 1, true, &mut scratch)?;
            }
            _ if is_ident_start(c) => {
                let end = skip_ident(s, i);
                let word = &s[i..end];
                if depth == 0 && word.eq_ignore_ascii_case(b"values") {
                    if after_default {
                        return Err(DataError::new(
                            "INSERT ... DEFAULT VALUES has no values to carry over",
                        )
                        .at(i));
                    }
                    let open = skip_trivia(s, end)?;
                    if s.get(open) != Some(&b'(') {
                        return Err(DataError::new("expected `(` after VALUES").at(open));
                    }
                    return Ok((i, open));
                }
                after_default = depth == 0 && word.eq_ignore_ascii_case(b"default");
                i = end;
            }
            _ => i += 1,
        }
    }
}

/// Hands `head` (the statement before `VALUES`) to pg_query.
fn parse_head(head: &[u8], values_at: usize) -> Result<InsertHeader, DataError> {
    let fail = |m: &str| DataError::new(format!("cannot read INSERT header: {m}")).at(0);
    let text = std::str::from_utf8(head)
        .map_err(|_| DataError::new("INSERT header is not valid UTF-8").at(0))?;
    let parsed =
        pg_query::parse(&format!("{text} VALUES (NULL)"), 0).map_err(|e| fail(&e.to_string()))?;
    let mut stmts = parsed.protobuf.stmts.into_iter();
    let first = stmts.next().and_then(|s| s.stmt).and_then(|n| n.node);
    let (Some(NodeEnum::InsertStmt(ins)), None) = (first, stmts.next()) else {
        return Err(fail("not a single INSERT statement"));
    };
    let rel = ins.relation.as_ref().ok_or_else(|| fail("no table"))?;
    // Only a plain `VALUES` list: the dummy one, not part of a larger query.
    match ins.select_stmt.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::SelectStmt(sel)) if sel.values_lists.len() == 1 => {}
        _ => return Err(fail("VALUES is part of a query, not a plain list of rows")),
    }
    let mut columns = Vec::with_capacity(ins.cols.len());
    for col in &ins.cols {
        match &col.node {
            Some(NodeEnum::ResTarget(t)) if t.indirection.is_empty() => {
                columns.push(t.name.clone())
            }
            _ => {
                return Err(fail(
                    "a column list with subscripts or fields is not supported",
                ))
            }
        }
    }
    let schema = if rel.schemaname.is_empty() {
        "public"
    } else {
        &rel.schemaname
    };
    Ok(InsertHeader {
        table: TableName::new(schema, &rel.relname),
        columns: (!columns.is_empty()).then_some(columns),
        values_at,
        qualified: !rel.schemaname.is_empty(),
    })
}
