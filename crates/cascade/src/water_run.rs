//! The water network's run for one schedule of closed links (step 4 of the cascade), and
//! the cache that lets scenarios share it. A run depends on nothing but its [`WaterKey`]:
//! the city's network, the horizon and which links are held closed from each stop.

use crate::city::City;
use crate::engine::hours;
use crate::error::CascadeError;
use crate::result::WaterWarning;
use crate::scenario::Scenario;
use lifeline_water::{
    HydraulicState, LinkChange, NetworkInfo, NodeKind, Simulation, SimulationOptions,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
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
    cancel: &AtomicBool,
) -> Result<WaterTrace, CascadeError> {
    let mut run = WaterRun::open(city, scenario.horizon_s)?;
    run.go_on(city, key, i64::MAX, progress, cancel)?;
    Ok(run.finish())
}

/// Where [`WaterRun::go_on`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reached {
    /// The end of the run.
    End,
    /// The last evaluation before the time asked for: the next move depends on stops
    /// at or after it.
    Before,
}

/// A run of [`WaterRun::go_on_together`]: the run, its key, the time it goes on to
/// (`before_s` of [`WaterRun::go_on`]) and the caller's tag.
pub(crate) struct Going<'k, T> {
    pub(crate) run: WaterRun,
    pub(crate) key: &'k WaterKey,
    pub(crate) before_s: i64,
    pub(crate) tag: T,
}

/// Where [`Going::start_solve`] left a run.
enum Started {
    /// A solve is under way.
    Solving,
    /// A solve was made at once (EPANET's toolkit) and recorded.
    Solved,
    /// Nothing to solve: the run got where it was going.
    Reached(Reached),
}

impl<T> Going<'_, T> {
    /// Goes on to the next evaluation and starts its solve.
    fn start_solve(&mut self, city: &City, cancel: &AtomicBool) -> Result<Started, CascadeError> {
        match self.run.next(self.key, self.before_s)? {
            Next::Reached(at) => Ok(Started::Reached(at)),
            Next::Solve => match self.run.water.begin_solve() {
                None => Ok(Started::Solving),
                Some(solved) => {
                    solved?;
                    self.run.record(city, &mut |_, _| {}, cancel)?;
                    Ok(Started::Solved)
                }
            },
        }
    }
}

/// What a [`WaterRun`] needs next.
enum Next {
    /// Its simulation solved, then [`WaterRun::record`].
    Solve,
    /// Nothing: it got where it was going.
    Reached(Reached),
}

/// A water run under way: the simulation, what it has given so far and where it is.
/// Everything it does up to a time depends only on the stops of its key before that
/// time, so keys that agree that far can share it (see [`WaterRun::try_clone`]).
pub(crate) struct WaterRun {
    water: Simulation,
    network: Arc<NetworkInfo>,
    horizon_s: i64,
    tanks: Arc<[usize]>,
    /// Read from the simulation at each evaluation (work space).
    state: HydraulicState,
    closed: BTreeSet<usize>,
    steps: Vec<WaterStep>,
    solves: usize,
    time_s: i64,
    /// Whether the evaluation at `time_s` has been made.
    evaluated: bool,
}

impl WaterRun {
    /// A run of the city's water network over `horizon_s`, at time 0, nothing evaluated.
    pub(crate) fn open(city: &City, horizon_s: i64) -> Result<WaterRun, CascadeError> {
        let water = Simulation::open(
            &city.water_file,
            SimulationOptions {
                engine: city.water_engine,
                demand_model: Some(city.demand_model()),
                duration_s: Some(horizon_s),
                // Pumps stopped by the cascade can leave a network that does not balance
                // at once; the run goes on and the warning is counted.
                continue_unbalanced: true,
            },
        )?;
        let network = water.shared_network();
        let tanks = (0..network.node_count())
            .filter(|&n| network.node_kinds[n] == NodeKind::Tank)
            .collect();
        Ok(WaterRun {
            water,
            network,
            horizon_s,
            tanks,
            state: HydraulicState::default(),
            closed: BTreeSet::new(),
            steps: Vec::new(),
            solves: 0,
            time_s: 0,
            evaluated: false,
        })
    }

    /// Whether [`WaterRun::try_clone`] gives a copy (not with EPANET's toolkit).
    pub(crate) fn can_clone(&self) -> bool {
        self.water.can_clone()
    }

    /// A copy that goes on by itself from here, as this run would (`None` when the
    /// engine's run cannot be copied: EPANET's toolkit).
    pub(crate) fn try_clone(&self) -> Option<WaterRun> {
        Some(WaterRun {
            water: self.water.try_clone()?,
            network: Arc::clone(&self.network),
            horizon_s: self.horizon_s,
            tanks: Arc::clone(&self.tanks),
            state: HydraulicState::default(),
            closed: self.closed.clone(),
            steps: self.steps.clone(),
            solves: self.solves,
            time_s: self.time_s,
            evaluated: self.evaluated,
        })
    }

    /// Goes on with the links of `key` held closed, evaluating at every stop and
    /// hydraulic event, until the end or until the next move would depend on a stop of
    /// `key` at or after `before_s`: then the run holds its last evaluation before
    /// `before_s` (none when `before_s` is 0), and any key that agrees with `key` on
    /// every stop before `before_s` can go on from it.
    pub(crate) fn go_on(
        &mut self,
        city: &City,
        key: &WaterKey,
        before_s: i64,
        progress: &mut dyn FnMut(i64, i64),
        cancel: &AtomicBool,
    ) -> Result<Reached, CascadeError> {
        loop {
            match self.next(key, before_s)? {
                Next::Reached(reached) => return Ok(reached),
                Next::Solve => {
                    self.water.solve()?;
                    self.record(city, progress, cancel)?;
                }
            }
        }
    }

