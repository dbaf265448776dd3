//! `lifeline incidents`: the strike incident registry on the command line.

use crate::cli::{ExportFormat, IncidentsArgs, IncidentsCommand};
use crate::output::{fail, print_json};
use anyhow::Result;
use lifeline_incidents::IncidentError;
use lifeline_incidents::postgres::PostgresStore;
use lifeline_incidents::record::{Incident, Status};
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_incidents::store::{Filter, Imported, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The registry file when `--db` is not given: `$XDG_DATA_HOME/lifeline/incidents.sqlite`,
/// else `~/.local/share/lifeline/incidents.sqlite`.
fn default_db() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("lifeline/incidents.sqlite")
}

fn author() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// Reads incidents from a JSON file: one object or a list. Errors name the file, line
/// and column.
/// The registry `--db` names: a `postgres://` URL, else a SQLite file (default: the
/// user's data directory).
pub fn open_store(db: Option<&Path>) -> Result<Box<dyn Store + Send>, IncidentError> {
    match db {
        Some(url)
            if url.to_str().is_some_and(|u| {
                u.starts_with("postgres://") || u.starts_with("postgresql://")
            }) =>
        {
            PostgresStore::connect(url.to_str().unwrap_or_default())
                .map(|s| Box::new(s) as Box<dyn Store + Send>)
        }
        other => SqliteStore::open(&other.map_or_else(default_db, Path::to_path_buf))
            .map(|s| Box::new(s) as Box<dyn Store + Send>),
    }
}

/// Reads incidents and checks them all, so a file with one bad record writes nothing.
fn read_checked(path: &Path) -> Result<Vec<Incident>, String> {
    let incidents = read_incidents(path)?;
    for (i, incident) in incidents.iter().enumerate() {
        incident.check().map_err(|e| {
            format!(
                "{}: incident {}: {e} (nothing was written)",
                path.display(),
                i + 1
            )
        })?;
    }
    Ok(incidents)
}

