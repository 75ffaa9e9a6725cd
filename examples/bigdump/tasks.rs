//! The tasks table, last in the dump and the largest, and the one place the
//! output size is steered: the description length follows the bytes still
//! missing, so the file ends close to the size asked for whatever the
//! other tables came to.

use std::io;

use super::out::Out;
use super::rows::{Ctx, Ts, CONTEXTS};
use super::tz::DAY;

/// Bytes of a task row besides the description length it asked for, before
/// any were measured.
const BASE_GUESS: u64 = 270;

const STATUS: &[&str] = &[
    "open",
    "open",
    "open",
    "open",
    "open",
    "open",
    "open",
    "open",
    "open",
    "in_progress",
    "in_progress",
    "in_progress",
    "blocked",
    "done",
    "done",
    "done",
    "done",
    "done",
    "done",
    "cancelled",
];

const RECURRENCE: &[&str] = &[
    "FREQ=WEEKLY;BYDAY=MO",
    "every Sunday",
    "FREQ=DAILY",
    "FREQ=MONTHLY;BYMONTHDAY=1",
    "weekdays",
];

/// Writes every task row; the last one ends near byte `end_at` of the file.
pub fn tasks(c: &mut Ctx, out: &mut Out, end_at: u64) -> io::Result<()> {
    let n = c.m.counts.tasks;
    let mut base_total = 0u64;
    for t in 0..n {
        let start = out.written();
        let want = end_at.saturating_sub(start) / (n - t);
        let base = if t < 256 { BASE_GUESS } else { base_total / t };
        let asked = row(c, out, t, want.saturating_sub(base))?;
        // The base counts what a description writes beyond what it asked
        // for (a last sentence running over, `\N`), so the budget corrects
        // for it row by row instead of all at the end.
        base_total += (out.written() - start).saturating_sub(asked as u64);
    }
    Ok(())
}

/// One row; returns the description length it asked for.
fn row(c: &mut Ctx, out: &mut Out, t: u64, budget: u64) -> io::Result<usize> {
    let m = c.m;
    let (domain, project) = m.task_home(t);
    out.uuid(m.task_id(t));
    out.tab();
    out.uuid(m.domain_id(domain));
    out.tab();
    out.opt_uuid(project.map(|p| m.project_id(p)));
    out.tab();
    out.opt_uuid(m.task_parent(t).map(|p| m.task_id(p)));
    out.tab();
    out.raw(c.p.titles.pick(&mut c.rng));
    out.tab();
    let desc = description(c, out, budget);
    out.tab();
    out.uint(1 + c.rng.below(4));
    out.tab();
    let status = *c.rng.pick(STATUS);
    out.str(status);
    out.tab();
    let created = c.created();
    if c.rng.pct(60) {
        out.null();
    } else {
        out.date(created.0.div_euclid(DAY) + c.rng.range(0, 90));
    }
    out.tab();
    deadline(c, out, created.0);
    out.tab();
    if c.rng.pct(95) {
        out.null();
    } else {
        out.str(c.rng.pick::<&str>(RECURRENCE));
    }
    out.tab();
    if c.rng.pct(45) {
        out.null();
    } else {
        out.raw(c.p.tags.pick(&mut c.rng));
    }
    out.tab();
    context(c, out);
    out.tab();
    stamps(c, out, created, status == "done");
    out.byte(b'\n');
    out.maybe_flush()?;
    Ok(desc)
}

/// A fifth of the rows have none; the others share the budget, at random
/// lengths from nothing to twice their share. Returns the length asked for.
fn description(c: &mut Ctx, out: &mut Out, budget: u64) -> usize {
    let share = budget * 5 / 4;
    if share < 8 || c.rng.pct(20) {
        out.null();
        return 0;
    }
    let len = c.rng.below(2 * share) as usize;
    c.prose(out, len);
    len
}

fn deadline(c: &mut Ctx, out: &mut Out, created: i64) {
    match c.rng.below(1000) {
        0 => out.str("infinity"),
        1..=100 => out.ts(created + c.rng.range(DAY, 120 * DAY), 0),
        _ => out.null(),
    }
}

fn context(c: &mut Ctx, out: &mut Out) {
    let custom = match c.rng.below(20) {
        0..=9 => {
            out.null();
            false
        }
        10 => {
            out.raw(c.p.custom_contexts.pick(&mut c.rng));
            true
        }
        _ => {
            out.str(c.rng.pick(&CONTEXTS).0);
            false
        }
    };
    out.tab();
    out.bool(custom);
}

/// created_at, updated_at and, for done tasks, completed_at = updated_at.
fn stamps(c: &mut Ctx, out: &mut Out, created: Ts, done: bool) {
    c.ts(out, created);
    out.tab();
    let updated = c.updated(created);
    c.ts(out, updated);
    out.tab();
    if done && c.rng.pct(90) {
        c.ts(out, updated);
    } else {
        out.null();
    }
}
