//! `lifeline schedule`: rolling outage schedules for a city's outage groups, and
//! `lifeline schedule lookup`: a district's groups and their next outages.

use crate::cli::{LookupArgs, ScheduleArgs};
use crate::output::{fail, print_json, write_file, write_json_file};
use anyhow::{Context, Result};
use lifeline_app::schedule::{Capacity, ScheduleInputs, ScheduleRequest, Scheduled, TextFile};
use lifeline_cascade::{City, Scenario, simulate};
use lifeline_schedule::calendar::{Clock, group_calendar, outages};
use lifeline_schedule::publish::{self, GroupRow, SlotRow};
use lifeline_schedule::schedule::Schedule;
use lifeline_schedule::{Group, ScheduleError, report};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `--json` document (also `schedule.json` with `--out`): the published schedule and
/// the files written.
#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(flatten)]
    schedule: publish::Document,
    written: Option<Written>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Written {
    json: PathBuf,
    table: PathBuf,
    slots: PathBuf,
    calendars: Vec<PathBuf>,
}

fn read(path: &Path) -> Result<String, ScheduleError> {
    std::fs::read_to_string(path)
        .map(lifeline_core::text::into_without_bom)
        .map_err(|e| ScheduleError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })
}

pub fn run(args: &ScheduleArgs) -> Result<ExitCode> {
    let Some(city_file) = &args.city else {
        return Ok(fail(
            "give the city: lifeline schedule CITY.toml --capacity FILE",
        ));
    };
    let city = match crate::city_check::load(city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let request = ScheduleRequest {
        slot_minutes: args.slot_minutes,
        max_off_h: args.max_off,
        min_on_h: args.min_on,
        hours: args.hours,
        start: args.start.clone(),
        tz: args.tz.clone(),
        exact_seconds: args.exact_seconds,
        exempt: args.exempt.clone(),
    };
    let text = |path: &Option<PathBuf>| -> Result<Option<(String, String)>, ScheduleError> {
        path.as_ref()
            .map(|p| read(p).map(|text| (p.display().to_string(), text)))
            .transpose()
    };
    let files = (|| -> Result<_, ScheduleError> {
        Ok((
            text(&args.groups)?,
            text(&args.group_loads)?,
            text(&args.stages)?,
            text(&args.capacity)?,
        ))
    })();
    let (groups, group_loads, stages, steps) = match files {
        Ok(files) => files,
        Err(error) => return Ok(fail(error)),
    };
    // Capacity: a file of steps, or what the grid serves in a cascade run.
    let run;
    let scenario;
    let capacity = match (&steps, &args.from_scenario) {
        (Some((name, text)), None) => Capacity::Steps(TextFile { name, text }),
        (None, Some(path)) => {
            scenario = match Scenario::load(path, &city) {
                Ok(s) => s,
                Err(error) => return Ok(crate::simulate::report_invalid(&error)),
            };
            run = match simulate(&city, &scenario, &mut |_, _| {}) {
                Ok(r) => r,
                Err(error) => return Ok(crate::simulate::report_invalid(&error)),
            };
            Capacity::Cascade {
                result: &run,
                start: scenario.start.as_deref(),
            }
        }
        _ => {
            return Ok(fail(
                "give the available generation: --capacity FILE or --from-scenario SCENARIO.toml",
            ));
        }
    };
    let inputs = ScheduleInputs {
        groups: file(&groups),
        group_loads: file(&group_loads),
        stages: file(&stages),
        capacity,
    };
    let Scheduled {
        published,
        clock,
        groups,
    } = match lifeline_app::schedule::schedule(&city, &request, &inputs) {
        Ok(scheduled) => scheduled,
        Err(error) => return Ok(fail(crate::flags::app_message(&error))),
    };
    let mut document = Document {
        schedule: published.document,
        written: None,
    };
    if let Some(dir) = &args.out {
        document.written = Some(write_outputs(
            dir,
            &city,
            &clock,
            &groups,
            &published.schedule,
            &document,
        )?);
    }
    if args.json {
        print_json(&document)?;
    } else {
        print_document(&document.schedule, document.written.as_ref());
    }
    Ok(ExitCode::SUCCESS)
}

fn write_outputs(
    dir: &Path,
    city: &City,
    clock: &Clock,
    groups: &[Group],
    published: &Schedule,
    document: &Document,
) -> Result<Written> {
    let written_json = document;
    let document = &document.schedule;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let table = write_file(&dir.join("schedule.csv"), |out| {
        report::write_states(out, document)
    })?;
    let slots = write_file(&dir.join("slots.csv"), |out| {
        report::write_slots(out, document)
    })?;
    let mut calendars = Vec::new();
    for (g, group) in groups.iter().enumerate().filter(|(_, g)| !g.critical) {
        let text = group_calendar(clock, &city.name, &group.id, &published.off[g]);
        let name = format!("group-{}.ics", group.id.replace(['/', '\\', ' '], "_"));
        calendars.push(write_file(&dir.join("calendars").join(name), |out| {
            std::io::Write::write_all(out, text.as_bytes())
        })?);
    }
    let json = dir.join("schedule.json");
    let written = Written {
        json: json.clone(),
        table,
        slots,
        calendars,
    };
    write_json_file(&json, written_json)?;
    Ok(written)
}

fn print_document(document: &publish::Document, written: Option<&Written>) {
    println!(
        "Outage schedule for {}: {} groups, {} h from {} ({}), {}-minute slots; at most {} h off, at least {} h on between outages",
        document.city,
        document.groups.iter().filter(|g| !g.critical).count(),
        document.hours,
        document.start,
        document.zone,
        document.slot_minutes,
        document.max_off_h,
        document.min_on_h
    );
    println!(
        "Published: the {} schedule.  █ off   ░ maybe (off if the deficit grows by 10 %)   · on",
        document.schedule
    );
    let per_row = (24 * 60 / document.slot_minutes) as usize;
    for (day, chunk) in document.slots.chunks(per_row).enumerate() {
        let first = day * per_row;
        println!();
        // The hours as two rows of digits, under the date.
        let date = chunk.first().map_or("", |s| &s.start[..10]);
        for (digit, label) in [(0, date), (1, "")] {
            print!("{label:<10} ");
            for slot in chunk {
                let on_the_hour = &slot.start[14..16] == "00";
                let digit = slot.start[11..13].chars().nth(digit).unwrap_or(' ');
                print!("{}", if on_the_hour { digit } else { ' ' });
            }
            println!();
        }
        for group in &document.groups {
            print!(
                "{:<10} ",
                if group.critical {
                    format!("{} ✓", group.id)
                } else {
                    group.id.clone()
                }
            );
            for state in &group.states[first..first + chunk.len()] {
                print!(
                    "{}",
                    match state.as_str() {
                        "off" => '█',
                        "maybe" => '░',
                        _ => '·',
                    }
                );
            }
            println!();
        }
    }
    println!();
    println!(
        "{:<10} {:>14} {:>14} {:>10} {:>12} {:>10}",
        "schedule", "over-shed MWh", "uncovered MWh", "spread", "longest off", "switches"
    );
    for f in &document.figures {
        println!(
            "{:<10} {:>14.1} {:>14.1} {:>8} h {:>10} h {:>10}",
            f.name,
            f.over_shed_mwh,
            f.uncovered_mwh,
            f.off_spread_slots as f64 * document.slot_minutes as f64 / 60.0,
            f.longest_off_slots as f64 * document.slot_minutes as f64 / 60.0,
            f.switch_offs
        );
        if let Some(optimal) = f.optimal {
            println!(
                "{:<10} {}",
                "",
                if optimal {
                    "(exact: proven optimal)"
                } else {
                    "(exact: best found in the time limit)"
                }
            );
        }
    }
    let uncovered: Vec<&SlotRow> = document
        .slots
        .iter()
        .filter(|s| s.uncovered_mw > 1e-9)
        .collect();
    if !uncovered.is_empty() {
        println!();
        println!("Slots the rules cannot cover:");
        for slot in uncovered {
            println!("  {}  {:.1} MW short", slot.start, slot.uncovered_mw);
        }
    }
    if let Some(written) = written {
        println!();
        println!("Written:");
        println!("  {}", written.json.display());
        println!("  {}", written.table.display());
        println!("  {}", written.slots.display());
        println!(
            "  {} calendars in {}",
            written.calendars.len(),
            written
                .calendars
                .first()
                .and_then(|p| p.parent())
                .map_or(String::new(), |p| p.display().to_string())
        );
    }
}

/// `lifeline schedule lookup`: a district's groups and their next outages, from a
/// schedule written by `--out`.
pub fn lookup(args: &LookupArgs) -> Result<ExitCode> {
    let document = match read_published(&args.schedule) {
        Ok(document) => document,
        Err(message) => return Ok(fail(message)),
    };
    let first_slot = match first_slot_from(args, &document) {
        Ok(slot) => slot,
        Err(message) => return Ok(fail(message)),
    };
    let groups: Vec<(&GroupRow, f64)> = document
        .groups
        .iter()
        .filter_map(|g| {
            g.districts
                .iter()
                .find(|d| d.name.eq_ignore_ascii_case(&args.district))
                .map(|d| (g, d.share))
        })
        .collect();
    if groups.is_empty() {
        let mut names: Vec<&str> = document
            .groups
            .iter()
            .flat_map(|g| g.districts.iter().map(|d| d.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        return Ok(fail(format!(
            "district '{}' is in no outage group of {}; districts: {}",
            args.district,
            args.schedule.display(),
            names.join(", ")
        )));
    }
    let next: Vec<Next<'_>> = groups
        .iter()
        .map(|(g, share)| {
            let off: Vec<bool> = g.states.iter().map(|s| s == "off").collect();
            let end = |s: usize| {
                document
                    .slots
                    .get(s)
                    .map_or_else(|| "end".to_string(), |slot| slot.start.clone())
            };
            Next {
                group: &g.id,
                share: *share,
                outages: outages(&off)
                    .into_iter()
                    .filter(|o| o.to > first_slot)
                    .take(args.count)
                    .map(|o| (document.slots[o.from].start.clone(), end(o.to)))
                    .collect(),
            }
        })
        .collect();
    if args.json {
        print_json(&next)?;
    } else {
        print_lookup(args, &document, &next);
    }
    Ok(ExitCode::SUCCESS)
}

/// A file read for a request, as the application layer takes it.
fn file(read: &Option<(String, String)>) -> Option<TextFile<'_>> {
    read.as_ref().map(|(name, text)| TextFile { name, text })
}

/// A group of the district looked up and its next outages (local start, end).
#[derive(Serialize)]
struct Next<'a> {
    group: &'a str,
    share: f64,
    outages: Vec<(String, String)>,
}

/// A schedule written by `lifeline schedule --out`.
fn read_published(path: &Path) -> Result<publish::Document, String> {
    let text = std::fs::read_to_string(path)
        .map(lifeline_core::text::into_without_bom)
        .map_err(|e| {
            format!(
                "{}: cannot read the schedule ({e}); write one with lifeline schedule ... --out DIR",
                path.display()
            )
        })?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a schedule written by lifeline schedule: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The first slot that ends after `--from` (0 without it).
fn first_slot_from(args: &LookupArgs, document: &publish::Document) -> Result<usize, String> {
    let Some(from) = &args.from else {
        return Ok(0);
    };
    let clock =
        Clock::new(from, &document.zone, document.slot_minutes).map_err(|error| match error {
            ScheduleError::Request(field) if field.field == "start" => {
                format!("--from: {}", field.message)
            }
            other => other.to_string(),
        })?;
    let start = chrono::DateTime::parse_from_rfc3339(&document.start)
        .map_err(|e| format!("{}: start: {e}", args.schedule.display()))?
        .with_timezone(&chrono::Utc);
    let minutes = (clock.start - start).num_minutes();
    Ok(if minutes <= 0 {
        0
    } else {
        (minutes / document.slot_minutes.max(1)) as usize
    })
}

/// The district's groups and their next outages, as a table.
fn print_lookup(args: &LookupArgs, document: &publish::Document, next: &[Next<'_>]) {
    println!(
        "{} in {} ({}):",
        args.district, document.city, document.zone
    );
    for n in next {
        println!(
            "  group {} ({:.0} % of the district's customers)",
            n.group,
            n.share * 100.0
        );
        if n.outages.is_empty() {
            println!("    no outages scheduled");
        }
        for (from, to) in &n.outages {
            println!(
                "    off {} → {}",
                &from[..16].replace('T', " "),
                if to == "end" {
                    to.clone()
                } else {
                    to[..16].replace('T', " ")
                }
            );
        }
    }
}
