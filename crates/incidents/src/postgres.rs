//! The server back end: PostgreSQL, selected by a `postgres://` URL, with the same
//! numbered migrations as SQLite ([`crate::store::MIGRATIONS`]).

use crate::error::IncidentError;
use crate::record::Incident;
use crate::store::{Cursor, Filter, MIGRATIONS, Revision, Store, now};
use postgres::{Client, NoTls};
use std::time::Duration;

/// An incident registry in a PostgreSQL database.
///
/// The client is blocking (it runs a runtime of its own): call it from plain threads,
/// never from inside an async runtime. A connection the server closed is opened again
/// on the next call.
pub struct PostgresStore {
    client: Client,
    url: String,
    schema: Option<String>,
    location: String,
    /// Lock and statement waits set by [`Store::limit_waits`], applied again after a
    /// reconnection.
    wait: Option<Duration>,
}

/// The URL without its password (in the user part or in a `password=` parameter), for
/// messages.
fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &base[scheme + 3..at];
            let user = user.split(':').next().unwrap_or(user);
            format!("{}{}@{}", &base[..scheme + 3], user, &base[at + 1..])
        }
        _ => base.to_string(),
    };
    match query {
        None => base,
        Some(query) => {
            let kept: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.to_ascii_lowercase().contains("password") => {
                        format!("{key}=…")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{base}?{}", kept.join("&"))
        }
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and brings the
    /// schema up to date.
    pub fn connect(url: &str) -> Result<Self, IncidentError> {
        Self::connect_in_schema(url, None)
    }

    /// Like [`connect`](Self::connect), with the tables in `schema` (created if needed):
    /// one database can hold several registries, and tests stay apart.
    pub fn connect_in_schema(url: &str, schema: Option<&str>) -> Result<Self, IncidentError> {
        let location = redact(url);
        if let Some(schema) = schema
            && !schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(IncidentError::database(
                &location,
                format!("schema name '{schema}': letters, digits and _ only"),
            ));
        }
        let client = Self::open(url, schema, &location)?;
        let mut store = Self {
            client,
            url: url.to_string(),
            schema: schema.map(str::to_string),
            location,
            wait: None,
        };
        store.setup()?;
        Ok(store)
    }

    /// A connection with the search path set to `schema`.
    fn open(url: &str, schema: Option<&str>, location: &str) -> Result<Client, IncidentError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| store_error(location, e))?;
        if let Some(schema) = schema {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
                ))
                .map_err(|e| store_error(location, e))?;
        }
        Ok(client)
    }

    /// The client, connected again (with its schema and waits) if the server closed it.
    fn client(&mut self) -> Result<&mut Client, IncidentError> {
        if self.client.is_closed() {
            self.client = Self::open(&self.url, self.schema.as_deref(), &self.location)?;
            if let Some(wait) = self.wait {
                self.apply_waits(wait)?;
            }
        }
        Ok(&mut self.client)
    }

    fn apply_waits(&mut self, wait: Duration) -> Result<(), IncidentError> {
        let ms = wait.as_millis().max(1);
        // A statement may take longer than a lock wait (a page of a long list), not forever.
        let statement_ms = (ms * 5).max(10_000);
        self.client
            .batch_execute(&format!(
                "SET lock_timeout = {ms}; SET statement_timeout = {statement_ms}"
            ))
            .map_err(|e| store_error(&self.location, e))
    }

    fn setup(&mut self) -> Result<(), IncidentError> {
        let location = self.location.clone();
        // One migrating connection at a time (an advisory lock for the transaction), so
        // several processes opening a new database apply each migration once.
        let mut tx = self
            .client()?
            .transaction()
            .map_err(|e| store_error(&location, e))?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7746215);
             CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .map_err(|e| store_error(&location, e))?;
        for &(version, name, sql) in MIGRATIONS {
            let applied = tx
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    &[&(version as i32)],
                )
                .map_err(|e| store_error(&location, e))?;
            if applied.is_some() {
                continue;
            }
            tx.batch_execute(sql)
                .and_then(|()| {
                    tx.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        &[&(version as i32), &name, &now()],
                    )
                    .map(|_| ())
                })
                .map_err(|e| IncidentError::database(&location, format!("migration {version:03} {name}: {e}")))?;
        }
        tx.commit().map_err(|e| store_error(&location, e))
    }

    /// The schema version (the last migration applied).
    pub fn schema_version(&mut self) -> Result<u32, IncidentError> {
        let row = self
            .client()?
            .query_one("SELECT MAX(version) FROM schema_migrations", &[])
            .map_err(|e| store_error(&self.location, e))?;
        Ok(row.get::<_, Option<i32>>(0).unwrap_or(0) as u32)
    }

    fn decode(&self, text: &str) -> Result<Incident, IncidentError> {
        crate::store::decode(&self.location, text)
    }
}

