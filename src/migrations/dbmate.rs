//! dbmate's file layout: one `NNNN_name.sql` per migration, holding a
//! `-- migrate:up` section and a `-- migrate:down` section, in that order,
//! with nothing but comments before the first marker. A marker may carry
//! options (`-- migrate:up transaction:false`); they are kept as written.

/// Writes one migration in dbmate's layout.
pub fn render(up: &str, down: &str) -> String {
    format!(
        "-- migrate:up\n{}\n\n-- migrate:down\n{}\n",
        up.trim_end(),
        down.trim_end()
    )
}

/// One section of a dbmate file: its text and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub text: String,
    pub line: usize,
}

/// What a dbmate file holds, and what is wrong with its layout: (line, message).
#[derive(Debug, Default)]
pub struct Parsed {
    pub up: Option<Section>,
    pub down: Option<Section>,
    pub problems: Vec<(usize, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Up,
    Down,
}

/// `-- migrate:up` or `-- migrate:down` at the start of a line, as dbmate
/// matches them (any spaces after `--`, options after the word).
fn marker(line: &str) -> Option<Marker> {
    let rest = line
        .strip_prefix("--")?
        .trim_start()
        .strip_prefix("migrate:")?;
    let (word, after) = rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len()));
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    match word {
        "up" => Some(Marker::Up),
        "down" => Some(Marker::Down),
        _ => None,
    }
}

/// Splits a dbmate file into its sections.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    // (marker, line of the marker, byte where its section starts)
    let mut marks: Vec<(Marker, usize, usize)> = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some(m) = marker(line.trim_end()) {
            marks.push((m, i + 1, offset + line.len()));
        } else if marks.is_empty() && !is_trivia(line) {
            out.problems.push((
                i + 1,
                "SQL before `-- migrate:up`: dbmate runs only what is inside a section".into(),
            ));
        }
        offset += line.len();
    }
    for (n, &(m, line, start)) in marks.iter().enumerate() {
        let end = marks
            .get(n + 1)
            .map_or(text.len(), |next| line_start(text, next.2));
        let section = Section {
            text: text[start..end].to_string(),
            line: line + 1,
        };
        if m == Marker::Up && out.up.is_none() && out.down.is_some() {
            out.problems.push((
                line,
                "`-- migrate:up` must come before `-- migrate:down`".into(),
            ));
        }
        let slot = match m {
            Marker::Up => &mut out.up,
            Marker::Down => &mut out.down,
        };
        if slot.is_some() {
            out.problems
                .push((line, "a second marker for the same direction".into()));
            continue;
        }
        *slot = Some(section);
    }
    out
}

/// Where the line holding the marker whose section starts at `section` begins.
fn line_start(text: &str, section: usize) -> usize {
    let before = &text[..section];
    let without_eol = before.strip_suffix('\n').unwrap_or(before);
    without_eol.rfind('\n').map_or(0, |i| i + 1)
}

fn is_trivia(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_then_parse_gives_the_sections_back() {
        let text = render("CREATE TABLE t (a int);\n", "DROP TABLE t;\n");
        let p = parse(&text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.up.as_ref().unwrap().line, 2);
        assert_eq!(p.up.unwrap().text.trim(), "CREATE TABLE t (a int);");
        assert_eq!(p.down.as_ref().unwrap().line, 5);
        assert_eq!(p.down.unwrap().text.trim(), "DROP TABLE t;");
    }

    #[test]
    fn markers_with_options_and_spacing() {
        let p = parse("-- a comment\n--migrate:up transaction:false\nSELECT 1;\n");
        assert!(p.problems.is_empty());
        assert_eq!(p.up.unwrap().text, "SELECT 1;\n");
        assert!(p.down.is_none());
        assert!(parse("-- migrate:upgrade\n").up.is_none());
    }

    #[test]
    fn layout_problems_are_reported_with_lines() {
        let p = parse(
            "SELECT 0;\n-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n-- migrate:up\n",
        );
        let lines: Vec<usize> = p.problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 4, 6]);
    }
}
