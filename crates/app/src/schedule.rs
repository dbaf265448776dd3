//! Rolling outages: a city's outage groups (or a groups file), the generation available
//! per slot (steps from a file, or what the grid serves in a cascade run), the rules and
//! a start on the city's wall clock → the published schedule. The same function serves
//! `lifeline schedule` and `GET /api/scenarios/{id}/schedule`.

use crate::error::AppError;
use lifeline_cascade::{CascadeResult, City};
use lifeline_schedule::calendar::{Clock, next_midnight};
use lifeline_schedule::publish::{Published, publish};
use lifeline_schedule::{Group, Rules, capacity, group, stages};

/// Longest schedule, h (14 days).
pub const MAX_HOURS: f64 = 24.0 * 14.0;
/// Longest time the exact model may be given, s (a day: longer is a mistake, and would
/// not fit a `Duration`'s range for absurd values).
pub const MAX_EXACT_SECONDS: f64 = 86_400.0;
/// Default longest continuous time off, h.
pub const DEFAULT_MAX_OFF_H: f64 = 4.0;
/// Default shortest time back on, h.
pub const DEFAULT_MIN_ON_H: f64 = 2.0;

/// A file's text with its name (for errors that name file, line and column).
#[derive(Debug, Clone, Copy)]
pub struct TextFile<'a> {
    /// The file's name as the user gave it.
    pub name: &'a str,
    /// Its text (without a byte-order mark).
    pub text: &'a str,
}

/// Where the available generation comes from.
#[derive(Debug, Clone, Copy)]
pub enum Capacity<'a> {
    /// `from_h,available_mw` steps.
    Steps(TextFile<'a>),
    /// What the grid serves in a cascade run; its scenario's start, if it has one.
    Cascade {
        /// The run.
        result: &'a CascadeResult,
        /// The scenario's calendar start (`YYYY-MM-DDTHH:MM`), if given.
        start: Option<&'a str>,
    },
}

/// A schedule request: the rules, the horizon and the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleRequest {
    /// Slot length, min: 60 or 30.
    pub slot_minutes: u32,
    /// Longest continuous time off, h (a whole number of slots, at least one).
    pub max_off_h: f64,
    /// Shortest time back on, h (a whole number of slots).
    pub min_on_h: f64,
    /// Length of the schedule, h (more than 0, at most [`MAX_HOURS`]).
    pub hours: f64,
    /// Local start of the first slot, `YYYY-MM-DDTHH:MM`; default: the scenario's start,
    /// else the next midnight.
    pub start: Option<String>,
    /// IANA time zone of the wall clock; default: the city's.
    pub tz: Option<String>,
    /// Time the exact model may take, s (0: not tried).
    pub exact_seconds: f64,
    /// Groups exempt from outages (besides the critical group).
    pub exempt: Vec<String>,
}

impl ScheduleRequest {
    /// The defaults over `hours`: hourly slots, at most 4 h off, at least 2 h on, the
    /// city's zone, no exact model.
    pub fn over(hours: f64) -> Self {
        Self {
            slot_minutes: 60,
            max_off_h: DEFAULT_MAX_OFF_H,
            min_on_h: DEFAULT_MIN_ON_H,
            hours,
            start: None,
            tz: None,
            exact_seconds: 0.0,
            exempt: Vec::new(),
        }
    }
}

/// The files a schedule may take besides the city.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleInputs<'a> {
    /// The groups (`group,critical,load_mw`); `None`: the city's outage groups.
    pub groups: Option<TextFile<'a>>,
    /// Per-group load profiles.
    pub group_loads: Option<TextFile<'a>>,
    /// Announced stages.
    pub stages: Option<TextFile<'a>>,
    /// The available generation.
    pub capacity: Capacity<'a>,
}

/// A published schedule with what it was made from.
pub struct Scheduled {
    /// The schedule and its document.
    pub published: Published,
    /// The wall clock of its slots.
    pub clock: Clock,
    /// The groups scheduled.
    pub groups: Vec<Group>,
}

/// The schedule of `request` for `city` from `inputs`.
pub fn schedule(
    city: &City,
    request: &ScheduleRequest,
    inputs: &ScheduleInputs<'_>,
) -> Result<Scheduled, AppError> {
    let rules = Rules::new(request.slot_minutes, request.max_off_h, request.min_on_h)?;
    let hours = request.hours;
    if !(hours > 0.0 && hours <= MAX_HOURS) {
        return Err(AppError::field(
            "hours",
            format!(
                "must be more than 0 and at most {MAX_HOURS} (14 days), got {}",
                lifeline_core::number::shortest(hours)
            ),
        ));
    }
    if !(0.0..=MAX_EXACT_SECONDS).contains(&request.exact_seconds) {
        return Err(AppError::field(
            "exact_seconds",
            format!(
                "must be 0 to {MAX_EXACT_SECONDS} (a day), got {}",
                lifeline_core::number::shortest(request.exact_seconds)
            ),
        ));
    }
    let slots = (hours / rules.slot_h).round().max(1.0) as usize;
    let mut groups = match inputs.groups {
        Some(file) => group::from_csv(file.name, file.text)?,
        None => group::from_city(city)?,
    };
    group::exempt(&mut groups, &request.exempt)?;
    if let Some(file) = inputs.group_loads {
        group::profiles_from_csv(&mut groups, file.name, file.text, slots, rules.slot_h)?;
    }
    let stages: Vec<Option<usize>> = match inputs.stages {
        Some(file) => stages::from_csv(file.name, file.text, slots, rules.slot_h)?,
        None => Vec::new(),
    };
    let (capacity_mw, scenario_start) = match inputs.capacity {
        Capacity::Steps(file) => (
            capacity::from_csv(file.name, file.text, slots, rules.slot_h)?,
            None,
        ),
        Capacity::Cascade { result, start } => (
            capacity::from_cascade(&groups, result, slots, rules.slot_h),
            start,
        ),
    };
    let zone = request.tz.as_deref().unwrap_or(&city.timezone);
    let start = match (&request.start, scenario_start) {
        (Some(start), _) => start.clone(),
        (None, Some(start)) => start.to_string(),
        (None, None) => next_midnight(zone)?,
    };
    let clock = Clock::new(&start, zone, i64::from(request.slot_minutes))?;
    let published = publish(
        city,
        &clock,
        &rules,
        &groups,
        &capacity_mw,
        &stages,
        request.exact_seconds,
    );
    Ok(Scheduled {
        published,
        clock,
        groups,
    })
}
