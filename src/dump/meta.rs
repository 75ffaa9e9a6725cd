//! psql meta-commands (`\connect`, `\set`, `\i` ...): which ones a dump may
//! hold, and the database a `\connect` switches to, decoded as psql decodes
//! it.
//!
//! psql reads a meta-command's arguments up to the end of the line or the
//! next unquoted backslash, which starts another meta-command on the same
//! line; so every command of a line is judged, not only the first.

/// What one line of meta-commands does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetaEffect {
    /// Changes nothing psql restores (`\restrict`, `\encoding`, `\echo`...).
    Harmless,
    /// `\connect`: the database named.
    Connect(String),
    /// Refused: the command's name and why.
    Refused { command: String, why: String },
}

/// Variables whose value only changes what psql prints.
const DISPLAY_VARIABLES: &[&str] = &[
    "ECHO",
    "ECHO_HIDDEN",
    "QUIET",
    "VERBOSITY",
    "SHOW_CONTEXT",
    "SHOW_ALL_RESULTS",
    "PROMPT1",
    "PROMPT2",
    "PROMPT3",
    "HISTCONTROL",
    "HISTSIZE",
    "HISTFILE",
    "COMP_KEYWORD_CASE",
    "FETCH_COUNT",
    "HIDE_TABLEAM",
    "HIDE_TOAST_COMPRESSION",
];

/// Judges the meta-command line `line` (it starts with `\`).
pub fn classify(line: &[u8]) -> MetaEffect {
    let text = String::from_utf8_lossy(line);
    let mut rest: &str = &text;
    let mut effect = MetaEffect::Harmless;
    while let Some(cmd) = rest.strip_prefix('\\') {
        let (name, after) = command_name(cmd);
        if name.is_empty() {
            // `\\`: the rest of the line is SQL for psql's query buffer.
            return refuse(
                "\\\\",
                "psql would read the rest of the line as SQL, outside any statement dumpshift splits",
            );
        }
        let (args, next) = match arguments(after) {
            Ok(found) => found,
            Err(why) => return refuse(name, why),
        };
        match judge(name, &args) {
            MetaEffect::Harmless => {}
            MetaEffect::Connect(db) => effect = MetaEffect::Connect(db),
            refused => return refused,
        }
        rest = next;
    }
    effect
}

fn refuse(command: &str, why: &str) -> MetaEffect {
    MetaEffect::Refused {
        command: format!("\\{}", command.trim_start_matches('\\')),
        why: why.to_string(),
    }
}

/// The command's name: letters, digits and `_`, or one other character
/// (`\!`, `\?`). Returns it and the text after it.
fn command_name(cmd: &str) -> (&str, &str) {
    let n = cmd
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(cmd.len());
    if n > 0 {
        return cmd.split_at(n);
    }
    match cmd.chars().next() {
        Some(c) if c != '\\' && !c.is_whitespace() => cmd.split_at(c.len_utf8()),
        _ => ("", cmd),
    }
}

