//! `lifeline serve` as a real process on loopback.

use crate::server::{Options, Server, http, tiny_city, try_http};
use lifeline_testkit::PostgresDatabase;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// The registry back ends: a fresh SQLite file, and a fresh PostgreSQL database when
/// LIFELINE_TEST_POSTGRES is set (under CI it must be). The guard keeps the database.
fn back_ends(test: &str, dir: &Path) -> Vec<(String, Option<PostgresDatabase>)> {
    let mut ends = vec![(dir.join("registry.sqlite").display().to_string(), None)];
    if let Some(database) = PostgresDatabase::create(test) {
        ends.push((database.url.clone(), Some(database)));
    }
    ends
}

#[test]
fn serve_answers_on_loopback_and_refuses_writes_without_a_token() {
    let server = Server::start(None);
    let health = server.request("GET", "/health", "", None);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let response = server.request("POST", "/api/incidents", r#"{"start": "2024-03-22"}"#, None);
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    let page = server.request("GET", "/", "", None);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("content-security-policy: default-src 'self'"));
    assert!(page.contains("<script type=\"module\" src=\"/assets/app.js\""));
}

#[test]
fn a_burst_of_200_concurrent_writes_loses_none_on_either_back_end() {
    let dir = tempfile::tempdir().unwrap();
    for (db, _database) in back_ends("cli_burst", dir.path()) {
        let server = Server::start_with(&Options {
            token: Some("burst"),
            db: Some(&db),
            city: Some(&tiny_city()),
            ..Options::default()
        });
        let writers: Vec<_> = (0..200)
            .map(|i| {
                let addr = server.addr.clone();
                std::thread::spawn(move || {
                    let body = format!(
                        r#"{{"external_id": "burst-{i}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv"}}, "explosions": {i}}}"#
                    );
                    http(&addr, "POST", "/api/incidents", &body, Some("burst"))
                })
            })
            .collect();
        let answers: Vec<String> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        let created = answers
            .iter()
            .filter(|a| a.starts_with("HTTP/1.1 201"))
            .count();
        assert_eq!(
            created,
            200,
            "{db}: every write is acknowledged; one that was not: {:?}",
            answers.iter().find(|a| !a.starts_with("HTTP/1.1 201"))
        );
        let ids: std::collections::BTreeSet<String> = server
            .all_incidents()
            .iter()
            .map(|i| i["external_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            ids.len(),
            200,
            "{db}: every acknowledged write is stored once"
        );
    }
}

/// Writers post incidents over HTTP while the server is killed with SIGKILL at random
/// moments and started again on the same registry; every write it acknowledged (201) must
/// be there afterwards, intact and once. On SQLite and on PostgreSQL.
#[test]
fn acknowledged_writes_over_http_survive_sigkill_on_either_back_end() {
    const ROUNDS: usize = 12;
    const WRITERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    for (db, _database) in back_ends("cli_durability", dir.path()) {
        let mut acknowledged: BTreeMap<String, u32> = BTreeMap::new();
        let mut seed: u64 = 0x5EED;
        for round in 0..ROUNDS {
            let server = Server::start_with(&Options {
                token: Some("durable"),
                db: Some(&db),
                city: Some(&tiny_city()),
                ..Options::default()
            });
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let writers: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let (addr, stop) = (server.addr.clone(), stop.clone());
                    std::thread::spawn(move || {
                        let mut acked = Vec::new();
                        for n in 0.. {
                            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                                break;
                            }
                            let id = format!("r{round}-w{w}-{n}");
                            let explosions = (round * 10_000 + w * 1000 + n) as u32;
                            let body = format!(
                                r#"{{"external_id": "{id}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv"}}, "explosions": {explosions}, "notes": "{}"}}"#,
                                "x".repeat(200 + n % 50)
                            );
                            match try_http(&addr, "POST", "/api/incidents", &body, Some("durable")) {
                                Some(answer) if answer.starts_with("HTTP/1.1 201") => {
                                    acked.push((id, explosions));
                                }
                                Some(_) => {}
                                // The server is gone.
                                None => break,
                            }
                        }
                        acked
                    })
                })
                .collect();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            std::thread::sleep(Duration::from_millis(50 + (seed >> 33) % 250));
            server.kill();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            for writer in writers {
                acknowledged.extend(writer.join().unwrap());
            }
        }
        assert!(
            acknowledged.len() > ROUNDS * WRITERS,
            "{db}: too few writes to mean anything: {}",
            acknowledged.len()
        );
        let server = Server::start_with(&Options {
            token: None,
            db: Some(&db),
            city: Some(&tiny_city()),
            ..Options::default()
        });
        let stored = server.all_incidents();
        let by_external: BTreeMap<&str, &serde_json::Value> = stored
            .iter()
            .map(|i| (i["external_id"].as_str().unwrap(), i))
            .collect();
        assert_eq!(by_external.len(), stored.len(), "{db}: no record twice");
        for (id, explosions) in &acknowledged {
            let record = by_external
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{db}: acknowledged write {id} is missing"));
            assert_eq!(
                record["explosions"], *explosions,
                "{db}: {id} is not intact"
            );
        }
        let ids: std::collections::BTreeSet<&str> =
            stored.iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), stored.len(), "{db}: ids are unique");
        eprintln!(
            "{db}: {} acknowledged writes intact of {} stored after {ROUNDS} kills",
            acknowledged.len(),
            stored.len()
        );
    }
}

#[test]
fn a_token_file_saved_by_an_editor_holds_just_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "\u{feff}s3cret\r\n").unwrap();
    let server = Server::start_with(&Options {
        token_file: Some(&file),
        city: Some(&tiny_city()),
        ..Options::default()
    });
    let body = r#"{"start": "2024-03-22"}"#;
    let answer = server.request("POST", "/api/incidents", body, Some("s3cret"));
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let refused = server.request("POST", "/api/incidents", body, Some("\u{feff}s3cret"));
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
}

/// The demo city for `serve`, and EPANET's report files, go to private folders under fresh
/// names (mode 0700), never to names someone could plant a link at, and nothing is left
/// behind. (The benchmarks' scratch files: `lifeline-bench`'s tests.)
#[test]
fn scratch_files_are_private_and_removed_after() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    // A server keeps its demo city in a private folder while it runs, and removes it when
    // stopped with SIGTERM.
    /// Kills the server if the test fails before it stops it.
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_lifeline"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(elsewhere.path().join("registry.sqlite"))
            .current_dir(elsewhere.path())
            .env("TMPDIR", tmp.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = std::io::BufReader::new(child.0.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("listening on") {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0);
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let folders: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let name = folders[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("lifeline-demo-city-"), "{name}");
    let mode = std::fs::metadata(&folders[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{name}: {mode:o}");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        child.0.wait().unwrap().success(),
        "SIGTERM stops the server cleanly"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn too_many_forecast_samples_are_refused_before_listening() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lifeline"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--forecast-samples",
            "5000",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("--forecast-samples: must be from 0 to 1000, got 5000"),
        "{text}"
    );
}
