//! One writer per v1 table: the values of every row, in the column order of
//! that table's COPY header in `schema.rs`.
//!
//! Each writer draws from its own RNG (seeded from the run seed and the
//! table), so one table's rows do not depend on another's; only the task
//! descriptions look at what came before, to steer the size (`tasks.rs`).
//! References to other rows go through `Model`, which recomputes ids and
//! homes from indices instead of storing them.

use std::io;

use super::out::Out;
use super::rng::Rng;
use super::text::Pools;
use super::tz::{days_from_civil, DAY};
use super::Model;

/// Rows are created from 2015-01-01 to 2026-01-01 (UTC instants).
const EPOCH_LO: i64 = 16_436 * DAY;
const EPOCH_HI: i64 = 20_454 * DAY;

/// What every table writer needs.
pub struct Ctx<'a> {
    pub m: &'a Model,
    pub p: &'a Pools,
    pub rng: Rng,
}

/// A timestamp: instant in seconds and the microseconds.
#[derive(Clone, Copy)]
pub struct Ts(pub i64, pub u32);

impl Ctx<'_> {
    /// Mostly whole seconds, as rows written by an app often are; some
    /// milliseconds, some `.5`, some full microsecond precision.
    pub fn micros(&mut self) -> u32 {
        match self.rng.below(20) {
            0..=12 => 0,
            13..=15 => 1_000 * (1 + self.rng.below(999) as u32),
            16 => 500_000,
            _ => 1 + self.rng.below(999_999) as u32,
        }
    }

    pub fn created(&mut self) -> Ts {
        let t = self.rng.range(EPOCH_LO, EPOCH_HI);
        Ts(t, self.micros())
    }

    /// Half the rows were never touched again.
    pub fn updated(&mut self, created: Ts) -> Ts {
        if self.rng.pct(50) {
            return created;
        }
        let t = created.0 + 1 + self.rng.below(200 * DAY as u64) as i64;
        Ts(t, self.micros())
    }

    pub fn ts(&mut self, out: &mut Out, ts: Ts) {
        out.ts(ts.0, ts.1);
    }

    fn day_of(ts: Ts) -> i64 {
        ts.0.div_euclid(DAY)
    }

    /// Sentences up to about `len` bytes (the last one may run over).
    pub fn prose(&mut self, out: &mut Out, len: usize) -> usize {
        let start = out.written();
        while ((out.written() - start) as usize) < len {
            out.raw(self.p.sentences.pick(&mut self.rng));
        }
        (out.written() - start) as usize
    }

    /// NULL in `null_pct` percent of rows, else a short snippet.
    fn opt_snippet(&mut self, out: &mut Out, null_pct: u64) {
        if self.rng.pct(null_pct) {
            out.null();
        } else {
            out.raw(self.p.snippets.pick(&mut self.rng));
        }
    }

    fn opt_tags(&mut self, out: &mut Out, null_pct: u64) {
        if self.rng.pct(null_pct) {
            out.null();
        } else {
            out.raw(self.p.tags.pick(&mut self.rng));
        }
    }

    /// A row's place: (domain, project, task), consistent with each other:
    /// a row about a task lives in that task's project and domain.
    fn place(&mut self) -> (u64, Option<u64>, Option<u64>) {
        let m = self.m;
        match self.rng.below(10) {
            0..=3 => {
                let t = self.rng.below(m.counts.tasks);
                let (d, p) = m.task_home(t);
                (d, p, Some(t))
            }
            4..=7 => {
                let p = self.rng.below(m.counts.projects);
                (m.project_domain(p), Some(p), None)
            }
            _ => (self.rng.below(m.counts.domains), None, None),
        }
    }

    fn place_ids(&mut self, out: &mut Out) -> u64 {
        let (d, p, t) = self.place();
        out.uuid(self.m.domain_id(d));
        out.tab();
        out.opt_uuid(p.map(|p| self.m.project_id(p)));
        out.tab();
        out.opt_uuid(t.map(|t| self.m.task_id(t)));
        out.tab();
        d
    }
}

