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
    /// Only this oblast (case-insensitive).
    pub admin1: Option<String>,
}

impl Filter {
    /// Whether `incident` passes.
    pub fn accepts(&self, incident: &Incident) -> bool {
        let day = incident.start.get(..10).unwrap_or(&incident.start);
        (self.status.is_empty() || self.status.contains(&incident.status))
            && self.from.as_deref().is_none_or(|f| day >= f)
            && self.to.as_deref().is_none_or(|t| day <= t)
            && self.admin1.as_deref().is_none_or(|a| {
                incident
                    .place
                    .admin1
                    .as_deref()
                    .is_some_and(|b| a.eq_ignore_ascii_case(b))
            })
    }
}

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
    /// Incidents passing `filter`, by start then id.
    fn list(&mut self, filter: &Filter) -> Result<Vec<Incident>, IncidentError>;
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

    /// Adds or updates by external id: the same record twice changes nothing.
    fn import(&mut self, incident: Incident, author: &str) -> Result<Imported, IncidentError> {
        let Some(external_id) = incident.external_id.clone() else {
            self.add(incident, author)?;
            return Ok(Imported::Added);
        };
        match self.find_external(&external_id)? {
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
