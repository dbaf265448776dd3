//! Buses: the nodes of the grid (a substation's busbar at one voltage level).

use serde::Serialize;

/// A bus number as written in the case file (MATPOWER `BUS_I`): any positive integer,
/// not necessarily contiguous.
pub type BusId = u32;

/// The role of a bus in a power flow (MATPOWER `BUS_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BusKind {
    /// Load bus: P and Q given, |V| and angle solved (type 1).
    Pq,
    /// Generator bus: P and |V| given, angle and Q solved (type 2).
    Pv,
    /// Slack (reference) bus: |V| and angle given, P and Q solved (type 3).
    Slack,
    /// Isolated bus, out of service (type 4).
    Isolated,
}

impl BusKind {
    /// The MATPOWER `BUS_TYPE` code: 1 PQ, 2 PV, 3 slack, 4 isolated.
    pub fn code(self) -> u8 {
        match self {
            BusKind::Pq => 1,
            BusKind::Pv => 2,
            BusKind::Slack => 3,
            BusKind::Isolated => 4,
        }
    }

    /// The kind for a MATPOWER `BUS_TYPE` code, if it is one of 1–4.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(BusKind::Pq),
            2 => Some(BusKind::Pv),
            3 => Some(BusKind::Slack),
            4 => Some(BusKind::Isolated),
            _ => None,
        }
    }
}

/// One row of `mpc.bus`. Powers in MW / MVAr, voltages in p.u. of `base_kv`, angles in
/// degrees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bus {
    /// Bus number (`BUS_I`).
    pub id: BusId,
    /// Bus type (`BUS_TYPE`).
    pub kind: BusKind,
    /// Active load, MW (`PD`).
    pub p_load_mw: f64,
    /// Reactive load, MVAr (`QD`).
    pub q_load_mvar: f64,
    /// Shunt conductance: MW consumed at 1 p.u. voltage (`GS`).
    pub g_shunt_mw: f64,
    /// Shunt susceptance: MVAr injected at 1 p.u. voltage (`BS`).
    pub b_shunt_mvar: f64,
    /// Area number (`BUS_AREA`).
    pub area: u32,
    /// Voltage magnitude, p.u. (`VM`): the starting point for `--init case`.
    pub vm_pu: f64,
    /// Voltage angle, degrees (`VA`): fixes the slack angle; start point for `--init case`.
    pub va_deg: f64,
    /// Base voltage, kV (`BASE_KV`); 0 where the case does not give it.
    pub base_kv: f64,
    /// Loss zone (`ZONE`).
    pub zone: u32,
    /// Maximum voltage magnitude, p.u. (`VMAX`).
    pub vmax_pu: f64,
    /// Minimum voltage magnitude, p.u. (`VMIN`).
    pub vmin_pu: f64,
    /// Name from `mpc.bus_name`, if the case has one.
    pub name: Option<String>,
}
