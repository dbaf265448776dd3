//! From the incident registry to the cascade: the confirmed incidents of some days whose
//! targets name assets of a city become a damage scenario (one strike per asset, at the
//! incident's time), and incidents become GeoJSON points for a map. The scenario is a
//! typed document written with the `toml` crate, and it is checked against the city as
//! `simulate` would read it before it is given back.

use crate::error::AppError;
use chrono::NaiveDate;
use lifeline_cascade::scenario::{self, Damage, HOUR_S, MAX_HOURS, MAX_REPORTED_TIMES};
use lifeline_cascade::source::Source;
use lifeline_cascade::{City, Scenario};
use lifeline_core::AssetId;
use lifeline_incidents::IncidentError;
use lifeline_incidents::record::{Incident, Status, parse_time};
use lifeline_incidents::store::Filter;
use serde::{Deserialize, Serialize};

/// Hours in a day.
const DAY_H: f64 = 24.0;

/// A scenario from registry incidents: the incidents, the days they are taken from and
/// the scenario's times.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioRequest<'a> {
    /// The incidents; those confirmed whose day falls from `from` to `to` are used, the
    /// others are passed over. Each target with an asset link (`targets[].asset`,
    /// `KIND:ID`) becomes a strike.
    pub incidents: &'a [Incident],
    /// First day, `YYYY-MM-DD`: the scenario starts at its midnight.
    pub from: &'a str,
    /// Last day, `YYYY-MM-DD` (not before `from`).
    pub to: &'a str,
    /// Simulated time, h (more than 0, at most a leap year, 8784 h, and after every
    /// strike); default: to the end of `to`.
    pub horizon_h: Option<f64>,
    /// Interval of the reported timeline, h (more than 0, at most the horizon);
    /// default: the scenario's own, 1 h.
    pub step_h: Option<f64>,
    /// Every repair takes this long, h (more than 0, at most 8784 h); default: no
    /// repair within the horizon.
    pub repair_h: Option<f64>,
}

impl<'a> ScenarioRequest<'a> {
    /// The request for `incidents` from `from` to `to`, with the default times.
    pub fn new(incidents: &'a [Incident], from: &'a str, to: &'a str) -> Self {
        Self {
            incidents,
            from,
            to,
            horizon_h: None,
            step_h: None,
            repair_h: None,
        }
    }
}

/// A damage scenario as its file holds it (`docs/scenario.md`): what
/// [`lifeline_cascade::Scenario::parse`] reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDocument {
    /// Name.
    pub name: String,
    /// Where the strikes come from: one line per incident used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Calendar start, local time `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Simulated time, h.
    pub horizon_h: f64,
    /// Interval of the reported timeline, h; absent: 1 h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_h: Option<f64>,
    /// The strikes, in time order.
    #[serde(rename = "strike", default)]
    pub strikes: Vec<StrikeEntry>,
}

/// One `[[strike]]` of a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrikeEntry {
    /// When, `HH:MM` from the scenario's start (hours may pass 23).
    pub at: String,
    /// The asset hit, `KIND:ID`.
    pub asset: AssetId,
    /// How badly.
    pub damage: Damage,
    /// Repair duration, h; absent: not repaired within the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_h: Option<f64>,
}

/// An asset named again by a later incident: the scenario keeps its first strike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The asset.
    pub asset: AssetId,
    /// The later incident's registry id.
    pub incident: String,
}

/// A scenario made from incidents.
#[derive(Debug, Clone)]
pub struct IncidentScenario {
    /// The document.
    pub document: ScenarioDocument,
    /// Its TOML text, as a `scenario.toml` holds it.
    pub text: String,
    /// The text as the cascade reads it, checked against the city.
    pub scenario: Scenario,
    /// Incidents used: confirmed, in the days asked for (with or without asset links).
    pub incidents: usize,
    /// Assets named again by later incidents, which the scenario leaves out.
    pub repeats: Vec<Repeat>,
}

