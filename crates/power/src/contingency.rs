//! N-1 contingency analysis: every in-service branch and generator taken out in turn,
//! each case solved with islands, re-dispatch and load shedding, in parallel.
//!
//! Like lightsim2grid's `ContingencyAnalysis`, every contingency starts from the base
//! case's voltages and reuses one symbolic factorisation. Unlike it, a contingency that
//! splits the grid is solved island by island (with load shed where an island is short)
//! instead of being reported as not converged, and generator outages are covered.

use crate::ac::SolveStatus;
use crate::grid::{Grid, GridOptions, GridState};
use crate::outage::Outages;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Options of an N-1 analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ContingencyOptions {
    /// Options of each solve.
    pub grid: GridOptions,
    /// Take out each in-service branch.
    pub branches: bool,
    /// Take out each in-service generator.
    pub generators: bool,
    /// Acceptable voltage band, p.u.: buses outside it are counted.
    pub voltage_band_pu: (f64, f64),
}

impl Default for ContingencyOptions {
    fn default() -> Self {
        Self {
            grid: GridOptions::default(),
            branches: true,
            generators: true,
            voltage_band_pu: (0.9, 1.1),
        }
    }
}

/// The element a contingency takes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "element", content = "index", rename_all = "snake_case")]
pub enum Contingency {
    /// A branch, by 1-based row of `mpc.branch`.
    Branch(usize),
    /// A generator, by 1-based row of `mpc.gen`.
    Generator(usize),
}

impl Contingency {
    /// The outage this contingency applies.
    pub fn outages(self) -> Outages {
        match self {
            Contingency::Branch(number) => Outages::branch(number - 1),
            Contingency::Generator(number) => Outages::generator(number - 1),
        }
    }
}

/// What one contingency does to the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContingencyResult {
    /// The element taken out.
    pub contingency: Contingency,
    /// Whether every energised island converged.
    pub converged: bool,
    /// Why the solve could not be carried out, if it could not (e.g. a singular Jacobian).
    pub error: Option<String>,
    /// Newton iterations, over all balance rounds.
    pub iterations: usize,
    /// Number of islands (energised or not).
    pub islands: usize,
    /// Load shed to balance islands, MW.
    pub shed_mw: f64,
    /// Load on de-energised buses, MW.
    pub dark_load_mw: f64,
    /// Highest branch loading, % of `RATE_A` (branches with a rating only).
    pub max_loading_percent: Option<f64>,
    /// The 1-based branch with that loading.
    pub max_loading_branch: Option<usize>,
    /// Energised buses with |V| outside the voltage band.
    pub voltage_violations: usize,
    /// Lowest |V| over energised buses, p.u.
    pub min_vm_pu: Option<f64>,
    /// Highest |V| over energised buses, p.u.
    pub max_vm_pu: Option<f64>,
}

impl ContingencyResult {
    fn from_state(
        contingency: Contingency,
        state: &GridState,
        grid: &Grid,
        band: (f64, f64),
    ) -> Self {
        let case = grid.case();
        let mut max_loading: Option<(f64, usize)> = None;
        for (row, branch) in state.branches.iter().zip(&case.branches) {
            if row.status == 1 && branch.rate_a_mva > 0.0 {
                let loading = 100.0 * row.s_max_mva() / branch.rate_a_mva;
                if max_loading.is_none_or(|(largest, _)| loading > largest) {
                    max_loading = Some((loading, row.index));
                }
            }
        }
        let energised_vm = state
            .buses
            .iter()
            .zip(&state.bus_energised)
            .filter(|(_, energised)| **energised)
            .map(|(row, _)| row.vm_pu);
        let mut violations = 0;
        let mut min_vm: Option<f64> = None;
        let mut max_vm: Option<f64> = None;
        for vm in energised_vm {
            violations += usize::from(vm < band.0 || vm > band.1);
            min_vm = Some(min_vm.map_or(vm, |m| m.min(vm)));
            max_vm = Some(max_vm.map_or(vm, |m| m.max(vm)));
        }
        Self {
            contingency,
            converged: state.converged(),
            error: None,
            iterations: state.iterations,
            islands: state.islands.len(),
            shed_mw: state.shed_mw(),
            dark_load_mw: state.dark_load_mw(),
            max_loading_percent: max_loading.map(|(loading, _)| loading),
            max_loading_branch: max_loading.map(|(_, branch)| branch),
            voltage_violations: violations,
            min_vm_pu: min_vm,
            max_vm_pu: max_vm,
        }
    }

