//! The text the rows are made of: pools of titles, sentences, tag arrays
//! and file names, built once per run from the seed and stored already in
//! COPY text form, so a row only copies slices.
//!
//! The pools carry what a real Life OS database holds and a parser must
//! get right: tabs, newlines and backslashes (escaped as `\t`, `\n`, `\\`),
//! text that looks like `\N` or `\.`, quotes, right-to-left scripts, emoji,
//! and arrays whose elements PostgreSQL has to quote.

use std::sync::LazyLock;

use super::rng::Rng;

/// Many short byte strings in one allocation.
pub struct Pool {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Pool {
    fn new() -> Pool {
        Pool {
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }

    fn push(&mut self, item: &[u8]) {
        self.bytes.extend_from_slice(item);
        self.ends.push(self.bytes.len() as u32);
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    #[inline]
    pub fn pick(&self, rng: &mut Rng) -> &[u8] {
        self.get(rng.below(self.ends.len() as u64) as usize)
    }
}

/// `s` in COPY text form: the escapes PostgreSQL's COPY TO writes.
pub fn copy_escape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 8);
    for &b in s.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0b => out.extend_from_slice(b"\\v"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.push(b),
        }
    }
    out
}

/// A one-dimensional text[] literal as array_out prints it: an element is
/// double-quoted when it is empty, spells NULL, or holds a delimiter,
/// brace, quote, backslash or white space; inside quotes `"` and `\` get a
/// backslash.
pub fn array_literal(items: &[&str]) -> String {
    let mut s = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let quote = item.is_empty()
            || item.eq_ignore_ascii_case("null")
            || item.chars().any(|c| {
                matches!(
                    c,
                    '{' | '}' | ',' | '"' | '\\' | ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'
                )
            });
        if !quote {
            s.push_str(item);
            continue;
        }
        s.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
    }
    s.push('}');
    s
}

/// The vocabulary, one word per white-space-separated item.
const WORDS_TEXT: &str = "\
the a to and of for with on in before after next review draft send call email plan \
fix ship write read book pay renew order clean update check prepare finish budget \
invoice report meeting schema migration backup release dentist groceries garden \
kitchen passport taxes insurance car school birthday gift flight hotel train museum \
library project roadmap sprint retro notes ideas outline chapter quarterly weekly \
monthly urgent someday quick long small new old first last shared private team \
family client server database index query cache deploy rollback metrics café naïve \
résumé Zürich São Paulo Kraków Ørsted façade 日本語 東京 会議 пример задача שלום משימה \
مرحبا مهمة 🚀 ✓ 🎉 📎 👍🏽 🇺🇸 — … €20 50% #42 v2.1 3pm";
static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| WORDS_TEXT.split_whitespace().collect());

/// Raw (unescaped) snippets dropped into sentences now and then.
const ODDITIES: &[&str] = &[
    "C:\\Users\\me\\Documents",
    "\\N",
    "\\.",
    "ends with a backslash \\",
    "it's \"quoted\"",
    "Mon–Fri\tprimary",
    "col1\tcol2\tcol3",
    "line one\nline two",
    "CRLF\r\nline",
    "'; DROP TABLE tasks; --",
    "$$dollar$$",
    "NULL",
    "‏العربية‏ and עברית",
    "👨‍👩‍👧‍👦 family",
    "e\u{301} vs é",
];

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn words(rng: &mut Rng, n: u64) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick::<&str>(&WORDS));
    }
    s
}

fn title(rng: &mut Rng) -> String {
    let n = 2 + rng.below(5);
    let mut s = capitalised(&words(rng, n));
    if rng.pct(4) {
        s.push(' ');
        s.push_str(rng.pick::<&str>(ODDITIES));
    }
    s
}

/// A sentence or a markdown line, with its own separator at the end.
fn sentence(rng: &mut Rng) -> String {
    let n = 4 + rng.below(12);
    let mut s = match rng.below(10) {
        0 => format!("- [ ] {}", words(rng, n)),
        1 => format!("- [x] {}", words(rng, n)),
        2 => format!("## {}", capitalised(&words(rng, 3))),
        _ => capitalised(&words(rng, n)),
    };
    if rng.pct(8) {
        s.push(' ');
        s.push_str(rng.pick::<&str>(ODDITIES));
    }
    s.push_str(match rng.below(8) {
        0 | 1 => ".\n",
        2 => ".\n\n",
        3 => "!\t",
        4 => "?\n",
        _ => ". ",
    });
    s
}

/// Tags array_out prints without quotes.
const PLAIN_TAGS_TEXT: &str = "\
work home admin backend db qa travel family finance health reading errand urgent \
someday spec ops kids car café 日本 עברית عربي 🚀 2024";
static PLAIN_TAGS: LazyLock<Vec<&str>> =
    LazyLock::new(|| PLAIN_TAGS_TEXT.split_whitespace().collect());

