//! The grid side of a city for one set of assets out, solved once per set and
//! remembered; each asset's own cost rate for the rules and the additive model.

use crate::error::RestoreError;
use lifeline_cascade::city::{City, FacilityKind};
use lifeline_cascade::scenario::AssetId;
use lifeline_power::{Grid, GridOptions, GridState, Outages, PowerError};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A bus counts as powered when at least this share of its load is served (as in the
/// cascade).
const POWERED_SHARE: f64 = 0.5;

/// The power side of the city for one set of assets out.
#[derive(Debug, Clone)]
pub(super) struct PowerSnapshot {
    /// Customers without power per district.
    pub customers_out: Vec<f64>,
    /// Per facility: powered.
    pub facility_powered: Vec<bool>,
    /// Per pump station: its bus powered.
    pub station_powered: Vec<bool>,
}

/// The grid shared by the surrogate and the standalone rates: solves remembered per set
/// of grid assets out (and generation limit), failures included, and counted.
pub(super) struct PowerModel<'a> {
    pub city: &'a City,
    grid: Grid,
    cache: Mutex<HashMap<Vec<String>, Result<PowerSnapshot, PowerError>>>,
    /// Distinct solves that failed.
    failed: AtomicUsize,
    /// Distinct solves in which an island did not converge and was taken down.
    not_converged: AtomicUsize,
}

impl<'a> PowerModel<'a> {
    pub fn new(city: &'a City) -> Result<Self, RestoreError> {
        let grid = Grid::new(city.case.clone())
            .map_err(|e| RestoreError::Cascade(e.into()))?
            .with_priorities(city.bus_priorities());
        Ok(Self {
            city,
            grid,
            cache: Mutex::new(HashMap::new()),
            failed: AtomicUsize::new(0),
            not_converged: AtomicUsize::new(0),
        })
    }

    /// Distinct grid solves that failed.
    pub fn failed_solves(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }

    /// Distinct grid solves in which an island did not converge (it is taken down, as
    /// the cascade does).
    pub fn not_converged_solves(&self) -> usize {
        self.not_converged.load(Ordering::Relaxed)
    }

    /// The grid with the power assets of `out` out and generation limited to
    /// `available_mw`; the solver's error when the solve fails.
    pub fn snapshot(
        &self,
        out: &[&AssetId],
        available_mw: Option<f64>,
    ) -> Result<PowerSnapshot, PowerError> {
        let mut key: Vec<String> = out
            .iter()
            .filter(|a| a.is_power())
            .map(|a| a.to_string())
            .collect();
        key.sort();
        if let Some(mw) = available_mw {
            key.push(format!("cap:{mw}"));
        }
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let solved = self.solve(out, available_mw);
        let snapshot = solved
            .as_ref()
            .map(|state| self.describe(state))
            .map_err(Clone::clone);
        if let Ok(mut cache) = self.cache.lock()
            && let Entry::Vacant(entry) = cache.entry(key)
        {
            // Counted once per set, however many threads solved it at once.
            match &solved {
                Err(_) => {
                    self.failed.fetch_add(1, Ordering::Relaxed);
                }
                Ok(state) if !state.converged() => {
                    self.not_converged.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) => {}
            }
            entry.insert(snapshot.clone());
        }
        snapshot
    }

    fn solve(&self, out: &[&AssetId], available_mw: Option<f64>) -> Result<GridState, PowerError> {
        let mut outages = Outages::none();
        for asset in out {
            match asset {
                AssetId::Bus(b) => outages.buses.push(*b),
                AssetId::Branch(b) => outages.branches.push(*b),
                AssetId::Generator(g) => outages.generators.push(*g),
                _ => {}
            }
        }
        let options = GridOptions {
            available_generation_mw: available_mw,
            ..GridOptions::default()
        };
        self.grid
            .solve(&outages, &options, &mut self.grid.solver(), None)
    }

    fn describe(&self, state: &GridState) -> PowerSnapshot {
        let city = self.city;
        let positions = city.case.bus_positions();
        let served = |p: usize| -> f64 {
            if !state.bus_energised[p] {
                0.0
            } else if state.bus_load_mw[p] > 0.0 {
                1.0 - state.bus_shed_mw[p] / state.bus_load_mw[p]
            } else {
                1.0
            }
        };
        let customers_out = city
            .districts
            .iter()
            .map(|d| {
                let (mut load, mut cut) = (0.0, 0.0);
                for share in &d.buses {
                    let bus_load = state.bus_load_mw[share.position].max(0.0);
                    load += share.share * bus_load;
                    cut += share.share * bus_load * (1.0 - served(share.position));
                }
                if load > 0.0 {
                    d.customers as f64 * cut / load
                } else {
                    0.0
                }
            })
            .collect();
        PowerSnapshot {
            customers_out,
            facility_powered: city
                .facilities
                .iter()
                .map(|f| served(positions[&f.bus]) >= POWERED_SHARE)
                .collect(),
            station_powered: city
                .pump_stations
                .iter()
                .map(|s| served(positions[&s.bus]) >= POWERED_SHARE)
                .collect(),
        }
    }
}

/// Each asset's own cost rate (everything else in service), for the rules and the
/// additive model.
pub(super) struct StandaloneRates<'a> {
    model: PowerModel<'a>,
}

impl<'a> StandaloneRates<'a> {
    pub fn new(city: &'a City) -> Result<Self, RestoreError> {
        Ok(Self {
            model: PowerModel::new(city)?,
        })
    }

    /// (weight per hour, load) of `asset` out alone; fails when the grid cannot be
    /// solved without it.
    pub fn rate(&self, asset: &AssetId) -> Result<(f64, f64), RestoreError> {
        let city = self.model.city;
        let w = &city.restoration;
        let snapshot =
            self.model
                .snapshot(&[asset], None)
                .map_err(|error| RestoreError::GridSolve {
                    at_h: None,
                    assets_out: vec![asset.to_string()],
                    error,
                })?;
        let normal = self
            .model
            .snapshot(&[], None)
            .map_err(|error| RestoreError::GridSolve {
                at_h: None,
                assets_out: Vec::new(),
                error,
            })?;
        // Customers beyond the normal day's.
        let customers: f64 = snapshot
            .customers_out
            .iter()
            .zip(&normal.customers_out)
            .map(|(out, normal)| (out - normal).max(0.0))
            .sum();
        let mut weight = w.weight("homes") * customers;
        for (f, powered) in city.facilities.iter().zip(&snapshot.facility_powered) {
            if !powered {
                weight += w.weight(facility_kind(f.kind));
            }
        }
        let mut people = 0.0;
        for (s, station) in city.pump_stations.iter().enumerate() {
            let hit = matches!(asset, AssetId::PumpStation(id) if *id == station.id);
            if hit || (!snapshot.station_powered[s] && station.backup.is_none()) {
                weight += w.weight("pump_station");
                people += station
                    .serves
                    .iter()
                    .map(|&d| city.districts[d].population as f64)
                    .sum::<f64>()
                    / 10.0;
            }
        }
        // People at risk of losing water count a tenth: they lose it only after the tanks.
        weight += w.weight("homes") * people;
        Ok((weight, customers + people))
    }
}

/// A facility kind's name in the city's `[restoration]` weights.
pub(super) fn facility_kind(kind: FacilityKind) -> &'static str {
    match kind {
        FacilityKind::Hospital => "hospital",
        FacilityKind::WaterTreatment => "water_treatment",
        FacilityKind::HeatPlant => "heat_plant",
        FacilityKind::Other => "other",
    }
}
