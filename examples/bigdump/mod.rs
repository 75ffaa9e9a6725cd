//! A seeded, deterministic generator of large Life OS v1 dumps, byte for
//! byte in the plain format `PGTZ=America/New_York pg_dump` 15 writes, for
//! benchmarks. Shared by `examples/bigdump.rs` (the command line) and
//! `tests/bigdump.rs`; each uses a different part.
//!
//! Owns the row counts for a requested size, the relations between rows
//! (`Model`: every id and reference is a pure function of the seed and row
//! indices, so nothing is stored per row) and the order of the output.
//! The same seed and size give the same bytes, on any machine.

#![allow(dead_code)]

mod out;
mod rng;
mod rows;
mod schema;
mod tasks;
mod text;
pub mod tz;

use std::io::{self, Write};

use rng::{mix64, Ids, Rng};
use rows::Ctx;
use schema::{COPY_END, COPY_HEADERS, DDL, END, HEAD, TAIL};
use text::Pools;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// The file size to aim for, in bytes.
    pub size: u64,
    pub seed: u64,
}

/// Rows per table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub areas: u64,
    pub capture: u64,
    pub context_types: u64,
    pub daily_focus: u64,
    pub domains: u64,
    pub files: u64,
    pub links: u64,
    pub notes: u64,
    pub projects: u64,
    pub reminders: u64,
    pub tasks: u64,
}

/// Output bytes per task, counting the share of every other table: the
/// row mix below at the text lengths of `rows.rs` and `tasks.rs`, which
/// makes 1 GiB hold about 1.5 million tasks.
const BYTES_PER_TASK: u64 = 716;

/// The text around the rows: header, DDL, COPY headers, keys, footer.
const FIXED_BYTES: u64 = 12_500;

impl Counts {
    /// The row counts for a dump of about `size` bytes. Small sizes still
    /// get a few rows of every table.
    pub fn for_size(size: u64) -> Counts {
        let tasks = (size.saturating_sub(FIXED_BYTES) / BYTES_PER_TASK).max(20);
        let domains = (tasks / 50_000).max(5);
        Counts {
            areas: domains * 4,
            capture: (tasks / 8).max(1),
            context_types: rows::CONTEXTS.len() as u64,
            daily_focus: (tasks / 2).max(1),
            domains,
            files: (tasks / 30).max(1),
            links: (tasks / 10).max(1),
            notes: (tasks / 4).max(1),
            projects: (tasks / 20).max(1),
            reminders: (tasks / 100).max(1),
            tasks,
        }
    }

    /// (table, rows) in the order the dump holds them.
    pub fn by_table(&self) -> [(&'static str, u64); 11] {
        [
            ("areas", self.areas),
            ("capture", self.capture),
            ("context_types", self.context_types),
            ("daily_focus", self.daily_focus),
            ("domains", self.domains),
            ("files", self.files),
            ("links", self.links),
            ("notes", self.notes),
            ("projects", self.projects),
            ("reminders", self.reminders),
            ("tasks", self.tasks),
        ]
    }
}

/// What a run wrote.
#[derive(Clone, Debug)]
pub struct Report {
    pub counts: Counts,
    pub bytes: u64,
    /// The `\restrict` key in the header and footer.
    pub restrict_key: String,
}

/// The 64 hex digits pg_dump would pick at random, here from the seed.
pub fn restrict_key(seed: u64) -> String {
    (0..4u64)
        .map(|i| format!("{:016x}", mix64(seed ^ mix64(0x7265_7374 + i))))
        .collect()
}

// Id streams: one per table for the UUIDs, and a few for choices other
// tables must recompute.
const T_AREAS: u64 = 1;
const T_CAPTURE: u64 = 2;
const T_CONTEXT_TYPES: u64 = 3;
const T_DAILY_FOCUS: u64 = 4;
const T_DOMAINS: u64 = 5;
const T_FILES: u64 = 6;
const T_LINKS: u64 = 7;
const T_NOTES: u64 = 8;
const T_PROJECTS: u64 = 9;
const T_REMINDERS: u64 = 10;
const T_TASKS: u64 = 11;
const S_PROJECT_AREA: u64 = 101;
const S_TASK_PARENT: u64 = 102;
const S_TASK_HOME: u64 = 103;

/// Who belongs to whom. Domain d owns areas d, d + D, d + 2D, d + 3D and
/// projects p with p % D == d; a task either sits in a project (and its
/// domain) or directly in a domain, and a subtask inherits its parent's.
pub struct Model {
    pub counts: Counts,
    ids: Ids,
    /// The Supabase project ref in Storage URLs.
    pub supabase_ref: Vec<u8>,
}

impl Model {
    pub fn new(seed: u64, counts: Counts) -> Model {
        let ids = Ids::new(seed);
        let supabase_ref = (0..20)
            .map(|i| b'a' + (ids.hash(0, i) % 26) as u8)
            .collect();
        Model {
            counts,
            ids,
            supabase_ref,
        }
    }