/// Splits a command's arguments as psql does: whitespace separates them,
/// `'...'` (with backslash escapes, `''` a quote) and `"..."` (`""` a
/// quote) quote, adjacent pieces join. Stops at an unquoted backslash and
/// returns the text from it. Backquotes (a shell command) and `:name`
/// (a variable) are refused: their value is known only at restore time.
fn arguments(s: &str) -> Result<(Vec<String>, &str), &'static str> {
    let mut args = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                args.extend(cur.take());
                return Ok((args, &s[i..]));
            }
            c if c.is_whitespace() => args.extend(cur.take()),
            '`' => return Err("a backquoted argument runs a shell command"),
            ':' if chars.peek().is_some_and(|(_, n)| {
                n.is_ascii_alphabetic() || matches!(n, '_' | '\'' | '"' | '{')
            }) =>
            {
                return Err("an argument names a psql variable, known only when psql runs");
            }
            '\'' => {
                let word = cur.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err("a quoted argument is not closed"),
                        Some((_, '\'')) if chars.peek().map(|p| p.1) == Some('\'') => {
                            chars.next();
                            word.push('\'');
                        }
                        Some((_, '\'')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => word.push('\n'),
                            Some((_, 't')) => word.push('\t'),
                            Some((_, 'r')) => word.push('\r'),
                            Some((_, 'b')) => word.push('\u{8}'),
                            Some((_, 'f')) => word.push('\u{c}'),
                            Some((_, e)) => word.push(e),
                            None => return Err("a quoted argument is not closed"),
                        },
                        Some((_, ch)) => word.push(ch),
                    }
                }
            }
            '"' => {
                let word = cur.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err("a quoted argument is not closed"),
                        Some((_, '"')) if chars.peek().map(|p| p.1) == Some('"') => {
                            chars.next();
                            word.push('"');
                        }
                        Some((_, '"')) => break,
                        Some((_, ch)) => word.push(ch),
                    }
                }
            }
            c => cur.get_or_insert_with(String::new).push(c),
        }
    }
    args.extend(cur);
    Ok((args, ""))
}

fn judge(name: &str, args: &[String]) -> MetaEffect {
    let why = match name {
        "connect" | "c" => {
            return match connect_database(args) {
                Some(db) => MetaEffect::Connect(db),
                None => MetaEffect::Harmless,
            }
        }
        "encoding" => match args.first().map(|a| a.to_ascii_uppercase()).as_deref() {
            // pg_dumpall writes `\encoding SQL_ASCII` before a `\connect`.
            None | Some("SQL_ASCII" | "UTF8" | "UTF-8") => return MetaEffect::Harmless,
            Some(_) => "it changes the encoding psql sends the bytes after it in, which dumpshift reads as UTF-8",
        },
        "restrict" | "unrestrict" | "echo" | "qecho" | "warn" | "pset" | "a"
        | "t" | "x" | "timing" | "conninfo" | "r" | "reset" => return MetaEffect::Harmless,
        "set" => match set_variable(args) {
            None => return MetaEffect::Harmless,
            Some(why) => why,
        },
        "unset" => match args.first().map(String::as_str) {
            Some(v) if DISPLAY_VARIABLES.contains(&v) => return MetaEffect::Harmless,
            _ => "it changes a psql variable, which can change how psql runs the statements after it",
        },
        "i" | "ir" | "include" | "include_relative" => {
            "psql would read and run another file, which dumpshift does not see"
        }
        "copy" => "\\copy reads or writes rows through a file or program on the client",
        "!" => "psql would run a shell command",
        "o" | "out" | "w" | "write" => "psql would write to a file or a command",
        "g" | "gx" | "gexec" | "gset" | "gdesc" | "bind" | "crosstabview" | "watch" => {
            "psql would run a query (or its results as statements) outside the statements dumpshift splits"
        }
        "if" | "elif" | "else" | "endif" => {
            "a psql conditional decides at restore time which statements run"
        }
        "q" | "quit" => "psql would stop here: the statements after it would not be run",
        "lo_import" | "lo_export" | "lo_unlink" => "it reads or changes large objects through files",
        "setenv" | "cd" | "e" | "edit" | "ef" | "ev" | "s" | "getenv" => {
            "it works on the client's files or environment"
        }
        _ => "a psql meta-command dumpshift does not know",
    };
    refuse(name, why)
}

/// `\set NAME VALUE`: `None` when harmless, else why not.
fn set_variable(args: &[String]) -> Option<&'static str> {
    let name = args.first()?;
    let value = args[1..].concat().to_ascii_lowercase();
    if DISPLAY_VARIABLES.contains(&name.as_str()) {
        return None;
    }
    let on = matches!(value.as_str(), "on" | "1" | "true" | "yes" | "t" | "y");
    match name.as_str() {
        "ON_ERROR_STOP" if on => None,
        "ON_ERROR_STOP" => Some("psql would go on after a failed statement, loading what the failure left"),
        "AUTOCOMMIT" if on => None,
        "AUTOCOMMIT" => Some("psql would commit nothing: the statements after it would be rolled back when psql ends"),
        _ => Some("a psql variable can be substituted into later statements (`:NAME`) or change how psql runs them"),
    }
}

