//! The embedded back end: one SQLite file, write-ahead log, foreign keys, the numbered
//! migrations of [`crate::store::MIGRATIONS`] applied on open.

use crate::error::IncidentError;
use crate::record::Incident;
use crate::store::{Cursor, Filter, MIGRATIONS, Revision, Store, now};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use std::path::Path;

/// An error of SQLite at `location`: [`IncidentError::Busy`] when another connection held
/// the lock past the wait allowed, else [`IncidentError::Database`].
fn sqlite_error(location: &str, e: rusqlite::Error) -> IncidentError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => IncidentError::Busy {
            location: location.to_string(),
            message: e.to_string(),
        },
        _ => IncidentError::database(location, e),
    }
}

/// An incident registry in a SQLite file.
pub struct SqliteStore {
    connection: Connection,
    location: String,
}

impl SqliteStore {
    /// Opens (or creates) the registry at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Self, IncidentError> {
        let location = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                IncidentError::database(&location, format!("cannot create its folder: {e}"))
            })?;
        }
        let connection = Connection::open(path).map_err(|e| sqlite_error(&location, e))?;
        Self::with_connection(connection, location)
    }

    /// A registry in memory (for tests and dry runs).
    pub fn in_memory() -> Result<Self, IncidentError> {
        let connection =
            Connection::open_in_memory().map_err(|e| IncidentError::database(":memory:", e))?;
        Self::with_connection(connection, ":memory:".into())
    }

    fn with_connection(connection: Connection, location: String) -> Result<Self, IncidentError> {
        // Other processes may be writing: wait for their locks rather than fail.
        connection
            .busy_timeout(std::time::Duration::from_secs(30))
            .map_err(|e| sqlite_error(&location, e))?;
        let mut store = Self {
            connection,
            location,
        };
        store.setup()?;
        Ok(store)
    }

    fn fail(&self, e: rusqlite::Error) -> IncidentError {
        sqlite_error(&self.location, e)
    }

    fn setup(&mut self) -> Result<(), IncidentError> {
        self.connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
                 CREATE TABLE IF NOT EXISTS schema_migrations (
                     version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);",
            )
            .map_err(|e| self.fail(e))?;
        let location = self.location.clone();
        for &(version, name, sql) in MIGRATIONS {
            let failed = |e: rusqlite::Error| match sqlite_error(&location, e) {
                IncidentError::Database { location, message } => IncidentError::Database {
                    location,
                    message: format!("migration {version:03} {name}: {message}"),
                },
                busy => busy,
            };
            // Under the write lock, so two processes opening a new file apply it once.
            let tx = self
                .connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(failed)?;
            let applied: Option<u32> = tx
                .query_row(
                    "SELECT version FROM schema_migrations WHERE version = ?1",
                    params![version],
                    |row| row.get(0),
                )
                .optional()
                .map_err(failed)?;
            if applied.is_none() {
                tx.execute_batch(sql).map_err(failed)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    params![version, name, now()],
                )
                .map_err(failed)?;
            }
            tx.commit().map_err(failed)?;
        }
        Ok(())
    }

    /// The schema version (the last migration applied).
    pub fn schema_version(&self) -> Result<u32, IncidentError> {
        self.connection
            .query_row("SELECT MAX(version) FROM schema_migrations", [], |row| {
                row.get::<_, Option<u32>>(0)
            })
            .map(Option::unwrap_or_default)
            .map_err(|e| self.fail(e))
    }

    fn decode(&self, text: &str) -> Result<Incident, IncidentError> {
        crate::store::decode(&self.location, text)
    }
}