pub fn areas(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    const NAMES: &[&str] = &[
        "Engineering",
        "Operations",
        "Hiring",
        "Health 🏃\u{200d}♀️",
        "Home",
        "Product",
        "משפחה",
        "Garden",
        "Reading",
        "Admin",
        "Money \\ taxes",
        "Travel\tplans",
    ];
    let m = c.m;
    for a in 0..m.counts.areas {
        out.uuid(m.area_id(a));
        out.tab();
        out.uuid(m.domain_id(m.area_domain(a)));
        out.tab();
        out.raw(&super::text::copy_escape(NAMES[a as usize % NAMES.len()]));
        if a as usize >= NAMES.len() {
            out.byte(b' ');
            out.uint(a);
        }
        out.tab();
        c.opt_snippet(out, 30);
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

pub fn capture(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    for i in 0..m.counts.capture {
        out.uuid(m.capture_id(i));
        out.tab();
        let n = 1 + c.rng.below(3);
        for _ in 0..n {
            out.raw(c.p.snippets.pick(&mut c.rng));
        }
        out.tab();
        let processed = c.rng.pct(60);
        out.bool(processed);
        out.tab();
        if processed && c.rng.pct(80) {
            out.uuid(m.task_id(c.rng.below(m.counts.tasks)));
        } else {
            out.null();
        }
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

/// The six system contexts every v1 database has, as in the fixtures.
pub const CONTEXTS: [(&str, &str, bool); 6] = [
    ("quick", "Quick (< 5 min)", true),
    ("deep_work", "Deep work 🧠", true),
    ("phone", "Phone / \"call\"", true),
    ("errand", "Errand", true),
    ("waiting", "Waiting for…", true),
    ("low_energy", "Low energy\\t(tab)", false),
];

pub fn context_types(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    for (i, (value, label, system)) in CONTEXTS.iter().enumerate() {
        out.uuid(c.m.context_id(i as u64));
        out.tab();
        out.str(value);
        out.tab();
        out.str(label);
        out.tab();
        out.bool(*system);
        out.byte(b'\n');
    }
    out.maybe_flush()
}

/// Three slots a day on consecutive days from 1900-01-01: the most rows
/// UNIQUE (focus_date, slot) allows, so large dumps reach far-future dates.
pub fn daily_focus(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    let first = days_from_civil(1900, 1, 1);
    for i in 0..m.counts.daily_focus {
        let day = first + (i / 3) as i64;
        out.uuid(m.focus_id(i));
        out.tab();
        out.date(day);
        out.tab();
        out.uuid(m.task_id(c.rng.below(m.counts.tasks)));
        out.tab();
        out.uint(i % 3 + 1);
        out.tab();
        out.bool(c.rng.pct(40));
        out.tab();
        c.opt_snippet(out, 60);
        out.tab();
        // Planned in the morning: 11:00-14:00 UTC is 06:00-10:00 local.
        let t = day * DAY + 11 * 3_600 + c.rng.below(3 * 3_600) as i64;
        let micros = c.micros();
        out.ts(t, micros);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

pub fn domains(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    const NAMES: &[&str] = &[
        "Work",
        "Personal",
        "Sintri ✨",
        "בית · منزل",
        "Odd\\tdomain \"double\" it's \\\\ back",
        "Health",
        "Family",
        "Learning",
        "Finance",
        "Side project",
    ];
    let m = c.m;
    for d in 0..m.counts.domains {
        out.uuid(m.domain_id(d));
        out.tab();
        out.str(NAMES[d as usize % NAMES.len()]);
        if d as usize >= NAMES.len() {
            out.byte(b' ');
            out.uint(d);
        }
        out.tab();
        match c.rng.below(10) {
            0 => out.null(),
            1 => {}
            _ => {
                let rgb = c.rng.below(1 << 24) | (1 << 24);
                out.byte(b'#');
                let hex = format!("{rgb:x}");
                out.str(&hex[1..]);
            }
        }
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.byte(b'\n');
    }
    out.maybe_flush()
}

/// The three spellings of a Storage object MAPPING.md accepts: a bucket
/// key, the bucket then the key, and a public Storage URL.
fn storage_path(c: &mut Ctx, out: &mut Out, domain: u128, file: u128, slug: &[u8]) {
    match c.rng.below(4) {
        0 => out.str("life-os-files/"),
        1 => {
            out.str("https://");
            out.raw(&c.m.supabase_ref);
            out.str(".supabase.co/storage/v1/object/public/life-os-files/");
        }
        _ => {}
    }
    out.uuid(domain);
    out.byte(b'/');
    out.uuid(file);
    out.byte(b'_');
    out.raw(slug);
}

pub fn files(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    for i in 0..m.counts.files {
        let id = m.file_id(i);
        out.uuid(id);
        out.tab();
        let d = c.place_ids(out);
        if c.rng.pct(15) {
            out.uuid(m.capture_id(c.rng.below(m.counts.capture)));
        } else {
            out.null();
        }
        out.tab();
        let (original, slug, mime) = c.rng.pick(&c.p.files);
        out.uuid(id);
        out.byte(b'_');
        out.raw(slug);
        out.tab();
        out.raw(original);
        out.tab();
        storage_path(c, out, m.domain_id(d), id, slug);
        out.tab();
        if c.rng.pct(10) {
            out.null();
        } else {
            out.raw(mime);
        }
        out.tab();
        match c.rng.below(20) {
            0 => out.null(),
            1 => out.uint(5_000_000_000 + c.rng.below(1 << 32)),
            2 => out.uint(0),
            _ => out.uint(1 + c.rng.below(8 << 20)),
        }
        out.tab();
        c.opt_snippet(out, 40);
        out.tab();
        c.opt_tags(out, 40);
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.tab();
        let updated = c.updated(created);
        c.ts(out, updated);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

pub fn links(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    for i in 0..m.counts.links {
        out.uuid(m.link_id(i));
        out.tab();
        c.place_ids(out);
        out.raw(c.p.titles.pick(&mut c.rng));
        out.tab();
        out.raw(c.p.urls.pick(&mut c.rng));
        out.tab();
        c.opt_snippet(out, 35);
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

/// Mean note body in bytes; bodies range from a line to about 3x this.
const NOTE_BODY: u64 = 620;

pub fn notes(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    for i in 0..m.counts.notes {
        out.uuid(m.note_id(i));
        out.tab();
        c.place_ids(out);
        let title = c.p.titles.pick(&mut c.rng);
        out.raw(title);
        out.tab();
        match c.rng.below(40) {
            0 | 1 => out.null(),
            2 => {}
            _ => {
                out.str("# ");
                out.raw(title);
                out.str("\\n\\n");
                let len = c.rng.below(2 * NOTE_BODY) as usize;
                c.prose(out, len);
            }
        }
        out.tab();
        out.str(if c.rng.pct(92) { "markdown" } else { "text" });
        out.tab();
        c.opt_tags(out, 30);
        out.tab();
        let created = c.created();
        c.ts(out, created);
        out.tab();
        let updated = c.updated(created);
        c.ts(out, updated);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

pub fn projects(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    const STATUS: &[&str] = &[
        "active",
        "active",
        "active",
        "active",
        "on_hold",
        "completed",
        "completed",
        "archived",
    ];
    let m = c.m;
    for p in 0..m.counts.projects {
        out.uuid(m.project_id(p));
        out.tab();
        out.uuid(m.domain_id(m.project_domain(p)));
        out.tab();
        out.opt_uuid(m.project_area(p).map(|a| m.area_id(a)));
        out.tab();
        out.raw(c.p.titles.pick(&mut c.rng));
        out.tab();
        if c.rng.pct(30) {
            out.null();
        } else {
            let len = c.rng.below(200) as usize;
            c.prose(out, len);
        }
        out.tab();
        out.str(c.rng.pick::<&str>(STATUS));
        out.tab();
        let created = c.created();
        if c.rng.pct(40) {
            out.null();
        } else {
            out.date(Ctx::day_of(created) + c.rng.range(1, 365));
        }
        out.tab();
        c.ts(out, created);
        out.tab();
        let updated = c.updated(created);
        c.ts(out, updated);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}

pub fn reminders(c: &mut Ctx, out: &mut Out) -> io::Result<()> {
    let m = c.m;
    for i in 0..m.counts.reminders {
        out.uuid(m.reminder_id(i));
        out.tab();
        out.uuid(m.task_id(c.rng.below(m.counts.tasks)));
        out.tab();
        let created = c.created();
        let at = Ts(created.0 + c.rng.below(30 * DAY as u64) as i64, 0);
        c.ts(out, at);
        out.tab();
        c.opt_snippet(out, 50);
        out.tab();
        out.bool(c.rng.pct(30));
        out.tab();
        c.ts(out, created);
        out.byte(b'\n');
        out.maybe_flush()?;
    }
    Ok(())
}
