//! An incident: a strike (or a wave of strikes on one place and day) as the sources
//! report it.
//!
//! Vocabulary: ACLED's event types and sub-types (`Explosions/Remote violence`, `Air/drone
//! strike`, `Shelling/artillery/missile attack`), its time precision (day, week, month)
//! and geo-precision (exact place, settlement, region); air-force daily reports' weapon
//! counts (launched, intercepted). Counts are `None` when no source gives them, which is
//! different from 0 ("no casualties reported").

use crate::error::IncidentError;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Where an incident is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Drafted (by hand or from a report), not yet checked.
    #[default]
    Draft,
    /// Checked against its sources.
    Confirmed,
    /// Found wrong; kept, with its history, but left out of scenarios.
    Retracted,
}

impl Status {
    /// Every review status, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [Status; 3] = [Status::Draft, Status::Confirmed, Status::Retracted];
}

/// How precise the time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// To the minute or hour given.
    Hour,
    /// The day is known.
    #[default]
    Day,
    /// Within the week.
    Week,
    /// Within the month.
    Month,
}

impl TimePrecision {
    /// Every time precision, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [TimePrecision; 4] = [
        TimePrecision::Hour,
        TimePrecision::Day,
        TimePrecision::Week,
        TimePrecision::Month,
    ];
}

/// How precise the coordinates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum GeoPrecision {
    /// The site itself.
    Exact,
    /// The settlement.
    #[default]
    Settlement,
    /// The region (oblast).
    Region,
    /// A village's territorial community (hromada): the coordinates are its centre's.
    Community,
}

impl GeoPrecision {
    /// Every geo-precision, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [GeoPrecision; 4] = [
        GeoPrecision::Exact,
        GeoPrecision::Settlement,
        GeoPrecision::Region,
        GeoPrecision::Community,
    ];
}

/// Where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// City, town or village.
    #[serde(default)]
    pub settlement: Option<String>,
    /// Oblast (region).
    #[serde(default)]
    pub admin1: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// Latitude, degrees.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude, degrees.
    #[serde(default)]
    pub lon: Option<f64>,
    /// How precise `lat`/`lon` are.
    #[serde(default)]
    pub geo_precision: GeoPrecision,
    /// The settlement's GeoNames id (<https://www.geonames.org/ID>), when the
    /// gazetteer found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u64>,
    /// The settlement's code in Ukraine's codifier of administrative-territorial units
    /// (KATOTTG: `UA` and 17 digits), for a village the gazetteer knows only from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub katottg: Option<String>,
}

/// Whether `code` has the form of a KATOTTG code: `UA` and 17 digits.
pub fn is_katottg(code: &str) -> bool {
    code.len() == 19 && code.starts_with("UA") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Weapon classes of air-force reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaponClass {
    /// Cruise or ballistic missile.
    Missile,
    /// Attack drone (Shahed and the like).
    Drone,
    /// Guided aerial bomb.
    GlideBomb,
    /// Artillery or rocket artillery.
    Artillery,
    /// Not said.
    Unknown,
}

impl WeaponClass {
    /// Every weapon class, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [WeaponClass; 5] = [
        WeaponClass::Missile,
        WeaponClass::Drone,
        WeaponClass::GlideBomb,
        WeaponClass::Artillery,
        WeaponClass::Unknown,
    ];
}

/// Weapons used, with the air-force counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weapon {
    /// Class.
    pub class: WeaponClass,
    /// Model (`Kh-101`, `Shahed-136`), when known.
    #[serde(default)]
    pub model: Option<String>,
    /// Launched.
    #[serde(default)]
    pub launched: Option<u32>,
    /// Intercepted or destroyed in flight (≤ launched).
    #[serde(default)]
    pub intercepted: Option<u32>,
    /// Hit their targets.
    #[serde(default)]
    pub hit: Option<u32>,
}

/// What kind of thing was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetCategory {
    /// Substations, plants, lines.
    Power,
    /// Pumps, treatment, mains.
    Water,
    /// Heat plants and networks.
    Heating,
    /// Gas infrastructure.
    Gas,
    /// Refineries and depots.
    Oil,
    /// Homes.
    Residential,
    /// Factories.
    Industrial,
    /// Administrative buildings.
    Administrative,
    /// Roads, rail, ports.
    Transport,
}

