//! What a network is made of: nodes and links with their EPANET IDs, kinds, elevations,
//! the file's units and time settings. Indices here are 0-based (EPANET's minus one).

use crate::epanet::Project;
use crate::error::WaterError;
use crate::units::{FlowUnit, Units};
use epanet_sys as ffi;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Kind of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A junction, where water is consumed.
    Junction,
    /// A reservoir: fixed head, unlimited supply.
    Reservoir,
    /// A storage tank.
    Tank,
}

/// Kind of link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A pipe with a check valve.
    CvPipe,
    /// A pipe.
    Pipe,
    /// A pump.
    Pump,
    /// A valve (PRV, PSV, PBV, FCV, TCV, GPV or PCV).
    Valve,
}

/// The static description of a network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkInfo {
    /// The input file.
    pub file: String,
    /// Node IDs, in EPANET's order.
    pub node_ids: Vec<String>,
    /// Kind of each node.
    pub node_kinds: Vec<NodeKind>,
    /// Elevation of each node, m (for tanks: bottom; for reservoirs: head).
    pub elevation_m: Vec<f64>,
    /// Base demand of each node's primary demand category, L/s (0 at tanks and
    /// reservoirs): the weight of a junction within its service area.
    pub base_demand_lps: Vec<f64>,
    /// Link IDs, in EPANET's order.
    pub link_ids: Vec<String>,
    /// Kind of each link.
    pub link_kinds: Vec<LinkKind>,
    /// (start, end) node of each link.
    pub link_ends: Vec<(usize, usize)>,
    /// Each node's (x, y) from the file's `[COORDINATES]`, in the file's own coordinate
    /// system (often a local plane or feet), if it has any.
    pub coordinates: Vec<Option<(f64, f64)>>,
    /// Per link: for a pump, the electric power it draws at its design point, kW, when
    /// the file says enough to know it (see [`pump_design_kw`]); `None` for other links.
    pub pump_design_kw: Vec<Option<f64>>,
    /// The file's units and their factors to SI.
    pub units: Units,
    /// Simulation duration, s (0 for a single steady state).
    pub duration_s: i64,
    /// Hydraulic time step, s.
    pub hydraulic_step_s: i64,
    /// Reporting time step, s.
    pub report_step_s: i64,
    /// Time of the first report, s.
    pub report_start_s: i64,
    /// ID → index (a fast non-cryptographic hash: IDs come from the operator's own file).
    node_index: HashMap<String, usize>,
    link_index: HashMap<String, usize>,
}

