//! Status checks of links during a hydraulic solution (EPANET 2.3's `hydstatus.c`):
//! pressure valves, check valves, pumps, flow control valves and links to full or empty
//! tanks. Heads in ft, flows in cfs. EPANET's status-change report lines
//! (`writestatchange` when `Statflag == FULL`) are left out.

use crate::model::{BIG, LinkKind, MISSING, Network, PumpCurveKind, Status, TINY};
use crate::state::HydraulicState;
use std::sync::Arc;

/// EPANET's `valvestatus`: updates PRVs and PSVs whose status is not fixed; true if any
/// changed.
pub(crate) fn valve_status(net: &Network, st: &mut HydraulicState) -> bool {
    let mut change = false;
    for valve in &net.valves {
        let k = valve.link;
        let link = &net.links[k];
        if st.setting[k] == MISSING {
            continue;
        }
        let (n1, n2) = (link.from, link.to);
        let status = st.status[k];
        let (h1, h2) = (st.head[n1], st.head[n2]);
        st.status[k] = match link.kind {
            LinkKind::Prv => {
                let hset = net.nodes[n2].elevation + st.setting[k];
                prv_status(net, st, k, status, hset, h1, h2)
            }
            LinkKind::Psv => {
                let hset = net.nodes[n1].elevation + st.setting[k];
                psv_status(net, st, k, status, hset, h1, h2)
            }
            _ => continue,
        };
        if status != st.status[k] {
            change = true;
        }
    }
    change
}

/// EPANET's `linkstatus`: re-opens temporarily closed links, then checks CVs, pumps,
/// FCVs and links to tanks; true if any status changed. Only the links it can change
/// are looked at ([`HydraulicState::status_links`]), each as EPANET's loop over every
/// link would.
pub(crate) fn link_status(net: &Network, st: &mut HydraulicState) -> bool {
    let nj = net.n_junctions;
    let mut change = false;
    let links = Arc::clone(&st.status_links);
    for &k in links.iter() {
        let k = k as usize;
        let link = &net.links[k];
        let (n1, n2) = (link.from, link.to);
        let dh = st.head[n1] - st.head[n2];
        let status = st.status[k];
        if status == Status::XHead || status == Status::TempClosed {
            st.status[k] = Status::Open;
        }
        if link.kind == LinkKind::CvPipe {
            st.status[k] = cv_status(net, st.status[k], dh, st.flow[k]);
        }
        if link.kind == LinkKind::Pump && st.status[k] >= Status::Open && st.setting[k] > 0.0 {
            st.status[k] = pump_status(net, st, k, -dh);
        }
        if link.kind == LinkKind::Fcv && st.setting[k] != MISSING {
            st.status[k] = fcv_status(net, st, k, status, st.head[n1], st.head[n2]);
        }
        if n1 >= nj {
            tank_status(net, st, k, n1, st.flow[k]);
        }
        if n2 >= nj {
            tank_status(net, st, k, n2, -st.flow[k]);
        }
        if status != st.status[k] {
            change = true;
        }
    }
    change
}

/// EPANET's `cvstatus`: prevents reverse flow through a check valve.
fn cv_status(net: &Network, s: Status, dh: f64, q: f64) -> Status {
    let o = &net.options;
    if dh.abs() > o.htol {
        if dh < -o.htol || q < -o.qtol {
            Status::Closed
        } else {
            Status::Open
        }
    } else if q < -o.qtol {
        Status::Closed
    } else {
        s
    }
}

/// EPANET's `pumpstatus`: an open pump whose head gain `dh` (ft) exceeds what it can
/// deliver is closed (`XHead`).
fn pump_status(net: &Network, st: &HydraulicState, k: usize, dh: f64) -> Status {
    let hmax;
    match net.pump_of_link[k].map(|p| &net.pumps[p]) {
        Some(pump) if pump.curve_kind != PumpCurveKind::ConstantPower => {
            hmax = st.setting[k] * st.setting[k] * pump.h_max;
        }
        _ => {
            hmax = BIG;
            if st.flow[k] < TINY {
                return Status::TempClosed;
            }
        }
    }
    if dh > hmax + net.options.htol {
        return Status::XHead;
    }
    Status::Open
}

/// EPANET's `prvstatus`.
fn prv_status(
    net: &Network,
    st: &HydraulicState,
    k: usize,
    s: Status,
    hset: f64,
    h1: f64,
    h2: f64,
) -> Status {
    let htol = net.options.htol;
    let qtol = net.options.qtol;
    let q = st.flow[k];
    let hml = net.links[k].km * (q * q);
    match s {
        Status::Active => {
            if q < -qtol {
                Status::Closed
            } else if h1 - hml < hset - htol {
                Status::Open
            } else {
                Status::Active
            }
        }
        Status::Open => {
            if q < -qtol {
                Status::Closed
            } else if h2 >= hset + htol {
                Status::Active
            } else {
                Status::Open
            }
        }
        Status::Closed => {
            if h1 >= hset + htol && h2 < hset - htol {
                Status::Active
            } else if h1 < hset - htol && h1 > h2 + htol {
                Status::Open
            } else {
                Status::Closed
            }
        }
        Status::XPressure if q < -qtol => Status::Closed,
        _ => s,
    }
}

/// EPANET's `psvstatus`.
fn psv_status(
    net: &Network,
    st: &HydraulicState,
    k: usize,
    s: Status,
    hset: f64,
    h1: f64,
    h2: f64,
) -> Status {
    let htol = net.options.htol;
    let qtol = net.options.qtol;
    let q = st.flow[k];
    let hml = net.links[k].km * (q * q);
    match s {
        Status::Active => {
            if q < -qtol {
                Status::Closed
            } else if h2 + hml > hset + htol {
                Status::Open
            } else {
                Status::Active
            }
        }
        Status::Open => {
            if q < -qtol {
                Status::Closed
            } else if h1 < hset - htol {
                Status::Active
            } else {
                Status::Open
            }
        }
        Status::Closed => {
            if h2 > hset + htol && h1 > h2 + htol {
                Status::Open
            } else if h1 >= hset + htol && h1 > h2 + htol {
                Status::Active
            } else {
                Status::Closed
            }
        }
        Status::XPressure if q < -qtol => Status::Closed,
        _ => s,
    }
}

/// EPANET's `fcvstatus`.
fn fcv_status(net: &Network, st: &HydraulicState, k: usize, s: Status, h1: f64, h2: f64) -> Status {
    let q = st.flow[k];
    if h1 - h2 < -net.options.htol || q < -net.options.qtol {
        Status::XFcv
    } else if s == Status::XFcv && q >= st.setting[k] {
        Status::Active
    } else if s == Status::Active && (h1 - h2) / (q * q) < net.links[k].km {
        Status::XFcv
    } else {
        s
    }
}

/// EPANET's `tankstatus`: closes link `k` when it would fill a full tank or drain an
/// empty one; `q` is its flow out of (+) or into (−) tank node `n`.
fn tank_status(net: &Network, st: &mut HydraulicState, k: usize, n: usize, q: f64) {
    if st.status[k] <= Status::Closed {
        return;
    }
    let tank = &net.tanks[n - net.n_junctions];
    if tank.area == 0.0 {
        return;
    }
    let full = st.head[n] >= tank.h_max && !tank.can_overflow && q < 0.0;
    let empty = st.head[n] <= tank.h_min && q > 0.0;
    if full || empty {
        st.status[k] = Status::TempClosed;
    }
}
