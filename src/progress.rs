//! Progress on stderr: an indicatif bar shown only when stderr is a terminal
//! and `--quiet` was not given, so logs and pipes never see it. The run shows
//! the bytes of the dump checked, then the rows written, table by table.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar over `total` bytes.
    pub fn bytes(total: u64, what: &str, quiet: bool) -> Progress {
        Progress::new(
            total,
            what,
            quiet,
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
    }

    /// A bar over `total` rows.
    pub fn rows(total: u64, what: &str, quiet: bool) -> Progress {
        Progress::new(
            total,
            what,
            quiet,
            "{msg} [{bar:30}] {human_pos}/{human_len} rows ({per_sec}, {eta})",
        )
    }

    fn new(total: u64, what: &str, quiet: bool, template: &str) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        Progress(Some(bar))
    }

    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
