//! Setting a link's status and setting as EPANET's `setlinkstatus`, `setlinksetting` and
//! `resetpumpflow` do, and the other small helpers of `hydraul.c`.

use crate::model::{LinkKind, MISSING, Network, PumpCurveKind, QZERO, Status};
use crate::solve::pcv_loss_coefficient;
use crate::state::HydraulicState;

/// EPANET's `ROUND` of a time in seconds.
pub(super) fn round(x: f64) -> i64 {
    if x >= 0.0 {
        (x + 0.5) as i64
    } else {
        (x - 0.5) as i64
    }
}

/// EPANET's `initlinkflow`: a starting flow for link `k`, cfs.
pub(super) fn initial_flow(net: &Network, k: usize, status: Status, setting: f64) -> f64 {
    let link = &net.links[k];
    if status == Status::Closed {
        QZERO
    } else if link.kind == LinkKind::Pump {
        let pump = net.pump_of_link[k].map(|p| net.pumps[p].q0).unwrap_or(0.0);
        setting * pump
    } else {
        std::f64::consts::PI * (link.diameter * link.diameter) / 4.0
    }
}

/// EPANET's `resetpumpflow`: a constant-power pump re-opened starts at its design flow.
pub(super) fn reset_pump_flow(net: &Network, st: &mut HydraulicState, k: usize) {
    if let Some(p) = net.pump_of_link[k]
        && net.pumps[p].curve_kind == PumpCurveKind::ConstantPower
    {
        st.flow[k] = net.pumps[p].q0;
    }
}

/// EPANET's `setlinksetting`: a pump's speed or a valve's setting (internal units).
pub(super) fn set_link_setting(net: &Network, st: &mut HydraulicState, k: usize, value: f64) {
    let link = &net.links[k];
    match link.kind {
        LinkKind::Pump => {
            st.setting[k] = value;
            if value > 0.0 && st.status[k] <= Status::Closed {
                reset_pump_flow(net, st, k);
                st.status[k] = Status::Open;
            }
            if value == 0.0 && st.status[k] > Status::Closed {
                st.status[k] = Status::Closed;
            }
        }
        LinkKind::Fcv => {
            st.setting[k] = value;
            st.status[k] = Status::Active;
        }
        _ => {
            if st.setting[k] == MISSING && st.status[k] <= Status::Closed {
                st.status[k] = Status::Open;
            }
            if link.kind == LinkKind::Pcv {
                st.resistance[k] = pcv_loss_coefficient(net, k, value);
            }
            st.setting[k] = value;
        }
    }
}

/// EPANET's `setlinkstatus`: opens (`true`) or closes link `k`; a pump's speed becomes
/// 1 or 0, a valve's setting other than a GPV's is dropped.
pub(super) fn set_status(net: &Network, st: &mut HydraulicState, k: usize, open: bool) {
    let kind = net.links[k].kind;
    if open {
        if kind == LinkKind::Pump {
            st.setting[k] = 1.0;
            if st.status[k] == Status::Closed {
                reset_pump_flow(net, st, k);
            }
        }
        if kind > LinkKind::Pump && kind != LinkKind::Gpv {
            st.setting[k] = MISSING;
        }
        st.status[k] = Status::Open;
    } else {
        if kind == LinkKind::Pump {
            st.setting[k] = 0.0;
        }
        if kind > LinkKind::Pump && kind != LinkKind::Gpv {
            st.setting[k] = MISSING;
        }
        st.status[k] = Status::Closed;
    }
}
