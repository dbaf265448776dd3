//! After reading: `adjustdata`, `inittanks`, `initunits`, `convertunits` and
//! `validateproject` (`input1.c`, `validate.c`), into the [`Network`].

use std::f64::consts::PI;

use super::{NodeRef, RawTank, Reader};
use crate::model::{
    BIG, Control, Curve, Demand, HeadLossFormula, Link, LinkKind, M_PER_FT, MISSING, Network, Node,
    NodeKind, Options, PSI_PER_FT, Pattern, PressureUnits, Pump, PumpCurveKind, Status, TINY, Tank,
    Times, Units, Valve, interpolate,
};

/// EPANET's `VISCOS`: kinematic viscosity of water at 20 °C, ft²/s.
const VISCOS: f64 = 1.1e-5;
/// EPANET's `KPAperPSI`, `BARperPSI`, `KWperHP`.
const KPA_PER_PSI: f64 = 6.895;
const BAR_PER_PSI: f64 = 0.068948;
const KW_PER_HP: f64 = 0.7457;

/// EPANET's `Ucf` factors that the hydraulics use.
pub(super) struct Ucf {
    pub flow: f64,
    pub head: f64,
    pub pressure: f64,
    pub diam: f64,
    pub power: f64,
    pub volume: f64,
}

/// An optional EPANET index (1-based, 0 none) as a 0-based `Option`.
fn opt(i: usize) -> Option<usize> {
    i.checked_sub(1)
}

impl Reader {
    /// Builds the network, or `Err` with the problems recorded.
    pub(super) fn build(&mut self) -> Result<Network, ()> {
        let n_j = self.junctions.len();
        let node_index = |r: NodeRef| match r {
            NodeRef::Junction(j) => j,
            NodeRef::Tank(t) => n_j + t,
        };
        let times = self.adjust_times();
        let ucf = self.init_units();
        self.init_tanks();
        let options = self.options(&ucf);
        let units = self.units(&ucf);
        let nodes = self.convert_nodes(&ucf, &options);
        let tanks = self.convert_tanks(&ucf);
        let links = self.convert_links(&ucf, node_index);
        let controls = self.convert_controls(&ucf, &nodes, &links, node_index);
        let rules = self.convert_rules(node_index);
        let valves = self
            .valves
            .iter()
            .map(|&(link, curve)| Valve {
                link,
                curve: opt(curve),
            })
            .collect();
        let pumps = self.validate(&ucf, &nodes, &tanks, &links, node_index);
        let network = Network {
            title: std::mem::take(&mut self.title),
            nodes,
            n_junctions: n_j,
            tanks,
            links,
            pumps,
            valves,
            patterns: self
                .patterns
                .iter()
                .map(|p| Pattern {
                    id: p.id.clone(),
                    factors: p.factors.clone(),
                })
                .collect(),
            curves: self
                .curves
                .iter()
                .map(|c| Curve {
                    id: c.id.clone(),
                    kind: c.kind,
                    x: c.x.clone(),
                    y: c.y.clone(),
                })
                .collect(),
            controls,
            rules,
            options,
            times,
            units,
            pump_of_link: self.pump_of_link.clone(),
            valve_of_link: self.valve_of_link.clone(),
        };
        if self.problems.is_empty() {
            Ok(network)
        } else {
            Err(())
        }
    }

    /// `adjustdata`'s time rules.
    fn adjust_times(&self) -> Times {
        let s = &self.settings;
        let mut t = Times {
            duration: s.duration,
            hydraulic_step: s.hydraulic_step,
            pattern_step: s.pattern_step,
            pattern_start: s.pattern_start,
            report_step: s.report_step,
            report_start: s.report_start,
            rule_step: s.rule_step,
            start_clock: s.start_clock,
        };
        if t.pattern_step <= 0 {
            t.pattern_step = 3600;
        }
        if t.report_step == 0 {
            t.report_step = t.pattern_step;
        }
        if t.hydraulic_step <= 0 {
            t.hydraulic_step = 3600;
        }
        t.hydraulic_step = t.hydraulic_step.min(t.pattern_step).min(t.report_step);
        if t.report_start > t.duration {
            t.report_start = 0;
        }
        if t.rule_step == 0 {
            t.rule_step = t.hydraulic_step / 10;
        }
        t.rule_step = t.rule_step.min(t.hydraulic_step);
        t
    }

    /// `initunits`, with `adjustdata`'s choice of pressure units.
    fn init_units(&mut self) -> Ucf {
        let s = &mut self.settings;
        let metric = s.flow.is_metric();
        if s.pressure.is_none() {
            s.pressure = Some(if metric {
                PressureUnits::Meters
            } else {
                PressureUnits::Psi
            });
        }
        let (diam, head, power) = if metric {
            (1000.0 * M_PER_FT, M_PER_FT, KW_PER_HP)
        } else {
            (12.0, 1.0, 1.0)
        };
        let pressure = match s.pressure {
            Some(PressureUnits::Meters) => M_PER_FT,
            Some(PressureUnits::Kpa) => KPA_PER_PSI * PSI_PER_FT * s.sp_grav,
            Some(PressureUnits::Bar) => BAR_PER_PSI * PSI_PER_FT * s.sp_grav,
            Some(PressureUnits::Feet) => 1.0,
            _ => PSI_PER_FT * s.sp_grav,
        };
        Ucf {
            flow: s.flow.per_cfs(),
            head,
            pressure,
            diam,
            power,
            volume: head * head * head,
        }
    }

