//! The SQL text pg_restore prints for an archive (`pg_restore -f -`), as
//! `RestoreArchive`, `_doSetFixedOutputState` and `_printTocEntry` of
//! `pg_backup_archiver.c` write it, for the default options: no `--create`,
//! owners kept, no verbose comments. That is also exactly what plain-format
//! pg_dump writes, so the dump reader downstream sees the same statements in
//! the same order whichever form the dump came in.
//!
//! The text is pg_restore 15's for archives up to 1.15, and pg_restore 17's
//! for 1.16 (pg_dump 17 and 18 write it, so their users restore with
//! pg_restore 17 or later): it adds `SET transaction_timeout = 0;` and
//! names views and sequences `ALTER VIEW`/`ALTER SEQUENCE ... OWNER TO`
//! instead of `ALTER TABLE`. Line numbers in messages then match what the
//! user's own pg_restore prints.
//!
//! Left out: the `\restrict` / `\unrestrict` lines (pg_restore makes up a
//! random key for them on every run) and the contents of large objects.

use std::io::{self, Write};

use super::toc::{Entry, Header};

/// What pg_restore learns from the ENCODING, STDSTRINGS and SEARCHPATH
/// entries before it prints anything.
pub struct State<'a> {
    /// Render as pg_restore 17 does (archive 1.16).
    pg17: bool,
    encoding: &'a [u8],
    std_strings: bool,
    searchpath: Option<&'a [u8]>,
    tablespace: Option<Vec<u8>>,
    tableam: Option<Vec<u8>>,
}

impl<'a> State<'a> {
    pub fn new(header: &Header<'_>, entries: &[Entry<'a>]) -> Self {
        let mut s = State {
            pg17: (header.version.0, header.version.1) >= (1, 16),
            encoding: b"SQL_ASCII",
            std_strings: false,
            searchpath: None,
            tablespace: None,
            tableam: None,
        };
        for e in entries {
            let defn = e.defn.unwrap_or_default();
            match e.desc {
                b"ENCODING" => {
                    if let Some(v) = quoted(defn) {
                        s.encoding = v;
                    }
                }
                b"STDSTRINGS" => s.std_strings = quoted(defn) == Some(b"on"),
                b"SEARCHPATH" => s.searchpath = Some(defn),
                _ => {}
            }
        }
        s
    }
}

/// The text between the first two single quotes.
fn quoted(defn: &[u8]) -> Option<&[u8]> {
    let a = memchr::memchr(b'\'', defn)? + 1;
    let b = memchr::memchr(b'\'', &defn[a..])? + a;
    Some(&defn[a..b])
}

/// The header and the session settings printed before the first entry.
pub fn preamble(out: &mut dyn Write, h: &Header<'_>, s: &State<'_>) -> io::Result<()> {
    out.write_all(b"--\n-- PostgreSQL database dump\n--\n\n")?;
    if let Some(v) = h.remote_version {
        out.write_all(b"-- Dumped from database version ")?;
        out.write_all(v)?;
        out.write_all(b"\n")?;
    }
    if let Some(v) = h.dump_version {
        out.write_all(b"-- Dumped by pg_dump version ")?;
        out.write_all(v)?;
        out.write_all(b"\n")?;
    }
    out.write_all(b"\nSET statement_timeout = 0;\nSET lock_timeout = 0;\n")?;
    out.write_all(b"SET idle_in_transaction_session_timeout = 0;\n")?;
    if s.pg17 {
        out.write_all(b"SET transaction_timeout = 0;\n")?;
    }
    out.write_all(b"SET client_encoding = '")?;
    out.write_all(s.encoding)?;
    out.write_all(b"';\n")?;
    let on = if s.std_strings { "on" } else { "off" };
    writeln!(out, "SET standard_conforming_strings = {on};")?;
    if let Some(p) = s.searchpath {
        out.write_all(p)?;
    }
    out.write_all(b"SET check_function_bodies = false;\nSET xmloption = content;\n")?;
    out.write_all(b"SET client_min_messages = warning;\n")?;
    if !s.std_strings {
        out.write_all(b"SET escape_string_warning = off;\n")?;
    }
    out.write_all(b"SET row_security = off;\n\n")
}

pub fn epilogue(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"--\n-- PostgreSQL database dump complete\n--\n\n")
}

/// The three passes of `RestoreArchive`: ACLs after everything else, then
/// event triggers and materialized view refreshes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Main,
    Acl,
    PostAcl,
}

