//! The OpenAPI 3 document of the API, served at `/openapi.json`.
//!
//! The vocabularies (incident statuses, weapon classes, asset states, slot states, …) are
//! named schemas whose `enum` is read from the Rust types' own lists, so the document and
//! the dashboard, which reads them from here, never drift from the code.

use crate::runs::{FORECAST_STATES, JOB_STATES, PLAN_STATES};
use crate::schedule::{DEFAULT_MAX_OFF_H, DEFAULT_MIN_ON_H};
use lifeline_cascade::result::AssetTimeline;
use lifeline_incidents::record::{
    Confidence, DEFAULT_EVENT_TYPE, Effect, GeoPrecision, STRIKE_SUB_EVENT_TYPES, Status,
    TargetCategory, TimePrecision, WeaponClass,
};
use lifeline_restore::Skill;
use lifeline_schedule::publish::SLOT_STATES;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The JSON names of `values` (`glide_bomb`, `water_outage`).
fn names<T: Serialize>(values: &[T]) -> Vec<Value> {
    values
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect()
}

/// A string schema taking one of `values`.
fn one_of(values: Vec<Value>, description: &str) -> Value {
    json!({"type": "string", "enum": values, "description": description})
}

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn error_responses() -> Value {
    json!({
        "401": {"description": "No or wrong bearer token (writes only).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "No such incident.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "408": {"description": "The body did not arrive in time.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "Body larger than 256 KiB."},
        "422": {"description": "A field that does not fit or breaks a rule; `field` names it.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "503": {"description": "Busy (the registry's database, expensive requests or scenario jobs at their limit); the `Retry-After` header says when to try again.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    })
}

/// The named vocabularies: every `enum` comes from the owning type's list.
fn vocabularies() -> Map<String, Value> {
    let mut out = Map::new();
    for (name, values, description) in [
        (
            "IncidentStatus",
            names(&Status::ALL),
            "Where an incident is in its review.",
        ),
        (
            "TimePrecision",
            names(&TimePrecision::ALL),
            "How precise an incident's time is.",
        ),
        (
            "GeoPrecision",
            names(&GeoPrecision::ALL),
            "How precise a place's coordinates are.",
        ),
        (
            "WeaponClass",
            names(&WeaponClass::ALL),
            "Weapon classes of air-force reports.",
        ),
        (
            "TargetCategory",
            names(&TargetCategory::ALL),
            "What kind of thing was hit.",
        ),
        ("Effect", names(&Effect::ALL), "Effects on services."),
        (
            "Confidence",
            names(&Confidence::ALL),
            "How far a record can be trusted.",
        ),
        (
            "SubEventType",
            names(&STRIKE_SUB_EVENT_TYPES),
            "ACLED's sub-event types of strikes. `sub_event_type` takes any text; these are the ones offered for a strike entered by hand.",
        ),
        (
            "JobState",
            names(&JOB_STATES),
            "A scenario job's cascade run.",
        ),
        (
            "PlanState",
            names(&PLAN_STATES),
            "A scenario job's restoration plan.",
        ),
        (
            "ForecastState",
            names(&FORECAST_STATES),
            "A scenario job's restoration forecast (`off`: the server makes none).",
        ),
        (
            "AssetState",
            names(&AssetTimeline::STATES),
            "An asset's state in a run: struck grid and water assets `in_service`, `damaged` or `destroyed`; pump stations `grid`, `waiting_for_backup`, `backup`, `no_power`, `damaged` or `destroyed`; facilities `ok`, `no_power`, `no_water` or `no_power_no_water`.",
        ),
        (
            "NormalAssetState",
            names(&AssetTimeline::NORMAL_STATES),
            "The asset states that mean working as normal (every other one is hit or without supply).",
        ),
        (
            "Skill",
            names(&Skill::ALL),
            "What a repair needs of its crew.",
        ),
        (
            "SlotState",
            names(&SLOT_STATES),
            "A group's state in a slot: off in the published schedule, off if the deficit grew by 10 %, or on.",
        ),
    ] {
        out.insert(name.into(), one_of(values, description));
    }
    out
}

/// The records of the incident registry.
fn incident_schemas() -> Map<String, Value> {
    let count = json!({"type": "integer", "minimum": 0, "nullable": true});
    let text = json!({"type": "string", "nullable": true});
    let incident = json!({
        "type": "object",
        "required": ["start"],
        "additionalProperties": false,
        "description": "An incident as docs/incidents.md describes it. A field the record does not have (a misspelling) is refused with its path, here and in its nested objects.",
        "properties": {
            "id": {"type": "string"}, "external_id": text,
            "start": {"type": "string", "example": "2024-03-22",
                "description": "YYYY-MM-DD or YYYY-MM-DDTHH:MM; empty only in a draft whose day is not known yet (a report without a date)."}, "end": text,
            "time_precision": schema("TimePrecision"),
            "place": schema("Place"),
            "event_type": {"type": "string", "default": DEFAULT_EVENT_TYPE, "description": "ACLED event type."},
            "sub_event_type": {"type": "string", "nullable": true, "description": "ACLED sub-event type; see SubEventType."},
            "actor": text,
            "weapons": {"type": "array", "items": schema("Weapon")},
            "explosions": count, "killed": count, "injured": count,
            "targets": {"type": "array", "items": schema("Target")},
            "effects": {"type": "array", "items": schema("Effect")},
            "sources": {"type": "array", "items": schema("Source")},
            "confidence": schema("Confidence"),
            "status": schema("IncidentStatus"),
            "notes": text
        },
        "example": {
            "external_id": "ACLED-UKR-1", "start": "2024-03-22T05:00", "time_precision": "hour",
            "place": {"settlement": "Kharkiv", "admin1": "Kharkiv"},
            "weapons": [{"class": "missile", "launched": 10, "intercepted": 4}], "explosions": 15,
            "targets": [{"category": "power"}], "effects": ["blackout", "water_outage"],
            "sources": [{"publisher": "news report", "url": "https://example.org/report"}], "confidence": "medium"
        }
    });
    let strict = |required: &[&str], properties: Value| json!({"type": "object", "required": required, "additionalProperties": false, "properties": properties});
    let mut out = Map::new();
    out.insert("Incident".into(), incident);
    out.insert(
        "Place".into(),
        strict(
            &[],
            json!({
        "settlement": text, "admin1": text, "country": text,
        "lat": {"type": "number", "minimum": -90, "maximum": 90, "nullable": true},
        "lon": {"type": "number", "minimum": -180, "maximum": 180, "nullable": true},
        "geo_precision": schema("GeoPrecision"),
        "geonames_id": {"type": "integer", "minimum": 0, "nullable": true,
            "description": "The settlement's GeoNames id (https://www.geonames.org/ID)."},
        "katottg": {"type": "string", "pattern": "^UA[0-9]{17}$", "nullable": true,
            "description": "The settlement's code in Ukraine's codifier of administrative-territorial units (KATOTTG), for a village known only from it."}}),
        ),
    );
    out.insert("Weapon".into(), strict(&["class"], json!({
        "class": schema("WeaponClass"), "model": text, "launched": count, "intercepted": count, "hit": count})));
    out.insert(
        "Target".into(),
        strict(
            &["category"],
            json!({
        "category": schema("TargetCategory"), "asset": text, "description": text}),
        ),
    );
    out.insert(
        "Source".into(),
        strict(
            &["publisher"],
            json!({
        "publisher": {"type": "string"}, "url": text, "published": text, "quote": text}),
        ),
    );
    out.insert("Revision".into(), json!({"type": "object", "properties": {
        "number": {"type": "integer"}, "at": {"type": "string"}, "author": {"type": "string"},
        "action": {"type": "string"}, "changes": {"type": "array", "items": {"type": "string"}}, "record": schema("Incident")}}));
    out
}

/// Scenario jobs and the documents of a run (the fields the vocabularies appear in).
fn scenario_schemas() -> Map<String, Value> {
    let numbers = json!({"type": "array", "items": {"type": "number"}});
    let mut out = Map::new();
    out.insert("Job".into(), json!({"type": "object", "properties": {
        "id": {"type": "integer"}, "scenario": {"type": "string"},
        "state": schema("JobState"),
        "progress": {"type": "number", "minimum": 0, "maximum": 1}, "error": {"type": "string", "nullable": true},
        "plan": schema("PlanState"), "plan_error": {"type": "string", "nullable": true},
        "forecast": schema("ForecastState"),
        "forecast_progress": {"type": "number", "minimum": 0, "maximum": 1}, "forecast_error": {"type": "string", "nullable": true}}}));
    let quantiles = json!({"type": "object", "properties": {"p10": {"type": "number", "nullable": true}, "p50": {"type": "number", "nullable": true}, "p90": {"type": "number", "nullable": true}}});
    out.insert("Forecast".into(), json!({"type": "object", "description": "The document of the command line's forecast in JSON (docs/json.md); times in hours from the scenario's start, null: not within the horizon.", "properties": {
        "samples": {"type": "integer"}, "seed": {"type": "integer"}, "plan": {"type": "string"}, "plan_by": {"type": "string", "nullable": true},
        "horizon_h": {"type": "number"}, "certain": {"type": "boolean"},
        "districts": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "power_back_h": quantiles, "water_back_h": quantiles,
            "by_hour": {"type": "array", "items": {"type": "object"}},
            "fan": {"type": "array", "items": {"type": "object"}}}}},
        "fan": {"type": "array", "items": {"type": "object"}}}}));
    out.insert("Error".into(), json!({"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "field": {"type": "string"}}}));
    out.insert("Timeline".into(), json!({"type": "object", "properties": {
        "id": {"type": "integer", "description": "The job's id."}, "start": {"type": "string", "nullable": true},
        "times_h": numbers, "customers_without_power": numbers, "people_without_water": numbers,
        "districts": {"type": "array", "items": {"type": "object"}, "description": "Per district: its losses at each time beyond the normal day's, and `baseline`, the normal day's own shortfall."},
        "summary": {"type": "object", "description": "The run's summary (docs/json.md); `summary.baseline` is the normal day's shortfall."},
        "assets": {"type": "array", "items": {"type": "object", "properties": {
            "asset": {"type": "string"}, "name": {"type": "string"},
            "changes": {"type": "array", "items": {"type": "object", "properties": {
                "t_h": {"type": "number"}, "state": schema("AssetState")}}}}}}}}));
    out.insert("Plan".into(), json!({"type": "object", "properties": {
        "scenario": {"type": "string"}, "chosen": {"type": "string"}, "crews": {"type": "array", "items": {"type": "string"}},
        "planners": {"type": "array", "items": {"type": "object"}},
        "curve": {"type": "array", "items": {"type": "object"}},
        "jobs": {"type": "array", "items": {"type": "object", "properties": {
            "crew": {"type": "string"}, "asset": {"type": "string"}, "name": {"type": "string"}, "skill": schema("Skill"),
            "depart_h": {"type": "number"}, "travel_h": {"type": "number"}, "start_h": {"type": "number"}, "end_h": {"type": "number"}}}}}}));
    out.insert("Schedule".into(), json!({"type": "object", "properties": {
        "slot_minutes": {"type": "integer"}, "slots": {"type": "array", "items": {"type": "object"}},
        "groups": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "critical": {"type": "boolean"},
            "states": {"type": "array", "items": schema("SlotState")}}}},
        "figures": {"type": "array", "items": {"type": "object"}}}}));
    out
}

/// The dashboard, probes and this document.
fn site_paths() -> Value {
    json!({
        "/": {"get": {"summary": "The dashboard (HTML).", "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
        "/assets/{file}": {"get": {"summary": "The dashboard's ES modules (app.js is the entry), style sheet and icon.", "parameters": [{"name": "file", "in": "path", "required": true, "schema": {"type": "string", "enum": crate::dashboard::asset_names()}}],
            "responses": {"200": {"description": "The file."}, "404": {"description": "No such asset."}}}},
        "/health": {"get": {"summary": "Liveness.", "responses": {"200": {"description": "Up."}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics.", "responses": {"200": {"description": "Text exposition format."}}}},
        "/openapi.json": {"get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3."}}}}
    })
}

/// The incident registry.
fn incident_paths(errors: &Value) -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "INC-000001"});
    let incident = schema("Incident");
    let write = json!([{"bearer": []}]);
    json!({
        "/api/incidents": {
            "get": {
                "summary": "List incidents by start time (then id), a page at a time.",
                "description": format!("At most `limit` incidents (default {}, at most {}); when there are more, `next_cursor` is the `cursor` of the next page (with the same filters), else null.", crate::DEFAULT_PAGE, lifeline_incidents::store::MAX_PAGE),
                "parameters": [
                    {"name": "status", "in": "query", "schema": schema("IncidentStatus")},
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Starting on or after this day, YYYY-MM-DD."},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Starting on or before this day, YYYY-MM-DD (not before `from`)."},
                    {"name": "admin1", "in": "query", "schema": {"type": "string"}, "description": "Oblast, in any case and script."},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": lifeline_incidents::store::MAX_PAGE, "default": crate::DEFAULT_PAGE}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "`next_cursor` of the previous page."}
                ],
                "responses": {"200": {"description": "A page of incidents.", "content": {"application/json": {"schema": {"type": "object", "required": ["incidents", "next_cursor"], "properties": {
                    "incidents": {"type": "array", "items": incident},
                    "next_cursor": {"type": "string", "nullable": true}}}}}}, "422": errors["422"], "503": errors["503"]}
            },
            "post": {
                "summary": "Add an incident.", "security": write,
                "requestBody": {"required": true, "content": {"application/json": {"schema": incident}}},
                "responses": {"201": {"description": "Added, with its id.", "content": {"application/json": {"schema": incident}}}, "401": errors["401"], "408": errors["408"], "409": {"description": "Duplicate external id."}, "413": errors["413"], "422": errors["422"], "503": errors["503"]}
            }
        },
        "/api/incidents/extract": {
            "post": {
                "summary": "Draft incidents from a news report (nothing is stored).",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                    "text": {"type": "string"}, "date": {"type": "string", "description": "YYYY-MM-DD"}, "publisher": {"type": "string"}}}}}},
                "responses": {"200": {"description": "Drafts with their evidence."}, "413": errors["413"], "422": errors["422"]}
            }
        },
        "/api/incidents/{id}": {
            "get": {"summary": "One incident.", "parameters": [id], "responses": {"200": {"description": "The record.", "content": {"application/json": {"schema": incident}}}, "404": errors["404"]}},
            "put": {"summary": "Replace the record, as a new revision.", "security": write, "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": incident}}},
                "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"], "408": errors["408"], "409": {"description": "Another incident has this external id."}, "413": errors["413"], "422": errors["422"], "503": errors["503"]}}
        },
        "/api/incidents/{id}/history": {"get": {"summary": "Every revision.", "parameters": [id], "responses": {"200": {"description": "Revisions, oldest first."}, "404": errors["404"]}}},
        "/api/incidents/{id}/confirm": {"post": {"summary": "Confirm.", "security": write, "parameters": [id], "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"], "422": errors["422"]}}},
        "/api/incidents/{id}/retract": {"post": {"summary": "Retract.", "security": write, "parameters": [id], "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"]}}}
    })
}