    /// `inittanks`: volumes and a nominal diameter from a tank's volume curve.
    fn init_tanks(&mut self) {
        for t in &mut self.tanks {
            if t.a == 0.0 || t.curve == 0 {
                continue;
            }
            let c = &self.curves[t.curve - 1];
            let n = c.x.len() - 1;
            if n == 0 {
                continue; // refused in `validate`
            }
            t.v_min = interpolate(&c.x, &c.y, t.h_min);
            t.v_max = interpolate(&c.x, &c.y, t.h_max);
            t.v0 = interpolate(&c.x, &c.y, t.h0);
            let a = (c.y[n] - c.y[0]) / (c.x[n] - c.x[0]);
            t.a = (4.0 * a / PI).sqrt();
        }
    }

    /// The options in internal units (`adjustdata`, `convertunits`).
    fn options(&self, ucf: &Ucf) -> Options {
        let s = &self.settings;
        let vcf = if s.flow.is_metric() {
            M_PER_FT * M_PER_FT
        } else {
            1.0
        };
        let viscosity = match s.viscosity {
            None => VISCOS,
            Some(v) if v > 1e-3 => v * VISCOS,
            Some(v) => v / vcf,
        };
        let hexp = if s.formula == HeadLossFormula::HazenWilliams {
            1.852
        } else {
            2.0
        };
        let default_pattern = self
            .pattern_ids
            .get(&s.default_pattern_id)
            .and_then(|&i| opt(i));
        Options {
            formula: s.formula,
            hexp,
            qexp: s.qexp,
            pexp: s.p_exp,
            p_min: s.p_min / ucf.pressure,
            p_required: s.p_req / ucf.pressure,
            demand_model: s.demand_model,
            demand_multiplier: s.demand_mult,
            accuracy: s.hacc,
            flow_change_limit: s.flow_change / ucf.flow,
            head_error_limit: s.head_error / ucf.head,
            damp_limit: s.damp_limit,
            viscosity,
            specific_gravity: s.sp_grav,
            pump_efficiency: s.pump_efficiency,
            energy_cost: s.energy_cost,
            energy_pattern: opt(s.energy_pattern),
            default_pattern,
            max_iter: s.max_iter,
            extra_iter: s.extra_iter,
            check_freq: s.check_freq,
            max_check: s.max_check,
            htol: s.htol,
            qtol: s.qtol,
            rqtol: s.rqtol,
            emitter_backflow: s.emitter_backflow,
        }
    }

    fn units(&self, ucf: &Ucf) -> Units {
        Units {
            flow: self.settings.flow,
            pressure: self.settings.pressure.unwrap_or(PressureUnits::Psi),
            flow_factor: ucf.flow,
            head_factor: ucf.head,
            pressure_factor: ucf.pressure,
            diameter_factor: ucf.diam,
            volume_factor: ucf.volume,
        }
    }

    /// Nodes: elevations, demands and emitters converted.
    fn convert_nodes(&self, ucf: &Ucf, options: &Options) -> Vec<Node> {
        let metric = self.settings.flow.is_metric();
        let ecf = if metric {
            M_PER_FT
        } else {
            PSI_PER_FT * self.settings.sp_grav
        };
        let kcf = ucf.flow.powf(options.qexp) / ecf;
        let junctions = self.junctions.iter().map(|j| (j, NodeKind::Junction));
        let tanks = self.tanks.iter().map(|t| {
            let kind = if t.a == 0.0 {
                NodeKind::Reservoir
            } else {
                NodeKind::Tank
            };
            (&t.node, kind)
        });
        junctions
            .chain(tanks)
            .map(|(n, kind)| Node {
                id: n.id.clone(),
                kind,
                elevation: n.elevation / ucf.head,
                demands: n
                    .demands
                    .iter()
                    .map(|d| Demand {
                        base: d.base / ucf.flow,
                        pattern: opt(d.pattern),
                        name: d.name.clone(),
                    })
                    .collect(),
                emitter: if n.emitter > 0.0 {
                    kcf / n.emitter.powf(options.qexp)
                } else {
                    0.0
                },
                coordinates: n.coordinates,
                line: n.line,
            })
            .collect()
    }

    /// Tanks: levels to heads, diameter to area, volumes converted.
    fn convert_tanks(&self, ucf: &Ucf) -> Vec<Tank> {
        let n_j = self.junctions.len();
        self.tanks
            .iter()
            .enumerate()
            .map(|(i, t): (usize, &RawTank)| {
                let el = t.node.elevation / ucf.head;
                let d = t.a / ucf.head;
                Tank {
                    node: n_j + i,
                    area: PI * (d * d) / 4.0,
                    h_min: el + t.h_min / ucf.head,
                    h_max: el + t.h_max / ucf.head,
                    h0: el + t.h0 / ucf.head,
                    v_min: t.v_min / ucf.volume,
                    v_max: t.v_max / ucf.volume,
                    v0: t.v0 / ucf.volume,
                    pattern: opt(t.pattern),
                    volume_curve: opt(t.curve),
                    can_overflow: t.overflow,
                }
            })
            .collect()
    }

