//! Where incidents live: the `Store` trait every back end implements, revisions and
//! filters.

use crate::error::IncidentError;
use crate::record::{Incident, Status};
use serde::{Deserialize, Serialize};

/// The numbered migrations every back end applies, in order: (number, name, SQL).
pub const MIGRATIONS: &[(u32, &str, &str)] = &[(
    1,
    "incidents",
    include_str!("../migrations/001_incidents.sql"),
)];

/// Now, UTC, RFC 3339 to the second: the time of a revision.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A record as the back ends store it: JSON text.
pub(crate) fn encode(location: &str, incident: &Incident) -> Result<String, IncidentError> {
    serde_json::to_string(incident).map_err(|e| IncidentError::database(location, e))
}

/// A stored record read back.
pub(crate) fn decode(location: &str, text: &str) -> Result<Incident, IncidentError> {
    serde_json::from_str(text).map_err(|e| {
        IncidentError::database(location, format!("a stored record does not read: {e}"))
    })
}

/// One change to an incident: who, when, what, and the whole record after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// 1 for the first.
    pub number: u32,
    /// When, UTC, RFC 3339.
    pub at: String,
    /// Who.
    pub author: String,
    /// `add`, `edit`, `confirm`, `retract`, `import`.
    pub action: String,
    /// What changed, `field: old → new` (empty for `add`).
    pub changes: Vec<String>,
    /// The record after the change.
    pub record: Incident,
}

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these statuses (all when empty).
    pub status: Vec<Status>,
    /// Starting on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Starting on or before this day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Only this oblast (case-insensitive, in any script: `kharkiv`, `ХАРКІВСЬКА`).
    pub admin1: Option<String>,
}

impl Filter {
    /// Checks the days: real calendar days written `YYYY-MM-DD`, `from` not after `to`.
    /// The error names the field (`from` or `to`).
    pub fn check(&self) -> Result<(), IncidentError> {
        for (field, day) in [("from", &self.from), ("to", &self.to)] {
            if let Some(day) = day {
                let ok =
                    day.len() == 10 && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok();
                if !ok {
                    return Err(IncidentError::Invalid {
                        field: field.into(),
                        message: format!("expected a day as YYYY-MM-DD, got '{day}'"),
                    });
                }
            }
        }
        if let (Some(from), Some(to)) = (&self.from, &self.to)
            && from > to
        {
            return Err(IncidentError::Invalid {
                field: "to".into(),
                message: format!("{to} is before from = {from}"),
            });
        }
        Ok(())
    }

    /// Whether `incident` passes.
    pub fn accepts(&self, incident: &Incident) -> bool {
        let day = incident.start.get(..10).unwrap_or(&incident.start);
        (self.status.is_empty() || self.status.contains(&incident.status))
            && self.from.as_deref().is_none_or(|f| day >= f)
            && self.to.as_deref().is_none_or(|t| day <= t)
            && self.admin1.as_deref().is_none_or(|a| {
                incident.place.admin1.as_deref().is_some_and(|b| {
                    a.chars()
                        .flat_map(char::to_lowercase)
                        .eq(b.chars().flat_map(char::to_lowercase))
                })
            })
    }

    /// The statuses asked for, as the back ends store them (`draft`, ...).
    pub(crate) fn status_names(&self) -> Vec<String> {
        self.status.iter().map(crate::record::wire_name).collect()
    }
}

/// Where a page of a listing starts: just after the incident with this start and id
/// (listings are ordered by start, then id, byte by byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The start of the last incident of the previous page.
    pub start: String,
    /// Its id.
    pub id: String,
}

impl Cursor {
    /// The cursor after `incident`.
    pub fn after(incident: &Incident) -> Self {
        Self {
            start: incident.start.clone(),
            id: incident.id.clone(),
        }
    }