fn read_incidents(path: &Path) -> Result<Vec<Incident>, String> {
    let text = std::fs::read_to_string(path)
        .map(lifeline_core::text::into_without_bom)
        .map_err(|e| format!("{}: cannot read the file: {e}", path.display()))?;
    if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
    {
        return lifeline_incidents::csv::read(&path.display().to_string(), &text)
            .map_err(|e| e.to_string());
    }
    // Syntax first (a file that is not JSON), then the records, with the path of the
    // field that does not fit ("[2].weapons[0].launched") and its line and column.
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
        return Err(format!(
            "{}:{}:{}: not JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        ));
    }
    let located = |e: serde_path_to_error::Error<serde_json::Error>| {
        let inner = e.inner();
        format!(
            "{}:{}:{}: {}: {}",
            path.display(),
            inner.line(),
            inner.column(),
            e.path(),
            inner
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
        )
    };
    if text.trim_start().starts_with('[') {
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
            .map_err(located)
    } else {
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
            .map(|one: Incident| vec![one])
            .map_err(located)
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Confirmed => "confirmed",
        Status::Retracted => "retracted",
    }
}

fn place(incident: &Incident) -> String {
    match (&incident.place.settlement, &incident.place.admin1) {
        (Some(s), Some(a)) if s != a => format!("{s} ({a})"),
        (Some(s), _) => s.clone(),
        (None, Some(a))
            if incident.place.country.as_deref() == Some("Ukraine") && a != "Crimea" =>
        {
            format!("{a} oblast")
        }
        (None, Some(a)) => match &incident.place.country {
            Some(c) => format!("{a} ({c})"),
            None => a.clone(),
        },
        (None, None) => incident.place.country.clone().unwrap_or_else(|| "—".into()),
    }
}

fn count(value: Option<u32>) -> String {
    value.map_or("—".into(), |v| v.to_string())
}

pub fn run(args: &IncidentsArgs) -> Result<ExitCode> {
    let mut store = match open_store(args.db.as_deref()) {
        Ok(store) => store,
        Err(error) => return Ok(fail(error)),
    };
    let store = store.as_mut();
    let json = args.json;
    match &args.command {
        IncidentsCommand::Add { file } => add(store, file, json),
        IncidentsCommand::Edit { id, file } => edit(store, id, file, json),
        IncidentsCommand::List {
            status,
            from,
            to,
            admin1,
        } => {
            let filter = Filter {
                status: status.iter().map(|s| s.status()).collect(),
                from: from.clone(),
                to: to.clone(),
                admin1: admin1.clone(),
            };
            list(store, &filter, json)
        }
        IncidentsCommand::Show { id } => Ok(done(store.get(id).map(|incident| {
            // The record is its own clearest form: pretty JSON either way.
            let _ = print_json(&incident);
        }))),
        IncidentsCommand::Confirm { id } => set_status(store, id, Status::Confirmed, json),
        IncidentsCommand::Retract { id } => set_status(store, id, Status::Retracted, json),
        IncidentsCommand::History { id } => history(store, id, json),
        IncidentsCommand::Import { file, as_new } => import(store, file, *as_new, json),
        IncidentsCommand::Evaluate { dir, second_reader } => {
            evaluate(dir, second_reader.as_deref(), json)
        }
        IncidentsCommand::Extract {
            report,
            date,
            publisher,
            add,
        } => extract(
            store,
            report,
            date.as_deref(),
            publisher.as_deref(),
            *add,
            json,
        ),
        IncidentsCommand::ToScenario {
            city,
            from,
            to,
            out,
        } => to_scenario(store, city, from, to, out.as_deref()),
        IncidentsCommand::Export { format, out } => export(store, *format, out.as_deref()),
    }
}

/// Success, or the registry's error on standard error.
fn done(outcome: Result<(), IncidentError>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

/// `incidents add`: every record of the file, checked first, added as new.
fn add(store: &mut dyn Store, file: &Path, json: bool) -> Result<ExitCode> {
    let incidents = match read_checked(file) {
        Ok(list) => list,
        Err(message) => return Ok(fail(message)),
    };
    let mut added = Vec::new();
    for incident in incidents {
        match store.add(incident, &author()) {
            Ok(incident) => added.push(incident),
            Err(error) => return Ok(fail(format!("{}: {error}", file.display()))),
        }
    }
    if json {
        print_json(&added)?;
    } else {
        for incident in &added {
            println!(
                "added {} ({}, {})",
                incident.id,
                incident.start,
                place(incident)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `incidents edit`: the file's one record as a new revision of `id`.
fn edit(store: &mut dyn Store, id: &str, file: &Path, json: bool) -> Result<ExitCode> {
    let mut incidents = match read_incidents(file) {
        Ok(list) if list.len() == 1 => list,
        Ok(list) => {
            return Ok(fail(format!(
                "{}: expected one incident, found {}",
                file.display(),
                list.len()
            )));
        }
        Err(message) => return Ok(fail(message)),
    };
    let mut incident = incidents.remove(0);
    incident.id = id.to_string();
    Ok(done(store.revise(incident, &author(), "edit").map(
        |revision| {
            if json {
                let _ = print_json(&revision);
            } else {
                println!("{id}: revision {}", revision.number);
                for change in &revision.changes {
                    println!("  {change}");
                }
            }
        },
    )))
}

/// `incidents list`: the incidents `filter` passes, as a table or JSON.
fn list(store: &mut dyn Store, filter: &Filter, json: bool) -> Result<ExitCode> {
    // The filter's fields are this command's options.
    if let Err(IncidentError::Invalid { field, message }) = filter.check() {
        return Ok(crate::output::usage_error(format!("--{field}: {message}")));
    }
    Ok(done(store.list(filter).map(|list| {
        if json {
            let _ = print_json(&list);
            return;
        }
        println!(
            "{:<11} {:<17} {:<26} {:>6} {:>7} {:>7} {:>9}  targets",
            "id", "start", "place", "expl.", "killed", "injured", "status"
        );
        for i in &list {
            let targets: Vec<String> = i
                .targets
                .iter()
                .map(|t| lifeline_incidents::record::wire_name(&t.category))
                .collect();
            println!(
                "{:<11} {:<17} {:<26} {:>6} {:>7} {:>7} {:>9}  {}",
                i.id,
                i.start,
                place(i),
                count(i.explosions),
                count(i.killed),
                count(i.injured),
                status_name(i.status),
                targets.join(", ")
            );
        }
        println!("{} incidents", list.len());
    })))
}

/// `incidents confirm` and `incidents retract`.
fn set_status(store: &mut dyn Store, id: &str, status: Status, json: bool) -> Result<ExitCode> {
    Ok(done(store.set_status(id, status, &author()).map(
        |revision| {
            if json {
                let _ = print_json(&revision);
            } else {
                println!(
                    "{id}: {} (revision {})",
                    status_name(status),
                    revision.number
                );
            }
        },
    )))
}

/// `incidents history`: every revision of `id` with what it changed.
fn history(store: &mut dyn Store, id: &str, json: bool) -> Result<ExitCode> {
    Ok(done(store.history(id).map(|history| {
        if json {
            let _ = print_json(&history);
            return;
        }
        for r in &history {
            println!("{:>3}  {}  {:<10} {}", r.number, r.at, r.action, r.author);
            for change in &r.changes {
                println!("       {change}");
            }
        }
    })))
}

/// `incidents import`: the file's records, checked first, added or updated by their ids.
fn import(store: &mut dyn Store, file: &Path, as_new: bool, json: bool) -> Result<ExitCode> {
    let incidents = match read_checked(file) {
        Ok(list) => list,
        Err(message) => return Ok(fail(message)),
    };
    let mut tally = [0usize; 3];
    for (i, incident) in incidents.into_iter().enumerate() {
        match store.import(incident, &author(), as_new) {
            Ok(Imported::Added) => tally[0] += 1,
            Ok(Imported::Updated) => tally[1] += 1,
            Ok(Imported::Unchanged) => tally[2] += 1,
            Err(error) => {
                return Ok(fail(format!(
                    "{}: incident {}: {error} ({} added, {} updated before it)",
                    file.display(),
                    i + 1,
                    tally[0],
                    tally[1]
                )));
            }
        }
    }
    if json {
        print_json(&serde_json::json!({
            "added": tally[0], "updated": tally[1], "unchanged": tally[2]
        }))?;
    } else {
        println!(
            "{} added, {} updated, {} unchanged",
            tally[0], tally[1], tally[2]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `incidents evaluate`: the extractor's precision and recall on labelled sets (a
/// folder's `dev/` and `test/`, or the folder), beside a second reader's with
/// `--second-reader`.
fn evaluate(dir: &Path, second_reader: Option<&Path>, json: bool) -> Result<ExitCode> {
    use lifeline_incidents::evaluate::{Reader, evaluate, evaluate_second_reader};
    let sets = match second_reader.map_or_else(
        || evaluate(dir),
        |second| evaluate_second_reader(dir, second),
    ) {
        Ok(e) => e,
        Err(error) => return Ok(fail(error)),
    };
    if json {
        print_json(&sets)?;
        return Ok(ExitCode::SUCCESS);
    }
    let percent = |x: f64| format!("{:.0}%", 100.0 * x);
    for (k, evaluation) in sets.iter().enumerate() {
        if k > 0 {
            println!();
        }
        let reader = match (second_reader, evaluation.reader) {
            (None, _) => "",
            (Some(_), Reader::Extractor) => " (extractor)",
            (Some(_), Reader::SecondReader) => " (second reader)",
        };
        println!(
            "{}{reader}: {} reports, {} labelled incidents, {} drafts",
            evaluation.set, evaluation.reports, evaluation.labels, evaluation.drafts
        );
        println!(
            "  {:<12} {:>5} {:>5} {:>5} {:>10} {:>8}",
            "field", "tp", "fp", "fn", "precision", "recall"
        );
        for (field, s) in evaluation.rows() {
            println!(
                "  {:<12} {:>5} {:>5} {:>5} {:>10} {:>8}",
                field,
                s.tp,
                s.fp,
                s.fn_,
                percent(s.precision()),
                percent(s.recall())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `incidents export`: every incident as JSON, CSV or GeoJSON.
fn export(store: &mut dyn Store, format: ExportFormat, out: Option<&Path>) -> Result<ExitCode> {
    let list = match store.list(&Filter::default()) {
        Ok(list) => list,
        Err(error) => return Ok(fail(error)),
    };
    let text = match format {
        ExportFormat::Json => serde_json::to_string_pretty(&list).unwrap_or_default(),
        ExportFormat::Csv => lifeline_incidents::csv::write(&list).trim_end().to_string(),
        ExportFormat::Geojson => {
            serde_json::to_string_pretty(&lifeline_app::incidents::geojson(&list))
                .unwrap_or_default()
        }
    };
    match out {
        Some(path) => match std::fs::write(path, text + "\n") {
            Ok(()) => {
                println!("{} incidents written to {}", list.len(), path.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Ok(fail(format!("{}: cannot write: {e}", path.display()))),
        },
        None => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `incidents to-scenario`: confirmed incidents from `from` to `to` whose targets name
/// assets become timed strikes ([`lifeline_app::incidents::to_scenario`]); the scenario
/// is checked against the city before it is written.
fn to_scenario(
    store: &mut dyn Store,
    city_file: &Path,
    from: &str,
    to: &str,
    out: Option<&Path>,
) -> Result<ExitCode> {
    use lifeline_app::incidents::{ScenarioRequest, confirmed_between};
    let filter = match confirmed_between(from, to) {
        Ok(filter) => filter,
        Err(error) => return Ok(fail(crate::flags::app_message(&error))),
    };
    let city = match crate::city_check::load(city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let incidents = match store.list(&filter) {
        Ok(list) => list,
        Err(error) => return Ok(fail(error)),
    };
    let made = match lifeline_app::incidents::to_scenario(
        &city,
        &ScenarioRequest::new(&incidents, from, to),
    ) {
        Ok(made) => made,
        Err(error) if error.field_name() == Some("incidents") => {
            eprintln!("error: {}", error.message());
            eprintln!(
                "fix the incidents' targets with lifeline incidents edit; nothing was written"
            );
            return Ok(ExitCode::from(1));
        }
        Err(lifeline_app::AppError::Cascade(error)) => {
            return Ok(crate::simulate::report_invalid(&error));
        }
        Err(error) => return Ok(fail(crate::flags::app_message(&error))),
    };
    for repeat in &made.repeats {
        eprintln!(
            "note: {} is hit again in {}; the scenario keeps its first strike",
            repeat.asset, repeat.incident
        );
    }
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &made.text) {
                return Ok(fail(format!("{}: cannot write: {e}", path.display())));
            }
            println!(
                "{} strikes from {} incidents written to {}",
                made.document.strikes.len(),
                made.incidents,
                path.display()
            );
        }
        None => print!("{}", made.text),
    }
    Ok(ExitCode::SUCCESS)
}

/// A draft as `extract --json` prints it: the main fields flat, then evidence and record.
#[derive(serde::Serialize)]
struct DraftRow<'a> {
    date: &'a str,
    time_precision: lifeline_incidents::record::TimePrecision,
    place: Option<&'a str>,
    admin1: Option<&'a str>,
    country: Option<&'a str>,
    weapon: Option<lifeline_incidents::record::WeaponClass>,
    launched: Option<u32>,
    intercepted: Option<u32>,
    explosions: Option<u32>,
    killed: Option<u32>,
    injured: Option<u32>,
    targets: Vec<lifeline_incidents::record::TargetCategory>,
    effects: &'a [lifeline_incidents::record::Effect],
    evidence: &'a [lifeline_incidents::extract::Evidence],
    record: &'a Incident,
    /// The registry id, with --add.
    id: Option<String>,
}

/// `incidents extract`: drafts from a report, printed (and added with `--add`).
fn extract(
    store: &mut dyn Store,
    report: &Path,
    date: Option<&str>,
    publisher: Option<&str>,
    add: bool,
    json: bool,
) -> Result<ExitCode> {
    let text = match std::fs::read_to_string(report) {
        Ok(text) => lifeline_core::text::into_without_bom(text),
        Err(e) => {
            return Ok(fail(format!(
                "{}: cannot read the report: {e}",
                report.display()
            )));
        }
    };
    let date = match date {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => return Ok(fail(format!("--date {d}: expected YYYY-MM-DD"))),
        },
    };
    let drafts = lifeline_incidents::extract::extract(&text, date, publisher);
    let mut ids: Vec<Option<String>> = vec![None; drafts.len()];
    if add {
        for (k, draft) in drafts.iter().enumerate() {
            match store.add(draft.record.clone(), &author()) {
                Ok(incident) => ids[k] = Some(incident.id),
                Err(error) => return Ok(fail(error)),
            }
        }
    }
    if json {
        let rows: Vec<DraftRow<'_>> = drafts
            .iter()
            .zip(&ids)
            .map(|(d, id)| {
                let r = &d.record;
                let first = r.weapons.first();
                DraftRow {
                    date: &r.start,
                    time_precision: r.time_precision,
                    place: r.place.settlement.as_deref(),
                    admin1: r.place.admin1.as_deref(),
                    country: r.place.country.as_deref(),
                    weapon: first.map(|w| w.class),
                    launched: first.and_then(|w| w.launched),
                    intercepted: first.and_then(|w| w.intercepted),
                    explosions: r.explosions,
                    killed: r.killed,
                    injured: r.injured,
                    targets: r.targets.iter().map(|t| t.category).collect(),
                    effects: &r.effects,
                    evidence: &d.evidence,
                    record: r,
                    id: id.clone(),
                }
            })
            .collect();
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} drafts from {}", drafts.len(), report.display());
    for (draft, id) in drafts.iter().zip(&ids) {
        let r = &draft.record;
        println!();
        println!(
            "{}{} — {}",
            id.as_ref().map_or(String::new(), |id| format!("{id}: ")),
            place(r),
            if r.start.is_empty() {
                "day unknown"
            } else {
                &r.start
            }
        );
        // Each sentence once, with the fields it gave.
        let mut sentences: Vec<(&str, Vec<String>)> = Vec::new();
        for e in &draft.evidence {
            let field = format!("{} {}", e.field, e.value);
            match sentences.iter_mut().find(|(s, _)| *s == e.sentence) {
                Some((_, fields)) => fields.push(field),
                None => sentences.push((&e.sentence, vec![field])),
            }
        }
        for (sentence, fields) in sentences {
            println!("  « {sentence} »");
            println!("      {}", fields.join(" · "));
        }
    }
    let undated = drafts.iter().filter(|d| d.record.start.is_empty()).count();
    if undated > 0 {
        println!();
        println!(
            "{undated} of the drafts have no day: the report has no date line and names none; \
             give --date YYYY-MM-DD, or set each day (lifeline incidents edit) before confirming."
        );
    }
    if add {
        println!();
        println!(
            "Added as drafts: check each against its sentence, then lifeline incidents confirm ID."
        );
    }
    Ok(ExitCode::SUCCESS)
}
