//! `validateproject` (`validate.c`) and `unlinked` (`project.c`): tank levels, pump
//! curves (fitted here, as EPANET fits them when it opens the hydraulics), curves,
//! patterns, and junctions without links.

use super::build::{blank_pump, constant_power, power_function};
use super::{NodeRef, Reader};
use crate::model::{CurveKind, Link, Node, Pump, PumpCurveKind, TINY, Tank};

impl Reader {
    /// The checks of `validateproject` and `unlinked`; returns the fitted pumps.
    pub(super) fn validate(
        &mut self,
        ucf: &super::build::Ucf,
        nodes: &[Node],
        tanks: &[Tank],
        links: &[Link],
        node_index: impl Fn(NodeRef) -> usize,
    ) -> Vec<Pump> {
        if nodes.len() < 2 {
            self.problem_at(
                0,
                "",
                format!(
                    "the network has {} node(s); at least 2 are needed",
                    nodes.len()
                ),
            );
        }
        if tanks.is_empty() {
            self.problem_at(0, "", "the network has no tank or reservoir".to_string());
        }
        self.validate_tanks(ucf.head, nodes, tanks);
        let pumps = self.validate_pumps(ucf, links);
        self.validate_patterns_and_curves();
        let mut linked = vec![false; nodes.len()];
        for l in &self.links {
            linked[node_index(l.from)] = true;
            linked[node_index(l.to)] = true;
        }
        let unlinked: Vec<(u32, String)> = self
            .junctions
            .iter()
            .zip(&linked)
            .filter(|&(_, &linked)| !linked)
            .map(|(junction, _)| {
                let message = format!(
                    "junction {}: the node is not connected to any link",
                    junction.id
                );
                (junction.line, message)
            })
            .collect();
        for (line, message) in unlinked {
            self.problem_at(line, "JUNCTIONS", message);
        }
        pumps
    }

    /// `validatetanks`: levels in order and within the volume curve.
    fn validate_tanks(&mut self, head: f64, nodes: &[Node], tanks: &[Tank]) {
        for (t, raw) in tanks.iter().zip(self.tanks.clone()) {
            if t.area == 0.0 {
                continue;
            }
            let id = &raw.node.id;
            let line = raw.node.line;
            let mut problem = None;
            if t.h0 > t.h_max || t.h_min > t.h_max || t.h0 < t.h_min {
                problem = Some(format!(
                    "tank {id}: invalid levels: expected minimum level <= initial level <= maximum level, got {} <= {} <= {}",
                    raw.h_min, raw.h0, raw.h_max
                ));
            }
            let el = nodes[t.node].elevation;
            if let (None, Some(c)) = (&problem, t.volume_curve) {
                let curve = &self.curves[c];
                let n = curve.x.len() - 1;
                if n == 0 {
                    problem = Some(format!(
                        "tank {id}: volume curve {} has a single point; at least 2 are needed",
                        curve.id
                    ));
                } else if (t.h_min - el) * head < curve.x[0] - TINY
                    || (t.h_max - el) * head > curve.x[n] + TINY
                {
                    problem = Some(format!(
                        "tank {id}: its levels {} to {} lie outside volume curve {} ({} to {})",
                        raw.h_min, raw.h_max, curve.id, curve.x[0], curve.x[n]
                    ));
                }
            }
            if let Some(message) = problem {
                self.problem_at(line, "TANKS", message);
            }
        }
    }

    /// `validatepumps`: fits each pump's curve (`pumpcurvepump`, `customcurvepump`,
    /// `constpowerpump`).
    fn validate_pumps(&mut self, ucf: &super::build::Ucf, links: &[Link]) -> Vec<Pump> {
        let mut pumps = Vec::with_capacity(self.pumps.len());
        for raw in self.pumps.clone() {
            let link = &links[raw.link];
            let mut pump = blank_pump(raw.link);
            pump.head_curve = raw.head_curve.checked_sub(1);
            pump.efficiency_curve = raw.efficiency_curve.checked_sub(1);
            pump.speed_pattern = raw.speed_pattern.checked_sub(1);
            pump.energy_pattern = raw.energy_pattern.checked_sub(1);
            pump.energy_cost = raw.energy_cost;
            let problem = if let Some(c) = pump.head_curve {
                self.curves[c].kind = CurveKind::Pump;
                self.fit_pump_curve(&mut pump, c, ucf)
            } else if link.km > 0.0 {
                constant_power(&mut pump, link.km, ucf.power);
                None
            } else {
                Some(format!(
                    "pump {}: it has neither a head curve (HEAD) nor a power rating (POWER)",
                    link.id
                ))
            };
            if let Some(message) = problem {
                self.problem_at(link.line, "PUMPS", message);
            }
            pumps.push(pump);
        }
        pumps
    }

    /// `pumpcurvepump` / `customcurvepump`: a problem when the curve does not fit.
    fn fit_pump_curve(&self, pump: &mut Pump, c: usize, ucf: &super::build::Ucf) -> Option<String> {
        let curve = &self.curves[c];
        let (x, y) = (&curve.x, &curve.y);
        let npts = x.len();
        let lid = &self.links[pump.link].id;
        let (h0, h1, h2, q1, q2) = if npts == 1 {
            (1.33334 * y[0], y[0], 0.0, x[0], 2.0 * x[0])
        } else if npts == 3 && x[0] == 0.0 {
            (y[0], y[1], y[2], x[1], x[2])
        } else {
            pump.curve_kind = PumpCurveKind::Custom;
            if npts == 0 || y.windows(2).any(|w| w[1] >= w[0]) {
                pump.curve_kind = PumpCurveKind::NoCurve;
                return Some(format!(
                    "pump {lid}: invalid head curve {}: the heads of a multi-point curve must fall as the flow rises",
                    curve.id
                ));
            }
            let q_max = x[npts - 1];
            pump.q0 = (x[0] + q_max) / 2.0 / ucf.flow;
            pump.q_max = q_max / ucf.flow;
            pump.h_max = y[0] / ucf.head;
            return None;
        };
        let Some((a, b, c)) = power_function(h0, h1, h2, q1, q2) else {
            return Some(format!(
                "pump {lid}: invalid head curve {}: no falling power function h = a - b*q^c (0 < c <= 20) fits its {} point(s)",
                curve.id, npts
            ));
        };
        pump.curve_kind = PumpCurveKind::PowerFunction;
        pump.h0 = -a / ucf.head;
        pump.r = -b * (ucf.flow.powf(c) / ucf.head);
        pump.n = c;
        pump.q0 = q1 / ucf.flow;
        pump.q_max = (-a / b).powf(1.0 / c) / ucf.flow;
        pump.h_max = h0 / ucf.head;
        None
    }

    /// `validatepatterns`, `validatecurves`.
    fn validate_patterns_and_curves(&mut self) {
        for p in self.patterns.clone() {
            if p.factors.is_empty() {
                self.problem_at(
                    p.line,
                    "PATTERNS",
                    format!("pattern {}: no multipliers given", p.id),
                );
            }
        }
        for c in self.curves.clone() {
            if c.x.is_empty() {
                self.problem_at(c.line, "CURVES", format!("curve {}: no points given", c.id));
            }
            if let Some(i) = (1..c.x.len()).find(|&i| c.x[i - 1] >= c.x[i]) {
                self.problem_at(
                    c.lines[i],
                    "CURVES",
                    format!(
                        "curve {}: x values must rise strictly, but {} follows {}",
                        c.id,
                        c.x[i],
                        c.x[i - 1]
                    ),
                );
            }
        }
    }
}