    /// An opaque token for a URL: lower-case hex of `start`, a line break and `id`.
    pub fn encode(&self) -> String {
        format!("{}\n{}", self.start, self.id)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reads a token made by [`encode`](Self::encode); the error names the field `cursor`.
    pub fn decode(token: &str) -> Result<Self, IncidentError> {
        let invalid = || IncidentError::Invalid {
            field: "cursor".into(),
            message: "not a cursor this registry gave (use next_cursor of the previous page)"
                .into(),
        };
        if !token.len().is_multiple_of(2) || token.len() > 512 {
            return Err(invalid());
        }
        let bytes = (0..token.len())
            .step_by(2)
            .map(|i| {
                token
                    .get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(invalid)?;
        let text = String::from_utf8(bytes)
            .ok()
            .filter(|t| !t.contains('\0'))
            .ok_or_else(invalid)?;
        let (start, id) = text.split_once('\n').ok_or_else(invalid)?;
        Ok(Self {
            start: start.to_string(),
            id: id.to_string(),
        })
    }
}

/// A page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The incidents, by start then id.
    pub incidents: Vec<Incident>,
    /// Where the next page starts; `None` when this is the last.
    pub next: Option<Cursor>,
}

/// Largest page a listing gives at once.
pub const MAX_PAGE: usize = 1000;

/// What `import` did with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Imported {
    /// New incident.
    Added,
    /// Same external id, different record: a new revision.
    Updated,
    /// Same external id, same record: nothing done.
    Unchanged,
}

/// An incident registry.
pub trait Store {
    /// Adds a checked incident (its `id` is given by the store) as revision 1.
    fn add(&mut self, incident: Incident, author: &str) -> Result<Incident, IncidentError>;
    /// The current record of `id`.
    fn get(&mut self, id: &str) -> Result<Incident, IncidentError>;
    /// The incident with this external id, if any.
    fn find_external(&mut self, external_id: &str) -> Result<Option<Incident>, IncidentError>;
    /// Up to `limit` incidents after `after` (from the first when `None`), by start then
    /// id, passing `filter`'s status and days (the back end may leave the oblast to the
    /// caller; [`list_page`](Self::list_page) checks every rule).
    fn scan(
        &mut self,
        filter: &Filter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Vec<Incident>, IncidentError>;

    /// Lets every wait for another writer's lock end after `wait` with
    /// [`IncidentError::Busy`] (a server must not hold requests for long).
    fn limit_waits(&mut self, wait: std::time::Duration) -> Result<(), IncidentError>;

    /// One page of the incidents passing `filter`: at most `limit` (1 to [`MAX_PAGE`])
    /// after `after`, by start then id.
    fn list_page(
        &mut self,
        filter: &Filter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page, IncidentError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let chunk = (2 * limit).max(256);
        let mut incidents = Vec::new();
        let mut position = after.cloned();
        loop {
            let scanned = self.scan(filter, position.as_ref(), chunk)?;
            let exhausted = scanned.len() < chunk;
            for incident in scanned {
                position = Some(Cursor::after(&incident));
                if filter.accepts(&incident) {
                    incidents.push(incident);
                    if incidents.len() == limit {
                        return Ok(Page {
                            incidents,
                            next: position,
                        });
                    }
                }
            }
            if exhausted {
                return Ok(Page {
                    incidents,
                    next: None,
                });
            }
        }
    }

    /// Every incident passing `filter`, by start then id.
    fn list(&mut self, filter: &Filter) -> Result<Vec<Incident>, IncidentError> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.list_page(filter, after.as_ref(), MAX_PAGE)?;
            all.extend(page.incidents);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
    }
    /// Replaces the record of `incident.id` with a checked `incident`, appending a
    /// revision with `action` and what changed.
    fn revise(
        &mut self,
        incident: Incident,
        author: &str,
        action: &str,
    ) -> Result<Revision, IncidentError>;
    /// Every revision of `id`, oldest first.
    fn history(&mut self, id: &str) -> Result<Vec<Revision>, IncidentError>;

    /// Refuses `incident` when another incident holds its external id (external ids are
    /// unique; adding and revising both check it first).
    fn external_id_free(&mut self, incident: &Incident) -> Result<(), IncidentError> {
        if let Some(external_id) = &incident.external_id
            && let Some(existing) = self.find_external(external_id)?
            && existing.id != incident.id
        {
            return Err(IncidentError::Duplicate {
                external_id: external_id.clone(),
                id: existing.id,
            });
        }
        Ok(())
    }

    /// Sets the status of `id` (confirm or retract), as a revision.
    fn set_status(
        &mut self,
        id: &str,
        status: Status,
        author: &str,
    ) -> Result<Revision, IncidentError> {
        let mut incident = self.get(id)?;
        incident.status = status;
        let action = match status {
            Status::Confirmed => "confirm",
            Status::Retracted => "retract",
            Status::Draft => "reopen",
        };
        self.revise(incident, author, action)
    }

    /// Adds or updates: a record with an external id is matched by it; one without, by
    /// its `id` when this registry has that id (so this registry's own export imports
    /// back unchanged). The same record twice changes nothing. With `as_new`, ids are
    /// ignored (records from another registry, whose ids mean nothing here).
    fn import(
        &mut self,
        incident: Incident,
        author: &str,
        as_new: bool,
    ) -> Result<Imported, IncidentError> {
        let incident = incident.normalized();
        let existing = match &incident.external_id {
            Some(external_id) => self.find_external(external_id)?,
            None if !as_new && !incident.id.is_empty() => match self.get(&incident.id) {
                Ok(found) => Some(found),
                Err(IncidentError::NotFound(_)) => None,
                Err(error) => return Err(error),
            },
            None => None,
        };
        match existing {
            None => {
                self.add(incident, author)?;
                Ok(Imported::Added)
            }
            Some(existing) => {
                let mut incoming = incident;
                incoming.id.clone_from(&existing.id);
                if incoming == existing {
                    Ok(Imported::Unchanged)
                } else {
                    self.revise(incoming, author, "import")?;
                    Ok(Imported::Updated)
                }
            }
        }
    }
}
