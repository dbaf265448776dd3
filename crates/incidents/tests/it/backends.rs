//! The same behaviour from every back end: SQLite always, PostgreSQL when
//! LIFELINE_TEST_POSTGRES holds a URL (`.ci/run` starts a server and sets it; on your
//! machine, `export LIFELINE_TEST_POSTGRES=$(scripts/start-test-postgres)`).

use super::kharkiv;
use lifeline_incidents::IncidentError;
use lifeline_incidents::postgres::PostgresStore;
use lifeline_incidents::record::Status;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_incidents::store::{Filter, Imported, Store};

/// Every back end, fresh: SQLite in memory, and PostgreSQL in a schema of its own.
fn stores(test: &str) -> Vec<(&'static str, Box<dyn Store>)> {
    let mut stores: Vec<(&'static str, Box<dyn Store>)> =
        vec![("sqlite", Box::new(SqliteStore::in_memory().unwrap()))];
    match std::env::var("LIFELINE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("test_{test}_{}", std::process::id());
            let mut admin = postgres::Client::connect(&url, postgres::NoTls)
                .unwrap_or_else(|e| panic!("LIFELINE_TEST_POSTGRES={url}: {e}"));
            admin
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .unwrap();
            let store = PostgresStore::connect_in_schema(&url, Some(&schema)).unwrap();
            stores.push(("postgres", Box::new(store)));
        }
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("CI must set LIFELINE_TEST_POSTGRES (see .ci/run)");
            }
            eprintln!(
                "skipping the PostgreSQL back end in {test}: LIFELINE_TEST_POSTGRES is not set \
                 (export LIFELINE_TEST_POSTGRES=$(scripts/start-test-postgres))"
            );
        }
    }
    stores
}

#[test]
fn every_back_end_keeps_every_revision() {
    for (name, mut store) in stores("revisions") {
        let added = store.add(kharkiv(), "analyst").unwrap();
        assert_eq!(added.id, "INC-000001", "{name}");
        let mut edited = added.clone();
        edited.injured = Some(1);
        store.revise(edited, "editor", "edit").unwrap();
        store
            .set_status(&added.id, Status::Confirmed, "editor")
            .unwrap();
        let incident = store.get(&added.id).unwrap();
        assert_eq!(
            (incident.status, incident.injured),
            (Status::Confirmed, Some(1)),
            "{name}"
        );
        let history = store.history(&added.id).unwrap();
        let actions: Vec<&str> = history.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["add", "edit", "confirm"], "{name}");
        assert_eq!(history[0].record.injured, Some(0), "{name}");
        assert_eq!(history[1].changes, ["injured: 0 → 1"], "{name}");
    }
}

#[test]
fn every_back_end_imports_idempotently_and_filters() {
    for (name, mut store) in stores("imports") {
        assert_eq!(
            store.import(kharkiv(), "i").unwrap(),
            Imported::Added,
            "{name}"
        );
        assert_eq!(
            store.import(kharkiv(), "i").unwrap(),
            Imported::Unchanged,
            "{name}"
        );
        let mut changed = kharkiv();
        changed.explosions = Some(16);
        assert_eq!(
            store.import(changed, "i").unwrap(),
            Imported::Updated,
            "{name}"
        );
        let mut kyiv = kharkiv();
        kyiv.external_id = Some("kyiv".into());
        kyiv.start = "2024-03-21T05:00".into();
        kyiv.place.admin1 = Some("Kyiv City".into());
        store.add(kyiv, "i").unwrap();
        let all = store.list(&Filter::default()).unwrap();
        assert_eq!(all[0].start, "2024-03-21T05:00", "{name}: by start time");
        let in_kharkiv = store
            .list(&Filter {
                admin1: Some("KHARKIV".into()),
                ..Filter::default()
            })
            .unwrap();
        assert_eq!(in_kharkiv.len(), 1, "{name}");
        assert_eq!(in_kharkiv[0].explosions, Some(16), "{name}");
    }
}

#[test]
fn every_back_end_refuses_bad_requests_without_writing() {
    for (name, mut store) in stores("refusals") {
        store.add(kharkiv(), "a").unwrap();
        assert!(
            matches!(
                store.add(kharkiv(), "a"),
                Err(IncidentError::Duplicate { .. })
            ),
            "{name}"
        );
        // A revision may not take another incident's external id.
        let mut other = kharkiv();
        other.external_id = Some("other".into());
        let other = store.add(other, "a").unwrap();
        let mut taking = other.clone();
        taking.external_id.clone_from(&kharkiv().external_id);
        assert!(
            matches!(
                store.revise(taking, "a", "edit"),
                Err(IncidentError::Duplicate { .. })
            ),
            "{name}"
        );
        assert_eq!(store.history(&other.id).unwrap().len(), 1, "{name}");
        assert!(
            matches!(store.get("INC-000099"), Err(IncidentError::NotFound(_))),
            "{name}"
        );
        assert_eq!(
            store.history("INC-000099").unwrap_err().to_string(),
            "no incident 'INC-000099' in the registry",
            "{name}"
        );
        let mut bad = kharkiv();
        bad.external_id = None;
        bad.weapons[0].launched = Some(1);
        bad.weapons[0].intercepted = Some(2);
        let error = store.add(bad, "a").unwrap_err().to_string();
        assert_eq!(
            error, "weapons[0].intercepted: 2 intercepted of 1 launched",
            "{name}"
        );
        assert_eq!(store.list(&Filter::default()).unwrap().len(), 2, "{name}");
        assert_eq!(store.history("INC-000001").unwrap().len(), 1, "{name}");
    }
}

#[test]
fn a_server_that_is_not_there_is_an_error_without_the_password() {
    let error = PostgresStore::connect("postgres://someone:secret@127.0.0.1:1/nowhere")
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.starts_with("database postgres://someone@127.0.0.1:1/nowhere: "),
        "{error}"
    );
    assert!(!error.contains("secret"), "{error}");
}
