//! Finding the PostgreSQL programs the test cluster needs.
//!
//! Owns the one decision of where `initdb`, `pg_ctl` and `psql` come from,
//! and the loud failure when they are missing: the integration tests must
//! never pass by skipping their database work.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const INSTALL_HINT: &str = "dumpshift's integration tests run a private PostgreSQL server. \
Install the server and client programs: `apt-get install postgresql-15 postgresql-client-15` \
(or `make deps`), then run the tests again.";

/// The PostgreSQL programs, as absolute paths.
pub struct PgBin {
    pub initdb: PathBuf,
    pub pg_ctl: PathBuf,
    pub psql: PathBuf,
}

impl PgBin {
    /// Finds the programs on PATH, then in the Debian layout
    /// `/usr/lib/postgresql/<version>/bin`; panics with what to install.
    pub fn locate() -> PgBin {
        let dirs = search_dirs();
        let find = |name: &str| {
            dirs.iter()
                .map(|dir| dir.join(name))
                .find(|path| is_executable(path))
                .unwrap_or_else(|| {
                    panic!("`{name}` was not found on PATH or in /usr/lib/postgresql/*/bin. {INSTALL_HINT}")
                })
        };
        PgBin {
            initdb: find("initdb"),
            pg_ctl: find("pg_ctl"),
            psql: find("psql"),
        }
    }
}

/// PATH first, then the versioned Debian directories, newest version first.
fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versioned.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    dirs.extend(versioned.into_iter().map(|(_, dir)| dir));
    dirs
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether this process runs as root, where the server must be started as
/// the `postgres` user instead. Asked of `id -u` to stay free of libc.
pub fn running_as_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| {
        let out = Command::new("id")
            .arg("-u")
            .output()
            .expect("run `id -u` to learn whether the tests run as root");
        String::from_utf8_lossy(&out.stdout).trim() == "0"
    })
}
