//! Outages: the elements a strike or a contingency takes out of service.

use crate::bus::BusId;
use crate::case::Case;
use crate::error::PowerError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Elements out of service. Buses are named by their case number; branches and
/// generators by their 0-based position in the case (row − 1 of `mpc.branch` / `mpc.gen`).
///
/// A bus outage (a destroyed substation) takes the bus, every branch and generator
/// attached to it, and its load out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outages {
    /// Bus numbers.
    #[serde(default)]
    pub buses: Vec<BusId>,
    /// Branch positions (0-based).
    #[serde(default)]
    pub branches: Vec<usize>,
    /// Generator positions (0-based).
    #[serde(default)]
    pub generators: Vec<usize>,
}

/// An asset named as an outage that is not part of the grid (a pump station, a tank, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} is not part of the grid: expected one of {expected}")]
pub struct NotGridAsset {
    /// The asset's kind, as assets are written (`pump_station`).
    pub kind: String,
    /// The grid's kinds (`bus, branch, gen`).
    pub expected: String,
}

impl Outages {
    /// The outages of grid assets (`bus:ID`, `branch:N`, `gen:N`; rows already 0-based
    /// positions in [`lifeline_core::AssetId`]); the first asset of another kind is refused.
    pub fn from_assets<'a>(
        assets: impl IntoIterator<Item = &'a lifeline_core::AssetId>,
    ) -> Result<Self, NotGridAsset> {
        use lifeline_core::{AssetId, AssetKind};
        let mut outages = Self::none();
        for asset in assets {
            match asset {
                AssetId::Bus(bus) => outages.buses.push(*bus),
                AssetId::Branch(row) => outages.branches.push(*row),
                AssetId::Generator(row) => outages.generators.push(*row),
                other => {
                    return Err(NotGridAsset {
                        kind: other.kind().to_string(),
                        expected: AssetKind::list(&[
                            AssetKind::Bus,
                            AssetKind::Branch,
                            AssetKind::Generator,
                        ]),
                    });
                }
            }
        }
        Ok(outages)
    }

    /// No outage at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// One branch out.
    pub fn branch(position: usize) -> Self {
        Self {
            branches: vec![position],
            ..Self::default()
        }
    }

    /// One generator out.
    pub fn generator(position: usize) -> Self {
        Self {
            generators: vec![position],
            ..Self::default()
        }
    }

    /// Whether nothing is out.
    pub fn is_empty(&self) -> bool {
        self.buses.is_empty() && self.branches.is_empty() && self.generators.is_empty()
    }
}

/// Outages resolved against a case: one flag per case element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageMask {
    /// Per case bus: taken out.
    pub bus: Vec<bool>,
    /// Per case branch: taken out.
    pub branch: Vec<bool>,
    /// Per case generator: taken out.
    pub generator: Vec<bool>,
}

impl OutageMask {
    /// Checks `outages` against `case` and flags the named elements; `positions` is
    /// `case.bus_positions()`, built once by the caller.
    pub fn resolve(
        case: &Case,
        positions: &HashMap<BusId, usize>,
        outages: &Outages,
    ) -> Result<Self, PowerError> {
        let mut mask = Self {
            bus: vec![false; case.buses.len()],
            branch: vec![false; case.branches.len()],
            generator: vec![false; case.generators.len()],
        };
        for &id in &outages.buses {
            let position = positions.get(&id).ok_or_else(|| {
                let names: Vec<String> = case.buses.iter().map(|b| b.id.to_string()).collect();
                let near = lifeline_core::suggest::nearest(
                    &id.to_string(),
                    names.iter().map(String::as_str),
                    3,
                );
                PowerError::UnknownBus {
                    bus: id,
                    suggestion: if near.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", near.join(", "))
                    },
                }
            })?;
            mask.bus[*position] = true;
        }
        for (element, given, flags) in [
            ("branch", &outages.branches, &mut mask.branch),
            ("generator", &outages.generators, &mut mask.generator),
        ] {
            for &position in given {
                let count = flags.len();
                *flags.get_mut(position).ok_or(PowerError::UnknownElement {
                    element,
                    number: position + 1,
                    count,
                })? = true;
            }
        }
        Ok(mask)
    }
}