/// The query of a schedule and of a group's calendar.
fn schedule_parameters(job: &Value) -> Vec<Value> {
    vec![
        job.clone(),
        json!({"name": "hours", "in": "query", "schema": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 336}, "description": "Horizon, h (default: the scenario's, at most 336)."}),
        json!({"name": "max_off", "in": "query", "schema": {"type": "number", "default": DEFAULT_MAX_OFF_H}, "description": "Longest continuous off time, h."}),
        json!({"name": "min_on", "in": "query", "schema": {"type": "number", "default": DEFAULT_MIN_ON_H}, "description": "Shortest on time between outages, h."}),
        json!({"name": "slot_minutes", "in": "query", "schema": {"type": "integer", "enum": [30, 60], "default": 60}}),
        json!({"name": "start", "in": "query", "schema": {"type": "string"}, "description": "Local start YYYY-MM-DDTHH:MM in the city's time zone (default: the scenario's start, else the next midnight)."}),
        json!({"name": "exact_seconds", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 10, "default": 0}, "description": "Time for the exact model (0: fair schedule only)."}),
    ]
}

/// The city and scenario jobs with their documents.
fn scenario_paths(errors: &Value) -> Value {
    let write = json!([{"bearer": []}]);
    let job = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}, "example": 1});
    let running = json!({"description": "The scenario is still running.", "content": {"application/json": {"schema": schema("Error")}}});
    let failed = json!({"description": "The scenario run failed; `error` says why.", "content": {"application/json": {"schema": schema("Error")}}});
    let json_of = |name: &str| json!({"application/json": {"schema": schema(name)}});
    let schedule_parameters = schedule_parameters(&job);
    let mut calendar_parameters = schedule_parameters.clone();
    calendar_parameters.insert(1, json!({"name": "group", "in": "path", "required": true, "schema": {"type": "string"}, "example": "1.1"}));
    json!({
        "/api/city": {"get": {"summary": "The city: districts and assets (pump stations, facilities) as GeoJSON, the grid (substations, lines) and the water network (pipes, pumps, valves, tanks, reservoirs) where the city places them, crews and outage groups.", "responses": {"200": {"description": "The city."}, "404": {"description": "No city served."}}}},
        "/api/scenarios": {
            "get": {"summary": "Every scenario job kept, oldest first.", "responses": {"200": {"description": "Jobs.", "content": {"application/json": {"schema": {"type": "array", "items": schema("Job")}}}}}},
            "post": {"summary": "Run a damage scenario (a scenario.toml as the body) in the background: the cascade, then the restoration plan.", "security": write,
            "description": format!("The horizon and every repair are at most {} h, the timeline at most {} reported times.", lifeline_cascade::scenario::MAX_HOURS, lifeline_cascade::scenario::MAX_REPORTED_TIMES),
            "requestBody": {"required": true, "content": {"application/toml": {"schema": {"type": "string"}}}},
            "responses": {"202": {"description": "The job.", "content": json_of("Job")}, "401": errors["401"], "404": {"description": "No city served."}, "413": errors["413"], "422": errors["422"], "503": errors["503"]}}},
        "/api/scenarios/{id}": {
            "get": {"summary": "A job's state and progress (0–1), and its plan's state.", "parameters": [job.clone()],
                "responses": {"200": {"description": "The job.", "content": json_of("Job")}, "404": errors["404"]}},
            "delete": {"summary": "Cancel the job if it runs, and forget it.", "security": write, "parameters": [job.clone()],
                "description": "Its cascade stops at its next stop, its plan's runs at theirs; its place among the running jobs is free once they have.",
                "responses": {"204": {"description": "Cancelled and forgotten."}, "401": errors["401"], "404": errors["404"]}}},
        "/api/scenarios/{id}/result": {"get": {"summary": "The cascade result: the same document as the command line's simulate gives in JSON.", "parameters": [job.clone()],
            "responses": {"200": {"description": "The result: summary, districts with their timelines, assets, tanks."}, "404": errors["404"], "409": running.clone(), "422": failed.clone()}}},
        "/api/scenarios/{id}/timeline": {"get": {"summary": "Per district and reported time: customers without power, people without water, load and served MW; the city's totals; the assets' states.", "parameters": [job.clone()],
            "responses": {"200": {"description": "The timeline.", "content": json_of("Timeline")}, "404": errors["404"], "409": running.clone(), "422": failed.clone()}}},
        "/api/scenarios/{id}/plan": {"get": {"summary": "The restoration plan with the city's crews: the same document as the command line's restore gives in JSON.", "parameters": [job.clone()],
            "responses": {"200": {"description": "Planners side by side, the chosen plan's jobs by crew and its restoration curve.", "content": json_of("Plan")}, "404": errors["404"], "409": {"description": "Still running or being planned."}, "422": {"description": "Nothing to plan (no damage) or the plan failed."}}}},
        "/api/scenarios/{id}/forecast": {"get": {"summary": "When power and water are back per district, with their spread: the run's repair times drawn from the city's distributions (the command line's forecast of the scenario, in JSON).", "parameters": [job.clone()],
            "responses": {"200": {"description": "Per district the 10th, 50th and 90th percentiles of when power and water are back, the chance of being back by each hour and the district's fan; the city's fan.", "content": json_of("Forecast")}, "404": {"description": "No such job, or the server makes no forecasts."}, "409": {"description": "Still running, planned or forecast (the message says how many samples are done)."}, "422": {"description": "The run or the forecast failed."}}}},
        "/api/scenarios/{id}/schedule": {"get": {"summary": "Rolling outages among the city's outage groups for the generation the grid serves in the run, the same document as the command line's schedule of a scenario gives in JSON.", "parameters": schedule_parameters,
            "description": "An expensive request: a few are computed at once, others get 503 with Retry-After.",
            "responses": {"200": {"description": "Groups with their state per slot, slots, figures.", "content": json_of("Schedule")}, "404": errors["404"], "409": running.clone(), "422": errors["422"], "503": errors["503"]}}},
        "/api/scenarios/{id}/schedule/calendars/{group}": {"get": {"summary": "One group's outages as an iCalendar (RFC 5545) file.", "parameters": calendar_parameters,
            "responses": {"200": {"description": "text/calendar.", "content": {"text/calendar": {"schema": {"type": "string"}}}}, "404": errors["404"], "409": running, "422": errors["422"], "503": errors["503"]}}}
    })
}

/// The document.
pub fn document() -> Value {
    let errors = error_responses();
    let mut schemas = vocabularies();
    schemas.extend(incident_schemas());
    schemas.extend(scenario_schemas());
    let mut paths = Map::new();
    for part in [
        site_paths(),
        incident_paths(&errors),
        scenario_paths(&errors),
    ] {
        if let Value::Object(part) = part {
            paths.extend(part);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "lifeline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "lifeline over HTTP: the city, scenario runs with their timelines, restoration plans and outage schedules, and the strike incident registry. Reads are open; writes need a bearer token. Every refusal is JSON `{error, field?}`: 405 for a method a path does not have, 421 for a Host the server does not answer for (field `Host`), 503 with Retry-After when busy. The vocabularies (`components.schemas` with an `enum`) come from the code's own lists."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas
        },
        "paths": paths
    })
}