/// The registry filter of the confirmed incidents from `from` to `to` (days,
/// `YYYY-MM-DD`), checked: errors name `from` or `to`.
pub fn confirmed_between(from: &str, to: &str) -> Result<Filter, AppError> {
    let (first, last) = (day("from", from)?, day("to", to)?);
    if last < first {
        return Err(AppError::field(
            "to",
            format!("{to} is before the first day, {from}"),
        ));
    }
    let filter = Filter {
        status: vec![Status::Confirmed],
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        admin1: None,
    };
    match filter.check() {
        Ok(()) => Ok(filter),
        Err(IncidentError::Invalid { field, message }) => Err(AppError::field(
            if field == "from" { "from" } else { "to" },
            message,
        )),
        Err(other) => Err(AppError::field("to", other.to_string())),
    }
}

/// The day `text` (`YYYY-MM-DD`), else an error about `field`.
fn day(field: &'static str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            AppError::field(field, format!("expected a day as YYYY-MM-DD, got '{text}'"))
        })
}

/// The scenario of `request` for `city`: every confirmed incident of the days, in the
/// order given, gives a strike on each asset its targets name (at the incident's time,
/// or the midnight of its day; `damaged`); an asset named again keeps its first strike
/// ([`IncidentScenario::repeats`]). Errors: `from`, `to` (not days, in the wrong order,
/// more days than a scenario may cover), `horizon_h`, `step_h`, `repair_h` (not a number
/// of hours a scenario takes, or a horizon that ends before a strike) and `incidents`
/// (an asset link that is not an asset of `city` a strike may hit, each with its
/// incident's id; no incident with an asset link).
pub fn to_scenario(
    city: &City,
    request: &ScenarioRequest<'_>,
) -> Result<IncidentScenario, AppError> {
    let filter = confirmed_between(request.from, request.to)?;
    let (start, days) = window(request.from, request.to)?;
    let horizon_h = match request.horizon_h {
        Some(hours) => hours_in_range("horizon_h", hours)?,
        None => days as f64 * DAY_H,
    };
    if let Some(step_h) = request.step_h {
        hours_in_range("step_h", step_h)?;
        if step_h > horizon_h {
            return Err(AppError::field(
                "step_h",
                format!("must not exceed the horizon of {horizon_h} h, got {step_h}"),
            ));
        }
        if horizon_h / step_h > MAX_REPORTED_TIMES as f64 {
            return Err(AppError::field(
                "step_h",
                format!(
                    "gives {} reported times over {horizon_h} h; at most {MAX_REPORTED_TIMES}",
                    (horizon_h / step_h).floor()
                ),
            ));
        }
    }
    if let Some(repair_h) = request.repair_h {
        hours_in_range("repair_h", repair_h)?;
    }
    let used: Vec<&Incident> = request
        .incidents
        .iter()
        .filter(|incident| filter.accepts(incident))
        .collect();
    let Struck {
        strikes,
        lines,
        repeats,
    } = strikes(city, &used, start, horizon_h, request.repair_h)?;
    if strikes.is_empty() {
        return Err(AppError::field(
            "incidents",
            format!(
                "no confirmed incident from {} to {} names an asset of a city (targets[].asset)",
                request.from, request.to
            ),
        ));
    }
    let document = ScenarioDocument {
        name: format!("Incidents {} to {}", request.from, request.to),
        description: Some(format!(
            "From the confirmed incidents of {} to {} in the incident registry; an asset hit again keeps its first strike.\n{}",
            request.from,
            request.to,
            lines.join("\n")
        )),
        start: format!("{}T00:00", request.from),
        horizon_h,
        step_h: request.step_h,
        strikes,
    };
    let text = toml::to_string(&document)
        .map_err(|e| AppError::Document(format!("the scenario as TOML: {e}")))?;
    let scenario = Scenario::parse(&Source::new(document.name.clone(), text.clone()), city)?;
    Ok(IncidentScenario {
        document,
        text,
        scenario,
        incidents: used.len(),
        repeats,
    })
}

/// The midnight `from` starts at and the days to the end of `to` (both checked days).
fn window(from: &str, to: &str) -> Result<(chrono::NaiveDateTime, i64), AppError> {
    let (first, last) = (day("from", from)?, day("to", to)?);
    let days = (last - first).num_days() + 1;
    if days as f64 * DAY_H > MAX_HOURS {
        return Err(AppError::field(
            "to",
            format!(
                "{to} is {days} days from {from}; a scenario covers at most {} days",
                MAX_HOURS / DAY_H
            ),
        ));
    }
    Ok((first.and_time(chrono::NaiveTime::MIN), days))
}

