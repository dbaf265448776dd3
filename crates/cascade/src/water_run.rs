//! The water network's run for one schedule of closed links (step 4 of the cascade), and
//! the cache that lets scenarios share it. A run depends on nothing but its [`WaterKey`]:
//! the city's network, the horizon and which links are held closed from each stop.

use crate::city::City;
use crate::engine::hours;
use crate::error::CascadeError;
use crate::result::WaterWarning;
use crate::scenario::Scenario;
use lifeline_water::{HydraulicState, LinkChange, NodeKind, Simulation, SimulationOptions};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// What the water network's run depends on: each stop's time and the links held closed
/// from it.
pub type WaterKey = Vec<(i64, Vec<usize>)>;

/// A junction of a district that is short of water at one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct JunctionShort {
    /// Its position in the district's `junctions`.
    pub(crate) k: usize,
    /// Demand required but not delivered, L/s (≥ 0).
    pub(crate) shortfall_lps: f64,
    /// Whether its people count as without water.
    pub(crate) dry: bool,
}

/// A district's water at one evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct DistrictWater {
    /// Demand required, L/s.
    pub(crate) required_lps: f64,
    /// Demand delivered, L/s.
    pub(crate) delivered_lps: f64,
    /// The junctions short of water or dry, in the order of the district's `junctions`
    /// (most junctions of a working network are neither, so the list is short).
    pub(crate) short: Vec<JunctionShort>,
}

/// The water network at one evaluation.
#[derive(Debug, Clone)]
pub(crate) struct WaterStep {
    pub(crate) time_s: i64,
    /// Per district: its water.
    pub(crate) districts: Vec<DistrictWater>,
    /// Per facility: has water.
    pub(crate) facilities_watered: Vec<bool>,
    /// Per tank: level (head), m, and volume, m³.
    pub(crate) tanks: Vec<(f64, f64)>,
}

/// The water network's run for one [`WaterKey`].
#[derive(Debug, Clone)]
pub struct WaterTrace {
    pub(crate) steps: Vec<WaterStep>,
    pub(crate) warnings: Vec<WaterWarning>,
    pub(crate) solves: usize,
    pub(crate) tank_ids: Vec<String>,
}

/// Water runs shared between scenarios, by [`WaterKey`]: a sweep makes each distinct
/// water run once, a restoration study its normal day once. Safe to share between
/// threads: a run wanted by several threads at once is made by one while the others
/// wait for it. With a limit, the cache forgets everything once it holds that many runs
/// (a server's cache stays bounded whatever its clients ask).
#[derive(Default)]
pub struct WaterCache {
    runs: Mutex<HashMap<WaterKey, Slot>>,
    limit: Option<usize>,
}

/// One run of the cache: empty while it is being made (or its making failed).
type Slot = Arc<Mutex<Option<Arc<WaterTrace>>>>;

impl WaterCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache that forgets every run once it holds `limit` of them.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            runs: Mutex::default(),
            limit: Some(limit.max(1)),
        }
    }

    /// Water runs made and kept.
    pub fn len(&self) -> usize {
        self.lock()
            .values()
            .filter(|slot| lock_slot(slot).is_some())
            .count()
    }

    /// Whether no run has been kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WaterKey, Slot>> {
        // A panic elsewhere cannot leave a half-inserted entry: keep going.
        self.runs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The slot of `key`, made empty if new (the cache emptied first when at its limit).
    fn slot(&self, key: &WaterKey) -> Slot {
        let mut runs = self.lock();
        if let Some(slot) = runs.get(key) {
            return Arc::clone(slot);
        }
        if self.limit.is_some_and(|limit| runs.len() >= limit) {
            runs.clear();
        }
        Arc::clone(runs.entry(key.clone()).or_default())
    }

    pub(crate) fn get(&self, key: &WaterKey) -> Option<Arc<WaterTrace>> {
        let slot = self.lock().get(key).cloned()?;
        lock_slot(&slot).clone()
    }

    pub(crate) fn insert(&self, key: WaterKey, trace: WaterTrace) {
        let slot = self.slot(&key);
        *lock_slot(&slot) = Some(Arc::new(trace));
    }

    /// The run of `key`, made by `run` unless kept; a failed run is not kept.
    pub(crate) fn get_or_run(
        &self,
        key: &WaterKey,
        run: impl FnOnce() -> Result<WaterTrace, CascadeError>,
    ) -> Result<Arc<WaterTrace>, CascadeError> {
        let slot = self.slot(key);
        let mut kept = lock_slot(&slot);
        if let Some(trace) = kept.as_ref() {
            return Ok(Arc::clone(trace));
        }
        let trace = Arc::new(run()?);
        *kept = Some(Arc::clone(&trace));
        Ok(trace)
    }
}