    pub fn area_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_AREAS, i)
    }
    pub fn capture_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_CAPTURE, i)
    }
    pub fn context_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_CONTEXT_TYPES, i)
    }
    pub fn focus_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_DAILY_FOCUS, i)
    }
    pub fn domain_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_DOMAINS, i)
    }
    pub fn file_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_FILES, i)
    }
    pub fn link_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_LINKS, i)
    }
    pub fn note_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_NOTES, i)
    }
    pub fn project_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_PROJECTS, i)
    }
    pub fn reminder_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_REMINDERS, i)
    }
    pub fn task_id(&self, i: u64) -> u128 {
        self.ids.uuid(T_TASKS, i)
    }

    pub fn area_domain(&self, a: u64) -> u64 {
        a % self.counts.domains
    }

    pub fn project_domain(&self, p: u64) -> u64 {
        p % self.counts.domains
    }

    /// 85% of projects sit in one of their domain's areas.
    pub fn project_area(&self, p: u64) -> Option<u64> {
        let h = self.ids.hash(S_PROJECT_AREA, p);
        (h % 100 >= 15).then(|| self.project_domain(p) + self.counts.domains * ((h >> 32) % 4))
    }

    /// A fifth of the tasks are subtasks of one of the 16 tasks before
    /// them: parents always come earlier, so there are no cycles.
    pub fn task_parent(&self, t: u64) -> Option<u64> {
        if t == 0 {
            return None;
        }
        let h = self.ids.hash(S_TASK_PARENT, t);
        (h % 100 < 20).then(|| t - 1 - (h >> 32) % t.min(16))
    }

    /// (domain, project) of task t: those of the root of its parent chain.
    pub fn task_home(&self, t: u64) -> (u64, Option<u64>) {
        let mut root = t;
        while let Some(parent) = self.task_parent(root) {
            root = parent;
        }
        let h = self.ids.hash(S_TASK_HOME, root);
        if h % 100 < 85 {
            let p = (h >> 32) % self.counts.projects;
            (self.project_domain(p), Some(p))
        } else {
            ((h >> 32) % self.counts.domains, None)
        }
    }
}

/// Writes the dump for `cfg` to `sink` and reports what it wrote.
pub fn generate<W: Write + Send>(cfg: &Config, sink: W) -> io::Result<Report> {
    let counts = Counts::for_size(cfg.size);
    let model = Model::new(cfg.seed, counts);
    let pools = Pools::new(&mut Rng::new(mix64(cfg.seed ^ 0x706f_6f6c)));
    let key = restrict_key(cfg.seed);
    let bytes = with_out(sink, |out| write_dump(cfg, &model, &pools, &key, out))?;
    Ok(Report {
        counts,
        bytes,
        restrict_key: key,
    })
}

/// Each timestamp as the dump would print it, one per line: lets a test
/// hold the time zone rules against PostgreSQL's own.
pub fn timestamps_text(instants: &[(i64, u32)]) -> io::Result<String> {
    let mut text = Vec::new();
    with_out(&mut text, |out| {
        for &(t, micros) in instants {
            out.ts(t, micros);
            out.byte(b'\n');
            out.maybe_flush()?;
        }
        Ok(())
    })?;
    String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Runs `fill` on this thread while another one writes its output to
/// `sink`; returns the bytes written.
fn with_out<W, F>(sink: W, fill: F) -> io::Result<u64>
where
    W: Write + Send,
    F: FnOnce(&mut out::Out) -> io::Result<()>,
{
    std::thread::scope(|scope| {
        let (mut out, full, empty) = out::channels();
        let writer = scope.spawn(move || out::writer_loop(sink, full, empty));
        let bytes = match fill(&mut out) {
            Ok(()) => out.finish(),
            Err(e) => {
                // Closing the channel ends the writer.
                drop(out);
                Err(e)
            }
        };
        // A failed write is the cause of any error on this side.
        writer.join().expect("the output writer panicked")?;
        bytes
    })
}

fn write_dump(
    cfg: &Config,
    model: &Model,
    pools: &Pools,
    key: &str,
    out: &mut out::Out,
) -> io::Result<()> {
    out.str(HEAD);
    out.str(key);
    out.str(DDL);
    let tail = (TAIL.len() + key.len() + END.len() + COPY_END.len()) as u64;
    // tasks comes last in pg_dump's order, which lets it steer the size.
    for (i, (table, copy)) in COPY_HEADERS.iter().enumerate() {
        out.str(&schema::section_head(table, copy));
        let mut c = Ctx {
            m: model,
            p: pools,
            rng: Rng::new(mix64(cfg.seed ^ mix64(1_000 + i as u64))),
        };
        match *table {
            "areas" => rows::areas(&mut c, out)?,
            "capture" => rows::capture(&mut c, out)?,
            "context_types" => rows::context_types(&mut c, out)?,
            "daily_focus" => rows::daily_focus(&mut c, out)?,
            "domains" => rows::domains(&mut c, out)?,
            "files" => rows::files(&mut c, out)?,
            "links" => rows::links(&mut c, out)?,
            "notes" => rows::notes(&mut c, out)?,
            "projects" => rows::projects(&mut c, out)?,
            "reminders" => rows::reminders(&mut c, out)?,
            "tasks" => tasks::tasks(&mut c, out, cfg.size.saturating_sub(tail))?,
            other => unreachable!("no writer for table {other}"),
        }
        out.str(COPY_END);
    }
    out.str(TAIL);
    out.str(key);
    out.str(END);
    Ok(())
}
