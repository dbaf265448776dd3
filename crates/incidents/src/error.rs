//! Errors of the incident registry.

use thiserror::Error;

/// What can go wrong with incidents and their store.
#[derive(Debug, Error)]
pub enum IncidentError {
    /// A record that breaks a rule: the field and what was expected.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, as in the JSON record (`weapons[0].intercepted`).
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// No incident with this id.
    #[error("no incident '{0}' in the registry")]
    NotFound(String),
    /// An incident with this external id exists already.
    #[error("an incident with external id '{external_id}' exists already: {id}")]
    Duplicate {
        /// The external id.
        external_id: String,
        /// The incident that has it.
        id: String,
    },
    /// The database is busy (another writer holds its lock past the wait allowed, or the
    /// server refuses more connections): nothing was changed; try again.
    #[error("database {location} is busy: {message}")]
    Busy {
        /// The file or URL.
        location: String,
        /// What the database said.
        message: String,
    },
    /// The database failed or could not be opened.
    #[error("database {location}: {message}")]
    Database {
        /// The file or URL.
        location: String,
        /// What the database said.
        message: String,
    },
}

impl IncidentError {
    /// A failure of the database at `location` (a file, or a URL without its password).
    pub fn database(location: &str, message: impl std::fmt::Display) -> Self {
        Self::Database {
            location: location.to_string(),
            message: message.to_string(),
        }
    }
}
