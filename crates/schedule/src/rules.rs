//! The rules of a schedule, in slots.

use crate::error::{ScheduleError, invalid};
use serde::Serialize;

/// Rules every schedule keeps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rules {
    /// Slot length, h (1 or 0.5).
    pub slot_h: f64,
    /// Longest continuous off time, slots (≥ 1).
    pub max_off_slots: usize,
    /// Shortest on time between two outages of a group, slots.
    pub min_on_slots: usize,
}

impl Rules {
    /// Rules from hours: `slot_minutes` 60 or 30, `max_off_h` and `min_on_h` whole
    /// multiples of the slot.
    pub fn new(slot_minutes: u32, max_off_h: f64, min_on_h: f64) -> Result<Self, ScheduleError> {
        if slot_minutes != 60 && slot_minutes != 30 {
            return Err(invalid(
                "slot_minutes",
                format!("slot length must be 60 or 30 minutes, got {slot_minutes}"),
            ));
        }
        let slot_h = f64::from(slot_minutes) / 60.0;
        let slots = |field: &'static str, name: &str, h: f64| -> Result<usize, ScheduleError> {
            let n = h / slot_h;
            if !(h.is_finite() && h >= 0.0) || (n - n.round()).abs() > 1e-9 {
                return Err(invalid(
                    field,
                    format!(
                        "{name} must be a whole number of {slot_minutes}-minute slots, got {h} h"
                    ),
                ));
            }
            Ok(n.round() as usize)
        };
        let max_off_slots = slots("max_off", "maximum off time", max_off_h)?;
        if max_off_slots == 0 {
            return Err(invalid(
                "max_off",
                "maximum off time must be at least one slot",
            ));
        }
        let min_on_slots = slots("min_on", "minimum on time", min_on_h)?;
        Ok(Self {
            slot_h,
            max_off_slots,
            min_on_slots,
        })
    }
}