/// `hours` if it is a number of hours a scenario takes (more than 0, at most
/// [`MAX_HOURS`]), else an error about `field`.
fn hours_in_range(field: &'static str, hours: f64) -> Result<f64, AppError> {
    if hours.is_finite() && hours > 0.0 && hours <= MAX_HOURS {
        Ok(hours)
    } else {
        Err(AppError::field(
            field,
            format!("must be more than 0 and at most {MAX_HOURS} h (a leap year), got {hours}"),
        ))
    }
}

/// What the incidents strike.
struct Struck {
    /// The strikes, in the incidents' order.
    strikes: Vec<StrikeEntry>,
    /// A line about each incident that gives a strike.
    lines: Vec<String>,
    /// Assets named again.
    repeats: Vec<Repeat>,
}

/// The strikes of `incidents`, a line about each incident that gives any, and the assets
/// named again. Every bad asset link is reported, each with its incident.
fn strikes(
    city: &City,
    incidents: &[&Incident],
    start: chrono::NaiveDateTime,
    horizon_h: f64,
    repair_h: Option<f64>,
) -> Result<Struck, AppError> {
    let horizon_s = (horizon_h * HOUR_S as f64).round() as i64;
    let mut strikes: Vec<StrikeEntry> = Vec::new();
    let mut lines = Vec::new();
    let mut repeats = Vec::new();
    let mut problems = Vec::new();
    let mut late = Vec::new();
    for incident in incidents {
        let Some(at) = parse_time(&incident.start) else {
            problems.push(format!(
                "{}: start '{}' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM",
                incident.id, incident.start
            ));
            continue;
        };
        let at_s = (at - start).num_minutes().max(0) * 60;
        let mut hit = Vec::new();
        for (k, target) in incident.targets.iter().enumerate() {
            let Some(link) = &target.asset else { continue };
            let asset = match scenario::parse_asset(link, city) {
                Ok(asset) => asset,
                Err(why) => {
                    problems.push(format!("{}: targets[{k}].asset: {why}", incident.id));
                    continue;
                }
            };
            if at_s >= horizon_s {
                late.push(format!(
                    "{}: the strike on {asset} at {} is after the horizon of {horizon_h} h",
                    incident.id,
                    lifeline_core::number::clock(at_s)
                ));
                continue;
            }
            if strikes.iter().any(|s| s.asset == asset) {
                repeats.push(Repeat {
                    asset,
                    incident: incident.id.clone(),
                });
                continue;
            }
            hit.push(asset.to_string());
            strikes.push(StrikeEntry {
                at: lifeline_core::number::clock(at_s),
                asset,
                damage: Damage::Damaged,
                repair_h,
            });
        }
        if !hit.is_empty() {
            lines.push(describe(incident, &hit));
        }
    }
    if !problems.is_empty() {
        Err(AppError::field("incidents", problems.join("; ")))
    } else if !late.is_empty() {
        Err(AppError::field("horizon_h", late.join("; ")))
    } else {
        Ok(Struck {
            strikes,
            lines,
            repeats,
        })
    }
}

/// `INC-000001 (2024-03-22T04:05) → bus:8, pump_station:E-1: the first source's quote`.
fn describe(incident: &Incident, hit: &[String]) -> String {
    let source = incident
        .sources
        .first()
        .map(|s| {
            format!(": {}", s.quote.as_ref().unwrap_or(&s.publisher)).replace(['\n', '\r'], " ")
        })
        .unwrap_or_default();
    format!(
        "{} ({}) → {}{source}",
        incident.id,
        incident.start,
        hit.join(", ")
    )
}

/// `incidents` with a place (latitude and longitude) as a GeoJSON FeatureCollection of
/// points (longitude, latitude in degrees, WGS 84); each point's properties are the
/// record without `place`, with its `settlement` and `admin1`. Incidents without
/// coordinates are left out.
pub fn geojson(incidents: &[Incident]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = incidents
        .iter()
        .filter_map(|i| {
            let (lat, lon) = (i.place.lat?, i.place.lon?);
            let mut properties = serde_json::to_value(i).ok()?;
            if let Some(map) = properties.as_object_mut() {
                map.remove("place");
                map.insert("settlement".into(), serde_json::json!(i.place.settlement));
                map.insert("admin1".into(), serde_json::json!(i.place.admin1));
            }
            Some(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }))
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}
