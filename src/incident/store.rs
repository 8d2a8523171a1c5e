//! Where incidents and their timelines are kept.
//!
//! Callers see [`Store`] only, so a shared PostgreSQL store can follow the embedded
//! SQLite one without touching them. The SQLite store runs in WAL mode with full
//! syncs: several clops processes on one host append to one timeline safely, and an
//! event whose append returned is on disk even if the process is killed right after.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::model::incident::{AttachedAlert, Change, Event, Incident, Sev, is_incident_id};
use crate::text::time::Timestamp;

/// What it takes to declare an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub title: String,
    pub severity: Sev,
    pub commander: String,
    pub services: Vec<String>,
    pub alerts: Vec<AttachedAlert>,
    /// The triage group it comes from, if any.
    pub group: Option<String>,
    /// When the impact began, if known.
    pub started: Option<DateTime<Utc>>,
}

impl Declaration {
    fn into_change(self) -> Change {
        Change::Declared {
            title: self.title,
            severity: self.severity,
            commander: self.commander,
            services: self.services,
            alerts: self.alerts,
            group: self.group,
            started: self.started,
        }
    }
}

/// What a [`Store`] method returns.
type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Why the incident store could not do what was asked. Each message is whole: inner
/// errors are part of the text, not a `source` (a `{:#}` would say them twice).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory the store's file goes in cannot be made.
    #[error("cannot create {}: {error}", .dir.display())]
    CreateDir { dir: PathBuf, error: std::io::Error },
    /// The database under the store failed to open, lock, read or write. `store` names
    /// it as the user knows it: the SQLite file's path.
    #[error("incident store {store}: {error}")]
    Database { store: String, error: DatabaseError },
    /// The store was written by a newer clops: its schema is past what this one knows.
    #[error(
        "incident store {store}: written by a newer clops (schema v{found}; this one knows up to v{known})"
    )]
    NewerSchema {
        store: String,
        found: i64,
        known: usize,
    },
    /// The configured store is one this clops cannot open yet.
    #[error(
        "not available yet: the shared PostgreSQL incident store (set [incident] store = \"sqlite\")"
    )]
    PostgresNotAvailable,
    /// A well-formed id no incident has.
    #[error("no incident {id} (`clops incident list` shows them)")]
    NotFound { id: String },
    /// Not an incident id at all.
    #[error("{id:?} is not an incident id: they look like INC-20261121-1")]
    MalformedId { id: String },
    /// Refused: `Declared` starts a timeline and is never appended to one.
    #[error("an incident is declared once: {id} already is")]
    DeclaredTwice { id: String },
    /// The timeline does not start with a declaration (written by another program?).
    #[error("incident {id} has no declaration in its timeline")]
    NoDeclaration { id: String },
    /// A time in the store is not RFC 3339.
    #[error("bad time {text:?} in the store: {error}")]
    BadTime {
        text: String,
        error: chrono::ParseError,
    },
    /// An event's data is not JSON.
    #[error("{id} event {seq}: {error}")]
    CorruptEvent {
        id: String,
        seq: u64,
        error: serde_json::Error,
    },
    /// An event's data is JSON, but not what its kind holds.
    #[error("{id} event {seq}: unreadable {kind} event: {error}")]
    UnreadableEvent {
        id: String,
        seq: u64,
        kind: String,
        error: serde_json::Error,
    },
    /// A change could not be turned into JSON to be stored.
    #[error("{0}")]
    Encode(serde_json::Error),
}

/// What the database engine under a store reported.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// An unknown incident: not found when `id` is well formed, malformed when not.
    pub fn unknown(id: &str) -> StoreError {
        if is_incident_id(id) {
            StoreError::NotFound { id: id.to_string() }
        } else {
            StoreError::MalformedId { id: id.to_string() }
        }
    }
}

/// Incidents and their append-only timelines.
pub trait Store: Send + Sync {
    /// Records a new incident; returns its id (`INC-YYYYMMDD-N`, the day in UTC).
    fn declare(&self, d: Declaration, author: &str, at: DateTime<Utc>) -> Result<String>;

    /// Adds an event to the timeline of `id`, numbered after the last one.
    fn append(&self, id: &str, change: Change, author: &str, at: DateTime<Utc>) -> Result<Event>;

    /// The events of `id` with `seq` above `after`, in order (0: the whole timeline).
    fn events(&self, id: &str, after: u64) -> Result<Vec<Event>>;

