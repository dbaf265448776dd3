//! Coefficients of the linearised network equations (EPANET 2.3's `hydcoeffs.c`), in
//! internal units: heads in ft, flows in cfs, `P` (inverse head-loss gradient) in
//! cfs/ft, `Y` (flow correction) in cfs.
//!
//! Every function follows its C namesake line by line. Where EPANET temporarily
//! overwrites a link's `Km` (`tcvcoeff`, `pcvcoeff`), the loss coefficient is passed to
//! `valve_coeff` instead. EPANET 2.3's leakage model (`leakagecoeffs`) is left out:
//! it would add its terms in `matrix_coeffs` after the demand coefficients.

use crate::matrix::{AddLinkTerms, AddTerms, F64x4, LaneTerms, LinkSlots, NodalSystem};
use crate::model::{
    CBIG, CSMALL, DemandModel, HeadLossFormula, LinkKind, MISSING, Network, PumpCurveKind, Status,
    TINY,
};
#[cfg(target_arch = "x86_64")]
use crate::pow::{pow, with_port};
use crate::state::{DemandCoeffs, HydraulicState};
use std::f64::consts::PI;

// Constants of the Darcy-Weisbach friction factor, with hydcoeffs.c's digits.
#[allow(clippy::excessive_precision)]
const A1: f64 = 3.141_592_653_589_793_238_50e+03; // 1000*PI
#[allow(clippy::excessive_precision)]
const A2: f64 = 1.570_796_326_794_896_619_30e+03; // 500*PI
#[allow(clippy::excessive_precision)]
const A8: f64 = 4.618_413_198_590_666_686_90e+00; // 5.74*(PI/4)^.9
#[allow(clippy::excessive_precision)]
const A9: f64 = -8.685_889_638_065_036_553_00e-01; // -2/ln(10)
#[allow(clippy::excessive_precision)]
const AB: f64 = 3.288_954_763_453_990_586_90e-03; // 5.74/(4000^.9)
#[allow(clippy::excessive_precision)]
const AC: f64 = -5.142_149_657_990_938_837_60e-03; // AA*AB

/// EPANET's `SGN`: -1 for negative values, else 1.
pub(crate) fn sgn(x: f64) -> f64 {
    if x < 0.0 { -1.0 } else { 1.0 }
}

/// EPANET's `addlowerbarrier`: keeps a flow from falling below a limit (`dq` = flow −
/// limit, cfs); adds to the head loss (ft) and its gradient (ft/cfs).
pub(crate) fn add_lower_barrier(dq: f64, hloss: &mut f64, hgrad: &mut f64) {
    let a = 1.0e9 * dq;
    let b = (a * a + 1.0e-6).sqrt();
    *hloss += (a - b) / 2.0;
    *hgrad += (1.0e9 / 2.0) * (1.0 - a / b);
}

/// EPANET's `addupperbarrier`: keeps a flow from exceeding a limit (`dq` = flow − limit).
pub(crate) fn add_upper_barrier(dq: f64, hloss: &mut f64, hgrad: &mut f64) {
    let a = 1.0e9 * dq;
    let b = (a * a + 1.0e-6).sqrt();
    *hloss += (a + b) / 2.0;
    *hgrad += (1.0e9 / 2.0) * (1.0 + a / b);
}

/// EPANET's `resistcoeff`: the flow resistance of link `k` (`Link.R`): H-W
/// ft/cfs^1.852, D-W ft/cfs² before the friction factor, C-M ft/cfs²; pumps `CBIG`; a
/// PCV its initial setting's loss coefficient; other valves `CSMALL`.
pub fn resistance(net: &Network, k: usize) -> f64 {
    let link = &net.links[k];
    match link.kind {
        LinkKind::CvPipe | LinkKind::Pipe => {
            let e = link.kc;
            let d = link.diameter;
            let l = link.length;
            match net.options.formula {
                HeadLossFormula::HazenWilliams => {
                    4.727 * l / e.powf(net.options.hexp) / d.powf(4.871)
                }
                HeadLossFormula::DarcyWeisbach => {
                    let a = PI * (d * d) / 4.0;
                    l / 2.0 / 32.2 / d / (a * a)
                }
                HeadLossFormula::ChezyManning => {
                    let c = 4.0 * e / (1.49 * PI * (d * d));
                    c * c * (d / 4.0).powf(-1.333) * l
                }
            }
        }
        LinkKind::Pump => CBIG,
        LinkKind::Pcv => pcv_loss_coefficient(net, k, link.kc),
        _ => CSMALL,
    }
}

/// EPANET's `pcvlosscoeff`: a positional control valve's minor loss coefficient
/// (internal form, ft per cfs²) at `setting` percent open.
pub fn pcv_loss_coefficient(net: &Network, k: usize, setting: f64) -> f64 {
    let s = setting;
    if s == MISSING {
        return 0.0;
    }
    let kmo = net.links[k].km;
    if s >= 100.0 {
        return kmo;
    }
    if s <= 0.0 {
        return CBIG;
    }
    let curve = net.valve_of_link[k]
        .and_then(|v| net.valves[v].curve)
        .map(|c| &net.curves[c]);
    let mut kvr = match curve {
        None => s,
        Some(curve) => {
            let (x, y) = (&curve.x, &curve.y);
            let npts = x.len();
            if s < x[0] {
                s / x[0] * y[0]
            } else if s > x[npts - 1] {
                let k2 = npts - 1;
                (s - x[k2]) / (1. - x[k2]) * (1. - y[k2]) + y[k2]
            } else {
                let mut k2 = 0;
                while k2 < npts && x[k2] < s {
                    k2 += 1;
                }
                if k2 == 0 {
                    k2 += 1;
                } else if k2 == npts {
                    k2 -= 1;
                }
                let k1 = k2 - 1;
                let slope = (y[k2] - y[k1]) / (x[k2] - x[k1]);
                y[k1] + slope * (s - x[k1])
            }
        }
    };
    kvr /= 100.0;
    kvr = kvr.min(1.0);
    kvr = kvr.max(CSMALL);
    let km = kmo / (kvr * kvr);
    km.min(CBIG)
}