fn store_error(location: &str, e: postgres::Error) -> IncidentError {
    use postgres::error::SqlState;
    // Waits that ran out, a server that refuses more connections or one that went away:
    // nothing was changed, and trying again later may work.
    let busy = e.is_closed()
        || e.code().is_some_and(|code| {
            [
                SqlState::LOCK_NOT_AVAILABLE,
                SqlState::QUERY_CANCELED,
                SqlState::TOO_MANY_CONNECTIONS,
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
            ]
            .contains(code)
        });
    // The server's own words when it gave some ("password authentication failed ...").
    let message = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                text.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            text
        }
    };
    if busy {
        IncidentError::Busy {
            location: location.to_string(),
            message,
        }
    } else {
        IncidentError::database(location, message)
    }
}

fn status_text(incident: &Incident) -> String {
    crate::record::wire_name(&incident.status)
}

impl Store for PostgresStore {
    fn add(&mut self, incident: Incident, author: &str) -> Result<Incident, IncidentError> {
        let mut incident = incident.normalized();
        incident.check()?;
        incident.id.clear();
        self.external_id_free(&incident)?;
        let location = self.location.clone();
        let mut tx = self
            .client()?
            .transaction()
            .map_err(|e| store_error(&location, e))?;
        // One writer at a time picks the next id.
        tx.batch_execute("LOCK TABLE incidents IN EXCLUSIVE MODE")
            .map_err(|e| store_error(&location, e))?;
        let count: i64 = tx
            .query_one("SELECT COUNT(*) FROM incidents", &[])
            .map_err(|e| store_error(&location, e))?
            .get(0);
        incident.id = format!("INC-{:06}", count + 1);
        let record = crate::store::encode(&location, &incident)?;
        tx.execute(
            "INSERT INTO incidents (id, external_id, status, start_time, admin1, settlement, record, revision)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
            &[
                &incident.id,
                &incident.external_id,
                &status_text(&incident),
                &incident.start,
                &incident.place.admin1,
                &incident.place.settlement,
                &record,
            ],
        )
        .map_err(|e| store_error(&location, e))?;
        tx.execute(
            "INSERT INTO revisions (incident_id, number, at, author, action, changes, record)
             VALUES ($1, 1, $2, $3, 'add', '[]', $4)",
            &[&incident.id, &now(), &author, &record],
        )
        .map_err(|e| store_error(&location, e))?;
        tx.commit().map_err(|e| store_error(&location, e))?;
        Ok(incident)
    }

    fn get(&mut self, id: &str) -> Result<Incident, IncidentError> {
        // PostgreSQL text cannot hold NUL, so no stored id has one.
        if id.contains('\0') {
            return Err(IncidentError::NotFound(id.to_string()));
        }
        let row = self
            .client()?
            .query_opt("SELECT record FROM incidents WHERE id = $1", &[&id])
            .map_err(|e| store_error(&self.location, e))?;
        match row {
            Some(row) => self.decode(row.get::<_, &str>(0)),
            None => Err(IncidentError::NotFound(id.to_string())),
        }
    }

