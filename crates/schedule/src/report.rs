//! Writers of a published schedule as CSV: each group's state per slot, and the slots
//! with their deficit. `lifeline schedule --out` and the Python package both use them.

use crate::publish::Document;
use lifeline_core::csv::field;
use std::io::{self, Write};

/// `group,critical,<slot start>…`: one row per group, its state (`on`, `off`, `maybe`)
/// in each slot, the slots' local starts as the header.
pub fn write_states(out: &mut impl Write, document: &Document) -> io::Result<()> {
    write!(out, "group,critical")?;
    for slot in &document.slots {
        write!(out, ",{}", field(&slot.start))?;
    }
    writeln!(out)?;
    for group in &document.groups {
        write!(out, "{},{}", field(&group.id), group.critical)?;
        for state in &group.states {
            write!(out, ",{state}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `start,start_h,deficit_mw,shed_mw,uncovered_mw,off`: one row per slot (MW to the kW,
/// never `-0.000`), `off` the groups off in it, space-separated.
pub fn write_slots(out: &mut impl Write, document: &Document) -> io::Result<()> {
    writeln!(out, "start,start_h,deficit_mw,shed_mw,uncovered_mw,off")?;
    for slot in &document.slots {
        writeln!(
            out,
            "{},{},{:.3},{:.3},{:.3},{}",
            field(&slot.start),
            slot.start_h,
            kw(slot.deficit_mw),
            kw(slot.shed_mw),
            kw(slot.uncovered_mw),
            field(&slot.off.join(" "))
        )?;
    }
    Ok(())
}

/// `mw` rounded to the kW with a negative zero (a rounded `-0.0001`) made `0`.
fn kw(mw: f64) -> f64 {
    let rounded = (mw * 1e3).round() / 1e3;
    if rounded == 0.0 { 0.0 } else { rounded }
}

#[cfg(test)]
mod tests {
    use super::kw;

    #[test]
    fn slots_never_show_a_negative_zero() {
        assert_eq!(format!("{:.3}", kw(-0.0)), "0.000");
        assert_eq!(format!("{:.3}", kw(-0.0004)), "0.000");
        assert_eq!(format!("{:.3}", kw(-0.0006)), "-0.001");
        assert_eq!(format!("{:.3}", kw(12.3456)), "12.346");
    }
}