/// EPANET's `headlosscoeffs`: `P` and `Y` of every link; the open H-W pipes whose flow
/// changed are done together, eight at a time where the port runs (see [`with_port`]).
pub(crate) fn headloss_coeffs(net: &Network, st: &mut HydraulicState) {
    #[cfg(target_arch = "x86_64")]
    let fast = headloss_coeffs_avx;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = headloss_coeffs_plain;
    with_port(fast, headloss_coeffs_plain, (net, st));
}

/// [`headloss_coeffs`] one pipe at a time.
fn headloss_coeffs_plain((net, st): (&Network, &mut HydraulicState)) {
    let hw_pipes = each_headloss_coeff(net, st);
    for &k in &hw_pipes {
        hw_pipe_coeff(net, st, k as usize);
    }
    st.give_back(hw_pipes);
}

/// [`headloss_coeffs`] with the H-W pipes eight at a time, in two groups of AVX2
/// lanes, their powers too.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn headloss_coeffs_avx((net, st): (&Network, &mut HydraulicState)) {
    let o = &net.options;
    let hw_pipes = each_headloss_coeff(net, st);
    const GROUPS: usize = 2;
    for chunk in hw_pipes.chunks(4 * GROUPS) {
        // Lanes past the end of the last chunk compute a unit pipe, never stored.
        let mut flow = [[1.0; 4]; GROUPS];
        let mut r = [[1.0; 4]; GROUPS];
        let mut ml = [[0.0; 4]; GROUPS];
        for (i, &k) in chunk.iter().enumerate() {
            let k = k as usize;
            let (g, lane) = (i / 4, i % 4);
            flow[g][lane] = st.flow[k];
            r[g][lane] = st.resistance[k];
            ml[g][lane] = net.links[k].km;
        }
        let (p, y) = crate::lanes::hw_pipes(o.hexp, o.rqtol, flow, r, ml);
        for (i, &k) in chunk.iter().enumerate() {
            let (g, lane) = (i / 4, i % 4);
            st.p[k as usize] = p[g][lane];
            st.y[k as usize] = y[g][lane];
        }
    }
    st.give_back(hw_pipes);
}

/// The loop of [`headloss_coeffs`] over every link but the open H-W pipes whose flow
/// changed, which it returns (in link order). Each link's coefficients depend on that
/// link alone, so the pipes go first, then the network's pumps and valves.
#[inline(always)]
fn each_headloss_coeff(net: &Network, st: &mut HydraulicState) -> Vec<u32> {
    let mut hw_pipes = std::mem::take(&mut st.hw_pipes);
    let pipes = std::sync::Arc::clone(&st.pipes);
    for &k in pipes.iter() {
        if pipe_coeff(net, st, k as usize) {
            hw_pipes.push(k);
        }
    }
    for pump in &net.pumps {
        pump_coeff(net, st, pump.link);
    }
    for valve in &net.valves {
        let k = valve.link;
        match net.links[k].kind {
            // Not valves.
            LinkKind::CvPipe | LinkKind::Pipe | LinkKind::Pump => {}
            LinkKind::Pbv => pbv_coeff(net, st, k),
            LinkKind::Tcv => tcv_coeff(net, st, k),
            LinkKind::Pcv => pcv_coeff(net, st, k),
            LinkKind::Gpv => gpv_coeff(net, st, k),
            LinkKind::Fcv | LinkKind::Prv | LinkKind::Psv => {
                if st.setting[k] == MISSING {
                    valve_coeff(net, st, k, net.links[k].km);
                } else {
                    st.p[k] = 0.0;
                }
            }
        }
    }
    hw_pipes
}

/// EPANET's `matrixcoeffs`: assembles the nodal system from links, emitters and
/// pressure-dependent demands, then the control valves.
pub(crate) fn matrix_coeffs(net: &Network, st: &mut HydraulicState, sys: &mut NodalSystem) {
    sys.clear();
    st.xflow.fill(0.0);
    link_coeffs(st, sys);
    emitter_coeffs(net, st, sys);
    demand_coeffs(net, st, sys);
    // EPANET 2.3: `if (hyd->HasLeakage) leakagecoeffs(pr);` — leakage is not modelled.
    node_coeffs(net, st, sys);
    valve_coeffs(net, st, sys);
}

/// One run's pressure-dependent demand terms, at most one to a junction's diagonal and
/// one to its right-hand side, kept to be added into the run's lane in each row's
/// order ([`demand_and_node_terms_in_lanes`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct JunctionTerms {
    diagonal: Vec<f64>,
    rhs: Vec<f64>,
    /// Whether the junction has its terms.
    has: Vec<bool>,
}

impl JunctionTerms {
    /// None kept, for `n` junctions.
    fn clear(&mut self, n: usize) {
        self.has.clear();
        self.has.resize(n, false);
        self.diagonal.resize(n, 0.0);
        self.rhs.resize(n, 0.0);
    }
}

