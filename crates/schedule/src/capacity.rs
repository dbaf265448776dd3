//! Generation available per slot, MW, from a CSV file of steps: `from_h,available_mw`,
//! each value holding from its hour until the next row's (the first row at hour 0).

use crate::csv::Table;
use crate::error::ScheduleError;

/// Available generation in each of `slots` slots of `slot_h` hours, from the CSV `text`.
pub fn from_csv(
    path: &str,
    text: &str,
    slots: usize,
    slot_h: f64,
) -> Result<Vec<f64>, ScheduleError> {
    let table = Table::parse(path, text)?;
    let (from, available) = (table.column("from_h")?, table.column("available_mw")?);
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for row in &table.rows {
        let at = table.number(&row[from], "from_h")?;
        let mw = table.number(&row[available], "available_mw")?;
        if mw < 0.0 {
            return Err(table.error(
                &row[available],
                format!("available_mw: capacity cannot be negative, got {mw} MW"),
            ));
        }
        match steps.last() {
            None if at != 0.0 => {
                return Err(table.error(
                    &row[from],
                    format!("from_h: the first step must start at hour 0, got {at}"),
                ));
            }
            Some(&(previous, _)) if at <= previous => {
                return Err(table.error(
                    &row[from],
                    format!(
                        "from_h: steps must be in increasing time order, got {at} after {previous}"
                    ),
                ));
            }
            _ => {}
        }
        steps.push((at, mw));
    }
    if steps.is_empty() {
        return Err(ScheduleError::Empty {
            path: path.to_string(),
            message: "no capacity rows: expected from_h,available_mw lines".into(),
        });
    }
    Ok(fill(&steps, slots, slot_h))
}

/// The value of `steps` (`(from_h, value)`, in time order, the first at 0) at the start
/// of each of `slots` slots of `slot_h` hours.
pub(crate) fn fill(steps: &[(f64, f64)], slots: usize, slot_h: f64) -> Vec<f64> {
    (0..slots)
        .map(|s| {
            let t = s as f64 * slot_h;
            steps
                .iter()
                .rev()
                .find(|(at, _)| *at <= t + 1e-9)
                .or(steps.first())
                .map_or(0.0, |&(_, value)| value)
        })
        .collect()
}

/// Available generation in each of `slots` slots of `slot_h` hours, in the units of
/// `groups`' loads, from a cascade `result`: the groups' load less the share of the case's
/// load that the grid shed at each slot's start (the last reported time at or before it)
/// because generation could not carry it. Load dark because of damage is not a deficit:
/// switching healthy customers off does not bring it back, so a grid with generation
/// enough yields no deficit whatever the damage.
pub fn from_cascade(
    groups: &[crate::Group],
    result: &lifeline_cascade::CascadeResult,
    slots: usize,
    slot_h: f64,
) -> Vec<f64> {
    let case_load: f64 = result
        .districts
        .iter()
        .map(|d| d.timeline.first().map_or(0.0, |s| s.load_mw))
        .sum();
    (0..slots)
        .map(|s| {
            let t = s as f64 * slot_h;
            let k = result
                .times_h
                .iter()
                .rposition(|&x| x <= t + 1e-9)
                .unwrap_or(0);
            let shed: f64 = result
                .districts
                .iter()
                .filter_map(|d| d.timeline.get(k))
                .map(|sample| sample.shed_mw)
                .sum();
            let load: f64 = groups.iter().map(|g| g.load_at(s)).sum();
            if case_load > 0.0 {
                load * (1.0 - shed / case_load).clamp(0.0, 1.0)
            } else {
                load
            }
        })
        .collect()
}
