//! Rolling outage schedules of a scenario run: the generation the grid still serves is
//! rotated among the city's outage groups (as `lifeline schedule --from-scenario`), as a
//! JSON document or one iCalendar file per group.

use crate::city::city;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiError, Shared};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lifeline_app::schedule::{Capacity, MAX_HOURS, ScheduleInputs, ScheduleRequest};
use lifeline_schedule::calendar::{Clock, group_calendar};
use lifeline_schedule::publish::Published;
use std::collections::HashMap;

/// Query parameters and their defaults.
const PARAMETERS: [&str; 6] = [
    "hours",
    "max_off",
    "min_on",
    "slot_minutes",
    "start",
    "exact_seconds",
];

pub use lifeline_app::schedule::{DEFAULT_MAX_OFF_H, DEFAULT_MIN_ON_H};

/// Longest time the exact model may run for a request, s.
const EXACT_SECONDS_MAX: f64 = 10.0;

fn number(query: &HashMap<String, String>, name: &str, default: f64) -> Result<f64, ApiError> {
    match query.get(name) {
        None => Ok(default),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| ApiError::invalid(name, format!("expected a number, got '{text}'"))),
    }
}

/// The schedule of job `id` under the query's rules.
fn published(
    state: &Shared,
    id: u64,
    query: &HashMap<String, String>,
) -> Result<(Published, Clock), ApiError> {
    if let Some(unknown) = query.keys().find(|k| !PARAMETERS.contains(&k.as_str())) {
        return Err(ApiError::invalid(
            unknown,
            format!(
                "unknown parameter; expected one of {}",
                PARAMETERS.join(", ")
            ),
        ));
    }
    let city = city(state)?;
    let done = state.jobs.done(id)?;
    let horizon_h = done.result.horizon_h.min(MAX_HOURS);
    let exact_seconds = number(query, "exact_seconds", 0.0)?;
    if !(0.0..=EXACT_SECONDS_MAX).contains(&exact_seconds) {
        return Err(ApiError::invalid(
            "exact_seconds",
            format!("expected 0 to {EXACT_SECONDS_MAX}, got {exact_seconds}"),
        ));
    }
    let slot_minutes = number(query, "slot_minutes", 60.0)?;
    let request = ScheduleRequest {
        slot_minutes: if slot_minutes == 30.0 {
            30
        } else if slot_minutes == 60.0 {
            60
        } else {
            return Err(ApiError::invalid(
                "slot_minutes",
                format!("expected 60 or 30, got {slot_minutes}"),
            ));
        },
        max_off_h: number(query, "max_off", DEFAULT_MAX_OFF_H)?,
        min_on_h: number(query, "min_on", DEFAULT_MIN_ON_H)?,
        hours: number(query, "hours", horizon_h)?,
        start: query.get("start").cloned(),
        tz: None,
        exact_seconds,
        exempt: Vec::new(),
    };
    let inputs = ScheduleInputs {
        groups: None,
        group_loads: None,
        stages: None,
        capacity: Capacity::Cascade {
            result: &done.result,
            start: done.scenario.start.as_deref(),
        },
    };
    let scheduled = lifeline_app::schedule::schedule(city, &request, &inputs)?;
    Ok((scheduled.published, scheduled.clock))
}

/// `GET /api/scenarios/{id}/schedule`: the published schedule (as `lifeline schedule
/// --json` gives it).
pub async fn show(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (published, _) = run(state, id, query).await?;
    Ok(axum::Json(published.document).into_response())
}

/// `GET /api/scenarios/{id}/schedule/calendars/{group}`: the group's outages as an
/// iCalendar file.
pub async fn calendar(
    State(state): State<Shared>,
    ApiPath((id, group_id)): ApiPath<(u64, String)>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let name = state
        .city
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let (published, clock) = run(state, id, query).await?;
    let groups = &published.document.groups;
    let Some(g) = groups.iter().position(|g| g.id == group_id) else {
        let known: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        return Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            format!("no outage group '{group_id}'; groups: {}", known.join(", ")),
        ));
    };
    let text = group_calendar(&clock, &name, &group_id, &published.schedule.off[g]);
    let file = format!(
        "group-{}.ics",
        group_id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// Schedules on a blocking thread (the exact model may run for seconds), holding one of
/// the server's permits for expensive requests (503 when none comes free in time).
async fn run(
    state: Shared,
    id: u64,
    query: HashMap<String, String>,
) -> Result<(Published, Clock), ApiError> {
    let permit = state
        .expensive
        .start("extractions or schedules are")
        .await?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        published(&state, id, &query)
    })
    .await
    .map_err(|_| ApiError::internal("schedule"))?
}
