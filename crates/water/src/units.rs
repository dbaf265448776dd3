//! Units: EPANET answers in the input file's units; lifeline speaks SI (m, L/s, m³).
//!
//! US customary files (flow in CFS, GPM, MGD, IMGD or AFD) use feet for lengths and heads,
//! cubic feet for volumes; metric files (LPS, LPM, MLD, CMH, CMD, CMS) use metres and cubic
//! metres. Pressures have their own unit option in EPANET 2.3 (psi, kPa, m, bar, ft).

use epanet_sys as ffi;
use serde::Serialize;

/// Metres per foot.
pub const M_PER_FT: f64 = 0.3048;
/// Litres per cubic foot.
pub const L_PER_FT3: f64 = 28.316_846_592;
/// Metres of water (specific gravity 1) per psi.
pub const M_PER_PSI: f64 = 0.703_070;
/// Metres of water (specific gravity 1) per kPa: 1 / 9.80665.
const M_PER_KPA: f64 = 1.0 / 9.806_65;

/// The flow unit of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FlowUnit {
    /// Cubic feet per second.
    Cfs,
    /// US gallons per minute.
    Gpm,
    /// Million US gallons per day.
    Mgd,
    /// Million imperial gallons per day.
    Imgd,
    /// Acre-feet per day.
    Afd,
    /// Litres per second.
    Lps,
    /// Litres per minute.
    Lpm,
    /// Megalitres per day.
    Mld,
    /// Cubic metres per hour.
    Cmh,
    /// Cubic metres per day.
    Cmd,
    /// Cubic metres per second.
    Cms,
}

impl FlowUnit {
    /// From EPANET's `EN_FlowUnits` code.
    pub fn from_code(code: i32) -> Option<Self> {
        use FlowUnit::*;
        Some(match code as u32 {
            ffi::EN_FlowUnits_EN_CFS => Cfs,
            ffi::EN_FlowUnits_EN_GPM => Gpm,
            ffi::EN_FlowUnits_EN_MGD => Mgd,
            ffi::EN_FlowUnits_EN_IMGD => Imgd,
            ffi::EN_FlowUnits_EN_AFD => Afd,
            ffi::EN_FlowUnits_EN_LPS => Lps,
            ffi::EN_FlowUnits_EN_LPM => Lpm,
            ffi::EN_FlowUnits_EN_MLD => Mld,
            ffi::EN_FlowUnits_EN_CMH => Cmh,
            ffi::EN_FlowUnits_EN_CMD => Cmd,
            ffi::EN_FlowUnits_EN_CMS => Cms,
            _ => return None,
        })
    }

    /// Litres per second in one unit of this flow (EPANET's own conversion constants:
    /// 448.831 GPM, 0.64632 MGD, 0.5382 IMGD and 1.9837 AFD per CFS).
    pub fn lps(self) -> f64 {
        use FlowUnit::*;
        match self {
            Cfs => L_PER_FT3,
            Gpm => L_PER_FT3 / 448.831,
            Mgd => L_PER_FT3 / 0.64632,
            Imgd => L_PER_FT3 / 0.5382,
            Afd => L_PER_FT3 / 1.9837,
            Lps => 1.0,
            Lpm => 1.0 / 60.0,
            Mld => 1e6 / 86_400.0,
            Cmh => 1000.0 / 3600.0,
            Cmd => 1000.0 / 86_400.0,
            Cms => 1000.0,
        }
    }

    /// The unit's name as EPANET files write it (`GPM`, `LPS`, ...).
    pub fn name(self) -> &'static str {
        use FlowUnit::*;
        match self {
            Cfs => "CFS",
            Gpm => "GPM",
            Mgd => "MGD",
            Imgd => "IMGD",
            Afd => "AFD",
            Lps => "LPS",
            Lpm => "LPM",
            Mld => "MLD",
            Cmh => "CMH",
            Cmd => "CMD",
            Cms => "CMS",
        }
    }

    /// Whether the file is in US customary units (feet, cubic feet).
    pub fn is_us(self) -> bool {
        matches!(
            self,
            FlowUnit::Cfs | FlowUnit::Gpm | FlowUnit::Mgd | FlowUnit::Imgd | FlowUnit::Afd
        )
    }
}

/// Conversion factors from a file's units to SI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Units {
    /// The file's flow unit.
    pub flow_unit: FlowUnit,
    /// L/s per file flow unit.
    pub lps_per_flow: f64,
    /// m per file length unit (heads, elevations, levels).
    pub m_per_length: f64,
    /// m³ per file volume unit.
    pub m3_per_volume: f64,
    /// m of head per file pressure unit (physical constants, the file's specific
    /// gravity). EPANET itself rounds (0.4333 psi per ft, 0.703 44 m per psi); we follow
    /// the physical value, as the reference results do.
    pub m_per_pressure: f64,
}

impl Units {
    /// The factors for a file with `flow_unit`, EPANET pressure-unit code `pressure_code`
    /// (`EN_PRESS_UNITS`) and `specific_gravity` (`EN_SP_GRAVITY`).
    pub fn new(flow_unit: FlowUnit, pressure_code: i32, specific_gravity: f64) -> Self {
        let us = flow_unit.is_us();
        let gravity = if specific_gravity > 0.0 {
            specific_gravity
        } else {
            1.0
        };
        let m_per_pressure = match pressure_code as u32 {
            ffi::EN_PressUnits_EN_METERS => 1.0,
            ffi::EN_PressUnits_EN_FEET => M_PER_FT,
            ffi::EN_PressUnits_EN_KPA => M_PER_KPA / gravity,
            ffi::EN_PressUnits_EN_BAR => 100.0 * M_PER_KPA / gravity,
            _ => M_PER_PSI / gravity,
        };
        Self {
            flow_unit,
            lps_per_flow: flow_unit.lps(),
            m_per_length: if us { M_PER_FT } else { 1.0 },
            m3_per_volume: if us {
                M_PER_FT * M_PER_FT * M_PER_FT
            } else {
                1.0
            },
            m_per_pressure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_factors() {
        assert!((FlowUnit::Gpm.lps() - 0.0630902).abs() < 1e-7);
        assert!((FlowUnit::Cfs.lps() - 28.3168).abs() < 1e-4);
        assert!((FlowUnit::Cmh.lps() - 0.277_777_8).abs() < 1e-7);
        assert!((FlowUnit::Mgd.lps() - 43.8126).abs() < 1e-3);
        assert!(FlowUnit::Gpm.is_us() && !FlowUnit::Lps.is_us());
        let metric = Units::new(FlowUnit::Lps, ffi::EN_PressUnits_EN_METERS as i32, 1.0);
        assert_eq!(metric.m_per_pressure, 1.0);
        let us = Units::new(FlowUnit::Gpm, ffi::EN_PressUnits_EN_PSI as i32, 1.0);
        assert_eq!(us.m_per_pressure, M_PER_PSI);
    }
}
