//! The compiled network: the part of a [`Case`] that is energised and solved together,
//! lowered to dense bus indices, specified injections and the bus admittance matrix.
//!
//! A [`Selection`] says which case elements take part and how they are operated (slack,
//! dispatch, served load); [`Network::compile`] lowers it. Results map back through
//! [`Network::case_bus`] and [`Network::case_branch`].

use crate::admittance::{BranchAdmittance, BranchSlots, Ybus};
use crate::bus::BusKind;
use crate::case::Case;
use crate::error::PowerError;
use num_complex::Complex64;

/// Which case elements form one network and how they are operated.
///
/// **Invariant:** `buses` is sorted; every branch has both ends in `buses`; every
/// generator is at a bus in `buses`; `slack ⊆ buses` and is non-empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Case bus positions, ascending.
    pub buses: Vec<usize>,
    /// Case branch positions.
    pub branches: Vec<usize>,
    /// Case generator positions (in service).
    pub generators: Vec<usize>,
    /// Case bus positions that act as slack (fixed voltage and angle).
    pub slack: Vec<usize>,
    /// Active output of each selected generator, MW (same order as `generators`).
    pub generator_p_mw: Vec<f64>,
    /// Fraction of each selected bus's load that is served (1 = all, after shedding).
    pub load_served: Vec<f64>,
}

impl Selection {
    /// Everything in service, operated as in the case file, with MATPOWER's bus types:
    /// a PV bus whose generators are all out of service is PQ; a slack bus without a
    /// generator in service gives its role to the first PV bus.
    pub fn whole(case: &Case) -> Result<Self, PowerError> {
        let positions = case.bus_positions();
        let buses: Vec<usize> = (0..case.buses.len())
            .filter(|&i| case.buses[i].kind != BusKind::Isolated)
            .collect();
        let in_network = |i: usize| case.buses[i].kind != BusKind::Isolated;
        let branches = (0..case.branches.len())
            .filter(|&b| {
                let branch = &case.branches[b];
                branch.in_service
                    && in_network(positions[&branch.from])
                    && in_network(positions[&branch.to])
            })
            .collect();
        let generators: Vec<usize> = (0..case.generators.len())
            .filter(|&g| {
                case.generators[g].in_service && in_network(positions[&case.generators[g].bus])
            })
            .collect();
        let mut has_generator = vec![false; case.buses.len()];
        for &g in &generators {
            has_generator[positions[&case.generators[g].bus]] = true;
        }
        let mut slack: Vec<usize> = buses
            .iter()
            .copied()
            .filter(|&i| case.buses[i].kind == BusKind::Slack && has_generator[i])
            .collect();
        if slack.is_empty() {
            let first_pv = buses
                .iter()
                .copied()
                .find(|&i| case.buses[i].kind == BusKind::Pv && has_generator[i]);
            slack.push(first_pv.ok_or(PowerError::NoSlack)?);
        }
        let generator_p_mw = generators
            .iter()
            .map(|&g| case.generators[g].p_mw)
            .collect();
        let load_served = vec![1.0; buses.len()];
        Ok(Self {
            buses,
            branches,
            generators,
            slack,
            generator_p_mw,
            load_served,
        })
    }
}

/// A network lowered for solving. Per-unit on `base_mva`; angles in radians.
#[derive(Debug, Clone)]
pub struct Network {
    /// System base, MVA.
    pub base_mva: f64,
    /// Case bus position of each local bus.
    pub case_bus: Vec<usize>,
    /// Effective kind of each local bus (never `Isolated`).
    pub kind: Vec<BusKind>,
    /// Specified complex injection (generation − served load), p.u.
    pub injection: Vec<Complex64>,
    /// Served load of each bus, p.u.
    pub load: Vec<Complex64>,
    /// Voltage magnitude to hold at PV and slack buses (generator set point), else the
    /// case's `VM`, p.u.
    pub vm_set: Vec<f64>,
    /// The case's `VA` of each bus, radians (slack angle; `--init case` start).
    pub va_case: Vec<f64>,
    /// Case branch position of each local branch.
    pub case_branch: Vec<usize>,
    /// Local (from, to) buses of each branch.
    pub branch_ends: Vec<(usize, usize)>,
    /// Admittances of each branch.
    pub branch_admittance: Vec<BranchAdmittance>,
    /// Where each branch's entries sit in `ybus`.
    pub branch_slots: Vec<BranchSlots>,
    /// Bus admittance matrix.
    pub ybus: Ybus,
    /// Case generator position of each local generator.
    pub case_generator: Vec<usize>,
    /// Local bus of each generator.
    pub generator_bus: Vec<usize>,
    /// Active output of each generator, MW.
    pub generator_p_mw: Vec<f64>,
}

