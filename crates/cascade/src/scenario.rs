//! Damage scenarios: `scenario.toml`, timed strikes with repair durations and generation
//! limits by hour, checked against a [`City`]. See `docs/scenario.md` for the format.
//!
//! Times are counted from the scenario's start: `at = "04:50"` is 4 h 50 min in, and
//! `"30:15"` is 6:15 the next day. Internally every time is whole seconds.

use crate::city::City;
use crate::error::CascadeError;
use crate::source::{Problem, Source, suggestion};
use crate::uncertainty::{Spread, StrikeUncertainty};
use lifeline_core::number;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use toml::Spanned;

/// Seconds per hour.
pub const HOUR_S: i64 = 3600;

pub use lifeline_core::asset::{AssetId, AssetKind};

/// How badly an asset was hit. Either state takes it out of service until its repair
/// lands; the state is kept for reports and for restoration planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Damage {
    /// Repairable in place.
    Damaged,
    /// Must be replaced.
    Destroyed,
}

impl Damage {
    /// `damaged` or `destroyed`, as files and timelines write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Damage::Damaged => "damaged",
            Damage::Destroyed => "destroyed",
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A strike: an asset out of service from `at_s` until its repair lands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strike {
    /// Time of the strike, s from the start.
    pub at_s: i64,
    /// The asset hit.
    pub asset: AssetId,
    /// Damage state.
    pub damage: Damage,
    /// Repair duration, s (the median when it is uncertain); `None` when not repaired
    /// within the horizon.
    pub repair_s: Option<i64>,
    /// What the scenario says is uncertain about the repair (for forecasts).
    #[serde(skip_serializing_if = "StrikeUncertainty::is_empty")]
    pub uncertainty: StrikeUncertainty,
    /// Line of the strike in the scenario file.
    #[serde(skip)]
    pub line: usize,
}

impl Strike {
    /// When the asset is back in service, s, if it is.
    pub fn repaired_at_s(&self) -> Option<i64> {
        self.repair_s.map(|repair| self.at_s + repair)
    }
}

/// A limit on usable generation over a time window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapacityLimit {
    /// Start, s (inclusive).
    pub from_s: i64,
    /// End, s (exclusive).
    pub to_s: i64,
    /// Usable generation, MW.
    pub available_mw: f64,
}

/// A damage scenario, checked against a city.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Calendar start (local time, `YYYY-MM-DDTHH:MM`), for labels only.
    pub start: Option<String>,
    /// Simulated time, s.
    pub horizon_s: i64,
    /// Interval of the reported timeline, s.
    pub step_s: i64,
    /// Strikes in time order.
    pub strikes: Vec<Strike>,
    /// Generation limits, in time order, not overlapping.
    pub capacity: Vec<CapacityLimit>,
    /// Repair order constraints for restoration planning: (first, then).
    pub precedence: Vec<(AssetId, AssetId)>,
}