impl NetworkInfo {
    /// Reads the description from an opened project.
    pub(crate) fn read(project: &Project, file: &str) -> Result<Self, WaterError> {
        let error = |e| WaterError::from_epanet(file, e);
        let nodes = project
            .count(ffi::EN_CountType_EN_NODECOUNT)
            .map_err(error)?;
        let links = project
            .count(ffi::EN_CountType_EN_LINKCOUNT)
            .map_err(error)?;
        let flow_code = project.flow_units().map_err(error)?;
        let flow_unit =
            FlowUnit::from_code(flow_code).ok_or_else(|| WaterError::InvalidRequest {
                file: file.to_string(),
                message: format!("EPANET reports unknown flow units (code {flow_code})"),
            })?;
        let pressure_code = project
            .option(ffi::EN_Option_EN_PRESS_UNITS)
            .map_err(error)? as i32;
        let specific_gravity = project
            .option(ffi::EN_Option_EN_SP_GRAVITY)
            .map_err(error)?;
        let units = Units::new(flow_unit, pressure_code, specific_gravity);

        let mut node_ids = Vec::with_capacity(nodes);
        let mut node_kinds = Vec::with_capacity(nodes);
        // EPANET numbers junctions first, then tanks and reservoirs.
        let junctions = nodes
            - project
                .count(ffi::EN_CountType_EN_TANKCOUNT)
                .map_err(error)?;
        for i in 1..=nodes {
            node_ids.push(project.node_id(i).map_err(error)?);
            node_kinds.push(if i <= junctions {
                NodeKind::Junction
            } else {
                match project.node_type(i).map_err(error)? as u32 {
                    ffi::EN_NodeType_EN_RESERVOIR => NodeKind::Reservoir,
                    ffi::EN_NodeType_EN_TANK => NodeKind::Tank,
                    _ => NodeKind::Junction,
                }
            });
        }
        let coordinates = (1..=nodes).map(|i| project.node_coordinates(i)).collect();
        let mut elevation_m = vec![0.0; nodes];
        project
            .node_values(ffi::EN_NodeProperty_EN_ELEVATION, &mut elevation_m)
            .map_err(error)?;
        for z in &mut elevation_m {
            *z *= units.m_per_length;
        }
        let mut base_demand_lps = vec![0.0; nodes];
        project
            .node_values(ffi::EN_NodeProperty_EN_BASEDEMAND, &mut base_demand_lps)
            .map_err(error)?;
        for (demand, kind) in base_demand_lps.iter_mut().zip(&node_kinds) {
            *demand = if *kind == NodeKind::Junction {
                *demand * units.lps_per_flow
            } else {
                0.0
            };
        }
        let mut link_ids = Vec::with_capacity(links);
        let mut link_kinds = Vec::with_capacity(links);
        let mut link_ends = Vec::with_capacity(links);
        for i in 1..=links {
            link_ids.push(project.link_id(i).map_err(error)?);
            link_kinds.push(match project.link_type(i).map_err(error)? as u32 {
                ffi::EN_LinkType_EN_CVPIPE => LinkKind::CvPipe,
                ffi::EN_LinkType_EN_PIPE => LinkKind::Pipe,
                ffi::EN_LinkType_EN_PUMP => LinkKind::Pump,
                _ => LinkKind::Valve,
            });
            let (from, to) = project.link_nodes(i).map_err(error)?;
            link_ends.push((from.saturating_sub(1), to.saturating_sub(1)));
        }
        let global_efficiency = project
            .option(ffi::EN_Option_EN_GLOBALEFFIC)
            .map_err(error)?;
        let pump_design_kw = (1..=links)
            .zip(&link_kinds)
            .map(|(i, kind)| match kind {
                LinkKind::Pump => pump_rating(project, i)
                    .map(|rating| pump_design_kw(&rating, &units, global_efficiency)),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        let time = |parameter| project.time_parameter(parameter).map_err(error);
        Ok(Self {
            file: file.to_string(),
            pump_design_kw,
            coordinates,
            node_index: index_of(&node_ids),
            node_ids,
            node_kinds,
            elevation_m,
            base_demand_lps,
            link_index: index_of(&link_ids),
            link_ids,
            link_kinds,
            link_ends,
            units,
            duration_s: time(ffi::EN_TimeParameter_EN_DURATION)?,
            hydraulic_step_s: time(ffi::EN_TimeParameter_EN_HYDSTEP)?,
            report_step_s: time(ffi::EN_TimeParameter_EN_REPORTSTEP)?,
            report_start_s: time(ffi::EN_TimeParameter_EN_REPORTSTART)?,
        })
    }

    /// The description of a network read by `lifeline-hydraulics`: the same figures
    /// [`Self::read`] gets from EPANET for the same file (EPANET's internal units times
    /// its own factors, then SI).
    pub(crate) fn from_native(network: &lifeline_hydraulics::Network, file: &str) -> Self {
        use lifeline_hydraulics::model::{
            self as native, FlowUnits, LinkKind as NativeLink, NodeKind as NativeNode,
            PressureUnits, PumpCurveKind,
        };
        let flow_unit = match network.units.flow {
            FlowUnits::Cfs => FlowUnit::Cfs,
            FlowUnits::Gpm => FlowUnit::Gpm,
            FlowUnits::Mgd => FlowUnit::Mgd,
            FlowUnits::Imgd => FlowUnit::Imgd,
            FlowUnits::Afd => FlowUnit::Afd,
            FlowUnits::Lps => FlowUnit::Lps,
            FlowUnits::Lpm => FlowUnit::Lpm,
            FlowUnits::Mld => FlowUnit::Mld,
            FlowUnits::Cmh => FlowUnit::Cmh,
            FlowUnits::Cmd => FlowUnit::Cmd,
            FlowUnits::Cms => FlowUnit::Cms,
        };
        let pressure_code = match network.units.pressure {
            PressureUnits::Psi => ffi::EN_PressUnits_EN_PSI,
            PressureUnits::Kpa => ffi::EN_PressUnits_EN_KPA,
            PressureUnits::Meters => ffi::EN_PressUnits_EN_METERS,
            PressureUnits::Bar => ffi::EN_PressUnits_EN_BAR,
            PressureUnits::Feet => ffi::EN_PressUnits_EN_FEET,
        };
        let units = Units::new(
            flow_unit,
            pressure_code as i32,
            network.options.specific_gravity,
        );
        let factors = &network.units;
        let node_kinds = network
            .nodes
            .iter()
            .map(|n| match n.kind {
                NativeNode::Junction => NodeKind::Junction,
                NativeNode::Reservoir => NodeKind::Reservoir,
                NativeNode::Tank => NodeKind::Tank,
            })
            .collect::<Vec<_>>();
        let link_kinds = network
            .links
            .iter()
            .map(|l| match l.kind {
                NativeLink::CvPipe => LinkKind::CvPipe,
                NativeLink::Pipe => LinkKind::Pipe,
                NativeLink::Pump => LinkKind::Pump,
                _ => LinkKind::Valve,
            })
            .collect::<Vec<_>>();
        let pump_design_kw = network
            .links
            .iter()
            .zip(&network.pump_of_link)
            .map(|(link, pump)| {
                let pump = &network.pumps[(*pump)?];
                let rating = if pump.curve_kind == PumpCurveKind::ConstantPower {
                    PumpRating::Power { hp: link.km }
                } else {
                    let curve: Option<&native::Curve> = pump.head_curve.map(|c| &network.curves[c]);
                    PumpRating::HeadCurve(curve.map_or_else(Vec::new, |c| {
                        c.x.iter().copied().zip(c.y.iter().copied()).collect()
                    }))
                };
                pump_design_kw(&rating, &units, network.options.pump_efficiency)
            })
            .collect();
        let node_ids: Vec<String> = network.nodes.iter().map(|n| n.id.clone()).collect();
        let link_ids: Vec<String> = network.links.iter().map(|l| l.id.clone()).collect();
        Self {
            file: file.to_string(),
            node_index: index_of(&node_ids),
            node_ids,
            elevation_m: network
                .nodes
                .iter()
                .map(|n| n.elevation * factors.head_factor * units.m_per_length)
                .collect(),
            base_demand_lps: network
                .nodes
                .iter()
                .zip(&node_kinds)
                .map(|(n, kind)| match (kind, n.demands.first()) {
                    (NodeKind::Junction, Some(d)) => {
                        d.base * factors.flow_factor * units.lps_per_flow
                    }
                    _ => 0.0,
                })
                .collect(),
            coordinates: network.nodes.iter().map(|n| n.coordinates).collect(),
            node_kinds,
            link_index: index_of(&link_ids),
            link_ids,
            link_kinds,
            link_ends: network.links.iter().map(|l| (l.from, l.to)).collect(),
            pump_design_kw,
            units,
            duration_s: network.times.duration,
            hydraulic_step_s: network.times.hydraulic_step,
            report_step_s: network.times.report_step,
            report_start_s: network.times.report_start,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_ids.len()
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.link_ids.len()
    }

    /// Index of the node with `id`, or an error with near-miss suggestions.
    pub fn node(&self, id: &str) -> Result<usize, WaterError> {
        self.node_index
            .get(id)
            .copied()
            .ok_or_else(|| WaterError::UnknownNode {
                file: self.file.clone(),
                id: id.to_string(),
                suggestion: suggestion(id, &self.node_ids),
            })
    }

    /// Index of the link with `id`, or an error with near-miss suggestions.
    pub fn link(&self, id: &str) -> Result<usize, WaterError> {
        self.link_index
            .get(id)
            .copied()
            .ok_or_else(|| WaterError::UnknownLink {
                file: self.file.clone(),
                id: id.to_string(),
                suggestion: suggestion(id, &self.link_ids),
            })
    }

    /// Whether `time_s` is a reporting time.
    pub fn is_report_time(&self, time_s: i64) -> bool {
        time_s >= self.report_start_s
            && (self.report_step_s <= 0 || (time_s - self.report_start_s) % self.report_step_s == 0)
    }

    /// Count of each kind of node and link: (junctions, tanks, reservoirs, pipes, pumps,
    /// valves).
    pub fn census(&self) -> (usize, usize, usize, usize, usize, usize) {
        let nodes = |kind| self.node_kinds.iter().filter(|k| **k == kind).count();
        let links =
            |kinds: &[LinkKind]| self.link_kinds.iter().filter(|k| kinds.contains(k)).count();
        (
            nodes(NodeKind::Junction),
            nodes(NodeKind::Tank),
            nodes(NodeKind::Reservoir),
            links(&[LinkKind::Pipe, LinkKind::CvPipe]),
            links(&[LinkKind::Pump]),
            links(&[LinkKind::Valve]),
        )
    }
}

/// "; did you mean A, B?" for the IDs nearest `id`, or empty.
fn suggestion(id: &str, ids: &[String]) -> String {
    let near = lifeline_core::suggest::nearest(id, ids.iter().map(String::as_str), 3);
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

/// Water's density times gravity, kN/m³.
const WATER_KN_PER_M3: f64 = 9.81;

/// ID → index of `ids`.
fn index_of(ids: &[String]) -> HashMap<String, usize> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect()
}

/// What a file says of a pump's power.
enum PumpRating {
    /// A `POWER` pump's rating as EPANET keeps it: horsepower whatever the file's units
    /// (EPANET divides a metric file's kW by 0.7457 on reading, and `EN_PUMP_POWER`
    /// returns that figure).
    Power { hp: f64 },
    /// The head curve's points (flow, head) in the file's units; empty for none.
    HeadCurve(Vec<(f64, f64)>),
}

/// Horsepower to kilowatts (EPANET's own factor).
const KW_PER_HP: f64 = 0.7457;

/// A pump's rating from EPANET.
fn pump_rating(project: &Project, index: usize) -> Result<PumpRating, crate::epanet::EpanetError> {
    let kind = project.pump_type(index)? as u32;
    if kind == ffi::EN_PumpType_EN_CONST_HP {
        let hp = project.link_value(index, ffi::EN_LinkProperty_EN_PUMP_POWER)?;
        return Ok(PumpRating::Power { hp });
    }
    let curve = project.link_value(index, ffi::EN_LinkProperty_EN_PUMP_HCURVE)? as usize;
    if curve == 0 {
        return Ok(PumpRating::HeadCurve(Vec::new()));
    }
    Ok(PumpRating::HeadCurve(project.curve_points(curve)?))
}

/// The electric power a pump draws at its design point, kW, if the file says enough: a
/// `POWER` pump's own figure; for a head curve, the point with the largest flow × head
/// (a one-point curve's design point, the middle of a three-point one's usual range),
/// ρ·g·Q·H divided by the efficiency (the file's global efficiency, 75 % unless
/// `[ENERGY] Global Efficiency` says otherwise; a pump's own efficiency curve is not
/// read).
fn pump_design_kw(rating: &PumpRating, units: &Units, global_efficiency_pct: f64) -> Option<f64> {
    match rating {
        PumpRating::Power { hp } => {
            let kw = hp * KW_PER_HP;
            (kw > 0.0).then_some(kw)
        }
        PumpRating::HeadCurve(points) => {
            let efficiency = if global_efficiency_pct > 0.0 {
                global_efficiency_pct / 100.0
            } else {
                0.75
            };
            let best = points
                .iter()
                .map(|&(flow, head)| {
                    let q_m3s = flow.max(0.0) * units.lps_per_flow / 1000.0;
                    let h_m = head.max(0.0) * units.m_per_length;
                    WATER_KN_PER_M3 * q_m3s * h_m / efficiency
                })
                .fold(0.0, f64::max);
            (best > 0.0).then_some(best)
        }
    }
}