    /// [`WaterRun::go_on`] of several runs at once, each with its key and time, each
    /// getting what `go_on` would give it: their solves go trial by trial, the linear
    /// solves of each trial made together ([`Simulation::trials_together`]), so that
    /// copies of one run go in lock-step. As each run gets where it was going (or
    /// fails), it is handed to `reached` with its tag; before each trial, `more` is
    /// asked for runs to join the others (with how many are going).
    pub(crate) fn go_on_together<'k, T>(
        city: &City,
        runs: Vec<Going<'k, T>>,
        cancel: &AtomicBool,
        mut reached: impl FnMut(WaterRun, T, Result<Reached, CascadeError>),
        mut more: impl FnMut(usize) -> Vec<Going<'k, T>>,
    ) {
        let mut moving = runs;
        let mut solving: Vec<Going<'k, T>> = Vec::with_capacity(moving.len());
        loop {
            // Each run that is not solving goes on to its next solve, or is done.
            while let Some(mut going) = moving.pop() {
                match going.start_solve(city, cancel) {
                    Ok(Started::Solving) => solving.push(going),
                    Ok(Started::Solved) => moving.push(going),
                    Ok(Started::Reached(at)) => reached(going.run, going.tag, Ok(at)),
                    Err(e) => reached(going.run, going.tag, Err(e)),
                }
                if moving.is_empty() {
                    moving = more(solving.len());
                }
            }
            if solving.is_empty() {
                Simulation::release_lane_space();
                return;
            }
            // One trial of every solve under way.
            let mut waters: Vec<&mut Simulation> = solving
                .iter_mut()
                .map(|going| &mut going.run.water)
                .collect();
            let solved = Simulation::trials_together(&mut waters);
            drop(waters);
            let mut still_solving = Vec::with_capacity(solving.len());
            for (mut going, solved) in solving.drain(..).zip(solved) {
                match solved {
                    None => still_solving.push(going),
                    Some(solved) => {
                        let recorded = solved
                            .map_err(CascadeError::from)
                            .and_then(|_| going.run.record(city, &mut |_, _| {}, cancel));
                        match recorded {
                            Ok(()) => moving.push(going),
                            Err(e) => reached(going.run, going.tag, Err(e)),
                        }
                    }
                }
            }
            solving = still_solving;
        }
    }

    /// Goes on to the next evaluation, up to its solve: [`Next::Solve`] when the links
    /// of the stop in force are set and the simulation is to be solved (then
    /// [`WaterRun::record`]), or where [`WaterRun::go_on`] stops.
    fn next(&mut self, key: &WaterKey, before_s: i64) -> Result<Next, CascadeError> {
        if !self.evaluated {
            if before_s <= self.time_s {
                return Ok(Next::Reached(Reached::Before));
            }
            self.hold_closed(key)?;
            return Ok(Next::Solve);
        }
        if self.time_s >= self.horizon_s {
            return Ok(Next::Reached(Reached::End));
        }
        // Advance to the next stop or hydraulic event. A key with no stop left may
        // still part from one that has, so the end is reached only when no time was
        // asked for.
        let next_stop = match key.iter().map(|(t, _)| *t).find(|&t| t > self.time_s) {
            Some(t) if t < before_s => t,
            None if before_s == i64::MAX => return Ok(Next::Reached(Reached::End)),
            _ => return Ok(Next::Reached(Reached::Before)),
        };
        self.water.stop_at(next_stop);
        if !self.water.advance()? {
            return Ok(Next::Reached(Reached::End));
        }
        self.time_s = self.water.time_s().min(next_stop);
        self.hold_closed(key)?;
        Ok(Next::Solve)
    }

    /// Holds closed the links of the stop of `key` in force at `time_s` (and only
    /// those).
    fn hold_closed(&mut self, key: &WaterKey) -> Result<(), CascadeError> {
        let time_s = self.time_s;
        let k = key.partition_point(|(t, _)| *t <= time_s).saturating_sub(1);
        let wanted: BTreeSet<usize> = key
            .get(k)
            .map(|(_, links)| links.iter().copied().collect())
            .unwrap_or_default();
        for &link in self.closed.difference(&wanted) {
            self.water
                .change_link(&self.network.link_ids[link], LinkChange::Restore)?;
        }
        for &link in wanted.difference(&self.closed) {
            self.water
                .change_link(&self.network.link_ids[link], LinkChange::Close)?;
        }
        self.closed = wanted;
        Ok(())
    }

    /// The evaluation at `time_s` once solved: the network's water measured.
    fn record(
        &mut self,
        city: &City,
        progress: &mut dyn FnMut(i64, i64),
        cancel: &AtomicBool,
    ) -> Result<(), CascadeError> {
        let time_s = self.time_s;
        self.water.read_state(&mut self.state)?;
        self.solves += 1;
        self.evaluated = true;
        self.steps
            .push(water_step(city, &self.state, &self.tanks, time_s));
        progress(time_s, self.horizon_s);
        if cancel.load(Ordering::Relaxed) {
            return Err(CascadeError::Cancelled { at_s: time_s });
        }
        Ok(())
    }

    /// Hydraulic solves made so far (those of the run it was copied from included).
    pub(crate) fn solves(&self) -> usize {
        self.solves
    }

    /// What the run gave.
    pub(crate) fn finish(self) -> WaterTrace {
        WaterTrace {
            steps: self.steps,
            warnings: self
                .water
                .warnings()
                .iter()
                .map(|w| WaterWarning {
                    t_h: hours(w.time_s),
                    code: w.code,
                    message: w.message.clone(),
                })
                .collect(),
            solves: self.solves,
            tank_ids: self
                .tanks
                .iter()
                .map(|&n| self.network.node_ids[n].clone())
                .collect(),
        }
    }
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
