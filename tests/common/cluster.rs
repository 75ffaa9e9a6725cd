//! A throw-away PostgreSQL cluster for integration tests.
//!
//! Owns the life cycle of one private server: `initdb` into a fresh temporary
//! directory, `pg_ctl start` listening only on a unix socket in that directory
//! (no TCP, so parallel test processes never collide on a port), and the stop
//! and removal when the cluster is dropped or its test process exits. It also
//! owns running `psql` against that server.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::pgbin::{running_as_root, PgBin};

/// Server settings that trade durability for speed: a test cluster is never
/// reused after a crash, so nothing it writes needs to survive one.
const FAST_SETTINGS: &[&str] = &[
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "wal_level=minimal",
    "max_wal_senders=0",
    "shared_buffers=32MB",
    "max_connections=50",
    "autovacuum=off",
    // A zone with a non-hour offset and daylight saving: a timestamp whose
    // offset got lost or reformatted on the way cannot compare equal by luck.
    "timezone=America/St_Johns",
    "lc_messages=C",
];

/// One private PostgreSQL server, reachable only through its unix socket.
pub struct Cluster {
    bin: PgBin,
    dir: tempfile::TempDir,
    db_counter: AtomicUsize,
}

impl Cluster {
    /// The cluster shared by every test of this test process.
    ///
    /// A static is never dropped, so a watcher process started with the
    /// cluster stops it once this process has exited (see `spawn_reaper`).
    pub fn shared() -> &'static Cluster {
        static SHARED: OnceLock<Cluster> = OnceLock::new();
        SHARED.get_or_init(Cluster::start)
    }

    /// Creates and starts a new cluster; panics with the reason if it cannot.
    pub fn start() -> Cluster {
        let bin = PgBin::locate();
        let dir = tempfile::Builder::new()
            .prefix("dumpshift-pg-")
            .tempdir()
            .expect("create a temporary directory for the test cluster");
        if running_as_root() {
            // The server refuses to run as root, so the postgres user must
            // own the data directory and be able to create the socket.
            run_checked(Command::new("chown").arg("postgres:").arg(dir.path()));
        }
        let cluster = Cluster {
            bin,
            dir,
            db_counter: AtomicUsize::new(0),
        };
        cluster.spawn_reaper();
        cluster.initdb();
        cluster.pg_ctl_start();
        cluster
    }

    /// The directory holding the unix socket; what `psql -h` takes.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// A command for a server program, run as the postgres user when root.
    fn server_command(&self, program: &Path) -> Command {
        if running_as_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    fn initdb(&self) {
        let mut cmd = self.server_command(&self.bin.initdb);
        cmd.arg("-D").arg(self.data_dir());
        cmd.args(["-A", "trust", "-U", "postgres", "-E", "UTF8"]);
        cmd.args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"]);
        run_checked(&mut cmd);
    }

    fn pg_ctl_start(&self) {
        let mut options = format!(
            "-c listen_addresses='' -k '{}'",
            self.socket_dir().display()
        );
        for setting in FAST_SETTINGS {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let mut cmd = self.server_command(&self.bin.pg_ctl);
        cmd.arg("-D").arg(self.data_dir());
        // Without -l the postmaster would inherit our stdout pipe and keep
        // the caller (and the test runner) waiting for it to close.
        cmd.arg("-l").arg(self.log_file());
        cmd.args(["-w", "-s", "-o", &options, "start"]);
        let out = cmd.stdin(Stdio::null()).output().expect("run pg_ctl start");
        if !out.status.success() {
            let log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
            panic!(
                "pg_ctl start failed ({}):\n{}{}\nserver log:\n{log}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
        }
    }

    /// The `pg_ctl stop` command line, shared by `Drop` and the reaper.
    fn stop_command(&self) -> Command {
        let mut cmd = self.server_command(&self.bin.pg_ctl);
        cmd.arg("-D").arg(self.data_dir());
        cmd.args(["-m", "immediate", "-s", "stop"]);
        cmd
    }

    /// Starts a detached watcher that stops the server and removes the
    /// directory once this test process is gone, however it ended: the
    /// shared cluster lives in a static that is never dropped, and a test
    /// process may also be killed by the runner's timeout.
    // Never waited for: it must outlive this process, and it exits only
    // after this process has, so it cannot linger as our zombie.
    #[allow(clippy::zombie_processes)]
    fn spawn_reaper(&self) {
        let stop = self.stop_command();
        let script = "pid=$1; dir=$2; shift 2
            while kill -0 \"$pid\" 2>/dev/null; do sleep 1; done
            [ -f \"$dir/data/postmaster.pid\" ] && \"$@\"
            rm -rf \"$dir\"";
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script, "dumpshift-pg-reaper"]);
        cmd.arg(std::process::id().to_string()).arg(self.dir.path());
        cmd.arg(stop.get_program()).args(stop.get_args());
        // Its own process group, so the Ctrl-C that ends `cargo test` does
        // not end the watcher before it has cleaned up.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.spawn()
            .expect("start the test cluster's clean-up watcher");
    }

    /// Creates a database named `<prefix>_<n>`, unique within this cluster.
    pub fn fresh_db(&self, prefix: &str) -> String {
        let n = self.db_counter.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}_{n}");
        self.createdb(&name);
        name
    }

    /// Creates the database `name`; panics if it exists.
    pub fn createdb(&self, name: &str) {
        // template0: nothing that a test put into template1 leaks into it.
        self.exec(
            "postgres",
            &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
        );
    }

    /// A `psql` command connected to `db`, with no psqlrc and stopping at
    /// the first error, as the load file is meant to be run.
    pub fn psql(&self, db: &str) -> Command {
        let mut cmd = Command::new(&self.bin.psql);
        cmd.arg("-h").arg(self.socket_dir());
        cmd.args(["-U", "postgres", "-d", db, "-X", "-q"]);
        cmd.args(["-v", "ON_ERROR_STOP=1"]);
        // The environment of the developer running the tests must not
        // change what the tests connect to or how psql behaves.
        for var in ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"] {
            cmd.env_remove(var);
        }
        for var in ["PGSERVICE", "PGPASSWORD", "PGTZ"] {
            cmd.env_remove(var);
        }
        // Not left to the locale: under LANG=C psql would pick SQL_ASCII.
        cmd.env("PGCLIENTENCODING", "UTF8");
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Runs the SQL file at `path` in `db`; the caller judges the outcome.
    pub fn psql_file(&self, db: &str, path: &Path) -> io::Result<Output> {
        self.psql(db).arg("-f").arg(path).output()
    }

    /// Runs `sql` (one or more statements) in `db`; the caller judges it.
    pub fn psql_cmd(&self, db: &str, sql: &str) -> io::Result<Output> {
        self.psql(db).arg("-c").arg(sql).output()
    }

    /// Runs `sql` in `db` and panics, showing psql's messages, if it fails.
    pub fn exec(&self, db: &str, sql: &str) {
        let out = self.psql_cmd(db, sql).expect("run psql");
        assert_success(&out, &format!("psql -d {db} -c {sql:?}"));
    }

    /// Runs the SQL file at `path` in `db` and panics if it fails.
    pub fn exec_file(&self, db: &str, path: &Path) -> Output {
        let out = self.psql_file(db, path).expect("run psql");
        assert_success(&out, &format!("psql -d {db} -f {}", path.display()));
        out
    }

    /// Applies the `NNNN_*.up.sql` files of `dir` to `db` in order, one
    /// transaction each, as golang-migrate does.
    pub fn apply_migrations(&self, db: &str, dir: &Path) {
        let mut ups: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
            .collect();
        ups.sort();
        for up in ups {
            let o = self.psql(db).arg("-1").arg("-f").arg(&up).output().unwrap();
            assert_success(&o, &up.display().to_string());
        }
    }

    /// The result of `sql` in unaligned, tuples-only form (`psql -At`):
    /// one line per row, fields separated by `|`, without the final newline.
    pub fn query(&self, db: &str, sql: &str) -> String {
        let out = self
            .psql(db)
            .arg("-At")
            .arg("-c")
            .arg(sql)
            .output()
            .expect("run psql");
        assert_success(&out, &format!("psql -d {db} -At -c {sql:?}"));
        let text = String::from_utf8(out.stdout).expect("psql output is UTF-8");
        text.strip_suffix('\n').unwrap_or(&text).to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Immediate: the data is thrown away, so a clean checkpoint is waste.
        // Errors are ignored: the reaper tries again once the process ends.
        let _ = self
            .stop_command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Panics with the command's output unless it exited with status 0.
pub fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}

fn run_checked(cmd: &mut Command) {
    let what = format!("{cmd:?}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert_success(&out, &what);
}