impl AddTerms for JunctionTerms {
    fn add_diagonal(&mut self, junction: usize, v: f64) {
        self.diagonal[junction] = v;
        self.has[junction] = true;
    }
    fn add_rhs(&mut self, junction: usize, v: f64) {
        self.rhs[junction] = v;
        self.has[junction] = true;
    }
}

/// For a run whose links' terms are made in lanes: its emitters' terms into its lane,
/// its demands' terms kept in `demands`, and its node excesses made, not added; then
/// [`demand_and_node_terms_in_lanes`], then [`valve_coeffs`]: each row's terms in
/// [`matrix_coeffs`]' order.
pub(crate) fn terms_before_merge<S: AddTerms>(
    net: &Network,
    st: &mut HydraulicState,
    lane: &mut S,
    demands: &mut JunctionTerms,
) {
    emitter_coeffs(net, st, lane);
    demands.clear(net.n_junctions);
    demand_coeffs(net, st, demands);
    node_excesses(net, st);
}

/// The demands' terms and node excesses of up to four runs (lane `i` run `i`'s; lanes
/// past the runs untouched) added to the rows of their lanes, the demands' first.
/// More than four runs is a caller's error, and panics rather than leave runs out.
pub(crate) fn demand_and_node_terms_in_lanes(
    runs: &[(&HydraulicState, &JunctionTerms)],
    rows: &[usize],
    aii: &mut [F64x4],
    rhs: &mut [F64x4],
) {
    let n = rows.len();
    let terms = |lane: usize| {
        let (st, demands) = runs[lane];
        JunctionLane {
            has: &demands.has[..n],
            diagonal: &demands.diagonal[..n],
            rhs: &demands.rhs[..n],
            excess: &st.xflow[..n],
        }
    };
    // The number of runs made a constant, so that each row's loop over them unrolls.
    match runs.len() {
        0 => {}
        1 => merge_in_lanes([terms(0)], rows, aii, rhs),
        2 => merge_in_lanes([0, 1].map(terms), rows, aii, rhs),
        3 => merge_in_lanes([0, 1, 2].map(terms), rows, aii, rhs),
        4 => merge_in_lanes([0, 1, 2, 3].map(terms), rows, aii, rhs),
        more => panic!("{more} runs for four lanes"),
    }
}

/// One run's demand terms and node excesses, by junction.
#[derive(Clone, Copy)]
struct JunctionLane<'a> {
    has: &'a [bool],
    diagonal: &'a [f64],
    rhs: &'a [f64],
    excess: &'a [f64],
}

/// [`demand_and_node_terms_in_lanes`] for `N` runs.
#[inline(always)]
fn merge_in_lanes<const N: usize>(
    runs: [JunctionLane<'_>; N],
    rows: &[usize],
    aii: &mut [F64x4],
    rhs: &mut [F64x4],
) {
    for (i, &row) in rows.iter().enumerate() {
        let (diagonal, rhs) = (&mut aii[row], &mut rhs[row]);
        for (lane, run) in runs.iter().enumerate() {
            if run.has[i] {
                diagonal.0[lane] += run.diagonal[i];
                rhs.0[lane] += run.rhs[i];
            }
            rhs.0[lane] += run.excess[i];
        }
    }
}

/// The node excesses of `linkcoeffs` alone, from zero, for a run whose links' matrix
/// terms are made in lanes with its copies' ([`link_terms_in_lanes`]).
pub(crate) fn link_excesses(st: &mut HydraulicState, slots: &[LinkSlots]) {
    let (p, flow, xflow) = (&st.p, &st.flow, &mut st.xflow);
    xflow.fill(0.0);
    for (k, link) in slots.iter().enumerate() {
        if p[k] == 0.0 {
            continue;
        }
        xflow[link.from as usize] -= flow[k];
        xflow[link.to as usize] += flow[k];
    }
}

/// The matrix terms of `linkcoeffs` for up to four runs of one network at once, lane
/// `i` run `i`'s (lanes past the runs repeat run 0's), each lane's additions those of
/// [`link_coeffs`] in its order, a link skipped in the lanes whose `P` is zero; the
/// node excesses are each run's ([`link_excesses`]). One to four runs: any other
/// number is a caller's error, and panics rather than leave runs out.
pub(crate) fn link_terms_in_lanes(
    runs: &[&HydraulicState],
    slots: &[LinkSlots],
    terms: LaneTerms<'_>,
) {
    #[cfg(target_arch = "x86_64")]
    let fast = link_terms_in_lanes_avx;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = link_terms_in_lanes_plain;
    with_port(fast, link_terms_in_lanes_plain, (runs, slots, terms));
}

/// The arguments of [`link_terms_in_lanes`].
type InLanes<'a, 'b> = (&'a [&'a HydraulicState], &'a [LinkSlots], LaneTerms<'b>);

/// [`link_terms_in_lanes`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn link_terms_in_lanes_avx(args: InLanes<'_, '_>) {
    link_terms_in_lanes_plain(args);
}