/// The database a `\connect` switches to, as psql reads its arguments:
/// options such as `-reuse-previous=on` first, then a database name or a
/// connection string (`dbname='...'`, libpq's quoting). `None` for a
/// `\connect` that keeps the current database (`-`, or no name).
fn connect_database(args: &[String]) -> Option<String> {
    let arg = args
        .iter()
        .find(|a| !a.starts_with("-reuse-previous") && !a.is_empty())?;
    if arg == "-" {
        return None;
    }
    if arg.contains('=') {
        return conninfo_value(arg, "dbname");
    }
    Some(arg.clone())
}

/// A keyword's value in a libpq `key=value` connection string: values are
/// bare (backslash escapes the next character) or in `'...'` (likewise).
fn conninfo_value(s: &str, key: &str) -> Option<String> {
    let mut chars = s.chars().peekable();
    let mut found = None;
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut k = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            k.push(c);
        }
        if k.is_empty() {
            return found;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        chars.next_if_eq(&'=')?;
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut v = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next()? {
                    '\\' => v.push(chars.next()?),
                    '\'' => break,
                    c => v.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                v.push(if c == '\\' { chars.next()? } else { c });
            }
        }
        if k == key {
            found = Some(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect(line: &str) -> Option<String> {
        match classify(line.as_bytes()) {
            MetaEffect::Connect(db) => Some(db),
            _ => None,
        }
    }

    #[test]
    fn connect_targets_decode_as_psql_reads_pg_dumpall() {
        assert_eq!(connect("\\connect lifeos_v1").as_deref(), Some("lifeos_v1"));
        assert_eq!(connect("\\connect \"My DB\"").as_deref(), Some("My DB"));
        assert_eq!(
            connect("\\connect -reuse-previous=on \"dbname='Bob\\'s Life OS'\"").as_deref(),
            Some("Bob's Life OS")
        );
        assert_eq!(
            connect("\\connect -reuse-previous=on \"dbname='we\\\\\\\\ird \"\"q\"\"'\"").as_deref(),
            Some("we\\\\ird \"q\"")
        );
        assert_eq!(connect("\\c 'it''s'").as_deref(), Some("it's"));
        assert_eq!(classify(b"\\restrict abc"), MetaEffect::Harmless);
        assert_eq!(classify(b"\\encoding SQL_ASCII"), MetaEffect::Harmless);
    }

    #[test]
    fn commands_that_run_or_read_something_else_are_refused() {
        for line in [
            "\\i other.sql",
            "\\ir other.sql",
            "\\include other.sql",
            "\\include_relative other.sql",
            "\\copy public.tasks FROM 'tasks.csv'",
            "\\! rm -rf /",
            "\\o /tmp/out",
            "\\g",
            "\\gexec",
            "\\if :x",
            "\\set ON_ERROR_STOP off",
            "\\set AUTOCOMMIT off",
            "\\set x tasks",
            "\\echo hi \\i evil.sql",
            "\\connect `whoami`",
            "\\q",
            "\\encoding LATIN1",
            "\\frobnicate",
            "\\echo hi \\\\ DELETE FROM public.tasks;",
        ] {
            assert!(
                matches!(classify(line.as_bytes()), MetaEffect::Refused { .. }),
                "{line}"
            );
        }
        for line in [
            "\\set ON_ERROR_STOP on",
            "\\set ECHO all",
            "\\echo 'a \\i b'",
        ] {
            assert_eq!(classify(line.as_bytes()), MetaEffect::Harmless, "{line}");
        }
    }
}
