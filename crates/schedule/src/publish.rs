//! The published schedule: the fair schedule (or the exact one when it covers as much and
//! sheds no more), each group's state per slot with the "maybe" slots, and the figures of
//! every schedule side by side. `lifeline schedule --json` and the HTTP API both give this
//! document.

use crate::calendar::Clock;
use crate::schedule::{Figures, Schedule, deficits};
use crate::{Group, Rules, exact, rotation, scheduler};
use lifeline_cascade::City;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How much more deficit a "maybe" slot allows for: groups that would be off if the
/// deficit were this much larger are marked `maybe`.
pub const MAYBE_MARGIN: f64 = 0.10;

/// A group's state in a slot: off in the published schedule.
pub const SLOT_OFF: &str = "off";
/// A group's state in a slot: off if the deficit were [`MAYBE_MARGIN`] larger.
pub const SLOT_MAYBE: &str = "maybe";
/// A group's state in a slot: on.
pub const SLOT_ON: &str = "on";
/// Every state of [`GroupRow::states`].
pub const SLOT_STATES: [&str; 3] = [SLOT_OFF, SLOT_MAYBE, SLOT_ON];

/// Largest problem (groups × slots) given to the exact model; beyond it HiGHS rarely
/// finds a good schedule in seconds (see docs/BENCHMARKS.md).
pub const EXACT_MAX_CELLS: usize = 5_000;

/// A group in the document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupRow {
    /// The group's id.
    pub id: String,
    /// Never switched off (pump stations, facilities).
    pub critical: bool,
    /// Load, MW.
    pub load_mw: f64,
    /// Load per slot, MW, when given per slot.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_mw: Vec<f64>,
    /// Districts it covers and the share of each district's customers in it.
    pub districts: Vec<DistrictShare>,
    /// State per slot: `on`, `off`, or `maybe` (off if the deficit grows by 10 %).
    pub states: Vec<String>,
    /// Slots off in the published schedule.
    pub off_slots: usize,
}

/// A district's share in a group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DistrictShare {
    /// The district's name.
    pub name: String,
    /// Share of the district's customers, 0–1.
    pub share: f64,
}

/// A slot in the document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotRow {
    /// Local start, ISO 8601 with offset.
    pub start: String,
    /// Start, h from the schedule's start.
    pub start_h: f64,
    /// Load above the generation available, MW.
    pub deficit_mw: f64,
    /// Load of the groups off, MW.
    pub shed_mw: f64,
    /// Groups off.
    pub off: Vec<String>,
    /// Deficit the rules cannot cover, MW.
    pub uncovered_mw: f64,
}

/// A schedule's figures in the document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FiguresRow {
    /// `fair`, `exact` or `rotation`.
    pub name: String,
    /// Load shed beyond the deficit, MWh.
    pub over_shed_mwh: f64,
    /// Deficit not covered, MWh.
    pub uncovered_mwh: f64,
    /// Slots with a deficit not covered.
    pub uncovered_slots: usize,
    /// Most minus fewest off slots among switchable groups.
    pub off_spread_slots: usize,
    /// Longest continuous outage of any group, slots.
    pub longest_off_slots: usize,
    /// Times a group is switched off.
    pub switch_offs: usize,
    /// `exact` only: proven optimal (else the best found in the time limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimal: Option<bool>,
}

impl From<Figures> for FiguresRow {
    fn from(f: Figures) -> Self {
        Self {
            name: f.name,
            over_shed_mwh: f.over_shed_mwh,
            uncovered_mwh: f.uncovered_mwh,
            uncovered_slots: f.uncovered_slots,
            off_spread_slots: f.off_spread_slots,
            longest_off_slots: f.longest_off_slots,
            switch_offs: f.switch_offs,
            optimal: None,
        }
    }
}

/// The published schedule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// The city's name.
    pub city: String,
    /// IANA time zone of the local times.
    pub zone: String,
    /// Local start of the first slot, ISO 8601 with offset.
    pub start: String,
    /// Slot length, minutes.
    pub slot_minutes: i64,
    /// Horizon, h.
    pub hours: f64,
    /// Longest continuous off time allowed, h.
    pub max_off_h: f64,
    /// Shortest on time between outages, h.
    pub min_on_h: f64,
    /// The schedule published (`fair` or `exact`).
    pub schedule: String,
    /// Every group, critical ones included.
    pub groups: Vec<GroupRow>,
    /// Every slot.
    pub slots: Vec<SlotRow>,
    /// The fair schedule's figures, the exact one's when solved, then the naive rotation's.
    pub figures: Vec<FiguresRow>,
}

