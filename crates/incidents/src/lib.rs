//! The strike incident registry: one durable, auditable record per strike — when, where,
//! what weapons, how many launched and intercepted, explosions, casualties, what was hit
//! and from which source — with every change kept as a revision.
//!
//! * [`record`]: the incident, in the vocabulary of ACLED and of air-force daily
//!   reports, and its checks.
//! * [`gazetteer`], [`numbers`], [`dates`]: places, numbers with their qualifiers and
//!   dates (absolute or relative to a report's date) in text, for drafting incidents.
//! * [`romanise`]: Ukraine's official romanisation, for the gazetteer's names.
//! * [`facts`]: what one sentence says happened.
//! * [`extract`]: drafts of incidents from a news report, each field with its sentence.
//! * [`store`]: the `Store` trait, revisions, filters; [`sqlite`]: the embedded back end
//!   (one file, WAL, foreign keys, numbered migrations from `migrations/`).
//!
//! **Invariants:** a store never overwrites: every add, edit, confirmation or retraction
//! appends a revision holding the whole record and what changed; an incident's current
//! record is its last revision's.

pub mod csv;
pub mod dates;
pub mod error;
pub mod evaluate;
pub mod extract;
pub mod facts;
pub mod gazetteer;
pub mod numbers;
pub mod postgres;
pub mod record;
pub mod romanise;
pub mod sqlite;
pub mod store;

pub use error::IncidentError;
pub use record::Incident;
pub use store::Store;
