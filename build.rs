//! Embeds `migrations/*.sql` into the binary, so dumpshift needs no files at
//! run time. Checking the set (pairs, numbering) is the library's job, done
//! the same way for embedded files and for a folder on disk.
//!
//! Also stamps what `dumpshift --version` reports: the git commit the binary
//! is built from (`unknown` outside a git checkout of this crate) and the v2
//! schema version, the number of the newest migration.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the binary is made of: a change here, uncommitted, makes the build
/// `-dirty`. README and tests do not change the binary, so they do not count.
const SOURCES: &[&str] = &[
    "src",
    "build.rs",
    "Cargo.toml",
    "Cargo.lock",
    "migrations",
    "mappings",
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let names = embed_migrations(&root);
    let schema = names
        .iter()
        .filter_map(|n| {
            n.strip_suffix(".up.sql")?
                .split('_')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    println!("cargo:rustc-env=DUMPSHIFT_SCHEMA_VERSION={schema}");
    println!("cargo:rustc-env=DUMPSHIFT_COMMIT={}", commit(&root));
}

fn embed_migrations(root: &Path) -> Vec<String> {
    let dir = root.join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("migrations/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("migrations.rs");
    std::fs::write(out, code).unwrap();
    names
}

/// The full commit hash, `-dirty` appended when [`SOURCES`] differ from it,
/// or `unknown` when this crate is not the top of a git work tree (a copied
/// tree, an unpacked source tarball, a crate inside another repository).
fn commit(root: &Path) -> String {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            // A build reads the repository and never writes it: no index refresh.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        out.status.success().then(|| text.trim_end().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let is_ours = match (top.and_then(|t| t.canonicalize().ok()), root.canonicalize()) {
        (Some(top), Ok(root)) => top == root,
        _ => false,
    };
    let Some(hash) = is_ours
        .then(|| git(&["rev-parse", "--verify", "HEAD^{commit}"]))
        .flatten()
    else {
        return "unknown".to_string();
    };
    // A new commit moves HEAD or the branch it names. Not the index: `git
    // status` rewrites it, and staging changes no file the binary is made of.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in &watched {
        if let Some(path) = git(&["rev-parse", "--git-path", name]) {
            let path = root.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    for source in SOURCES {
        println!("cargo:rerun-if-changed={}", root.join(source).display());
    }
    let mut status = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    status.extend(SOURCES);
    match git(&status) {
        Some(changes) if changes.is_empty() => hash,
        _ => format!("{hash}-dirty"),
    }
}