/// Elements that array_out must quote, and one that only looks like it must.
const ODD_TAGS: &[&str] = &[
    "deep work",
    "a,b",
    "say \"hi\"",
    "back\\slash",
    "NULL",
    "null",
    "",
    "{x}",
    " padded ",
    "tab\there",
    "new\nline",
    "C:\\",
    "it's",
];

fn tag_array(rng: &mut Rng) -> String {
    let n = rng.below(5) as usize;
    let items: Vec<&str> = (0..n)
        .map(|_| {
            if rng.pct(12) {
                *rng.pick(ODD_TAGS)
            } else {
                *rng.pick(&PLAIN_TAGS)
            }
        })
        .collect();
    array_literal(&items)
}

/// An uploaded file: (original name, the ASCII slug its storage key
/// uses, MIME type). Slugs are plain so every storage path form is valid
/// without percent-encoding.
pub const FILES: &[(&str, &str, &str)] = &[
    ("report.pdf", "report.pdf", "application/pdf"),
    (
        "Quarterly report 2024.pdf",
        "quarterly-report-2024.pdf",
        "application/pdf",
    ),
    (
        "Café menu (2024).pdf",
        "cafe-menu-2024.pdf",
        "application/pdf",
    ),
    ("W-2 \"final\".pdf", "w2-final.pdf", "application/pdf"),
    (
        "rack inventory.xlsx",
        "rack-inventory.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("budget.csv", "budget.csv", "text/csv"),
    ("IMG_0001.HEIC", "img_0001.heic", "image/heic"),
    ("hero.png", "hero.png", "image/png"),
    ("passport scan.jpg", "passport-scan.jpg", "image/jpeg"),
    ("תמונה 1.jpg", "tmuna-1.jpg", "image/jpeg"),
    (
        "Résumé final v2.docx",
        "resume-final-v2.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("notes.txt", "notes.txt", "text/plain"),
    ("voice memo.m4a", "voice-memo.m4a", "audio/mp4"),
    ("backup.tar.gz", "backup.tar.gz", "application/gzip"),
];

/// Every pool a row writer draws text from, in COPY text form.
pub struct Pools {
    pub titles: Pool,
    pub sentences: Pool,
    pub tags: Pool,
    /// Short notes for capture, focus and reminder rows.
    pub snippets: Pool,
    pub custom_contexts: Pool,
    pub urls: Pool,
    /// `FILES` with each name escaped: (original, slug, mime).
    pub files: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)>,
}

fn pool_of(rng: &mut Rng, n: usize, make: fn(&mut Rng) -> String) -> Pool {
    let mut pool = Pool::new();
    for _ in 0..n {
        pool.push(&copy_escape(&make(rng)));
    }
    pool
}

fn snippet(rng: &mut Rng) -> String {
    let n = 1 + rng.below(6);
    let mut s = words(rng, n);
    if rng.pct(10) {
        s.push(' ');
        s.push_str(rng.pick::<&str>(ODDITIES));
    }
    s
}

fn custom_context(rng: &mut Rng) -> String {
    const PLACES: &[&str] = &[
        "on the train 🚆",
        "at the café",
        "custom \"ctx\"",
        "in Zürich",
        "בבית",
        "weekend\tmorning",
    ];
    rng.pick(PLACES).to_string()
}

impl Pools {
    pub fn new(rng: &mut Rng) -> Pools {
        Pools {
            titles: pool_of(rng, 8192, title),
            sentences: pool_of(rng, 16_384, sentence),
            tags: pool_of(rng, 4096, tag_array),
            snippets: pool_of(rng, 4096, snippet),
            custom_contexts: pool_of(rng, 64, custom_context),
            urls: pool_of(rng, 4096, url),
            files: FILES
                .iter()
                .map(|(o, s, m)| (copy_escape(o), copy_escape(s), copy_escape(m)))
                .collect(),
        }
    }
}

fn url(rng: &mut Rng) -> String {
    const HOSTS: &[&str] = &[
        "example.com",
        "docs.example.org",
        "github.com",
        "www.postgresql.org",
        "en.wikipedia.org",
        "news.example.net",
        "mail.example.com",
        "مثال.إختبار",
    ];
    const PATHS: &[&str] = &[
        "docs",
        "search",
        "issues",
        "wiki",
        "articles",
        "board",
        "recipes",
        "2024",
        "api",
        "v2",
        "guide",
        "page",
        "%F0%9F%9A%80",
        "My%20Docs",
    ];
    let mut s = format!("https://{}", rng.pick(HOSTS));
    for _ in 0..1 + rng.below(3) {
        s.push('/');
        s.push_str(rng.pick::<&str>(PATHS));
    }
    match rng.below(6) {
        0 => s.push_str(&format!("?q={}&lang=en", rng.below(100_000))),
        1 => s.push_str(&format!("#section-{}", rng.below(40))),
        2 => s.push_str(&format!("/{}", rng.below(1_000_000))),
        _ => {}
    }
    s
}
