//! The same behaviour from every back end: SQLite always, PostgreSQL when
//! LIFELINE_TEST_POSTGRES holds a URL (`.ci/run` starts a server and sets it; on your
//! machine, `export LIFELINE_TEST_POSTGRES=$(scripts/start-test-postgres)`); under CI a
//! missing server fails the tests.

use super::kharkiv;
use lifeline_incidents::IncidentError;
use lifeline_incidents::postgres::PostgresStore;
use lifeline_incidents::record::Status;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_incidents::store::{Cursor, Filter, Imported, Store};
use std::time::{Duration, Instant};

/// Every back end, fresh: SQLite in memory, and PostgreSQL in a schema of its own.
fn stores(test: &str) -> Vec<(&'static str, Box<dyn Store>)> {
    let mut stores: Vec<(&'static str, Box<dyn Store>)> =
        vec![("sqlite", Box::new(SqliteStore::in_memory().unwrap()))];
    if let Some(url) = lifeline_testkit::postgres_url(&format!("{test} on PostgreSQL")) {
        let schema = format!("test_{test}_{}", std::process::id());
        let mut admin = postgres::Client::connect(&url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("LIFELINE_TEST_POSTGRES={url}: {e}"));
        admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .unwrap();
        let store = PostgresStore::connect_in_schema(&url, Some(&schema)).unwrap();
        stores.push(("postgres", Box::new(store)));
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
            store.import(kharkiv(), "i", false).unwrap(),
            Imported::Added,
            "{name}"
        );
        assert_eq!(
            store.import(kharkiv(), "i", false).unwrap(),
            Imported::Unchanged,
            "{name}"
        );
        let mut changed = kharkiv();
        changed.explosions = Some(16);
        assert_eq!(
            store.import(changed, "i", false).unwrap(),
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

#[test]
fn a_password_in_the_query_string_is_not_printed_either() {
    let error = PostgresStore::connect(
        "postgres://someone@127.0.0.1:1/nowhere?password=hunter2&sslmode=disable",
    )
    .err()
    .unwrap()
    .to_string();
    assert!(!error.contains("hunter2"), "{error}");
    assert!(error.contains("password=…&sslmode=disable"), "{error}");
}

/// `n` incidents starting on consecutive days from 1 March 2024, alternately in two
/// oblasts and statuses, without external ids.
fn many(store: &mut dyn Store, n: usize) {
    for i in 0..n {
        let mut incident = kharkiv();
        incident.external_id = None;
        incident.start = format!("2024-03-{:02}", 1 + i % 28);
        if i % 2 == 1 {
            incident.place.admin1 = Some("Харківська".into());
            incident.status = Status::Retracted;
        }
        store.add(incident, "pager").unwrap();
    }
}

#[test]
fn every_back_end_pages_through_a_listing_without_gaps_or_repeats() {
    for (name, mut store) in stores("paging") {
        many(store.as_mut(), 57);
        for filter in [
            Filter::default(),
            Filter {
                admin1: Some("харківська".into()),
                ..Filter::default()
            },
            Filter {
                status: vec![Status::Draft],
                from: Some("2024-03-05".into()),
                to: Some("2024-03-20".into()),
                ..Filter::default()
            },
        ] {
            let whole = store.list(&filter).unwrap();
            assert!(!whole.is_empty(), "{name}: {filter:?}");
            for limit in [1, 7, 1000] {
                let mut pages = Vec::new();
                let mut after = None;
                loop {
                    let page = store.list_page(&filter, after.as_ref(), limit).unwrap();
                    assert!(page.incidents.len() <= limit);
                    pages.extend(page.incidents);
                    match page.next {
                        // The token survives the trip through a URL.
                        Some(next) => after = Some(Cursor::decode(&next.encode()).unwrap()),
                        None => break,
                    }
                }
                assert_eq!(pages, whole, "{name}: {filter:?}, pages of {limit}");
            }
        }
        // Ordered by start, then id.
        let all = store.list(&Filter::default()).unwrap();
        assert_eq!(all.len(), 57, "{name}");
        assert!(
            all.windows(2)
                .all(|w| (&w[0].start, &w[0].id) < (&w[1].start, &w[1].id)),
            "{name}"
        );
        // Oblasts in Cyrillic match in any case.
        let cyrillic = store
            .list(&Filter {
                admin1: Some("ХАРКІВСЬКА".into()),
                ..Filter::default()
            })
            .unwrap();
        assert_eq!(cyrillic.len(), 28, "{name}");
    }
}

#[test]
fn filters_with_bad_days_and_cursors_that_were_never_given_are_refused() {
    for (day, field) in [
        ("2024-3-5", "from"),
        ("garbage", "from"),
        ("2024-02-30", "from"),
        ("2024-03-05T10:00", "from"),
    ] {
        let filter = Filter {
            from: Some(day.into()),
            ..Filter::default()
        };
        match filter.check() {
            Err(IncidentError::Invalid { field: f, message }) => {
                assert_eq!(f, field);
                assert!(message.contains(day), "{message}");
            }
            other => panic!("{day}: {other:?}"),
        }
    }
    let backwards = Filter {
        from: Some("2024-03-05".into()),
        to: Some("2024-03-01".into()),
        ..Filter::default()
    };
    assert!(
        matches!(backwards.check(), Err(IncidentError::Invalid { field, .. }) if field == "to")
    );
    for token in ["", "zz", "abc", "00", &"41".repeat(300)] {
        assert!(
            matches!(Cursor::decode(token), Err(IncidentError::Invalid { field, .. }) if field == "cursor"),
            "{token:?}"
        );
    }
}

#[test]
fn every_back_end_imports_its_own_export_unchanged() {
    for (name, mut store) in stores("own_export") {
        many(store.as_mut(), 5);
        let mut noted = kharkiv();
        noted.notes = Some("=HYPERLINK(\"http://x\") a note,\nwith a line break ".into());
        noted.weapons.push(lifeline_incidents::record::Weapon {
            class: lifeline_incidents::record::WeaponClass::Drone,
            model: Some("Shahed-136".into()),
            launched: Some(100_000),
            intercepted: Some(99_999),
            hit: Some(1),
        });
        noted.targets[0].asset = Some("bus:12".into());
        store.add(noted, "a").unwrap();
        let before = store.list(&Filter::default()).unwrap();
        // JSON and CSV exports, each imported back: nothing added, nothing changed.
        let json: Vec<lifeline_incidents::Incident> =
            serde_json::from_str(&serde_json::to_string(&before).unwrap()).unwrap();
        let csv =
            lifeline_incidents::csv::read("export.csv", &lifeline_incidents::csv::write(&before))
                .unwrap();
        for (format, records) in [("json", json), ("csv", csv)] {
            for record in records {
                assert_eq!(
                    store.import(record, "i", false).unwrap(),
                    Imported::Unchanged,
                    "{name} {format}"
                );
            }
            assert_eq!(
                store.list(&Filter::default()).unwrap(),
                before,
                "{name} {format}"
            );
        }
        // With --as-new the ids mean nothing: records without external ids are added.
        let first = before.iter().find(|i| i.external_id.is_none()).unwrap();
        assert_eq!(
            store.import(first.clone(), "i", true).unwrap(),
            Imported::Added,
            "{name}"
        );
    }
}

#[test]
fn a_lock_held_elsewhere_is_busy_after_the_wait_allowed_not_after_thirty_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    store.limit_waits(Duration::from_millis(200)).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let error = store.add(kharkiv(), "a").unwrap_err();
    assert!(matches!(error, IncidentError::Busy { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(10));
    other.execute_batch("ROLLBACK").unwrap();
    store.add(kharkiv(), "a").unwrap();
    // Reads do not wait for a writer (write-ahead log).
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    assert_eq!(store.list(&Filter::default()).unwrap().len(), 1);
    other.execute_batch("ROLLBACK").unwrap();

    let Some(url) = lifeline_testkit::postgres_url("the PostgreSQL lock wait test") else {
        return;
    };
    let schema = format!("test_busy_{}", std::process::id());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    let mut store = PostgresStore::connect_in_schema(&url, Some(&schema)).unwrap();
    store.limit_waits(Duration::from_millis(200)).unwrap();
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute(&format!("LOCK TABLE {schema}.incidents IN EXCLUSIVE MODE"))
        .unwrap();
    let error = store.add(kharkiv(), "a").unwrap_err();
    assert!(matches!(error, IncidentError::Busy { .. }), "{error}");
    tx.rollback().unwrap();
    store.add(kharkiv(), "a").unwrap();
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

#[test]
fn a_nul_character_is_refused_by_every_back_end_alike() {
    for (name, mut store) in stores("nul") {
        let mut bad = kharkiv();
        bad.sources[0].quote = Some("a\0b".into());
        match store.add(bad, "a") {
            Err(IncidentError::Invalid { field, .. }) => {
                assert_eq!(field, "sources[0].quote", "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
        assert!(
            matches!(store.get("INC\0"), Err(IncidentError::NotFound(_))),
            "{name}"
        );
        assert!(store.find_external("k\0").unwrap().is_none(), "{name}");
        assert!(
            matches!(
                store.history("INC-000001\0"),
                Err(IncidentError::NotFound(_))
            ),
            "{name}"
        );
    }
    let token: String = "2024\0\nINC-1"
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(Cursor::decode(&token).is_err());
}