    /// Every incident id, newest declaration first.
    fn ids(&self) -> Result<Vec<String>>;

    /// A number that changes when another process writes, so a reader polling for
    /// news reads only when there is some. None: the store cannot tell.
    fn version(&self) -> Option<u64> {
        None
    }

    /// One incident as its timeline says it is now, with that timeline.
    fn timeline(&self, id: &str) -> Result<(Incident, Vec<Event>)> {
        let events = self.events(id, 0)?;
        let incident = Incident::from_events(id, &events)
            .ok_or_else(|| StoreError::NoDeclaration { id: id.to_string() })?;
        Ok((incident, events))
    }

    /// One incident as its timeline says it is now.
    fn incident(&self, id: &str) -> Result<Incident> {
        Ok(self.timeline(id)?.0)
    }

    /// Every incident, newest first.
    fn incidents(&self) -> Result<Vec<Incident>> {
        self.ids()?.iter().map(|id| self.incident(id)).collect()
    }
}

/// Schema changes, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // v1: incidents and their events.
    "CREATE TABLE incidents (
         id TEXT PRIMARY KEY,
         day TEXT NOT NULL,
         n INTEGER NOT NULL,
         declared_at TEXT NOT NULL,
         UNIQUE (day, n)
     );
     CREATE TABLE events (
         incident TEXT NOT NULL REFERENCES incidents(id),
         seq INTEGER NOT NULL,
         at TEXT NOT NULL,
         author TEXT NOT NULL,
         kind TEXT NOT NULL,
         data TEXT NOT NULL,
         PRIMARY KEY (incident, seq)
     ) WITHOUT ROWID;",
];

/// The embedded store: one SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating when missing) the store at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|error| StoreError::CreateDir {
                dir: dir.to_path_buf(),
                error,
            })?;
        }
        let fail = |e: rusqlite::Error| database(path, e);
        let mut conn = Connection::open(path).map_err(fail)?;
        // Other clops processes may hold the write lock for a moment: wait, not fail.
        conn.busy_timeout(Duration::from_secs(15)).map_err(fail)?;
        // Switching to WAL needs a moment alone with the file; a second process
        // opening at the same instant may be told it is busy. Try again briefly.
        let mut tries = 0;
        loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Ok(_) => break,
                Err(e) if tries < 50 && is_busy(&e) => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(fail(e)),
            }
        }
        // FULL: a returned append is on disk, whatever happens to the process after.
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(fail)?;
        migrate(&mut conn, path)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// The file it keeps everything in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic elsewhere while holding the lock leaves the connection usable:
        // SQLite rolls back whatever transaction was open.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fail(&self, e: rusqlite::Error) -> StoreError {
        database(&self.path, e)
    }
}

