//! Connections as psql makes them: a connection string (URI or `key=value`
//! words, or a bare database name), with the `PG*` environment variables
//! filling in what it leaves out, and libpq's defaults after that.
//!
//! `postgres::Config` parses both string forms, a socket directory as host
//! included (`postgresql:///db?host=/run/postgresql`, `host=/tmp dbname=db`),
//! but reads no environment and has no default host; both are added here.
//! Every session is read-only and pins the settings that shape the text
//! form of values, so two servers print the same value the same way.

use std::path::Path;

use postgres::config::Host;
use postgres::{Client, Config, IsolationLevel, NoTls, Transaction};

/// The settings that decide how values print as text.
pub const SESSION_SETTINGS: &str = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; \
     SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'; \
     SET client_encoding = 'UTF8'; SET search_path = pg_catalog";

/// Where libpq looks for the server's socket when nothing names a host.
const SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// The environment as psql reads it; a function so tests can supply one.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Parses `conninfo` and fills in what it leaves out from `env`.
pub fn config(conninfo: &str, env: Env) -> Result<Config, String> {
    let is_words = conninfo.contains('=');
    let is_uri = conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://");
    let mut cfg = if is_uri || is_words {
        conninfo.parse::<Config>().map_err(|e| e.to_string())?
    } else {
        // psql takes a lone word as the database name.
        let mut c = Config::new();
        if !conninfo.is_empty() {
            c.dbname(conninfo);
        }
        c
    };
    fill_from_env(&mut cfg, env)?;
    Ok(cfg)
}

fn fill_from_env(cfg: &mut Config, env: Env) -> Result<(), String> {
    if cfg.get_hosts().is_empty() && cfg.get_hostaddrs().is_empty() {
        match env("PGHOST").filter(|h| !h.is_empty()) {
            Some(hosts) => hosts.split(',').for_each(|h| {
                cfg.host(h);
            }),
            None => {
                let dir = SOCKET_DIRS
                    .iter()
                    .find(|d| Path::new(d).is_dir())
                    .unwrap_or(&SOCKET_DIRS[1]);
                cfg.host(dir);
            }
        }
    }
    if cfg.get_ports().is_empty() {
        if let Some(p) = env("PGPORT").filter(|p| !p.is_empty()) {
            let port = p
                .parse::<u16>()
                .map_err(|_| format!("PGPORT is not a port number: {p:?}"))?;
            cfg.port(port);
        }
    }
    if cfg.get_user().is_none() {
        if let Some(u) = env("PGUSER").filter(|u| !u.is_empty()) {
            cfg.user(&u);
        }
    }
    if cfg.get_dbname().is_none() {
        if let Some(d) = env("PGDATABASE").filter(|d| !d.is_empty()) {
            cfg.dbname(&d);
        }
    }
    if cfg.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            cfg.password(p);
        }
    }
    if cfg.get_application_name().is_none() {
        cfg.application_name(&env("PGAPPNAME").unwrap_or_else(|| "dumpshift verify".into()));
    }
    if cfg.get_connect_timeout().is_none() {
        if let Some(t) = env("PGCONNECT_TIMEOUT").and_then(|t| t.parse::<u64>().ok()) {
            if t > 0 {
                cfg.connect_timeout(std::time::Duration::from_secs(t));
            }
        }
    }
    Ok(())
}

/// What a config points at, for messages: `db on /tmp:5432`.
pub fn describe(cfg: &Config) -> String {
    let host = match cfg.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "?".into(),
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    let db = cfg.get_dbname().or(cfg.get_user()).unwrap_or("(default)");
    format!("{db} on {host}:{port}")
}

/// Connects without TLS (local sockets and trusted networks; see the README).
pub fn connect(cfg: &Config) -> Result<Client, postgres::Error> {
    cfg.connect(NoTls)
}

/// Opens the read-only snapshot every query of a side runs in, with the
/// session settings applied.
pub fn read_only(client: &mut Client) -> Result<Transaction<'_>, postgres::Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    tx.batch_execute(SESSION_SETTINGS)?;
    Ok(tx)
}

/// The process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_uri_with_a_socket_directory_names_that_directory() {
        let c = config("postgresql:///lifeos?host=/run/pg&user=me", &env_of(&[])).unwrap();
        assert_eq!(c.get_hosts(), [Host::Unix("/run/pg".into())]);
        assert_eq!(c.get_dbname(), Some("lifeos"));
        assert_eq!(c.get_user(), Some("me"));
    }

    #[test]
    fn environment_fills_only_what_the_string_leaves_out() {
        let env = env_of(&[
            ("PGHOST", "/sock"),
            ("PGPORT", "5433"),
            ("PGUSER", "u"),
            ("PGDATABASE", "envdb"),
        ]);
        let c = config("dbname=given", &env).unwrap();
        assert_eq!(c.get_hosts(), [Host::Unix("/sock".into())]);
        assert_eq!(c.get_ports(), [5433]);
        assert_eq!(c.get_user(), Some("u"));
        assert_eq!(c.get_dbname(), Some("given"));
        let c = config("postgresql://db.example:6000/x?user=v", &env).unwrap();
        assert_eq!(c.get_hosts(), [Host::Tcp("db.example".into())]);
        assert_eq!(c.get_ports(), [6000]);
        assert_eq!(c.get_user(), Some("v"));
    }

    #[test]
    fn a_bare_word_is_a_database_name() {
        let c = config("lifeos_prod", &env_of(&[("PGHOST", "/s")])).unwrap();
        assert_eq!(c.get_dbname(), Some("lifeos_prod"));
        assert_eq!(describe(&c), "lifeos_prod on /s:5432");
    }

    #[test]
    fn a_bad_port_or_string_is_refused_with_the_reason() {
        assert!(config("x", &env_of(&[("PGPORT", "abc")]))
            .unwrap_err()
            .contains("PGPORT"));
        assert!(config("host=/s port=notaport", &env_of(&[])).is_err());
    }
}