#[inline(always)]
fn link_terms_in_lanes_plain((runs, slots, terms): InLanes<'_, '_>) {
    assert!(
        (1..=4).contains(&runs.len()),
        "{} runs for four lanes",
        runs.len()
    );
    let run = |i: usize| runs[if i < runs.len() { i } else { 0 }];
    let runs = [run(0), run(1), run(2), run(3)];
    let n = slots.len();
    let (p, y) = (runs.map(|r| &r.p[..n]), runs.map(|r| &r.y[..n]));
    let LaneTerms {
        aii,
        off_diagonal,
        rhs,
    } = terms;
    for (k, link) in slots.iter().enumerate() {
        let pk = F64x4([p[0][k], p[1][k], p[2][k], p[3][k]]);
        let skip = pk.0.map(|pk| pk == 0.0);
        if skip == [true; 4] {
            continue;
        }
        let yk = F64x4([y[0][k], y[1][k], y[2][k], y[3][k]]);
        let minus = |v: F64x4| F64x4(v.0.map(|v| -v));
        let (r1, r2) = (link.from_row as usize, link.to_row as usize);
        // Each lane's value plus its term, but where the lane skips the link.
        let plus = |value: &mut F64x4, term: F64x4| {
            let sum = *value + term;
            if skip == [false; 4] {
                *value = sum;
            } else {
                for lane in 0..4 {
                    if !skip[lane] {
                        value.0[lane] = sum.0[lane];
                    }
                }
            }
        };
        plus(&mut off_diagonal[link.off_diagonal as usize], minus(pk));
        let head = |node: u32| F64x4(runs.map(|r| r.head[node as usize]));
        if r1 != 0 {
            plus(&mut aii[r1], pk);
            plus(&mut rhs[r1], yk);
        } else if r2 != 0 {
            plus(&mut rhs[r2], pk * head(link.from));
        }
        if r2 != 0 {
            plus(&mut aii[r2], pk);
            plus(&mut rhs[r2], minus(yk));
        } else if r1 != 0 {
            plus(&mut rhs[r1], pk * head(link.to));
        }
    }
}

/// Adds to the diagonal of `node` when it is a junction (EPANET writes fixed-head rows
/// too, and ignores them).
fn add_aii<S: AddTerms>(net: &Network, sys: &mut S, node: usize, v: f64) {
    if node < net.n_junctions {
        sys.add_diagonal(node, v);
    }
}

/// Adds to the right-hand side of `node` when it is a junction.
fn add_f<S: AddTerms>(net: &Network, sys: &mut S, node: usize, v: f64) {
    if node < net.n_junctions {
        sys.add_rhs(node, v);
    }
}

/// EPANET's `linkcoeffs`, by each link's [`LinkSlots`](crate::matrix::LinkSlots).
fn link_coeffs(st: &mut HydraulicState, sys: &mut NodalSystem) {
    let (slots, terms) = sys.slots_and_terms();
    let (p, y, flow, head, xflow) = (&st.p, &st.y, &st.flow, &st.head, &mut st.xflow);
    for (k, link) in slots.iter().enumerate() {
        let pk = p[k];
        if pk == 0.0 {
            continue;
        }
        let (n1, n2) = (link.from as usize, link.to as usize);
        let (r1, r2) = (link.from_row as usize, link.to_row as usize);
        xflow[n1] -= flow[k];
        xflow[n2] += flow[k];
        terms.off_diagonal[link.off_diagonal as usize] += -pk;
        if r1 != 0 {
            terms.aii[r1] += pk;
            terms.rhs[r1] += y[k];
        } else if r2 != 0 {
            terms.rhs[r2] += pk * head[n1];
        }
        if r2 != 0 {
            terms.aii[r2] += pk;
            terms.rhs[r2] += -y[k];
        } else if r1 != 0 {
            terms.rhs[r1] += pk * head[n2];
        }
    }
}

/// EPANET's `nodecoeffs`: demands into the flow excess, flow excess into `F`.
fn node_coeffs(net: &Network, st: &mut HydraulicState, sys: &mut NodalSystem) {
    node_excesses(net, st);
    for i in 0..net.n_junctions {
        sys.add_rhs(i, st.xflow[i]);
    }
}

/// The first half of `nodecoeffs`: each junction's demand taken from its flow excess.
fn node_excesses(net: &Network, st: &mut HydraulicState) {
    for i in 0..net.n_junctions {
        st.xflow[i] -= st.demand_flow[i];
    }
}

/// EPANET's `valvecoeffs`: PRVs, PSVs and FCVs whose status is not fixed.
pub(crate) fn valve_coeffs<S: AddLinkTerms>(net: &Network, st: &mut HydraulicState, sys: &mut S) {
    for valve in &net.valves {
        let k = valve.link;
        if st.setting[k] == MISSING {
            continue;
        }
        let link = &net.links[k];
        let (n1, n2) = (link.from, link.to);
        match link.kind {
            LinkKind::Prv => prv_coeff(net, st, sys, k, n1, n2),
            LinkKind::Psv => psv_coeff(net, st, sys, k, n1, n2),
            LinkKind::Fcv => fcv_coeff(net, st, sys, k, n1, n2),
            _ => continue,
        }
    }
}

/// EPANET's `emittercoeffs`.
fn emitter_coeffs<S: AddTerms>(net: &Network, st: &mut HydraulicState, sys: &mut S) {
    for e in 0..st.emitter_junctions.len() {
        let i = st.emitter_junctions[e] as usize;
        let (hloss, hgrad) = emitter_headloss(net, st, i);
        sys.add_diagonal(i, 1.0 / hgrad);
        sys.add_rhs(i, (hloss + st.elevation[i]) / hgrad);
        st.xflow[i] -= st.emitter_flow[i];
    }
}

/// EPANET's `emitterheadloss`: head loss (ft) across junction `i`'s emitter and its
/// gradient (ft/cfs).
pub(crate) fn emitter_headloss(net: &Network, st: &HydraulicState, i: usize) -> (f64, f64) {
    let o = &net.options;
    let ke = CSMALL.max(net.nodes[i].emitter);
    let q = st.emitter_flow[i];
    let mut hgrad = o.qexp * ke * pow(q.abs(), o.qexp - 1.0);
    let mut hloss;
    if hgrad < o.rqtol {
        hgrad = o.rqtol / o.qexp;
        hloss = hgrad * q;
    } else {
        hloss = hgrad * q / o.qexp;
    }
    if !o.emitter_backflow {
        add_lower_barrier(q, &mut hloss, &mut hgrad);
    }
    (hloss, hgrad)
}

