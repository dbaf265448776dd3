//! Rolling outage schedules: which customer groups are switched off in which slot so that
//! the load never exceeds the generation available, critical feeders are never cut, and
//! off-time is shared fairly.
//!
//! * [`group`]: outage groups and their load per slot, from a city or a CSV file.
//! * [`capacity`]: generation available per slot, from a CSV file.
//! * [`publish`]: the published schedule document, shared by the CLI and the HTTP API;
//!   [`report`]: it as CSV.
//! * [`rules`]: slot length, longest continuous off time, shortest on time between outages.
//! * [`scheduler`]: the fair scheduler; [`rotation`]: the naive fixed rotation it is
//!   compared with. Both return a [`schedule::Schedule`].
//!
//! **Invariants:** a schedule never switches off a critical group, never keeps a group off
//! longer than the rules allow, and sheds at least the deficit in every slot it reports as
//! covered; every slot it cannot cover is listed with the shortfall.

pub mod calendar;
pub mod capacity;
pub mod csv;
pub mod error;
pub mod exact;
pub mod group;
pub mod publish;
pub mod report;
pub mod rotation;
pub mod rules;
pub mod schedule;
pub mod scheduler;
pub mod stages;

pub use error::ScheduleError;
pub use group::Group;
pub use rules::Rules;
pub use schedule::Schedule;