pub fn pass(e: &Entry<'_>) -> Pass {
    match e.desc {
        b"ACL" | b"ACL LANGUAGE" | b"DEFAULT ACL" => Pass::Acl,
        b"EVENT TRIGGER" | b"MATERIALIZED VIEW DATA" => Pass::PostAcl,
        b"COMMENT" if e.tag.unwrap_or_default().starts_with(b"EVENT TRIGGER ") => Pass::PostAcl,
        _ => Pass::Main,
    }
}

/// Whether pg_restore prints the entry at all without `--create`.
pub fn printed(e: &Entry<'_>) -> bool {
    let tag = e.tag.unwrap_or_default();
    match e.desc {
        b"ENCODING" | b"STDSTRINGS" | b"SEARCHPATH" => false,
        b"DATABASE" | b"DATABASE PROPERTIES" => false,
        b"ACL" | b"COMMENT" | b"SECURITY LABEL" => !tag.starts_with(b"DATABASE "),
        _ => true,
    }
}

/// Whether the entry carries a data block whose bytes pg_restore prints.
pub fn has_table_data(e: &Entry<'_>) -> bool {
    e.had_dumper && !matches!(e.desc, b"BLOBS" | b"BLOB COMMENTS")
}

/// Large-object contents: pg_restore would print `lo_open`/`lowrite` calls;
/// they are not part of any table and are not reproduced.
pub fn is_large_object_data(e: &Entry<'_>) -> bool {
    e.had_dumper && matches!(e.desc, b"BLOBS" | b"BLOB COMMENTS")
}

impl State<'_> {
    /// `_printTocEntry`: the tablespace and access method switches, the
    /// comment header, the definition and the owner.
    pub fn entry(&mut self, out: &mut dyn Write, e: &Entry<'_>, data: bool) -> io::Result<()> {
        self.select_tablespace(out, e.tablespace)?;
        self.select_tableam(out, e.tableam)?;
        let pfx = if data { "Data for " } else { "" };
        out.write_all(b"--\n-- ")?;
        out.write_all(pfx.as_bytes())?;
        out.write_all(b"Name: ")?;
        sanitized(out, e.tag, false)?;
        out.write_all(b"; Type: ")?;
        out.write_all(e.desc)?;
        out.write_all(b"; Schema: ")?;
        sanitized(out, e.namespace, true)?;
        out.write_all(b"; Owner: ")?;
        sanitized(out, e.owner, true)?;
        if let Some(ts) = e.tablespace.filter(|t| !t.is_empty()) {
            out.write_all(b"; Tablespace: ")?;
            sanitized(out, Some(ts), false)?;
        }
        out.write_all(b"\n--\n\n")?;
        if let Some(d) = e.defn.filter(|d| !d.is_empty()) {
            out.write_all(d)?;
            out.write_all(b"\n\n")?;
        }
        let owner = e.owner.filter(|o| !o.is_empty());
        let has_drop = e.drop_stmt.is_some_and(|d| !d.is_empty());
        if let (Some(owner), true) = (owner, has_drop) {
            if let Some(what) = object_description(e, self.pg17) {
                out.write_all(b"ALTER ")?;
                out.write_all(&what)?;
                out.write_all(b" OWNER TO ")?;
                out.write_all(&fmt_id(owner))?;
                out.write_all(b";\n\n")?;
            }
        }
        Ok(())
    }

    fn select_tablespace(&mut self, out: &mut dyn Write, want: Option<&[u8]>) -> io::Result<()> {
        let Some(want) = want else { return Ok(()) };
        if self.tablespace.as_deref() == Some(want) {
            return Ok(());
        }
        if want.is_empty() {
            out.write_all(b"SET default_tablespace = '';\n\n")?;
        } else {
            out.write_all(b"SET default_tablespace = ")?;
            out.write_all(&fmt_id(want))?;
            out.write_all(b";\n\n")?;
        }
        self.tablespace = Some(want.to_vec());
        Ok(())
    }

    fn select_tableam(&mut self, out: &mut dyn Write, want: Option<&[u8]>) -> io::Result<()> {
        let Some(want) = want else { return Ok(()) };
        if self.tableam.as_deref() == Some(want) {
            return Ok(());
        }
        out.write_all(b"SET default_table_access_method = ")?;
        out.write_all(&fmt_id(want))?;
        out.write_all(b";\n\n")?;
        self.tableam = Some(want.to_vec());
        Ok(())
    }
}