/// EPANET's `demandcoeffs`: pressure-dependent demands into the matrix, four
/// junctions at a time where the port runs (see [`with_port`]).
fn demand_coeffs<S: AddTerms>(net: &Network, st: &mut HydraulicState, sys: &mut S) {
    if net.options.demand_model == DemandModel::DemandDriven {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    let fast = demand_coeffs_avx::<S>;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = demand_coeffs_plain::<S>;
    with_port(fast, demand_coeffs_plain::<S>, (net, st, sys));
}

/// [`demand_coeffs`] one junction at a time.
fn demand_coeffs_plain<S: AddTerms>((net, st, sys): (&Network, &mut HydraulicState, &mut S)) {
    let o = &net.options;
    let dp = o.p_required - o.p_min;
    let n = 1.0 / o.pexp;
    let junctions = std::mem::take(&mut st.demand_junctions);
    for &i in &junctions {
        let i = i as usize;
        let (hloss, hgrad) = demand_headloss(st, i, dp, n);
        st.demand_coeffs[i] = DemandCoeffs {
            flow: st.demand_flow[i],
            full: st.full_demand[i],
            dp,
            hloss,
            hgrad,
        };
        if hgrad > 0.0 {
            sys.add_diagonal(i, 1.0 / hgrad);
            sys.add_rhs(i, (hloss + st.elevation[i] + o.p_min) / hgrad);
        }
    }
    st.demand_junctions = junctions;
}

/// Junctions of [`demand_coeffs_avx`] made at once: two groups of four lanes.
#[cfg(target_arch = "x86_64")]
const DEMAND_CHUNK: usize = 8;

/// [`demand_coeffs`] with the junctions in AVX2 lanes, eight at a time, their powers
/// too. Each junction adds only to its own row, so the order of the junctions'
/// additions is EPANET's for every row.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn demand_coeffs_avx<S: AddTerms>((net, st, sys): (&Network, &mut HydraulicState, &mut S)) {
    let o = &net.options;
    let dp = o.p_required - o.p_min;
    let n = 1.0 / o.pexp;
    let junctions = std::mem::take(&mut st.demand_junctions);
    for chunk in junctions.chunks(DEMAND_CHUNK) {
        demand_chunk_avx(net, st, sys, chunk, dp, n);
    }
    st.demand_junctions = junctions;
}

/// Up to [`DEMAND_CHUNK`] junctions of [`demand_coeffs_avx`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn demand_chunk_avx<S: AddTerms>(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut S,
    chunk: &[u32],
    dp: f64,
    n: f64,
) {
    const GROUPS: usize = DEMAND_CHUNK / 4;
    let o = &net.options;
    // Lanes past the end compute a junction with a unit demand, never stored.
    let mut d = [[1.0; 4]; GROUPS];
    let mut dfull = [[1.0; 4]; GROUPS];
    let mut elevation = [[0.0; 4]; GROUPS];
    for (j, &i) in chunk.iter().enumerate() {
        let i = i as usize;
        let (g, lane) = (j / 4, j % 4);
        d[g][lane] = st.demand_flow[i];
        dfull[g][lane] = st.full_demand[i];
        elevation[g][lane] = st.elevation[i];
    }
    let (hloss, hgrad, diagonal, rhs) =
        crate::lanes::pda_demands(dp, n, o.p_min, d, dfull, elevation);
    for (j, &i) in chunk.iter().enumerate() {
        let i = i as usize;
        let (g, lane) = (j / 4, j % 4);
        st.demand_coeffs[i] = DemandCoeffs {
            flow: d[g][lane],
            full: dfull[g][lane],
            dp,
            hloss: hloss[g][lane],
            hgrad: hgrad[g][lane],
        };
        if hgrad[g][lane] > 0.0 {
            sys.add_diagonal(i, diagonal[g][lane]);
            sys.add_rhs(i, rhs[g][lane]);
        }
    }
}

/// EPANET's `demandheadloss`: head loss (ft) in delivering junction `i`'s
/// pressure-dependent demand and its gradient (ft/cfs); `dp` is the pressure range
/// (ft), `n` the inverse of the pressure exponent.
pub(crate) fn demand_headloss(st: &HydraulicState, i: usize, dp: f64, n: f64) -> (f64, f64) {
    demand_loss(st.demand_flow[i], st.full_demand[i], dp, n)
}

/// [`demand_headloss`] of a demand flow `d` out of a full demand `dfull` (cfs).
fn demand_loss(d: f64, dfull: f64, dp: f64, n: f64) -> (f64, f64) {
    let r = d.abs() / dfull;
    let mut hgrad = n * dp * pow(r, n - 1.0) / dfull;
    let mut hloss = hgrad * d / n;
    add_lower_barrier(d, &mut hloss, &mut hgrad);
    add_upper_barrier(d - dfull, &mut hloss, &mut hgrad);
    (hloss, hgrad)
}

/// EPANET's `pipecoeff` up to the head loss: a closed pipe's coefficients, or nothing
/// to do when they were computed from this flow, or D-W's. Returns true when the pipe
/// still needs its H-W coefficients ([`hw_pipe_coeff`]).
#[inline(always)]
fn pipe_coeff(net: &Network, st: &mut HydraulicState, k: usize) -> bool {
    if st.status[k] <= Status::Closed {
        st.p[k] = 1.0 / CBIG;
        st.y[k] = st.flow[k];
        st.pipe_coeff_flow[k] = f64::NAN;
        return false;
    }
    if st.pipe_coeff_flow[k].to_bits() == st.flow[k].to_bits() {
        return false;
    }
    st.pipe_coeff_flow[k] = st.flow[k];
    if net.options.formula == HeadLossFormula::DarcyWeisbach {
        dw_pipe_coeff(net, st, k);
        return false;
    }
    true
}