    fn failed(contingency: Contingency, error: String) -> Self {
        Self {
            contingency,
            converged: false,
            error: Some(error),
            iterations: 0,
            islands: 0,
            shed_mw: 0.0,
            dark_load_mw: 0.0,
            max_loading_percent: None,
            max_loading_branch: None,
            voltage_violations: 0,
            min_vm_pu: None,
            max_vm_pu: None,
        }
    }
}

/// The outcome of an N-1 analysis.
#[derive(Debug, Clone, Serialize)]
pub struct ContingencyReport {
    /// The intact grid, as the same engine solves it.
    pub base: ContingencyBase,
    /// One result per contingency, branches first, in case order.
    pub results: Vec<ContingencyResult>,
}

/// Summary of the intact grid.
#[derive(Debug, Clone, Serialize)]
pub struct ContingencyBase {
    /// How the base solve ended.
    pub status: SolveStatus,
    /// Newton iterations.
    pub iterations: usize,
    /// Highest branch loading, % of `RATE_A`.
    pub max_loading_percent: Option<f64>,
    /// Islands of the intact grid without generation (dark before any contingency), their
    /// bus numbers: every contingency's dark load includes theirs.
    pub dark_islands: Vec<Vec<crate::bus::BusId>>,
}

impl ContingencyBase {
    /// Whether the intact grid is solved and fully supplied: a contingency analysis means
    /// little otherwise.
    pub fn is_sound(&self) -> bool {
        self.status.converged() && self.dark_islands.is_empty()
    }
}

/// The contingencies `options` asks for: every in-service branch, then every in-service
/// generator.
pub fn contingencies(grid: &Grid, options: &ContingencyOptions) -> Vec<Contingency> {
    let case = grid.case();
    let mut list = Vec::new();
    if options.branches {
        list.extend(
            (0..case.branches.len())
                .filter(|&b| case.branches[b].in_service)
                .map(|b| Contingency::Branch(b + 1)),
        );
    }
    if options.generators {
        list.extend(
            (0..case.generators.len())
                .filter(|&g| case.generators[g].in_service)
                .map(|g| Contingency::Generator(g + 1)),
        );
    }
    list
}

/// Runs the N-1 analysis on all cores (rayon's global pool). `progress` is called with the
/// number of contingencies done after each one (from any thread).
pub fn run_n1(
    grid: &Grid,
    options: &ContingencyOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<ContingencyReport, crate::PowerError> {
    let mut solver = grid.solver();
    let base = grid.solve(&Outages::none(), &options.grid, &mut solver, None)?;
    let base_summary =
        ContingencyResult::from_state(Contingency::Branch(0), &base, grid, options.voltage_band_pu);
    let base_status = if base.converged() {
        SolveStatus::Converged
    } else {
        SolveStatus::MaxIterations
    };
    let start = base.voltage.clone();
    let list = contingencies(grid, options);
    let done = AtomicUsize::new(0);
    let results = list
        .par_iter()
        .map_init(
            || grid.solver(),
            |solver, &contingency| {
                let result =
                    match grid.solve(&contingency.outages(), &options.grid, solver, Some(&start)) {
                        Ok(state) => ContingencyResult::from_state(
                            contingency,
                            &state,
                            grid,
                            options.voltage_band_pu,
                        ),
                        Err(error) => ContingencyResult::failed(contingency, error.to_string()),
                    };
                progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                result
            },
        )
        .collect();
    Ok(ContingencyReport {
        base: ContingencyBase {
            status: base_status,
            iterations: base.iterations,
            max_loading_percent: base_summary.max_loading_percent,
            dark_islands: base
                .islands
                .iter()
                .filter(|island| !island.energised && island.status.is_none())
                .map(|island| island.buses.clone())
                .collect(),
        },
        results,
    })
}