impl Scenario {
    /// Loads `path` and checks it against `city`; every problem is reported.
    pub fn load(path: &Path, city: &City) -> Result<Scenario, CascadeError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            CascadeError::Invalid(vec![Problem::in_file(
                &file,
                format!("cannot read the file: {e}"),
            )])
        })?;
        Self::parse(&Source::new(file, text), city)
    }

    /// Parses and checks a scenario held in `source`.
    pub fn parse(source: &Source, city: &City) -> Result<Scenario, CascadeError> {
        let file: ScenarioFile =
            crate::source::parse_toml(source).map_err(CascadeError::Invalid)?;
        build(file, source, city)
    }

    /// Usable generation at `time_s`, MW, if limited.
    pub fn available_mw(&self, time_s: i64) -> Option<f64> {
        self.capacity
            .iter()
            .find(|limit| limit.from_s <= time_s && time_s < limit.to_s)
            .map(|limit| limit.available_mw)
    }

    /// The horizon, h.
    pub fn horizon_h(&self) -> f64 {
        self.horizon_s as f64 / HOUR_S as f64
    }

    /// The city's normal day over the same horizon and reported times: no strikes and
    /// no generation limits. Every loss a run reports is measured against it.
    pub fn normal_day(&self) -> Scenario {
        Scenario {
            name: format!("{} (normal day)", self.name),
            description: None,
            start: self.start.clone(),
            horizon_s: self.horizon_s,
            step_s: self.step_s,
            strikes: Vec::new(),
            capacity: Vec::new(),
            precedence: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    start: Option<Spanned<String>>,
    #[serde(default)]
    horizon_h: Option<Spanned<f64>>,
    #[serde(default)]
    step_h: Option<Spanned<f64>>,
    #[serde(rename = "strike", default)]
    strikes: Vec<StrikeEntry>,
    #[serde(rename = "capacity", default)]
    capacity: Vec<Spanned<CapacityEntry>>,
    #[serde(rename = "precedence", default)]
    precedence: Vec<PrecedenceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrecedenceEntry {
    first: Spanned<String>,
    then: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StrikeEntry {
    at: Spanned<String>,
    asset: Spanned<String>,
    #[serde(default = "damaged")]
    damage: Damage,
    /// A number of hours or `{ median, p90 }`.
    #[serde(default)]
    repair_h: Option<Spanned<toml::Value>>,
    #[serde(default)]
    destroyed_probability: Option<Spanned<f64>>,
    #[serde(default)]
    destroyed_repair_h: Option<Spanned<toml::Value>>,
}

fn damaged() -> Damage {
    Damage::Damaged
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CapacityEntry {
    from_h: f64,
    to_h: f64,
    available_mw: f64,
}

/// Longest horizon, repair or window a scenario may give, h (a leap year): longer ones
/// are mistakes, and a run over them would not end in useful time.
pub const MAX_HOURS: f64 = 8784.0;

/// Most reported times of a run (the horizon over the step).
pub const MAX_REPORTED_TIMES: i64 = 10_000;

/// Whole seconds in `hours`, if finite, not negative and at most [`MAX_HOURS`].
fn seconds(hours: f64) -> Option<i64> {
    (hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours))
        .then(|| (hours * HOUR_S as f64).round() as i64)
}

/// Parses `H:MM` or `HH:MM` (hours may exceed 23) into seconds.
pub fn parse_clock(text: &str) -> Option<i64> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    if hours < 0 || !(0..60).contains(&minutes) || !minutes_digits(text) {
        return None;
    }
    hours.checked_mul(HOUR_S)?.checked_add(minutes * 60)
}

fn minutes_digits(text: &str) -> bool {
    text.trim().rsplit(':').next().is_some_and(|m| m.len() == 2)
}

fn build(file: ScenarioFile, source: &Source, city: &City) -> Result<Scenario, CascadeError> {
    let mut problems = Vec::new();
    let (horizon_s, step_s) = timing(&file, source, &mut problems);
    check_start(file.start.as_ref(), source, &mut problems);
    let strikes = strikes(&file, source, city, horizon_s, &mut problems);
    check_overlaps(&strikes, source, &mut problems);
    let capacity = capacity_limits(&file, source, horizon_s, &mut problems);
    let precedence = precedence(&file, source, city, &strikes, &mut problems);
    if problems.is_empty() {
        Ok(Scenario {
            name: file.name,
            description: file.description,
            start: file.start.map(Spanned::into_inner),
            horizon_s,
            step_s,
            strikes,
            capacity,
            precedence,
        })
    } else {
        Err(CascadeError::Invalid(problems))
    }
}

/// `start`: a local calendar time `YYYY-MM-DDTHH:MM`.
fn check_start(start: Option<&Spanned<String>>, source: &Source, problems: &mut Vec<Problem>) {
    if let Some(start) = start
        && chrono::NaiveDateTime::parse_from_str(start.get_ref(), "%Y-%m-%dT%H:%M").is_err()
    {
        problems.push(source.problem(
            start.span(),
            format!(
                "start '{}' is not a local calendar time: expected YYYY-MM-DDTHH:MM, e.g. \"2024-03-22T00:00\"",
                start.get_ref()
            ),
        ));
    }
}

/// `horizon_h` and `step_h`, s.
fn timing(file: &ScenarioFile, source: &Source, problems: &mut Vec<Problem>) -> (i64, i64) {
    let hours = |value: &Option<Spanned<f64>>,
                 default: f64,
                 what: &str,
                 problems: &mut Vec<Problem>|
     -> i64 {
        match value {
            None => seconds(default).unwrap_or(0),
            Some(v) => match seconds(*v.get_ref()).filter(|&s| s > 0) {
                Some(s) => s,
                None => {
                    problems.push(source.problem(
                        v.span(),
                        format!(
                            "{what} must be a positive number of hours up to {MAX_HOURS} (a year), got {}",
                            v.get_ref()
                        ),
                    ));
                    HOUR_S
                }
            },
        }
    };
    let horizon_s = hours(&file.horizon_h, 48.0, "horizon_h", problems);
    let step_s = hours(&file.step_h, 1.0, "step_h", problems);
    if step_s > horizon_s {
        let span = file.step_h.as_ref().map_or(0..0, Spanned::span);
        problems.push(source.problem(span, "step_h must not exceed horizon_h"));
    } else if horizon_s / step_s.max(1) > MAX_REPORTED_TIMES {
        let span = file.step_h.as_ref().map_or(0..0, Spanned::span);
        problems.push(source.problem(
            span,
            format!(
                "step_h gives {} reported times over the horizon; at most {MAX_REPORTED_TIMES} (lengthen step_h or shorten horizon_h)",
                horizon_s / step_s.max(1)
            ),
        ));
    }

    (horizon_s, step_s)
}

/// The `[[strike]]`s in time order (strikes at one time in file order).
fn strikes(
    file: &ScenarioFile,
    source: &Source,
    city: &City,
    horizon_s: i64,
    problems: &mut Vec<Problem>,
) -> Vec<Strike> {
    let mut strikes = Vec::new();
    for entry in &file.strikes {
        let line = source.position(entry.at.span().start).line as usize;
        let at_s = match parse_clock(entry.at.get_ref()) {
            Some(at_s) if at_s < horizon_s => Some(at_s),
            Some(_) => {
                problems.push(source.problem(
                    entry.at.span(),
                    format!(
                        "strike on {}: time {} is outside the horizon (00:00 to {})",
                        entry.asset.get_ref(),
                        entry.at.get_ref(),
                        number::clock(horizon_s)
                    ),
                ));
                None
            }
            None => {
                problems.push(source.problem(
                    entry.at.span(),
                    format!("strike on {}: time '{}' is not HH:MM (hours from the start, e.g. \"04:50\" or \"30:15\")", entry.asset.get_ref(), entry.at.get_ref()),
                ));
                None
            }
        };
        let asset = parse_asset(entry.asset.get_ref(), city)
            .map_err(|message| source.problem(entry.asset.span(), message));
        let repair = repair(entry, source);
        match (at_s, asset, repair) {
            (Some(at_s), Ok(asset), Ok((repair_s, uncertainty))) => strikes.push(Strike {
                at_s,
                asset,
                damage: entry.damage,
                repair_s,
                uncertainty,
                line,
            }),
            (_, asset, repair) => {
                problems.extend(asset.err());
                problems.extend(repair.err().into_iter().flatten());
            }
        }
    }
    strikes.sort_by_key(|s| (s.at_s, s.line));

    strikes
}

/// A strike's repair time, s (the median of a distribution), and what is uncertain about
/// it; every problem of its keys.
fn repair(
    entry: &StrikeEntry,
    source: &Source,
) -> Result<(Option<i64>, StrikeUncertainty), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut uncertainty = StrikeUncertainty::default();
    let duration = |key: &str, value: &Spanned<toml::Value>, problems: &mut Vec<Problem>| {
        match Spread::parse(value.get_ref()) {
            Ok(spread) => Some(spread),
            Err(message) => {
                let message = match value.get_ref() {
                    // A plain number says it as before.
                    toml::Value::Float(_) | toml::Value::Integer(_) => format!(
                        "{key} must be a positive number of hours up to {MAX_HOURS} (a year), got {}",
                        value.get_ref()
                    ),
                    _ => format!("{key}: {message}"),
                };
                problems.push(source.problem(value.span(), message));
                None
            }
        }
    };
    let repair_s = match &entry.repair_h {
        None => None,
        Some(value) => duration("repair_h", value, &mut problems).and_then(|spread| {
            if !spread.is_fixed() {
                uncertainty.repair = Some(spread);
            }
            seconds(spread.median_h).map(|s| s.max(1))
        }),
    };
    if let Some(value) = &entry.destroyed_repair_h {
        uncertainty.destroyed_repair = duration("destroyed_repair_h", value, &mut problems);
    }
    if let Some(p) = &entry.destroyed_probability {
        if (0.0..=1.0).contains(p.get_ref()) {
            uncertainty.destroyed_probability = Some(*p.get_ref());
        } else {
            problems.push(source.problem(
                p.span(),
                format!(
                    "destroyed_probability must be from 0 to 1, got {}",
                    number::shortest(*p.get_ref())
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok((repair_s, uncertainty))
    } else {
        Err(problems)
    }
}

/// A strike on an asset still out from an earlier strike would overlap two repairs.
fn check_overlaps(strikes: &[Strike], source: &Source, problems: &mut Vec<Problem>) {
    for (i, later) in strikes.iter().enumerate() {
        if let Some(earlier) = strikes[..i].iter().rev().find(|s| s.asset == later.asset) {
            let out_until = earlier.repaired_at_s();
            if out_until.is_none_or(|until| later.at_s < until) {
                let until = out_until.map_or("the end of the horizon".to_string(), number::clock);
                problems.push(Problem::at_line(
                    &source.file,
                    later.line,
                    format!(
                        "strike on {} at {} overlaps the repair of the strike at {} (line {}), which lasts until {until}: strike an asset again only after it is repaired",
                        later.asset,
                        number::clock(later.at_s),
                        number::clock(earlier.at_s),
                        earlier.line,
                    ),
                ));
            }
        }
    }
}

/// The `[[capacity]]` limits in time order, not overlapping.
fn capacity_limits(
    file: &ScenarioFile,
    source: &Source,
    horizon_s: i64,
    problems: &mut Vec<Problem>,
) -> Vec<CapacityLimit> {
    let mut capacity: Vec<CapacityLimit> = Vec::new();
    for entry in &file.capacity {
        let c = entry.get_ref();
        let (from, to) = (seconds(c.from_h), seconds(c.to_h));
        match (from, to) {
            (Some(from_s), Some(to_s)) if from_s < to_s && to_s <= horizon_s && c.available_mw.is_finite() && c.available_mw >= 0.0 => {
                capacity.push(CapacityLimit {
                    from_s,
                    to_s,
                    available_mw: c.available_mw,
                });
            }
            _ => problems.push(source.problem(
                entry.span(),
                format!(
                    "capacity: expected 0 ≤ from_h < to_h ≤ horizon_h ({}) and available_mw ≥ 0, got from_h = {}, to_h = {}, available_mw = {}",
                    horizon_s as f64 / HOUR_S as f64,
                    c.from_h,
                    c.to_h,
                    c.available_mw
                ),
            )),
        }
    }
    capacity.sort_by_key(|c| c.from_s);
    for pair in capacity.windows(2) {
        if pair[1].from_s < pair[0].to_s {
            problems.push(Problem::in_file(
                &source.file,
                format!(
                    "capacity limits overlap: {}–{} and {}–{}",
                    number::clock(pair[0].from_s),
                    number::clock(pair[0].to_s),
                    number::clock(pair[1].from_s),
                    number::clock(pair[1].to_s)
                ),
            ));
        }
    }

    capacity
}

/// The `[[precedence]]` pairs, each of assets struck in the scenario.
fn precedence(
    file: &ScenarioFile,
    source: &Source,
    city: &City,
    strikes: &[Strike],
    problems: &mut Vec<Problem>,
) -> Vec<(AssetId, AssetId)> {
    let mut precedence = Vec::new();
    for entry in &file.precedence {
        let mut pair = Vec::new();
        for name in [&entry.first, &entry.then] {
            match parse_asset(name.get_ref(), city) {
                Ok(asset) if strikes.iter().any(|s| s.asset == asset) => pair.push(asset),
                Ok(asset) => problems.push(source.problem(
                    name.span(),
                    format!(
                        "precedence: {asset} is not struck in this scenario, so it needs no repair"
                    ),
                )),
                Err(message) => {
                    problems.push(source.problem(name.span(), format!("precedence: {message}")))
                }
            }
        }
        if let [first, then] = &pair[..] {
            precedence.push((first.clone(), then.clone()));
        }
    }

    precedence
}

fn is_pipe(kind: lifeline_water::LinkKind) -> bool {
    matches!(
        kind,
        lifeline_water::LinkKind::Pipe | lifeline_water::LinkKind::CvPipe
    )
}

/// The asset `text` (`bus:12`, `branch:41`, `gen:3`, `pump_station:E-1`, `pipe:ID`,
/// `tank:ID`) of `city` that a strike may hit, or why it is none.
pub fn parse_asset(text: &str, city: &City) -> Result<AssetId, String> {
    let struck = AssetKind::list(&AssetKind::STRUCK);
    let asset = match text.parse::<AssetId>() {
        Ok(asset) => asset,
        Err(lifeline_core::AssetIdError::NoColon) => {
            return Err(format!(
                "asset '{text}': expected KIND:ID with KIND one of {struck}, e.g. bus:12 or pump_station:PS-3"
            ));
        }
        Err(lifeline_core::AssetIdError::UnknownKind { kind }) => {
            return Err(format!(
                "asset '{text}': kind '{kind}' is unknown{}: expected one of {struck}",
                suggestion(&kind, AssetKind::STRUCK.map(AssetKind::name))
            ));
        }
        Err(lifeline_core::AssetIdError::NotARow { kind, .. }) => {
            let count = grid_rows(city, kind);
            return Err(format!(
                "asset '{text}': {kind} must be a row number from 1 to {count} of the grid file"
            ));
        }
        Err(error) => return Err(format!("asset '{text}': {error}")),
    };
    city.check_asset(&asset)
        .map(|()| asset)
        .map_err(|why| format!("asset '{text}': {why}"))
}

/// Rows of the grid file's table of `kind` (branches or generators).
fn grid_rows(city: &City, kind: AssetKind) -> usize {
    match kind {
        AssetKind::Generator => city.case.generators.len(),
        _ => city.case.branches.len(),
    }
}

impl City {
    /// Whether a strike may hit `asset`: it exists in this city and is of a kind a strike
    /// can hit; else why not (without the asset's text, which the caller adds).
    pub fn check_asset(&self, asset: &AssetId) -> Result<(), String> {
        let network = &self.network;
        match asset {
            AssetId::Bus(bus) => {
                if self.case.buses.iter().any(|b| b.id == *bus) {
                    return Ok(());
                }
                let names: Vec<String> = self.case.buses.iter().map(|b| b.id.to_string()).collect();
                Err(format!(
                    "bus {bus} is not in the grid{}",
                    suggestion(&bus.to_string(), names.iter().map(String::as_str))
                ))
            }
            AssetId::Branch(row) | AssetId::Generator(row) => {
                let count = grid_rows(self, asset.kind());
                if *row < count {
                    Ok(())
                } else {
                    Err(format!(
                        "{} must be a row number from 1 to {count} of the grid file",
                        asset.kind()
                    ))
                }
            }
            AssetId::PumpStation(id) => {
                if self.pump_stations.iter().any(|s| s.id == *id) {
                    Ok(())
                } else {
                    Err(format!(
                        "pump station '{id}' is not in the city{}",
                        suggestion(id, self.pump_stations.iter().map(|s| s.id.as_str()))
                    ))
                }
            }
            AssetId::Pipe(id) => match network.link(id) {
                Ok(link) if is_pipe(network.link_kinds[link]) => Ok(()),
                Ok(_) => Err(format!(
                    "link '{id}' is not a pipe (strike a pump through its pump_station)"
                )),
                Err(_) => {
                    let pipes = network
                        .link_ids
                        .iter()
                        .zip(&network.link_kinds)
                        .filter(|(_, kind)| is_pipe(**kind))
                        .map(|(id, _)| id.as_str());
                    Err(format!(
                        "pipe '{id}' is not in the water network{}",
                        suggestion(id, pipes)
                    ))
                }
            },
            AssetId::Tank(id) => match network.node(id) {
                Ok(node) if network.node_kinds[node] == lifeline_water::NodeKind::Tank => Ok(()),
                Ok(_) => Err(format!("node '{id}' is not a tank")),
                Err(_) => {
                    let tanks = network
                        .node_ids
                        .iter()
                        .zip(&network.node_kinds)
                        .filter(|(_, kind)| **kind == lifeline_water::NodeKind::Tank)
                        .map(|(id, _)| id.as_str());
                    Err(format!(
                        "tank '{id}' is not in the water network{}",
                        suggestion(id, tanks)
                    ))
                }
            },
            AssetId::Facility(_) => Err(
                "a facility cannot be struck itself: strike the bus that feeds it or the water that serves it"
                    .to_string(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_hours_and_minutes_from_the_start() {
        assert_eq!(parse_clock("04:50"), Some(4 * 3600 + 50 * 60));
        assert_eq!(parse_clock("30:05"), Some(30 * 3600 + 5 * 60));
        assert_eq!(parse_clock("4:5"), None);
        assert_eq!(parse_clock("04:60"), None);
        assert_eq!(parse_clock("-1:00"), None);
        assert_eq!(parse_clock("0450"), None);
        assert_eq!(number::clock(30 * 3600 + 5 * 60), "30:05");
    }
}