/// The rest of EPANET's `pipecoeff` for open H-W pipe `k`.
fn hw_pipe_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let o = &net.options;
    (st.p[k], st.y[k]) = hw_coeffs(
        o.hexp,
        o.rqtol,
        st.flow[k],
        st.resistance[k],
        net.links[k].km,
    );
}

/// `(P, Y)` of an open H-W pipe with flow `flow` (cfs), resistance `r` and minor-loss
/// coefficient `ml`.
fn hw_coeffs(hexp: f64, rqtol: f64, flow: f64, r: f64, ml: f64) -> (f64, f64) {
    let q = flow.abs();
    let mut hgrad = hexp * r * pow(q, hexp - 1.0);
    let mut hloss;
    if hgrad < rqtol {
        hgrad = rqtol / hexp;
        hloss = hgrad * q;
    } else {
        hloss = hgrad * q / hexp;
    }
    if ml > 0.0 {
        hloss += ml * q * q;
        hgrad += 2.0 * ml * q;
    }
    hloss *= sgn(flow);
    (1.0 / hgrad, hloss / hgrad)
}

/// EPANET's `DWpipecoeff`.
fn dw_pipe_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let link = &net.links[k];
    let flow = st.flow[k];
    let q = flow.abs();
    let mut r = st.resistance[k];
    let ml = link.km;
    let e = link.kc / link.diameter;
    let s = net.options.viscosity * link.diameter;
    let (hloss, hgrad);
    if q <= A2 * s {
        r *= 16.0 * PI * s;
        hloss = flow * (r + ml * q);
        hgrad = r + 2.0 * ml * q;
    } else {
        let (f, dfdq) = friction_factor(q, e, s);
        let r1 = f * r + ml;
        hloss = r1 * q * flow;
        hgrad = (2.0 * r1 * q) + (dfdq * r * q * q);
    }
    st.p[k] = 1.0 / hgrad;
    st.y[k] = hloss / hgrad;
}

/// EPANET's `frictionFactor`: the Darcy-Weisbach friction factor and its derivative
/// with respect to flow, for `|q|` (cfs), relative roughness `e` and viscosity ×
/// diameter `s`.
fn friction_factor(q: f64, e: f64, s: f64) -> (f64, f64) {
    let w = q / s;
    if w >= A1 {
        let y1 = A8 / pow(w, 0.9);
        let y2 = e / 3.7 + y1;
        let y3 = A9 * y2.ln();
        let f = 1.0 / (y3 * y3);
        let dfdq = 1.8 * f * y1 * A9 / y2 / y3 / q;
        (f, dfdq)
    } else {
        let y2 = e / 3.7 + AB;
        let y3 = A9 * y2.ln();
        let fa = 1.0 / (y3 * y3);
        let fb = (2.0 + AC / (y2 * y3)) * fa;
        let r = w / A2;
        let x1 = 7.0 * fa - fb;
        let x2 = 0.128 - 17.0 * fa + 2.5 * fb;
        let x3 = -0.128 + 13.0 * fa - (fb + fb);
        let x4 = 0.032 - 3.0 * fa + 0.5 * fb;
        let f = x1 + r * (x2 + r * (x3 + r * x4));
        let dfdq = (x2 + r * (2.0 * x3 + r * 3.0 * x4)) / s / A2;
        (f, dfdq)
    }
}

/// Sets a link's coefficients to a closed link's (`hloss = CBIG·q`).
fn closed_link(st: &mut HydraulicState, k: usize) {
    st.p[k] = 1.0 / CBIG;
    st.y[k] = st.flow[k];
}

/// Sets a link's coefficients to an open valve's (`hloss = CSMALL·q`).
fn open_link(st: &mut HydraulicState, k: usize) {
    st.p[k] = 1.0 / CSMALL;
    st.y[k] = st.flow[k];
}

/// EPANET's `pumpcoeff`.
fn pump_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let setting = st.setting[k];
    if st.status[k] <= Status::Closed || setting == 0.0 {
        closed_link(st, k);
        return;
    }
    let q = st.flow[k].abs();
    let Some(p) = net.pump_of_link[k] else {
        open_link(st, k);
        return;
    };
    let pump = &net.pumps[p];
    let (hloss, hgrad);
    match pump.curve_kind {
        PumpCurveKind::NoCurve => {
            open_link(st, k);
            return;
        }
        PumpCurveKind::Custom => {
            let curve = pump.head_curve.unwrap_or(0);
            let (h0, r) = curve_coeff(net, curve, q / setting);
            st.pump_h0[p] = -h0;
            st.pump_r[p] = -r;
            st.pump_n[p] = 1.0;
            hgrad = st.pump_r[p] * setting;
            hloss = st.pump_h0[p] * (setting * setting) + hgrad * st.flow[k];
        }
        PumpCurveKind::ConstantPower | PumpCurveKind::PowerFunction => {
            let h0 = setting * setting * st.pump_h0[p];
            let mut n = st.pump_n[p];
            if (n - 1.0).abs() < TINY {
                n = 1.0;
            }
            let r = st.pump_r[p] * pow(setting, 2.0 - n);
            if pump.curve_kind == PumpCurveKind::ConstantPower {
                hgrad = -r / q / q;
                if hgrad > CBIG {
                    closed_link(st, k);
                    return;
                } else if hgrad < CSMALL {
                    open_link(st, k);
                    return;
                }
                hloss = r / st.flow[k];
            } else if n != 1.0 {
                let g = n * r * pow(q, n - 1.0);
                if g < net.options.rqtol {
                    hgrad = net.options.rqtol;
                    hloss = h0 + hgrad * st.flow[k];
                } else {
                    hgrad = g;
                    hloss = h0 + hgrad * st.flow[k] / n;
                }
            } else {
                hgrad = r;
                hloss = h0 + hgrad * st.flow[k];
            }
        }
    }
    st.p[k] = 1.0 / hgrad;
    st.y[k] = hloss / hgrad;
}