impl TargetCategory {
    /// Every target category, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [TargetCategory; 9] = [
        TargetCategory::Power,
        TargetCategory::Water,
        TargetCategory::Heating,
        TargetCategory::Gas,
        TargetCategory::Oil,
        TargetCategory::Residential,
        TargetCategory::Industrial,
        TargetCategory::Administrative,
        TargetCategory::Transport,
    ];
}

/// Something hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Category.
    pub category: TargetCategory,
    /// The asset in a city model, as a scenario names it (`bus:12`, `pump_station:E-1`).
    #[serde(default)]
    pub asset: Option<String>,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
}

/// Effects on services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Power cut.
    Blackout,
    /// Water supply cut or disrupted.
    WaterOutage,
    /// Heating cut.
    HeatingOutage,
    /// Fire.
    Fire,
}

impl Effect {
    /// Every effect, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [Effect; 4] = [
        Effect::Blackout,
        Effect::WaterOutage,
        Effect::HeatingOutage,
        Effect::Fire,
    ];
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Publisher (outlet, official, air force).
    pub publisher: String,
    /// Address, http(s).
    #[serde(default)]
    pub url: Option<String>,
    /// When it was published, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    #[serde(default)]
    pub published: Option<String>,
    /// The sentence the facts come from.
    #[serde(default)]
    pub quote: Option<String>,
}

/// How far the record can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// One unconfirmed source.
    #[default]
    Low,
    /// A credible source.
    Medium,
    /// Official or several independent sources.
    High,
}

impl Confidence {
    /// Every confidence, in declaration order (the JSON names are [`wire_name`]'s).
    pub const ALL: [Confidence; 3] = [Confidence::Low, Confidence::Medium, Confidence::High];
}

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// Registry id (`INC-000001`), given by the store.
    #[serde(default)]
    pub id: String,
    /// Id in the system it was imported from; imports are idempotent by it.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Start, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (local time of the place).
    pub start: String,
    /// End, the same forms, not before `start`.
    #[serde(default)]
    pub end: Option<String>,
    /// How precise the time is.
    #[serde(default)]
    pub time_precision: TimePrecision,
    /// Where.
    #[serde(default)]
    pub place: Place,
    /// ACLED event type.
    #[serde(default = "default_event_type")]
    pub event_type: String,
    /// ACLED sub-event type.
    #[serde(default)]
    pub sub_event_type: Option<String>,
    /// Who struck.
    #[serde(default)]
    pub actor: Option<String>,
    /// Weapons.
    #[serde(default)]
    pub weapons: Vec<Weapon>,
    /// Explosions reported.
    #[serde(default)]
    pub explosions: Option<u32>,
    /// Killed.
    #[serde(default)]
    pub killed: Option<u32>,
    /// Injured.
    #[serde(default)]
    pub injured: Option<u32>,
    /// What was hit.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Effects on services.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Sources.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Confidence.
    #[serde(default)]
    pub confidence: Confidence,
    /// Review status.
    #[serde(default)]
    pub status: Status,
    /// Free notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// ACLED's event type of strikes, the one a record without `event_type` gets.
pub const DEFAULT_EVENT_TYPE: &str = "Explosions/Remote violence";

/// ACLED's sub-event types of [`DEFAULT_EVENT_TYPE`] that strikes fall under. A record
/// may give any text; these are the ones offered for a strike entered by hand.
pub const STRIKE_SUB_EVENT_TYPES: [&str; 2] =
    ["Air/drone strike", "Shelling/artillery/missile attack"];

fn default_event_type() -> String {
    DEFAULT_EVENT_TYPE.into()
}

impl Default for Incident {
    /// An empty record with ACLED's default event type (as JSON without the field reads).
    fn default() -> Self {
        Self {
            id: String::new(),
            external_id: None,
            start: String::new(),
            end: None,
            time_precision: TimePrecision::default(),
            place: Place::default(),
            event_type: default_event_type(),
            sub_event_type: None,
            actor: None,
            weapons: Vec::new(),
            explosions: None,
            killed: None,
            injured: None,
            targets: Vec::new(),
            effects: Vec::new(),
            sources: Vec::new(),
            confidence: Confidence::default(),
            status: Status::default(),
            notes: None,
        }
    }
}

