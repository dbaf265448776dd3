//! The OpenAPI 3 document of the API, served at `/openapi.json`.

use serde_json::{Value, json};

fn error_responses() -> Value {
    json!({
        "401": {"description": "No or wrong bearer token (writes only).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "No such incident.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "Body larger than 256 KiB."},
        "422": {"description": "A field that does not fit or breaks a rule; `field` names it.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    })
}

/// The document.
pub fn document() -> Value {
    let errors = error_responses();
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "INC-000001"});
    let incident = json!({"$ref": "#/components/schemas/Incident"});
    let write = json!([{"bearer": []}]);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "lifeline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The strike incident registry of lifeline over HTTP. Reads are open; writes need a bearer token."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "field": {"type": "string"}}},
                "Incident": {
                    "type": "object",
                    "required": ["start"],
                    "description": "An incident as docs/incidents.md describes it.",
                    "properties": {
                        "id": {"type": "string"}, "external_id": {"type": "string", "nullable": true},
                        "start": {"type": "string", "example": "2024-03-22"}, "end": {"type": "string", "nullable": true},
                        "time_precision": {"type": "string", "enum": ["hour", "day", "week", "month"]},
                        "place": {"type": "object"}, "event_type": {"type": "string"},
                        "sub_event_type": {"type": "string", "nullable": true}, "actor": {"type": "string", "nullable": true},
                        "weapons": {"type": "array", "items": {"type": "object"}},
                        "explosions": {"type": "integer", "minimum": 0, "nullable": true},
                        "killed": {"type": "integer", "minimum": 0, "nullable": true},
                        "injured": {"type": "integer", "minimum": 0, "nullable": true},
                        "targets": {"type": "array", "items": {"type": "object"}},
                        "effects": {"type": "array", "items": {"type": "string", "enum": ["blackout", "water_outage", "heating_outage", "fire"]}},
                        "sources": {"type": "array", "items": {"type": "object"}},
                        "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
                        "status": {"type": "string", "enum": ["draft", "confirmed", "retracted"]},
                        "notes": {"type": "string", "nullable": true}
                    }
                },
                "Revision": {"type": "object", "properties": {
                    "number": {"type": "integer"}, "at": {"type": "string"}, "author": {"type": "string"},
                    "action": {"type": "string"}, "changes": {"type": "array", "items": {"type": "string"}}, "record": incident}}
            }
        },
        "paths": {
            "/health": {"get": {"summary": "Liveness.", "responses": {"200": {"description": "Up."}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics.", "responses": {"200": {"description": "Text exposition format."}}}},
            "/openapi.json": {"get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3."}}}},
            "/api/incidents": {
                "get": {
                    "summary": "List incidents by start time.",
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "confirmed", "retracted"]}},
                        {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "YYYY-MM-DD"},
                        {"name": "to", "in": "query", "schema": {"type": "string"}, "description": "YYYY-MM-DD"},
                        {"name": "admin1", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "Incidents.", "content": {"application/json": {"schema": {"type": "array", "items": incident}}}}, "422": errors["422"]}
                },
                "post": {
                    "summary": "Add an incident.", "security": write,
                    "requestBody": {"required": true, "content": {"application/json": {"schema": incident}}},
                    "responses": {"201": {"description": "Added, with its id.", "content": {"application/json": {"schema": incident}}}, "401": errors["401"], "409": {"description": "Duplicate external id."}, "413": errors["413"], "422": errors["422"]}
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
                    "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"], "413": errors["413"], "422": errors["422"]}}
            },
            "/api/incidents/{id}/history": {"get": {"summary": "Every revision.", "parameters": [id], "responses": {"200": {"description": "Revisions, oldest first."}, "404": errors["404"]}}},
            "/api/incidents/{id}/confirm": {"post": {"summary": "Confirm.", "security": write, "parameters": [id], "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"], "422": errors["422"]}}},
            "/api/city": {"get": {"summary": "The city: districts (GeoJSON), pump stations, facilities.", "responses": {"200": {"description": "The city."}, "404": {"description": "No city served."}}}},
            "/api/scenarios": {"post": {"summary": "Run a damage scenario (a scenario.toml as the body) in the background.", "security": write,
                "requestBody": {"required": true, "content": {"application/toml": {"schema": {"type": "string"}}}},
                "responses": {"202": {"description": "The job: {id, state, progress}."}, "401": errors["401"], "413": errors["413"], "422": errors["422"]}}},
            "/api/scenarios/{id}": {"get": {"summary": "A job's state and progress (0–1).", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "{id, state: running|done|failed, progress, error}."}, "404": errors["404"]}}},
            "/api/scenarios/{id}/result": {"get": {"summary": "The cascade result, as lifeline simulate --json gives it.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The result: summary, districts with their timelines, assets, tanks."}, "404": errors["404"], "409": {"description": "Still running."}}}},
            "/api/incidents/{id}/retract": {"post": {"summary": "Retract.", "security": write, "parameters": [id], "responses": {"200": {"description": "The revision."}, "401": errors["401"], "404": errors["404"]}}}
        }
    })
}