/// EPANET's `curvecoeff`: intercept (ft) and slope (ft/cfs) of the segment of curve `i`
/// (stored in file units) that brackets flow `q` (cfs).
fn curve_coeff(net: &Network, i: usize, q: f64) -> (f64, f64) {
    let q = q * net.units.flow_factor;
    let curve = &net.curves[i];
    let (x, y) = (&curve.x, &curve.y);
    let npts = x.len();
    let mut k2 = 0;
    while k2 < npts && x[k2] < q {
        k2 += 1;
    }
    if k2 == 0 {
        k2 += 1;
    } else if k2 == npts {
        k2 -= 1;
    }
    // A one-point curve has no segment (EPANET reads outside it); use a flat line.
    if k2 >= npts {
        return (y[0] / net.units.head_factor, 0.0);
    }
    let k1 = k2 - 1;
    let r = (y[k2] - y[k1]) / (x[k2] - x[k1]);
    let h0 = y[k1] - r * x[k1];
    (
        h0 / net.units.head_factor,
        r * net.units.flow_factor / net.units.head_factor,
    )
}

/// EPANET's `gpvcoeff`. The setting holds the head-loss curve's 0-based index.
fn gpv_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    if st.status[k] == Status::Closed {
        valve_coeff(net, st, k, net.links[k].km);
        return;
    }
    let i = st.setting[k].round().max(0.0) as usize;
    let q = st.flow[k].abs().max(TINY);
    let (h0, r) = curve_coeff(net, i, q);
    let r = r.max(TINY);
    st.p[k] = 1.0 / r;
    st.y[k] = (h0 / r + q) * sgn(st.flow[k]);
}

/// EPANET's `pbvcoeff`.
fn pbv_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let km = net.links[k].km;
    let s = st.setting[k];
    if s == MISSING || s == 0.0 || km * (st.flow[k] * st.flow[k]) > s {
        valve_coeff(net, st, k, km);
    } else {
        st.p[k] = CBIG;
        st.y[k] = s * CBIG;
    }
}

/// EPANET's `tcvcoeff`: the setting is the loss coefficient.
fn tcv_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let link = &net.links[k];
    let mut km = link.km;
    if st.setting[k] != MISSING {
        let d2 = link.diameter * link.diameter;
        km = 0.02517 * st.setting[k] / (d2 * d2);
    }
    valve_coeff(net, st, k, km);
}

/// EPANET's `pcvcoeff`: the loss coefficient is the link's current resistance.
fn pcv_coeff(net: &Network, st: &mut HydraulicState, k: usize) {
    let mut km = net.links[k].km;
    if st.setting[k] != MISSING {
        km = st.resistance[k];
    }
    valve_coeff(net, st, k, km);
}

/// The part of `prvcoeff`/`psvcoeff`/`fcvcoeff` for a valve that is not active: its
/// coefficients as an open or closed valve, assembled directly.
fn inactive_valve<S: AddLinkTerms>(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut S,
    k: usize,
    n1: usize,
    n2: usize,
) {
    valve_coeff(net, st, k, net.links[k].km);
    sys.add_off_diagonal(k, -st.p[k]);
    add_aii(net, sys, n1, st.p[k]);
    add_aii(net, sys, n2, st.p[k]);
    let dy = st.y[k] - st.flow[k];
    add_f(net, sys, n1, dy);
    add_f(net, sys, n2, -dy);
}

/// EPANET's `prvcoeff`.
fn prv_coeff<S: AddLinkTerms>(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut S,
    k: usize,
    n1: usize,
    n2: usize,
) {
    let hset = net.nodes[n2].elevation + st.setting[k];
    if st.status[k] == Status::Active {
        st.p[k] = 0.0;
        st.y[k] = st.flow[k] + st.xflow[n2];
        add_f(net, sys, n2, hset * CBIG);
        add_aii(net, sys, n2, CBIG);
        if st.xflow[n2] < 0.0 {
            add_f(net, sys, n1, st.xflow[n2]);
        }
        return;
    }
    inactive_valve(net, st, sys, k, n1, n2);
}

/// EPANET's `psvcoeff`.
fn psv_coeff<S: AddLinkTerms>(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut S,
    k: usize,
    n1: usize,
    n2: usize,
) {
    let hset = net.nodes[n1].elevation + st.setting[k];
    if st.status[k] == Status::Active {
        st.p[k] = 0.0;
        st.y[k] = st.flow[k] - st.xflow[n1];
        add_f(net, sys, n1, hset * CBIG);
        add_aii(net, sys, n1, CBIG);
        if st.xflow[n1] > 0.0 {
            add_f(net, sys, n2, st.xflow[n1]);
        }
        sys.add_off_diagonal(k, -1.0 / CBIG);
        add_aii(net, sys, n2, 1.0 / CBIG);
        return;
    }
    inactive_valve(net, st, sys, k, n1, n2);
}