/// `sanitize_line`: newlines become spaces; NULL becomes `-` where the
/// header wants a hyphen (an empty string stays empty).
fn sanitized(out: &mut dyn Write, s: Option<&[u8]>, hyphen: bool) -> io::Result<()> {
    match s {
        Some(s) => {
            let clean: Vec<u8> = s
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b })
                .collect();
            out.write_all(&clean)
        }
        None if hyphen => out.write_all(b"-"),
        None => Ok(()),
    }
}

/// `_getObjectDescription`: what follows `ALTER` in the owner statement, or
/// `None` for objects without an owner of their own.
fn object_description(e: &Entry<'_>, pg17: bool) -> Option<Vec<u8>> {
    let tag = e.tag.unwrap_or_default();
    let kind: &[u8] = match e.desc {
        b"VIEW" | b"SEQUENCE" | b"MATERIALIZED VIEW" if !pg17 => b"TABLE",
        b"VIEW" | b"SEQUENCE" | b"MATERIALIZED VIEW" => e.desc,
        b"COLLATION"
        | b"CONVERSION"
        | b"DOMAIN"
        | b"TABLE"
        | b"TYPE"
        | b"FOREIGN TABLE"
        | b"TEXT SEARCH DICTIONARY"
        | b"TEXT SEARCH CONFIGURATION"
        | b"STATISTICS"
        | b"DATABASE"
        | b"PROCEDURAL LANGUAGE"
        | b"SCHEMA"
        | b"EVENT TRIGGER"
        | b"FOREIGN DATA WRAPPER"
        | b"SERVER"
        | b"PUBLICATION"
        | b"SUBSCRIPTION" => e.desc,
        b"BLOB" => return Some([&b"LARGE OBJECT "[..], tag].concat()),
        b"AGGREGATE" | b"FUNCTION" | b"OPERATOR" | b"OPERATOR CLASS" | b"OPERATOR FAMILY"
        | b"PROCEDURE" => {
            // The signature is exactly what the DROP statement names.
            let drop = e.drop_stmt.unwrap_or_default();
            let rest = drop.strip_prefix(b"DROP ")?;
            let end = rest
                .iter()
                .rposition(|&b| b != b'\n' && b != b';')
                .map_or(0, |i| i + 1);
            return Some(rest[..end].to_vec());
        }
        _ => return None,
    };
    let mut v = kind.to_vec();
    v.push(b' ');
    if let Some(ns) = e.namespace.filter(|n| !n.is_empty()) {
        v.extend_from_slice(&fmt_id(ns));
        v.push(b'.');
    }
    v.extend_from_slice(&fmt_id(tag));
    Some(v)
}

/// `fmtId`: an identifier as SQL needs it, quoted unless it is lower-case
/// letters, digits and underscores and no keyword other than an unreserved one.
pub fn fmt_id(id: &[u8]) -> Vec<u8> {
    let plain = id
        .first()
        .is_some_and(|&b| b.is_ascii_lowercase() || b == b'_')
        && id
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain && !is_keyword(id) {
        return id.to_vec();
    }
    let mut v = Vec::with_capacity(id.len() + 2);
    v.push(b'"');
    for &b in id {
        if b == b'"' {
            v.push(b'"');
        }
        v.push(b);
    }
    v.push(b'"');
    v
}

/// A keyword that may not stand as a bare identifier (everything but the
/// unreserved ones), as PostgreSQL's own scanner classifies it.
fn is_keyword(id: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(id) else {
        return false;
    };
    let Ok(tokens) = pg_query::scan_tokens(s) else {
        return false;
    };
    tokens.len() == 1
        && tokens[0].keyword_kind > pg_query::protobuf::KeywordKind::UnreservedKeyword as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_as_fmt_id_quotes_them() {
        assert_eq!(fmt_id(b"postgres"), b"postgres");
        assert_eq!(fmt_id(b"heap"), b"heap");
        assert_eq!(fmt_id(b"audit log"), b"\"audit log\"");
        assert_eq!(fmt_id(b"UserPrefs"), b"\"UserPrefs\"");
        assert_eq!(fmt_id(b"user"), b"\"user\"");
        assert_eq!(fmt_id(b"order"), b"\"order\"");
        assert_eq!(fmt_id(b"name"), b"name");
        assert_eq!(fmt_id(b"a\"b"), b"\"a\"\"b\"");
    }
}