/// A published schedule and the schedule behind it (for calendars).
pub struct Published {
    /// The document.
    pub document: Document,
    /// The schedule it publishes.
    pub schedule: Schedule,
}

/// Schedules `groups` under `capacity_mw` per slot: the fair schedule with `stages`, the
/// exact model for up to `exact_seconds` (0: not tried; never with stages or above
/// [`EXACT_MAX_CELLS`]) and the naive rotation, and publishes the best.
pub fn publish(
    city: &City,
    clock: &Clock,
    rules: &Rules,
    groups: &[Group],
    capacity_mw: &[f64],
    stages: &[Option<usize>],
    exact_seconds: f64,
) -> Published {
    let deficit = deficits(groups, capacity_mw);
    let fair = scheduler::staged(groups, &deficit, rules, stages);
    let stressed: Vec<f64> = deficit
        .iter()
        .map(|&d| {
            if d > 0.0 {
                d * (1.0 + MAYBE_MARGIN)
            } else {
                0.0
            }
        })
        .collect();
    let possible = scheduler::staged(groups, &stressed, rules, stages);
    let naive = rotation::naive(groups, &deficit);
    // The exact model knows no stages: with stages, the fair schedule is published.
    let solved = (exact_seconds > 0.0
        && stages.is_empty()
        && groups.len() * deficit.len() <= EXACT_MAX_CELLS)
        .then(|| {
            exact::solve(
                groups,
                &deficit,
                rules,
                Duration::from_secs_f64(exact_seconds),
            )
        })
        .flatten();
    let fair_figures = fair.figures(groups, &deficit, rules);
    let mut figures: Vec<FiguresRow> = vec![fair_figures.clone().into()];
    let mut published = fair;
    if let Some(solved) = solved {
        let f = solved.schedule.figures(groups, &deficit, rules);
        let better = (f.uncovered_mwh, f.over_shed_mwh)
            <= (
                fair_figures.uncovered_mwh + 1e-9,
                fair_figures.over_shed_mwh + 1e-9,
            );
        let mut row: FiguresRow = f.into();
        row.optimal = Some(solved.optimal);
        figures.push(row);
        if better {
            published = solved.schedule;
        }
    }
    figures.push(naive.figures(groups, &deficit, rules).into());
    let document = Document {
        figures,
        ..document(city, clock, rules, groups, &deficit, &published, &possible)
    };
    Published {
        document,
        schedule: published,
    }
}

fn document(
    city: &City,
    clock: &Clock,
    rules: &Rules,
    groups: &[Group],
    deficit: &[f64],
    published: &Schedule,
    possible: &Schedule,
) -> Document {
    let group_rows = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let districts = city
                .outage_groups
                .iter()
                .find(|og| og.id == group.id)
                .map(|og| {
                    og.shares
                        .iter()
                        .map(|&(d, share)| DistrictShare {
                            name: city.districts[d].name.clone(),
                            share,
                        })
                        .collect()
                })
                .unwrap_or_default();
            GroupRow {
                id: group.id.clone(),
                critical: group.critical,
                load_mw: group.load_mw,
                profile_mw: group.profile_mw.clone(),
                districts,
                states: (0..deficit.len())
                    .map(|s| {
                        if published.off[g][s] {
                            SLOT_OFF
                        } else if possible.off[g][s] {
                            SLOT_MAYBE
                        } else {
                            SLOT_ON
                        }
                        .to_string()
                    })
                    .collect(),
                off_slots: published.off[g].iter().filter(|&&o| o).count(),
            }
        })
        .collect();
    let slots = published
        .slots(groups, deficit, rules)
        .into_iter()
        .enumerate()
        .map(|(s, slot)| SlotRow {
            start: clock.local(s),
            start_h: slot.start_h,
            deficit_mw: slot.deficit_mw,
            shed_mw: slot.shed_mw,
            off: slot.off,
            uncovered_mw: slot.uncovered_mw,
        })
        .collect();
    Document {
        city: city.name.clone(),
        zone: clock.zone.name().to_string(),
        start: clock.local(0),
        slot_minutes: clock.slot_minutes,
        hours: deficit.len() as f64 * rules.slot_h,
        max_off_h: rules.max_off_slots as f64 * rules.slot_h,
        min_on_h: rules.min_on_slots as f64 * rules.slot_h,
        schedule: published.name.clone(),
        groups: group_rows,
        slots,
        figures: Vec::new(),
    }
}