impl Store for SqliteStore {
    fn add(&mut self, incident: Incident, author: &str) -> Result<Incident, IncidentError> {
        let mut incident = incident.normalized();
        incident.check()?;
        incident.id.clear();
        self.external_id_free(&incident)?;
        let location = self.location.clone();
        let fail = |e: rusqlite::Error| sqlite_error(&location, e);
        // Take the write lock first, so the next id and revision are read under it.
        let tx = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let count: u32 = tx
            .query_row("SELECT COUNT(*) FROM incidents", [], |row| row.get(0))
            .map_err(fail)?;
        incident.id = format!("INC-{:06}", count + 1);
        let record = crate::store::encode(&location, &incident)?;
        tx.execute(
            "INSERT INTO incidents (id, external_id, status, start_time, admin1, settlement, record, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
            params![
                incident.id,
                incident.external_id,
                crate::record::wire_name(&incident.status),
                incident.start,
                incident.place.admin1,
                incident.place.settlement,
                record
            ],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO revisions (incident_id, number, at, author, action, changes, record)
             VALUES (?1, 1, ?2, ?3, 'add', '[]', ?4)",
            params![incident.id, now(), author, record],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(incident)
    }

    fn get(&mut self, id: &str) -> Result<Incident, IncidentError> {
        let text: Option<String> = self
            .connection
            .query_row(
                "SELECT record FROM incidents WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        match text {
            Some(text) => self.decode(&text),
            None => Err(IncidentError::NotFound(id.to_string())),
        }
    }

    fn find_external(&mut self, external_id: &str) -> Result<Option<Incident>, IncidentError> {
        let text: Option<String> = self
            .connection
            .query_row(
                "SELECT record FROM incidents WHERE external_id = ?1",
                params![external_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        text.map(|t| self.decode(&t)).transpose()
    }

    fn scan(
        &mut self,
        filter: &Filter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Vec<Incident>, IncidentError> {
        let statuses = filter.status_names();
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT record FROM incidents
                 WHERE (?1 IS NULL OR start_time > ?1 OR (start_time = ?1 AND id > ?2))
                   AND (?3 IS NULL OR substr(start_time, 1, 10) >= ?3)
                   AND (?4 IS NULL OR substr(start_time, 1, 10) <= ?4)
                   AND (?5 = '' OR instr(?5, ',' || status || ',') > 0)
                 ORDER BY start_time, id LIMIT ?6",
            )
            .map_err(|e| sqlite_error(&self.location, e))?;
        let status_list = if statuses.is_empty() {
            String::new()
        } else {
            format!(",{},", statuses.join(","))
        };
        let texts: Vec<String> = statement
            .query_map(
                params![
                    after.map(|c| c.start.as_str()),
                    after.map_or("", |c| c.id.as_str()),
                    filter.from,
                    filter.to,
                    status_list,
                    limit as i64
                ],
                |row| row.get(0),
            )
            .and_then(Iterator::collect)
            .map_err(|e| sqlite_error(&self.location, e))?;
        drop(statement);
        texts.iter().map(|text| self.decode(text)).collect()
    }

    fn limit_waits(&mut self, wait: std::time::Duration) -> Result<(), IncidentError> {
        self.connection.busy_timeout(wait).map_err(|e| self.fail(e))
    }

    fn revise(
        &mut self,
        incident: Incident,
        author: &str,
        action: &str,
    ) -> Result<Revision, IncidentError> {
        let incident = incident.normalized();
        incident.check()?;
        let before = self.get(&incident.id)?;
        self.external_id_free(&incident)?;
        let changes = incident.changes_from(&before);
        let location = self.location.clone();
        let fail = |e: rusqlite::Error| sqlite_error(&location, e);
        let record = crate::store::encode(&location, &incident)?;
        let at = now();
        // Take the write lock first, so the next id and revision are read under it.
        let tx = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let last: u32 = tx
            .query_row(
                "SELECT revision FROM incidents WHERE id = ?1",
                params![incident.id],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let number = last + 1;
        tx.execute(
            "UPDATE incidents SET external_id = ?2, status = ?3, start_time = ?4, admin1 = ?5,
                 settlement = ?6, record = ?7, revision = ?8 WHERE id = ?1",
            params![
                incident.id,
                incident.external_id,
                crate::record::wire_name(&incident.status),
                incident.start,
                incident.place.admin1,
                incident.place.settlement,
                record,
                number
            ],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO revisions (incident_id, number, at, author, action, changes, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                incident.id,
                number,
                at,
                author,
                action,
                serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into()),
                record
            ],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(Revision {
            number,
            at,
            author: author.to_string(),
            action: action.to_string(),
            changes,
            record: incident,
        })
    }

    fn history(&mut self, id: &str) -> Result<Vec<Revision>, IncidentError> {
        self.get(id)?;
        let mut statement = self
            .connection
            .prepare(
                "SELECT number, at, author, action, changes, record FROM revisions
                 WHERE incident_id = ?1 ORDER BY number",
            )
            .map_err(|e| self.fail(e))?;
        let rows: Vec<(u32, String, String, String, String, String)> = statement
            .query_map(params![id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })
            .and_then(Iterator::collect)
            .map_err(|e| sqlite_error(&self.location, e))?;
        drop(statement);
        rows.into_iter()
            .map(|(number, at, author, action, changes, record)| {
                Ok(Revision {
                    number,
                    at,
                    author,
                    action,
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                    record: self.decode(&record)?,
                })
            })
            .collect()
    }
}