/// The name a value has in the JSON record (`water_outage`, `confirmed`, `glide_bomb`).
pub fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// A time of a record: a day, or a day and a time.
pub fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> IncidentError {
    IncidentError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// The path of the first text in `value` holding a NUL character.
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(text) if text.contains('\0') => Some(path.to_string()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in(item, &format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            nul_in(item, &at)
        }),
        _ => None,
    }
}

/// `None` for an empty text: a field given empty is a field not given.
fn absent_if_empty(text: &mut Option<String>) {
    if text.as_deref().is_some_and(str::is_empty) {
        *text = None;
    }
}

impl Incident {
    /// The path of the first text field holding a NUL character, if any.
    fn text_with_nul(&self) -> Option<String> {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| nul_in(&value, ""))
    }

    /// The record with every empty optional text as not given (`""` → absent), the one
    /// form the store keeps, so a record and its CSV export read back compare equal.
    pub fn normalized(mut self) -> Self {
        for text in [
            &mut self.external_id,
            &mut self.end,
            &mut self.sub_event_type,
            &mut self.actor,
            &mut self.notes,
            &mut self.place.settlement,
            &mut self.place.admin1,
            &mut self.place.country,
        ] {
            absent_if_empty(text);
        }
        for weapon in &mut self.weapons {
            absent_if_empty(&mut weapon.model);
        }
        for target in &mut self.targets {
            absent_if_empty(&mut target.asset);
            absent_if_empty(&mut target.description);
        }
        for source in &mut self.sources {
            absent_if_empty(&mut source.url);
            absent_if_empty(&mut source.published);
            absent_if_empty(&mut source.quote);
        }
        self
    }

    /// Checks the record's rules; the first broken one names its field.
    pub fn check(&self) -> Result<(), IncidentError> {
        if let Some(field) = self.text_with_nul() {
            return Err(invalid(
                field,
                "a NUL character (U+0000) is not text: no back end can store it",
            ));
        }
        // A draft may not know its day yet (a report without a date); it is needed to
        // confirm.
        let undated = self.start.is_empty() && self.status == Status::Draft;
        let start = if undated {
            None
        } else if self.start.is_empty() {
            return Err(invalid(
                "start",
                "the day is not known: give it (YYYY-MM-DD) before the incident is confirmed or retracted",
            ));
        } else {
            Some(parse_time(&self.start).ok_or_else(|| {
                invalid(
                    "start",
                    format!(
                        "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '{}'",
                        self.start
                    ),
                )
            })?)
        };
        if let (None, Some(_)) = (start, &self.end) {
            return Err(invalid("end", "an end needs a start"));
        }
        if let (Some(start), Some(end)) = (start, &self.end) {
            let end_time = parse_time(end).ok_or_else(|| {
                invalid(
                    "end",
                    format!("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '{end}'"),
                )
            })?;
            if end_time < start {
                return Err(invalid(
                    "end",
                    format!("{end} is before the start {}", self.start),
                ));
            }
        }
        if let Some(lat) = self.place.lat
            && !(-90.0..=90.0).contains(&lat)
        {
            return Err(invalid(
                "place.lat",
                format!("expected −90 to 90 degrees, got {lat}"),
            ));
        }
        if let Some(lon) = self.place.lon
            && !(-180.0..=180.0).contains(&lon)
        {
            return Err(invalid(
                "place.lon",
                format!("expected −180 to 180 degrees, got {lon}"),
            ));
        }
        if let Some(code) = &self.place.katottg
            && !is_katottg(code)
        {
            return Err(invalid(
                "place.katottg",
                format!("expected a KATOTTG code (UA and 17 digits), got '{code}'"),
            ));
        }
        if self.place.lat.is_some() != self.place.lon.is_some() {
            return Err(invalid("place", "give both lat and lon, or neither"));
        }
        for (i, w) in self.weapons.iter().enumerate() {
            if let (Some(launched), Some(intercepted)) = (w.launched, w.intercepted)
                && intercepted > launched
            {
                return Err(invalid(
                    format!("weapons[{i}].intercepted"),
                    format!("{intercepted} intercepted of {launched} launched"),
                ));
            }
            if let (Some(launched), Some(hit)) = (w.launched, w.hit)
                && hit > launched
            {
                return Err(invalid(
                    format!("weapons[{i}].hit"),
                    format!("{hit} hit of {launched} launched"),
                ));
            }
        }
        for (i, s) in self.sources.iter().enumerate() {
            if s.publisher.trim().is_empty() {
                return Err(invalid(
                    format!("sources[{i}].publisher"),
                    "expected a name",
                ));
            }
            if let Some(url) = &s.url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                return Err(invalid(
                    format!("sources[{i}].url"),
                    format!("expected an http(s) address, got '{url}'"),
                ));
            }
            if let Some(published) = &s.published
                && parse_time(published).is_none()
            {
                return Err(invalid(
                    format!("sources[{i}].published"),
                    format!("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '{published}'"),
                ));
            }
        }
        if self.status == Status::Confirmed && self.sources.is_empty() {
            return Err(invalid(
                "sources",
                "a confirmed incident needs at least one source",
            ));
        }
        Ok(())
    }

    /// The fields that differ from `before`, as `field: old → new` (JSON values).
    pub fn changes_from(&self, before: &Incident) -> Vec<String> {
        let (Ok(serde_json::Value::Object(new)), Ok(serde_json::Value::Object(old))) =
            (serde_json::to_value(self), serde_json::to_value(before))
        else {
            return Vec::new();
        };
        new.iter()
            .filter(|(k, v)| old.get(*k) != Some(v))
            .map(|(k, v)| {
                format!(
                    "{k}: {} → {v}",
                    old.get(k).map_or("null".to_string(), ToString::to_string)
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of a variant in its `ALL`; a variant added to an enum without a
    /// place in `ALL` stops this from compiling.
    fn positions() -> [(String, usize); 7] {
        let status = |v: Status| match v {
            Status::Draft => 0,
            Status::Confirmed => 1,
            Status::Retracted => 2,
        };
        let time = |v: TimePrecision| match v {
            TimePrecision::Hour => 0,
            TimePrecision::Day => 1,
            TimePrecision::Week => 2,
            TimePrecision::Month => 3,
        };
        let geo = |v: GeoPrecision| match v {
            GeoPrecision::Exact => 0,
            GeoPrecision::Settlement => 1,
            GeoPrecision::Region => 2,
            GeoPrecision::Community => 3,
        };
        let weapon = |v: WeaponClass| match v {
            WeaponClass::Missile => 0,
            WeaponClass::Drone => 1,
            WeaponClass::GlideBomb => 2,
            WeaponClass::Artillery => 3,
            WeaponClass::Unknown => 4,
        };
        let target = |v: TargetCategory| match v {
            TargetCategory::Power => 0,
            TargetCategory::Water => 1,
            TargetCategory::Heating => 2,
            TargetCategory::Gas => 3,
            TargetCategory::Oil => 4,
            TargetCategory::Residential => 5,
            TargetCategory::Industrial => 6,
            TargetCategory::Administrative => 7,
            TargetCategory::Transport => 8,
        };
        let effect = |v: Effect| match v {
            Effect::Blackout => 0,
            Effect::WaterOutage => 1,
            Effect::HeatingOutage => 2,
            Effect::Fire => 3,
        };
        let confidence = |v: Confidence| match v {
            Confidence::Low => 0,
            Confidence::Medium => 1,
            Confidence::High => 2,
        };
        fn joined<T: Serialize + Copy>(all: &[T], at: impl Fn(T) -> usize) -> (String, usize) {
            let names: Vec<String> = all.iter().map(wire_name).collect();
            let in_place = all.iter().enumerate().filter(|&(i, &v)| at(v) == i).count();
            (names.join(","), in_place)
        }
        [
            joined(&Status::ALL, status),
            joined(&TimePrecision::ALL, time),
            joined(&GeoPrecision::ALL, geo),
            joined(&WeaponClass::ALL, weapon),
            joined(&TargetCategory::ALL, target),
            joined(&Effect::ALL, effect),
            joined(&Confidence::ALL, confidence),
        ]
    }

    #[test]
    fn every_variant_is_listed_once_in_its_place() {
        let expected = [
            "draft,confirmed,retracted",
            "hour,day,week,month",
            "exact,settlement,region,community",
            "missile,drone,glide_bomb,artillery,unknown",
            "power,water,heating,gas,oil,residential,industrial,administrative,transport",
            "blackout,water_outage,heating_outage,fire",
            "low,medium,high",
        ];
        for ((names, in_place), expected) in positions().into_iter().zip(expected) {
            assert_eq!(names, expected);
            assert_eq!(in_place, expected.split(',').count(), "{names}");
        }
    }
}
