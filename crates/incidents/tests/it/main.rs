//! Tests of the incident registry: records and their checks, the SQLite store (durable,
//! revisions, idempotent import), bad input.
#![allow(clippy::unwrap_used, missing_docs)]

mod backends;
mod csv;
mod dates;
mod durability;
mod extract;
mod record;
mod sqlite;
mod text;

use lifeline_incidents::record::{
    Effect, Incident, Place, Source, Target, TargetCategory, Weapon, WeaponClass,
};

/// The Kharkiv strike of 22 March 2024, as the seed report gives it.
pub fn kharkiv() -> Incident {
    Incident {
        external_id: Some("seed-2024-03-22-kharkiv".into()),
        start: "2024-03-22".into(),
        place: Place {
            settlement: Some("Kharkiv".into()),
            admin1: Some("Kharkiv".into()),
            country: Some("Ukraine".into()),
            lat: Some(49.9935),
            lon: Some(36.2304),
            ..Place::default()
        },
        sub_event_type: Some("Shelling/artillery/missile attack".into()),
        actor: Some("Military Forces of Russia".into()),
        weapons: vec![Weapon {
            class: WeaponClass::Missile,
            model: None,
            launched: None,
            intercepted: None,
            hit: None,
        }],
        explosions: Some(15),
        killed: Some(0),
        injured: Some(0),
        targets: vec![
            Target {
                category: TargetCategory::Power,
                asset: Some("bus:8".into()),
                description: Some("power infrastructure".into()),
            },
            Target {
                category: TargetCategory::Water,
                asset: None,
                description: Some("water pumps".into()),
            },
        ],
        effects: vec![Effect::Blackout, Effect::WaterOutage],
        sources: vec![Source {
            publisher: "news report (project seed)".into(),
            url: None,
            published: Some("2024-03-22".into()),
            quote: Some(
                "Kharkiv, Ukraine's second-largest city, was jarred by approximately 15 explosions"
                    .into(),
            ),
        }],
        ..Incident::default()
    }
}
