//! Branches: lines and transformers, in MATPOWER's pi model with the tap on the from side.

use crate::bus::BusId;
use serde::Serialize;

/// One row of `mpc.branch`. Impedances in p.u. on the system base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    /// From-bus number (`F_BUS`); the tap and phase shift sit on this side.
    pub from: BusId,
    /// To-bus number (`T_BUS`).
    pub to: BusId,
    /// Series resistance, p.u. (`BR_R`).
    pub r_pu: f64,
    /// Series reactance, p.u. (`BR_X`).
    pub x_pu: f64,
    /// Total line charging susceptance, p.u. (`BR_B`).
    pub b_pu: f64,
    /// Long-term rating, MVA (`RATE_A`); 0 means unlimited.
    pub rate_a_mva: f64,
    /// Short-term rating, MVA (`RATE_B`); 0 means unlimited.
    pub rate_b_mva: f64,
    /// Emergency rating, MVA (`RATE_C`); 0 means unlimited.
    pub rate_c_mva: f64,
    /// Off-nominal turns ratio (`TAP`) as written; 0 means a line (ratio 1).
    pub tap_ratio: f64,
    /// Phase shift angle, degrees (`SHIFT`), positive means a delay.
    pub shift_deg: f64,
    /// In service (`BR_STATUS` > 0).
    pub in_service: bool,
    /// Minimum angle difference, degrees (`ANGMIN`); -360 when the case omits it.
    pub angle_min_deg: f64,
    /// Maximum angle difference, degrees (`ANGMAX`); 360 when the case omits it.
    pub angle_max_deg: f64,
}

impl Branch {
    /// The turns ratio in use: `TAP`, or 1 where `TAP` is 0 (a line).
    pub fn effective_ratio(&self) -> f64 {
        if self.tap_ratio == 0.0 {
            1.0
        } else {
            self.tap_ratio
        }
    }

    /// Whether this branch is a transformer (a ratio or a phase shift is given).
    pub fn is_transformer(&self) -> bool {
        self.tap_ratio != 0.0 || self.shift_deg != 0.0
    }
}