    fn find_external(&mut self, external_id: &str) -> Result<Option<Incident>, IncidentError> {
        if external_id.contains('\0') {
            return Ok(None);
        }
        let row = self
            .client()?
            .query_opt(
                "SELECT record FROM incidents WHERE external_id = $1",
                &[&external_id],
            )
            .map_err(|e| store_error(&self.location, e))?;
        row.map(|r| self.decode(r.get::<_, &str>(0))).transpose()
    }

    fn scan(
        &mut self,
        filter: &Filter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Vec<Incident>, IncidentError> {
        let statuses = filter.status_names();
        let after_start = after.map(|c| c.start.clone());
        let after_id = after.map_or(String::new(), |c| c.id.clone());
        // Byte order ("C"), as SQLite and the cursors compare.
        let rows = self
            .client()?
            .query(
                "SELECT record FROM incidents
                 WHERE ($1::TEXT IS NULL OR start_time COLLATE \"C\" > $1
                        OR (start_time = $1 AND id COLLATE \"C\" > $2))
                   AND ($3::TEXT IS NULL OR substr(start_time, 1, 10) >= $3)
                   AND ($4::TEXT IS NULL OR substr(start_time, 1, 10) <= $4)
                   AND (cardinality($5::TEXT[]) = 0 OR status = ANY($5))
                 ORDER BY start_time COLLATE \"C\", id COLLATE \"C\" LIMIT $6",
                &[
                    &after_start,
                    &after_id,
                    &filter.from,
                    &filter.to,
                    &statuses,
                    &(limit as i64),
                ],
            )
            .map_err(|e| store_error(&self.location, e))?;
        rows.iter()
            .map(|row| self.decode(row.get::<_, &str>(0)))
            .collect()
    }

    fn limit_waits(&mut self, wait: Duration) -> Result<(), IncidentError> {
        self.wait = Some(wait);
        self.client()?;
        self.apply_waits(wait)
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
        let record = crate::store::encode(&location, &incident)?;
        let at = now();
        let mut tx = self
            .client()?
            .transaction()
            .map_err(|e| store_error(&location, e))?;
        let last: i32 = tx
            .query_one(
                "SELECT revision FROM incidents WHERE id = $1 FOR UPDATE",
                &[&incident.id],
            )
            .map_err(|e| store_error(&location, e))?
            .get(0);
        let number = last + 1;
        tx.execute(
            "UPDATE incidents SET external_id = $2, status = $3, start_time = $4, admin1 = $5,
                 settlement = $6, record = $7, revision = $8 WHERE id = $1",
            &[
                &incident.id,
                &incident.external_id,
                &status_text(&incident),
                &incident.start,
                &incident.place.admin1,
                &incident.place.settlement,
                &record,
                &number,
            ],
        )
        .map_err(|e| store_error(&location, e))?;
        tx.execute(
            "INSERT INTO revisions (incident_id, number, at, author, action, changes, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &incident.id,
                &number,
                &at,
                &author,
                &action,
                &serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into()),
                &record,
            ],
        )
        .map_err(|e| store_error(&location, e))?;
        tx.commit().map_err(|e| store_error(&location, e))?;
        Ok(Revision {
            number: number as u32,
            at,
            author: author.to_string(),
            action: action.to_string(),
            changes,
            record: incident,
        })
    }

    fn history(&mut self, id: &str) -> Result<Vec<Revision>, IncidentError> {
        self.get(id)?;
        let rows = self
            .client()?
            .query(
                "SELECT number, at, author, action, changes, record FROM revisions
                 WHERE incident_id = $1 ORDER BY number",
                &[&id],
            )
            .map_err(|e| store_error(&self.location, e))?;
        rows.iter()
            .map(|row| {
                Ok(Revision {
                    number: row.get::<_, i32>(0) as u32,
                    at: row.get(1),
                    author: row.get(2),
                    action: row.get(3),
                    changes: serde_json::from_str(row.get::<_, &str>(4)).unwrap_or_default(),
                    record: self.decode(row.get::<_, &str>(5))?,
                })
            })
            .collect()
    }
}