fn lock_slot(slot: &Slot) -> std::sync::MutexGuard<'_, Option<Arc<WaterTrace>>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Step 4's hydraulics at every stop and hydraulic event, with the links of `key` held
/// closed.
pub(crate) fn run_water(
    city: &City,
    scenario: &Scenario,
    key: &WaterKey,
    progress: &mut dyn FnMut(i64, i64),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<WaterTrace, CascadeError> {
    let horizon_s = scenario.horizon_s;
    let mut water = Simulation::open(
        &city.water_file,
        SimulationOptions {
            engine: city.water_engine,
            demand_model: Some(city.demand_model()),
            duration_s: Some(horizon_s),
            // Pumps stopped by the cascade can leave a network that does not balance at
            // once; the run goes on and the warning is counted.
            continue_unbalanced: true,
        },
    )?;
    let network = water.shared_network();
    let tanks: Vec<usize> = (0..network.node_count())
        .filter(|&n| network.node_kinds[n] == NodeKind::Tank)
        .collect();
    let mut state = HydraulicState::default();
    let mut closed: BTreeSet<usize> = BTreeSet::new();
    let mut steps = Vec::new();
    let mut solves = 0;
    let mut time_s = 0;
    loop {
        let k = key.partition_point(|(t, _)| *t <= time_s).saturating_sub(1);
        let wanted: BTreeSet<usize> = key
            .get(k)
            .map(|(_, links)| links.iter().copied().collect())
            .unwrap_or_default();
        for &link in closed.difference(&wanted) {
            water.change_link(&network.link_ids[link], LinkChange::Restore)?;
        }
        for &link in wanted.difference(&closed) {
            water.change_link(&network.link_ids[link], LinkChange::Close)?;
        }
        closed = wanted;
        water.solve()?;
        water.read_state(&mut state)?;
        solves += 1;
        steps.push(water_step(city, &state, &tanks, time_s));
        progress(time_s, horizon_s);
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(CascadeError::Cancelled { at_s: time_s });
        }
        if time_s >= horizon_s {
            break;
        }
        // Advance to the next stop or hydraulic event.
        let Some(next_stop) = key.iter().map(|(t, _)| *t).find(|&t| t > time_s) else {
            break;
        };
        water.stop_at(next_stop);
        if !water.advance()? {
            break;
        }
        time_s = water.time_s().min(next_stop);
    }
    Ok(WaterTrace {
        steps,
        warnings: water
            .warnings()
            .iter()
            .map(|w| WaterWarning {
                t_h: hours(w.time_s),
                code: w.code,
                message: w.message.clone(),
            })
            .collect(),
        solves,
        tank_ids: tanks.iter().map(|&n| network.node_ids[n].clone()).collect(),
    })
}

/// What the water network gives at `time_s`: per district, demand required and
/// delivered (L/s) and the junctions short of it; per facility, whether it has water;
/// per tank, level (m) and volume (m³).
fn water_step(city: &City, state: &HydraulicState, tanks: &[usize], time_s: i64) -> WaterStep {
    let availability = |j: usize, delivered_lps: f64, need_lps: f64| {
        if need_lps > 1e-9 {
            delivered_lps / need_lps
        } else {
            city.water.availability(state.pressure_m[j])
        }
    };
    let districts = city
        .districts
        .iter()
        .map(|district| {
            let mut water = DistrictWater::default();
            for (k, &j) in district.junctions.iter().enumerate() {
                let need = state.required_demand_lps[j].max(0.0);
                let got = state.demand_lps[j].clamp(0.0, need);
                water.required_lps += need;
                water.delivered_lps += got;
                let dry = availability(j, got, need) < city.water.without_water_below;
                if dry || got < need {
                    water.short.push(JunctionShort {
                        k,
                        shortfall_lps: need - got,
                        dry,
                    });
                }
            }
            water
        })
        .collect();
    let watered = |j: usize| {
        availability(j, state.demand_lps[j], state.required_demand_lps[j])
            >= city.water.without_water_below
    };
    WaterStep {
        time_s,
        districts,
        facilities_watered: city
            .facilities
            .iter()
            .map(|f| f.junction.is_none_or(watered))
            .collect(),
        tanks: tanks
            .iter()
            .map(|&n| (state.pressure_m[n], state.tank_volume_m3[n]))
            .collect(),
    }
}