/// EPANET's `fcvcoeff`.
fn fcv_coeff<S: AddLinkTerms>(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut S,
    k: usize,
    n1: usize,
    n2: usize,
) {
    let q = st.setting[k];
    if st.status[k] == Status::Active {
        st.xflow[n1] -= q;
        st.xflow[n2] += q;
        st.y[k] = st.flow[k] - q;
        add_f(net, sys, n1, -q);
        add_f(net, sys, n2, q);
        st.p[k] = 1.0 / CBIG;
        sys.add_off_diagonal(k, -st.p[k]);
        add_aii(net, sys, n1, st.p[k]);
        add_aii(net, sys, n2, st.p[k]);
        return;
    }
    inactive_valve(net, st, sys, k, n1, n2);
}

/// EPANET's `valvecoeff` with the valve's minor loss coefficient `km` (ft per cfs²)
/// passed in: an open, closed or throttled valve.
pub(crate) fn valve_coeff(net: &Network, st: &mut HydraulicState, k: usize, km: f64) {
    let flow = st.flow[k];
    if st.status[k] <= Status::Closed {
        closed_link(st, k);
        return;
    }
    if km > 0.0 {
        let q = flow.abs();
        let mut hgrad = 2.0 * km * q;
        let hloss;
        if hgrad < net.options.rqtol {
            hgrad = net.options.rqtol / 2.0;
            hloss = flow * hgrad;
        } else {
            hloss = flow * hgrad / 2.0;
        }
        st.p[k] = 1.0 / hgrad;
        st.y[k] = hloss / hgrad;
    } else {
        open_link(st, k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random values over the magnitudes a solve meets, zeros and signs included.
    fn values(seed: u64) -> impl FnMut() -> f64 {
        let mut bits = crate::pow::xorshift(seed);
        move || {
            let seed = bits();
            let magnitude = 10f64.powi((seed % 17) as i32 - 10);
            let unit = (seed >> 11) as f64 / (1u64 << 53) as f64;
            match seed % 13 {
                0 => 0.0,
                1 => -magnitude * unit,
                _ => magnitude * unit,
            }
        }
    }

    /// Four pipes in lanes give each pipe's scalar coefficients, bit for bit.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn hw_pipes_in_lanes_are_the_scalar_bits() {
        type Groups = [[f64; 4]; 2];
        #[target_feature(enable = "fma,avx2")]
        fn lanes((flow, r, ml): (Groups, Groups, Groups)) -> Option<(Groups, Groups)> {
            Some(crate::lanes::hw_pipes(1.852, 1e-7, flow, r, ml))
        }
        let mut next = values(7);
        for _ in 0..10_000 {
            let flow = [
                [next(), next(), next(), next()],
                [next(), 0.0, next(), next()],
            ];
            let r = [[next().abs(), next().abs(), next().abs(), next().abs()]; 2];
            let ml = [
                [next(), next(), 0.0, next().abs()],
                [0.0, next().abs(), next(), 0.0],
            ];
            let Some((p, y)) = with_port(lanes, |_| None, (flow, r, ml)) else {
                return;
            };
            for (g, lane) in (0..2).flat_map(|g| (0..4).map(move |lane| (g, lane))) {
                let scalar = hw_coeffs(1.852, 1e-7, flow[g][lane], r[g][lane], ml[g][lane]);
                assert_eq!(p[g][lane].to_bits(), scalar.0.to_bits(), "P of {flow:?}");
                assert_eq!(y[g][lane].to_bits(), scalar.1.to_bits(), "Y of {flow:?}");
            }
        }
    }

    /// Four pressure-dependent demands in lanes give each junction's scalar head loss,
    /// gradient and matrix terms, bit for bit.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn pda_demands_in_lanes_are_the_scalar_bits() {
        type Groups = [[f64; 4]; 2];
        #[target_feature(enable = "fma,avx2")]
        fn lanes(
            (d, dfull, elevation): (Groups, Groups, Groups),
        ) -> Option<crate::lanes::DemandLanes<2>> {
            Some(crate::lanes::pda_demands(
                65.6, 2.0, 1.5, d, dfull, elevation,
            ))
        }
        let mut next = values(11);
        for _ in 0..10_000 {
            let mut dfull = [[0.0; 4]; 2];
            for v in dfull.iter_mut().flatten() {
                let x = next().abs();
                *v = if x > 0.0 { x } else { 1e-3 };
            }
            let d = [
                [next(), next(), dfull[0][2], dfull[0][3] * 1.5],
                [dfull[1][0] * 0.5, next(), 0.0, next()],
            ];
            let elevation = [
                [next(), next(), next(), next()],
                [next(), next(), next(), next()],
            ];
            let Some((hloss, hgrad, diagonal, rhs)) =
                with_port(lanes, |_| None, (d, dfull, elevation))
            else {
                return;
            };
            for (g, lane) in (0..2).flat_map(|g| (0..4).map(move |lane| (g, lane))) {
                let (l, gr) = demand_loss(d[g][lane], dfull[g][lane], 65.6, 2.0);
                assert_eq!(hloss[g][lane].to_bits(), l.to_bits(), "head loss of {d:?}");
                assert_eq!(hgrad[g][lane].to_bits(), gr.to_bits(), "gradient of {d:?}");
                assert_eq!(diagonal[g][lane].to_bits(), (1.0 / gr).to_bits());
                let terms = (l + elevation[g][lane] + 1.5) / gr;
                assert_eq!(rhs[g][lane].to_bits(), terms.to_bits());
            }
        }
    }
}
