//! Announced stages: how many groups are off at once in a time window, as utilities
//! announce them ("stage 2 from 18:00 to 22:00"). A CSV of windows
//! `from_h,to_h,groups_off`; windows may not overlap.

use crate::csv::Table;
use crate::error::ScheduleError;

/// Groups off at once in each of `slots` slots of `slot_h` hours (`None`: no stage, the
/// deficit decides).
pub fn from_csv(
    path: &str,
    text: &str,
    slots: usize,
    slot_h: f64,
) -> Result<Vec<Option<usize>>, ScheduleError> {
    let table = Table::parse(path, text)?;
    let (from, to, off) = (
        table.column("from_h")?,
        table.column("to_h")?,
        table.column("groups_off")?,
    );
    let mut windows: Vec<(f64, f64, usize, usize)> = Vec::new();
    for row in &table.rows {
        let a = table.number(&row[from], "from_h")?;
        let b = table.number(&row[to], "to_h")?;
        if a < 0.0 || b <= a {
            return Err(table.error(
                &row[to],
                format!("to_h: a window must end after it starts and start at 0 h or later, got {a}–{b} h"),
            ));
        }
        let count = row[off].text.parse::<usize>().map_err(|_| {
            table.error(
                &row[off],
                format!(
                    "groups_off: expected a whole number of groups, got '{}'",
                    row[off].text
                ),
            )
        })?;
        if let Some(&(c, d, _, line)) = windows.iter().find(|&&(c, d, _, _)| a < d && c < b) {
            return Err(table.error(
                &row[from],
                format!(
                    "overlapping rules: stage window {a}–{b} h overlaps {c}–{d} h on line {line}"
                ),
            ));
        }
        windows.push((a, b, count, row[from].line));
    }
    Ok((0..slots)
        .map(|s| {
            let t = s as f64 * slot_h;
            windows
                .iter()
                .find(|&&(a, b, _, _)| a <= t + 1e-9 && t + 1e-9 < b)
                .map(|w| w.2)
        })
        .collect())
}
