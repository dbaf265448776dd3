//! The editable grid model: a MATPOWER case with typed elements, ids as in the file.

use crate::branch::Branch;
use crate::bus::{Bus, BusId};
use crate::generator::{Generator, GeneratorCost};
use serde::Serialize;
use std::collections::HashMap;

/// A power system case (MATPOWER format version 2), in the file's own numbering.
///
/// **Invariant** (established by the reader and [`Case::check`]): bus ids are unique and
/// positive; every branch and generator names an existing bus; branch impedances are
/// non-zero; at least one bus is a slack bus; `base_mva > 0`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Case name (from `function mpc = NAME`, or the file stem).
    pub name: String,
    /// System base, MVA (`mpc.baseMVA`).
    pub base_mva: f64,
    /// Buses, in file order.
    pub buses: Vec<Bus>,
    /// Generators, in file order.
    pub generators: Vec<Generator>,
    /// Branches, in file order.
    pub branches: Vec<Branch>,
    /// Generator costs (`mpc.gencost`), empty if the case has none.
    pub generator_costs: Vec<GeneratorCost>,
}

/// Which element of a case a problem concerns (0-based positions in the case's vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Element {
    /// The whole case.
    Case,
    /// `buses[i]`.
    Bus(usize),
    /// `branches[i]`.
    Branch(usize),
    /// `generators[i]`.
    Generator(usize),
}

/// A problem that makes a case unusable, found by [`Case::check`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CaseProblem {
    /// The element at fault.
    pub element: Element,
    /// The MATPOWER column name of the field at fault (e.g. `F_BUS`), if one field is.
    pub field: Option<&'static str>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Case {
    /// Map from bus id to position in [`Case::buses`].
    pub fn bus_positions(&self) -> HashMap<BusId, usize> {
        self.buses
            .iter()
            .enumerate()
            .map(|(position, bus)| (bus.id, position))
            .collect()
    }

    /// Total active load, MW (sum of `PD` over in-service buses).
    pub fn total_load_mw(&self) -> f64 {
        self.buses
            .iter()
            .filter(|bus| bus.kind != crate::bus::BusKind::Isolated)
            .map(|bus| bus.p_load_mw)
            .sum()
    }

    /// Checks the invariants listed on [`Case`]; returns the first problem found.
    pub fn check(&self) -> Result<(), CaseProblem> {
        let problem = |element, field, message: String| CaseProblem {
            element,
            field,
            message,
        };
        if !(self.base_mva > 0.0 && self.base_mva.is_finite()) {
            return Err(problem(
                Element::Case,
                None,
                format!("baseMVA must be a positive number, found {}", self.base_mva),
            ));
        }
        if self.buses.is_empty() {
            return Err(problem(
                Element::Case,
                None,
                "the case has no buses: expected at least one row in mpc.bus".into(),
            ));
        }
        let mut seen: HashMap<BusId, usize> = HashMap::with_capacity(self.buses.len());
        for (i, bus) in self.buses.iter().enumerate() {
            if bus.id == 0 {
                return Err(problem(
                    Element::Bus(i),
                    Some("BUS_I"),
                    "bus number must be a positive integer, found 0".into(),
                ));
            }
            if let Some(first) = seen.insert(bus.id, i) {
                return Err(problem(
                    Element::Bus(i),
                    Some("BUS_I"),
                    format!(
                        "duplicate bus number {}: already used by bus row {}",
                        bus.id,
                        first + 1
                    ),
                ));
            }
        }
        if !self
            .buses
            .iter()
            .any(|bus| bus.kind == crate::bus::BusKind::Slack)
        {
            return Err(problem(
                Element::Case,
                Some("BUS_TYPE"),
                "no slack bus: expected one bus with BUS_TYPE 3".into(),
            ));
        }
        for (i, branch) in self.branches.iter().enumerate() {
            for (field, id) in [("F_BUS", branch.from), ("T_BUS", branch.to)] {
                if !seen.contains_key(&id) {
                    return Err(problem(
                        Element::Branch(i),
                        Some(field),
                        format!("branch connects to bus {id}, which is not in mpc.bus"),
                    ));
                }
            }
            if branch.from == branch.to {
                return Err(problem(
                    Element::Branch(i),
                    Some("T_BUS"),
                    format!(
                        "branch connects bus {} to itself: expected two different buses",
                        branch.from
                    ),
                ));
            }
            if branch.r_pu == 0.0 && branch.x_pu == 0.0 {
                return Err(problem(
                    Element::Branch(i),
                    Some("BR_X"),
                    "branch has zero impedance (BR_R = BR_X = 0): expected a non-zero impedance"
                        .into(),
                ));
            }
            if branch.tap_ratio < 0.0 {
                return Err(problem(
                    Element::Branch(i),
                    Some("TAP"),
                    format!(
                        "negative turns ratio {}: expected 0 (line) or a positive ratio",
                        branch.tap_ratio
                    ),
                ));
            }
        }
        for (i, generator) in self.generators.iter().enumerate() {
            if !seen.contains_key(&generator.bus) {
                return Err(problem(
                    Element::Generator(i),
                    Some("GEN_BUS"),
                    format!(
                        "generator is at bus {}, which is not in mpc.bus",
                        generator.bus
                    ),
                ));
            }
        }
        Ok(())
    }
}
