//! Generators: plants and other sources, with their dispatch and limits.

use crate::bus::BusId;
use serde::Serialize;

/// One row of `mpc.gen`. Powers in MW / MVAr.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generator {
    /// Bus number the generator is connected to (`GEN_BUS`).
    pub bus: BusId,
    /// Scheduled active output, MW (`PG`).
    pub p_mw: f64,
    /// Reactive output, MVAr (`QG`).
    pub q_mvar: f64,
    /// Maximum reactive output, MVAr (`QMAX`); may be infinite.
    pub q_max_mvar: f64,
    /// Minimum reactive output, MVAr (`QMIN`); may be infinite.
    pub q_min_mvar: f64,
    /// Voltage set point, p.u. (`VG`).
    pub v_set_pu: f64,
    /// Machine base, MVA (`MBASE`).
    pub m_base_mva: f64,
    /// In service (`GEN_STATUS` > 0).
    pub in_service: bool,
    /// Maximum active output, MW (`PMAX`).
    pub p_max_mw: f64,
    /// Minimum active output, MW (`PMIN`).
    pub p_min_mw: f64,
}

/// One row of `mpc.gencost` (kept so a case survives a round trip; not used by power flow).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratorCost {
    /// Cost model: 1 piecewise linear, 2 polynomial.
    pub model: u8,
    /// Start-up cost, $.
    pub startup: f64,
    /// Shut-down cost, $.
    pub shutdown: f64,
    /// The coefficients or breakpoints as written (`NCOST` of them, or pairs for model 1).
    pub coefficients: Vec<f64>,
}
