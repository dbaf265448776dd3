//! Durability: writer processes add incidents concurrently and are killed with SIGKILL at
//! random moments, a hundred times; every write a writer acknowledged before the kill
//! must be in the registry, intact, with its revision. For SQLite always; for PostgreSQL
//! when LIFELINE_TEST_POSTGRES is set (under CI it must be).
//!
//! The writers are this test binary itself, started with LIFELINE_DURABILITY_WRITER set
//! and filtered to the `writer` test: it adds records and prints `ack EXTERNAL_ID` after
//! each commit returns.

use super::kharkiv;
use lifeline_incidents::postgres::PostgresStore;
use lifeline_incidents::record::Incident;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_incidents::store::Store;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const ROUNDS: usize = 100;
const WRITERS: usize = 3;

/// The record writer `w` adds as its `n`th.
fn record(writer: usize, n: usize) -> Incident {
    let mut incident = kharkiv();
    incident.external_id = Some(format!("w{writer}-{n}"));
    incident.explosions = Some((writer * 1000 + n) as u32);
    incident.notes = Some("x".repeat(200 + n % 50));
    incident
}

fn open(target: &str) -> Box<dyn Store> {
    if target.starts_with("postgres") {
        let (url, schema) = target.split_once('#').unwrap_or((target, "public"));
        Box::new(PostgresStore::connect_in_schema(url, Some(schema)).unwrap())
    } else {
        Box::new(SqliteStore::open(std::path::Path::new(target)).unwrap())
    }
}

/// The writer process (a no-op unless started by `run_rounds`).
#[test]
fn writer() {
    let (Ok(target), Ok(id)) = (
        std::env::var("LIFELINE_DURABILITY_WRITER"),
        std::env::var("LIFELINE_DURABILITY_ID"),
    ) else {
        return;
    };
    let (writer, start): (usize, usize) = {
        let (w, s) = id.split_once(':').unwrap();
        (w.parse().unwrap(), s.parse().unwrap())
    };
    let mut store = open(&target);
    let stdout = std::io::stdout();
    for n in start.. {
        store.add(record(writer, n), "writer").unwrap();
        let mut out = stdout.lock();
        writeln!(out, "ack w{writer}-{n}").unwrap();
        out.flush().unwrap();
    }
}

/// `ROUNDS` rounds of `WRITERS` concurrent writers killed after a few milliseconds.
fn run_rounds(target: &str) {
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged: Vec<(usize, usize)> = Vec::new();
    let mut next = [0usize; WRITERS];
    let mut seed: u64 = 0x5EED;
    for round in 0..ROUNDS {
        let children: Vec<_> = (0..WRITERS)
            .map(|w| {
                Command::new(&exe)
                    .args([
                        "--exact",
                        "durability::writer",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env("LIFELINE_DURABILITY_WRITER", target)
                    .env("LIFELINE_DURABILITY_ID", format!("{w}:{}", next[w]))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(20 + (seed >> 33) % 60));
        for (w, mut child) in children.into_iter().enumerate() {
            // SIGKILL: no chance to flush or roll back anything.
            child.kill().unwrap();
            child.wait().unwrap();
            let reader = BufReader::new(child.stdout.take().unwrap());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ack w") {
                    let (writer, n) = rest.split_once('-').unwrap();
                    let (writer, n): (usize, usize) = (writer.parse().unwrap(), n.parse().unwrap());
                    acknowledged.push((writer, n));
                    next[w] = next[w].max(n + 1);
                }
            }
        }
        // A killed writer may have committed a record without printing its ack: the next
        // writer starts after everything that is in the registry.
        let mut store = open(target);
        for (w, slot) in next.iter_mut().enumerate() {
            while store
                .find_external(&format!("w{w}-{}", *slot))
                .unwrap()
                .is_some()
            {
                *slot += 1;
            }
        }
        if round % 25 == 0 {
            eprintln!(
                "round {round}: {} writes acknowledged so far",
                acknowledged.len()
            );
        }
    }
    let mut store = open(target);
    assert!(
        acknowledged.len() > ROUNDS,
        "too few writes to mean anything: {}",
        acknowledged.len()
    );
    for (w, n) in &acknowledged {
        let found = store
            .find_external(&format!("w{w}-{n}"))
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged write w{w}-{n} is missing"));
        let mut expected = record(*w, *n);
        expected.id.clone_from(&found.id);
        assert_eq!(found, expected, "w{w}-{n} is not intact");
        assert_eq!(store.history(&found.id).unwrap().len(), 1);
    }
    // Ids are unique and dense: no write was half-made.
    let all = store.list(&Default::default()).unwrap();
    let mut ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    eprintln!(
        "{} acknowledged writes intact of {} in the registry after {ROUNDS} kills of {WRITERS} writers",
        acknowledged.len(),
        all.len()
    );
}

#[test]
fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    // Create the schema once before the writers race.
    drop(SqliteStore::open(&path).unwrap());
    run_rounds(path.to_str().unwrap());
}

#[test]
fn acknowledged_writes_survive_sigkill_on_postgres() {
    let Some(url) = lifeline_testkit::postgres_url("the PostgreSQL durability test") else {
        return;
    };
    let schema = format!("durability_{}", std::process::id());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    drop(PostgresStore::connect_in_schema(&url, Some(&schema)).unwrap());
    run_rounds(&format!("{url}#{schema}"));
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}