/// The SQLite file at `path` failed.
fn database(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Database {
        store: path.display().to_string(),
        error: e.into(),
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let fail = |e: rusqlite::Error| database(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(fail)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fail)?;
    if version as usize > MIGRATIONS.len() {
        return Err(StoreError::NewerSchema {
            store: path.display().to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(fail)?;
    }
    tx.commit().map_err(fail)?;
    Ok(())
}

/// Times are kept to the millisecond, as text that sorts in time order.
fn stamp(at: DateTime<Utc>) -> String {
    Timestamp::Rfc3339Millis.format(at)
}

fn parse_stamp(s: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(s)
        .map_err(|error| StoreError::BadTime {
            text: s.to_string(),
            error,
        })?
        .with_timezone(&Utc))
}

/// The event as stored: `kind` and `data` apart, the way the JSON contract has them.
fn split(change: &Change) -> Result<(String, String)> {
    let mut v = serde_json::to_value(change).map_err(StoreError::Encode)?;
    let data = v
        .get_mut("data")
        .map(serde_json::Value::take)
        .unwrap_or(serde_json::Value::Null);
    Ok((change.kind().to_string(), data.to_string()))
}

/// The event `seq` of `id` as stored, read back.
fn join(id: &str, seq: u64, kind: &str, data: &str) -> Result<Change> {
    let data: serde_json::Value =
        serde_json::from_str(data).map_err(|error| StoreError::CorruptEvent {
            id: id.to_string(),
            seq,
            error,
        })?;
    serde_json::from_value(serde_json::json!({"kind": kind, "data": data})).map_err(|error| {
        StoreError::UnreadableEvent {
            id: id.to_string(),
            seq,
            kind: kind.to_string(),
            error,
        }
    })
}

impl Store for SqliteStore {
    fn declare(&self, d: Declaration, author: &str, at: DateTime<Utc>) -> Result<String> {
        let change = d.into_change().sanitized();
        let (kind, data) = split(&change)?;
        let at = parse_stamp(&stamp(at))?;
        let day = at.format("%Y%m%d").to_string();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(e))?;
        let n: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(n), 0) + 1 FROM incidents WHERE day = ?1",
                [&day],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(e))?;
        let id = format!("INC-{day}-{n}");
        tx.execute(
            "INSERT INTO incidents (id, day, n, declared_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, day, n, stamp(at)],
        )
        .map_err(|e| self.fail(e))?;
        tx.execute(
            "INSERT INTO events (incident, seq, at, author, kind, data) VALUES (?1, 1, ?2, ?3, ?4, ?5)",
            params![id, stamp(at), crate::text::clean_line(author), kind, data],
        )
        .map_err(|e| self.fail(e))?;
        tx.commit().map_err(|e| self.fail(e))?;
        Ok(id)
    }

    fn append(&self, id: &str, change: Change, author: &str, at: DateTime<Utc>) -> Result<Event> {
        if matches!(change, Change::Declared { .. }) {
            return Err(StoreError::DeclaredTwice { id: id.to_string() });
        }
        let change = change.sanitized();
        let (kind, data) = split(&change)?;
        let at = parse_stamp(&stamp(at))?;
        let author = crate::text::clean_line(author);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(e))?;
        let last: Option<i64> = tx
            .query_row(
                "SELECT MAX(seq) FROM events WHERE incident = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(e))?;
        let Some(last) = last else {
            return Err(StoreError::unknown(id));
        };
        let seq = last as u64 + 1;
        tx.execute(
            "INSERT INTO events (incident, seq, at, author, kind, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, seq as i64, stamp(at), author, kind, data],
        )
        .map_err(|e| self.fail(e))?;
        tx.commit().map_err(|e| self.fail(e))?;
        Ok(Event {
            seq,
            at,
            author,
            change,
        })
    }

    fn events(&self, id: &str, after: u64) -> Result<Vec<Event>> {
        let conn = self.conn();
        let known: Option<String> = conn
            .query_row("SELECT id FROM incidents WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.fail(e))?;
        if known.is_none() {
            return Err(StoreError::unknown(id));
        }
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, at, author, kind, data FROM events
                 WHERE incident = ?1 AND seq > ?2 ORDER BY seq",
            )
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map(params![id, after as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.fail(e))?;
        let mut events = Vec::new();
        for row in rows {
            let (seq, at, author, kind, data) = row.map_err(|e| self.fail(e))?;
            let seq = seq as u64;
            events.push(Event {
                seq,
                at: parse_stamp(&at)?,
                author,
                // Rows may have been written by another program: clean them again.
                change: join(id, seq, &kind, &data)?.sanitized(),
            });
        }
        Ok(events)
    }

    fn ids(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT id FROM incidents ORDER BY declared_at DESC, day DESC, n DESC")
            .map_err(|e| self.fail(e))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.fail(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.fail(e))?;
        Ok(ids)
    }

    fn version(&self) -> Option<u64> {
        // Changes whenever another connection commits; our own writes the caller knows.
        self.conn()
            .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
            .ok()
            .map(|v| v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::Status;
    use chrono::TimeZone;

    fn declaration(title: &str) -> Declaration {
        Declaration {
            title: title.into(),
            severity: Sev::Sev2,
            commander: "alice@jump-1".into(),
            services: vec!["checkout".into()],
            alerts: vec![],
            group: None,
            started: None,
        }
    }

    fn at(m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 20, m, 0).unwrap()
    }

    #[test]
    fn ids_count_up_per_day_and_events_per_incident() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("clops.db")).unwrap();
        let a = store.declare(declaration("one"), "alice@h", at(0)).unwrap();
        let b = store.declare(declaration("two"), "alice@h", at(1)).unwrap();
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("INC-20261121-1", "INC-20261121-2")
        );
        let e = store
            .append(
                &a,
                Change::Note {
                    text: "looking".into(),
                },
                "bob@h",
                at(2),
            )
            .unwrap();
        assert_eq!(e.seq, 2);
        let e = store
            .append(
                &b,
                Change::StatusChanged {
                    from: Status::Investigating,
                    to: Status::Resolved,
                },
                "bob@h",
                at(3),
            )
            .unwrap();
        assert_eq!(e.seq, 2);
        assert_eq!(store.ids().unwrap(), [b.clone(), a.clone()]);
        assert_eq!(store.incident(&b).unwrap().status, Status::Resolved);
        assert_eq!(store.events(&a, 1).unwrap().len(), 1);
    }

    #[test]
    fn what_was_written_reads_back_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clops.db");
        let id = {
            let store = SqliteStore::open(&path).unwrap();
            let id = store
                .declare(declaration("db down"), "alice@h", at(0))
                .unwrap();
            store
                .append(
                    &id,
                    Change::Note {
                        text: "x\u{1b}]52;c;AAAA\u{7}y".into(),
                    },
                    "a@h",
                    at(1),
                )
                .unwrap();
            id
        };
        let store = SqliteStore::open(&path).unwrap();
        let events = store.events(&id, 0).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].change, Change::Note { text: "xy".into() });
        assert_eq!(events[0].at, at(0));
    }

    #[test]
    fn the_version_moves_when_another_process_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clops.db");
        let reader = SqliteStore::open(&path).unwrap();
        let writer = SqliteStore::open(&path).unwrap();
        let id = writer.declare(declaration("x"), "a@h", at(0)).unwrap();
        let before = reader.version();
        assert_eq!(reader.version(), before, "nothing written, nothing to read");
        writer
            .append(&id, Change::Note { text: "n".into() }, "a@h", at(1))
            .unwrap();
        assert_ne!(reader.version(), before);
    }

    #[test]
    fn unknown_incidents_and_newer_schemas_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clops.db");
        let store = SqliteStore::open(&path).unwrap();
        let e = store
            .append(
                "INC-20261121-9",
                Change::Note { text: "x".into() },
                "a@h",
                at(0),
            )
            .unwrap_err();
        assert!(e.to_string().contains("no incident INC-20261121-9"), "{e}");
        let e = store.events("nonsense", 0).unwrap_err();
        assert!(e.to_string().contains("not an incident id"), "{e}");
        drop(store);
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let e = SqliteStore::open(&path).err().unwrap();
        assert!(e.to_string().contains("newer clops (schema v99"), "{e}");
    }

    #[test]
    fn each_refusal_is_its_own_error_and_says_it_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clops.db");
        let store = SqliteStore::open(&path).unwrap();
        let id = store.declare(declaration("x"), "a@h", at(0)).unwrap();
        let note = || Change::Note { text: "x".into() };

        let e = store
            .append("INC-20261121-9", note(), "a@h", at(1))
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "no incident INC-20261121-9 (`clops incident list` shows them)"
        );
        let e = store.timeline("nonsense").unwrap_err();
        assert!(matches!(e, StoreError::MalformedId { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            r#""nonsense" is not an incident id: they look like INC-20261121-1"#
        );
        let e = store
            .append(&id, declaration("again").into_change(), "a@h", at(1))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "an incident is declared once: INC-20261121-1 already is"
        );

        // Rows another program wrote: data that is not JSON, or not the kind's shape.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO events VALUES ('INC-20261121-1', 2, '2026-11-21T20:01:00.000Z', 'a', 'note', '{');
             INSERT INTO events VALUES ('INC-20261121-1', 3, '2026-11-21T20:02:00.000Z', 'a', 'note', '7');",
        )
        .unwrap();
        let e = store.events(&id, 1).unwrap_err();
        assert!(
            matches!(e, StoreError::CorruptEvent { seq: 2, .. }),
            "{e:?}"
        );
        assert!(
            e.to_string().starts_with("INC-20261121-1 event 2: EOF"),
            "{e}"
        );
        let e = store.events(&id, 2).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("INC-20261121-1 event 3: unreadable note event: "),
            "{e}"
        );

        drop(store);
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let e = SqliteStore::open(&path).err().unwrap();
        assert!(
            matches!(
                e,
                StoreError::NewerSchema {
                    found: 99,
                    known: 1,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "incident store {}: written by a newer clops (schema v99; this one knows up to v1)",
                path.display()
            )
        );
    }

    #[test]
    fn a_store_that_cannot_be_created_names_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let e = SqliteStore::open(&file.join("clops.db")).err().unwrap();
        assert!(matches!(e, StoreError::CreateDir { .. }), "{e:?}");
        let said = e.to_string();
        assert!(
            said.starts_with(&format!("cannot create {}: ", file.display())),
            "{said}"
        );
        assert!(std::error::Error::source(&e).is_none(), "said once: {said}");
    }
}
