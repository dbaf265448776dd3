//! The SQLite store's own behaviour: a file that survives reopening, filters, a file that
//! is not a database. What every back end does is in `backends`.

use super::kharkiv;
use lifeline_incidents::record::Status;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_incidents::store::{Filter, Store};

#[test]
fn records_survive_reopening_with_every_revision() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry/incidents.sqlite");
    let id = {
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 1);
        let added = store.add(kharkiv(), "analyst").unwrap();
        assert_eq!(added.id, "INC-000001");
        let mut edited = added.clone();
        edited.injured = Some(1);
        store.revise(edited, "editor", "edit").unwrap();
        store
            .set_status(&added.id, Status::Confirmed, "editor")
            .unwrap();
        added.id
    };
    let mut store = SqliteStore::open(&path).unwrap();
    let incident = store.get(&id).unwrap();
    assert_eq!(incident.status, Status::Confirmed);
    assert_eq!(incident.injured, Some(1));
    let history = store.history(&id).unwrap();
    let actions: Vec<&str> = history.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["add", "edit", "confirm"]);
    assert_eq!(
        history[0].record.injured,
        Some(0),
        "the first revision is kept as it was"
    );
    assert_eq!(history[1].changes, ["injured: 0 → 1"]);
    assert_eq!(history[2].changes, ["status: \"draft\" → \"confirmed\""]);
    assert_eq!(history[1].author, "editor");
}

#[test]
fn lists_filter_by_status_time_and_oblast() {
    let mut store = SqliteStore::in_memory().unwrap();
    let a = store.add(kharkiv(), "a").unwrap();
    let mut kyiv = kharkiv();
    kyiv.external_id = Some("kyiv".into());
    kyiv.start = "2024-03-21T05:00".into();
    kyiv.place.settlement = Some("Kyiv".into());
    kyiv.place.admin1 = Some("Kyiv City".into());
    let b = store.add(kyiv, "a").unwrap();
    store.set_status(&b.id, Status::Retracted, "a").unwrap();
    let all = store.list(&Filter::default()).unwrap();
    let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [b.id.as_str(), a.id.as_str()], "by start time");
    let drafts = store
        .list(&Filter {
            status: vec![Status::Draft],
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(drafts.len(), 1);
    let in_kharkiv = store
        .list(&Filter {
            admin1: Some("kharkiv".into()),
            from: Some("2024-03-22".into()),
            to: Some("2024-03-22".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(in_kharkiv.len(), 1);
}

#[test]
fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-db.sqlite");
    std::fs::write(
        &path,
        "this is text, not SQLite, and it is long enough to matter",
    )
    .unwrap();
    let error = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(
        error.starts_with(&format!("database {}", path.display())),
        "{error}"
    );
}
