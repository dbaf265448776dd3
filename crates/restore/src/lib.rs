//! Restoration planning: which crew repairs which damaged asset, in which order, so that
//! power and water come back to the most people soonest — and how far a plan is from
//! the best possible.
//!
//! * [`instance`]: jobs (damaged assets), crews with skills, travel, precedence.
//! * [`plan`]: plans, the decoder from a priority order to a plan, validity checks.
//! * [`objective`]: what a plan costs; [`city`] evaluates plans on a city with the
//!   cascade engine (and a fast surrogate of it for search).
//! * [`planners`]: dispatch rules, the strong planner; [`exact`]: the MILP (HiGHS).
//! * [`study`]: every planner on a city's problem, each plan run through the cascade.
//! * [`report`]: jobs and curves as CSV, curves as SVG.
//! * [`generate`]: seeded problems for tests and benchmarks.
//!
//! **Invariant:** every plan a planner returns passes [`plan::Plan::check`]; no printing,
//! no threads of its own besides rayon's pool (the caller's).

pub mod city;
pub mod error;
pub mod exact;
pub mod generate;
pub mod instance;
pub mod objective;
pub mod plan;
pub mod planners;
pub mod report;
pub mod study;

pub use error::{PlanFailure, RestoreError};
pub use instance::{Crew, Instance, Job, Skill};
pub use objective::{Additive, Objective};
pub use plan::{Assignment, Plan};
pub use planners::{Planned, Rule, SearchOptions};