/// How to start the iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// |V| = 1 p.u. at PQ buses and the set point at PV/slack buses; every angle equal to
    /// the (first) slack bus's angle.
    #[default]
    Flat,
    /// The case's own `VM` and `VA` (set points still hold at PV/slack buses).
    Case,
}

impl Network {
    /// Lowers `selection` of `case` to a network.
    pub fn compile(case: &Case, selection: &Selection) -> Self {
        let base = case.base_mva;
        let mut local = vec![usize::MAX; case.buses.len()];
        for (l, &i) in selection.buses.iter().enumerate() {
            local[i] = l;
        }
        let positions = case.bus_positions();
        let local_of = |id| local[positions[&id]];

        let n = selection.buses.len();
        let mut kind = vec![BusKind::Pq; n];
        let mut injection = vec![Complex64::new(0.0, 0.0); n];
        let mut load = vec![Complex64::new(0.0, 0.0); n];
        let mut shunt = vec![Complex64::new(0.0, 0.0); n];
        let mut vm_set = vec![1.0; n];
        let mut va_case = vec![0.0; n];
        for (l, &i) in selection.buses.iter().enumerate() {
            let bus = &case.buses[i];
            let served = selection.load_served[l];
            load[l] = Complex64::new(bus.p_load_mw, bus.q_load_mvar) * (served / base);
            injection[l] = -load[l];
            shunt[l] = Complex64::new(bus.g_shunt_mw, bus.b_shunt_mvar) / base;
            vm_set[l] = bus.vm_pu;
            va_case[l] = bus.va_deg.to_radians();
        }
        let mut generator_bus = Vec::with_capacity(selection.generators.len());
        for (&g, &p_mw) in selection.generators.iter().zip(&selection.generator_p_mw) {
            let generator = &case.generators[g];
            let l = local_of(generator.bus);
            generator_bus.push(l);
            injection[l] += Complex64::new(p_mw, generator.q_mvar) / base;
            if case.buses[selection.buses[l]].kind == BusKind::Pv {
                kind[l] = BusKind::Pv;
            }
        }
        for &i in &selection.slack {
            kind[local[i]] = BusKind::Slack;
        }
        // MATPOWER: the last in-service generator at a voltage-controlled bus sets |V|.
        for (&g, &l) in selection.generators.iter().zip(&generator_bus) {
            if kind[l] != BusKind::Pq {
                vm_set[l] = case.generators[g].v_set_pu;
            }
        }

        let mut branch_ends = Vec::with_capacity(selection.branches.len());
        let mut branch_admittance = Vec::with_capacity(selection.branches.len());
        let mut entries = Vec::with_capacity(selection.branches.len());
        for &b in &selection.branches {
            let branch = &case.branches[b];
            let ends = (local_of(branch.from), local_of(branch.to));
            let y = BranchAdmittance::of(branch);
            branch_ends.push(ends);
            branch_admittance.push(y);
            entries.push((ends.0, ends.1, y));
        }
        let (ybus, branch_slots) = Ybus::build(n, &entries, &shunt);
        Self {
            base_mva: base,
            case_bus: selection.buses.clone(),
            kind,
            injection,
            load,
            vm_set,
            va_case,
            case_branch: selection.branches.clone(),
            branch_ends,
            branch_admittance,
            branch_slots,
            ybus,
            case_generator: selection.generators.clone(),
            generator_bus,
            generator_p_mw: selection.generator_p_mw.clone(),
        }
    }

    /// Number of buses.
    pub fn bus_count(&self) -> usize {
        self.case_bus.len()
    }

    /// The angle every bus starts from under a flat start: the first slack bus's angle.
    pub fn reference_angle(&self) -> f64 {
        self.kind
            .iter()
            .position(|&k| k == BusKind::Slack)
            .map_or(0.0, |l| self.va_case[l])
    }

    /// Starting voltages, p.u.
    pub fn initial_voltage(&self, init: Init) -> Vec<Complex64> {
        let reference = self.reference_angle();
        (0..self.bus_count())
            .map(|l| {
                let controlled = self.kind[l] != BusKind::Pq;
                let vm = match (init, controlled) {
                    (_, true) | (Init::Case, false) => self.vm_set[l],
                    (Init::Flat, false) => 1.0,
                };
                let va = match (init, self.kind[l]) {
                    (_, BusKind::Slack) | (Init::Case, _) => self.va_case[l],
                    (Init::Flat, _) => reference,
                };
                Complex64::from_polar(vm, va)
            })
            .collect()
    }
}