    /// Links (`convertunits`), with `inithyd`'s `MISSING` setting of fixed valves.
    fn convert_links(&self, ucf: &Ucf, node_index: impl Fn(NodeRef) -> usize) -> Vec<Link> {
        let dw = self.settings.formula == HeadLossFormula::DarcyWeisbach;
        self.links
            .iter()
            .map(|l| {
                let (mut kc, mut km, mut diam, mut len) = (l.kc, l.km, l.diameter, l.length);
                let (mut leak_area, mut leak_expansion) = (l.leak_area, l.leak_expansion);
                if l.kind.is_pipe() {
                    if dw {
                        kc /= 1000.0 * ucf.head;
                    }
                    diam /= ucf.diam;
                    len /= ucf.head;
                    km = 0.02517 * km / (diam * diam) / (diam * diam);
                    leak_area *= ucf.head;
                    leak_expansion *= ucf.head;
                } else if l.kind == LinkKind::Pump {
                    km /= ucf.power;
                } else {
                    diam /= ucf.diam;
                    km = 0.02517 * km / (diam * diam) / (diam * diam);
                    if kc != MISSING {
                        match l.kind {
                            LinkKind::Fcv => kc /= ucf.flow,
                            LinkKind::Prv | LinkKind::Psv | LinkKind::Pbv => kc /= ucf.pressure,
                            _ => {}
                        }
                    }
                }
                let fixed =
                    l.kind.is_valve() && l.kind != LinkKind::Gpv && l.status != Status::Active;
                Link {
                    id: l.id.clone(),
                    kind: l.kind,
                    from: node_index(l.from),
                    to: node_index(l.to),
                    diameter: diam,
                    length: len,
                    kc,
                    km,
                    init_status: l.status,
                    init_setting: if fixed { MISSING } else { kc },
                    leak_area,
                    leak_expansion,
                    line: l.line,
                }
            })
            .collect()
    }

    /// Controls: levels to grades, valve settings converted.
    fn convert_controls(
        &self,
        ucf: &Ucf,
        nodes: &[Node],
        links: &[Link],
        node_index: impl Fn(NodeRef) -> usize,
    ) -> Vec<Control> {
        self.controls
            .iter()
            .map(|c| {
                let node = c.node.map(&node_index);
                let mut grade = c.level;
                if let Some(j) = node {
                    let f = if j >= self.junctions.len() {
                        ucf.head
                    } else {
                        ucf.pressure
                    };
                    grade = nodes[j].elevation + c.level / f;
                }
                let mut setting = c.setting;
                if setting != MISSING {
                    match links[c.link].kind {
                        LinkKind::Prv | LinkKind::Psv | LinkKind::Pbv => setting /= ucf.pressure,
                        LinkKind::Fcv => setting /= ucf.flow,
                        _ => {}
                    }
                }
                Control {
                    link: c.link,
                    node,
                    time: c.time,
                    grade,
                    setting,
                    status: c.status,
                    kind: c.kind,
                    enabled: c.enabled,
                    line: c.line,
                }
            })
            .collect()
    }
}

/// `powerfuncpump`: the power function through a shutoff head and two points,
/// `(a, b, c)` of `h = a + b·q^c`, or `None` when none fits.
pub(crate) fn power_function(
    h0: f64,
    h1: f64,
    h2: f64,
    q1: f64,
    q2: f64,
) -> Option<(f64, f64, f64)> {
    if h0 < TINY || h0 - h1 < TINY || h1 - h2 < TINY || q1 < TINY || q2 - q1 < TINY {
        return None;
    }
    let h4 = h0 - h1;
    let h5 = h0 - h2;
    let c = (h5 / h4).ln() / (q2 / q1).ln();
    if c <= 0.0 || c > 20.0 {
        return None;
    }
    let b = -h4 / q1.powf(c);
    if b >= 0.0 {
        return None;
    }
    Some((h0, b, c))
}

/// A pump before `validatepumps`.
pub(super) fn blank_pump(link: usize) -> Pump {
    Pump {
        link,
        curve_kind: PumpCurveKind::NoCurve,
        q0: 0.0,
        q_max: 0.0,
        h_max: 0.0,
        h0: 0.0,
        r: 0.0,
        n: 0.0,
        head_curve: None,
        efficiency_curve: None,
        speed_pattern: None,
        energy_pattern: None,
        energy_cost: 0.0,
    }
}

/// `constpowerpump` (the rating already divided once by the power factor).
pub(super) fn constant_power(pump: &mut Pump, km: f64, power: f64) {
    pump.curve_kind = PumpCurveKind::ConstantPower;
    pump.h0 = 0.0;
    pump.r = -8.814 * km / power;
    pump.n = -1.0;
    pump.h_max = BIG;
    pump.q_max = BIG;
    pump.q0 = 1.0;
}
