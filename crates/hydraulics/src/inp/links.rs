//! `[PIPES]`, `[PUMPS]`, `[VALVES]`, `[STATUS]` and `[LEAKAGE]` (EPANET's `pipedata`,
//! `pumpdata`, `valvedata`, `valvecheck`, `statusdata`, `changestatus`, `leakagedata`).

use super::nodes::non_negative;
use super::text::{data_number, matches};
use super::{NodeRef, RawLink, RawPump, Reader};
use crate::model::{CurveKind, HeadLossFormula, LinkKind, Status};

impl Reader {
    /// Start and end nodes of a link line (`getlinknodes`): both defined and distinct.
    fn link_nodes(
        &self,
        kind: &str,
        tok: &[&str],
        min: usize,
        fields: &str,
    ) -> Result<(NodeRef, NodeRef), String> {
        let id = &tok[0];
        if tok.len() < min {
            return Err(format!(
                "{kind} {id}: expected at least {min} fields ({fields}), got {}",
                tok.len()
            ));
        }
        let n1 = self.find_node(tok[1], || format!("{kind} {id}: start node"))?;
        let n2 = self.find_node(tok[2], || format!("{kind} {id}: end node"))?;
        if n1 == n2 {
            return Err(format!(
                "{kind} {id}: its start and end node are the same node {}",
                tok[1]
            ));
        }
        self.check_new_id(kind, id, false)?;
        Ok((n1, n2))
    }

    fn push_link(&mut self, link: RawLink) -> usize {
        let k = self.links.len();
        self.link_ids.insert(link.id.clone(), k);
        self.links.push(link);
        self.pump_of_link.push(None);
        self.valve_of_link.push(None);
        k
    }

    fn new_link(&self, id: &str, kind: LinkKind, (from, to): (NodeRef, NodeRef)) -> RawLink {
        RawLink {
            id: id.to_string(),
            kind,
            from,
            to,
            diameter: 0.0,
            length: 0.0,
            kc: 0.0,
            km: 0.0,
            status: Status::Open,
            leak_area: 0.0,
            leak_expansion: 0.0,
            line: self.line,
        }
    }

    /// `pipedata`: `ID node1 node2 [length [diameter [roughness [minor-loss] [status]]]]`.
    pub(super) fn pipe(&mut self, tok: &[&str]) -> Result<(), String> {
        let ends = self.link_nodes("pipe", tok, 3, "ID, start node, end node")?;
        let id = &tok[0];
        if tok.len() > 8 {
            return Err(format!(
                "pipe {id}: expected at most 8 fields, got {}",
                tok.len()
            ));
        }
        let what = |field: &str| format!("pipe {id}: {field}");
        let mut link = self.new_link(id, LinkKind::Pipe, ends);
        (link.length, link.diameter) = if self.metric() {
            (100.0, 254.0)
        } else {
            (330.0, 10.0)
        };
        link.kc = match self.settings.formula {
            HeadLossFormula::HazenWilliams => 130.0,
            HeadLossFormula::DarcyWeisbach => 0.0005,
            HeadLossFormula::ChezyManning => 0.01,
        };
        let fields = ["length", "diameter", "roughness"];
        for (i, field) in fields.iter().enumerate() {
            if let Some(t) = tok.get(3 + i) {
                let v = data_number(t, || what(field))?;
                if v <= 0.0 {
                    return Err(format!("{} must be positive, got {t}", what(field)));
                }
                match i {
                    0 => link.length = v,
                    1 => link.diameter = v,
                    _ => link.kc = v,
                }
            }
        }
        let status_of = |link: &mut RawLink, t: &str| {
            if matches(t, "CV") {
                link.kind = LinkKind::CvPipe;
            } else if matches(t, "CLOSED") {
                link.status = Status::Closed;
            } else if matches(t, "OPEN") {
                link.status = Status::Open;
            } else {
                return false;
            }
            true
        };
        if tok.len() == 7 && !status_of(&mut link, tok[6]) {
            link.km = non_negative(tok[6], || what("minor loss"))?;
        }
        if tok.len() == 8 {
            link.km = non_negative(tok[6], || what("minor loss"))?;
            if !status_of(&mut link, tok[7]) {
                return Err(format!(
                    "{} '{}' must be OPEN, CLOSED or CV",
                    what("status"),
                    tok[7]
                ));
            }
        }
        self.push_link(link);
        Ok(())
    }

    /// `pumpdata`: `ID node1 node2 [keyword value]...` with `POWER`, `HEAD`, `SPEED`,
    /// `PATTERN`.
    pub(super) fn pump(&mut self, tok: &[&str]) -> Result<(), String> {
        let ends = self.link_nodes("pump", tok, 3, "ID, start node, end node")?;
        let id = &tok[0];
        let what = |field: &str| format!("pump {id}: {field}");
        let mut link = self.new_link(id, LinkKind::Pump, ends);
        link.kc = 1.0;
        let mut pump = RawPump::default();
        let mut m = 4;
        while m < tok.len() + 1 {
            let key = &tok[m - 1];
            let Some(value) = tok.get(m) else {
                return Err(format!("pump {id}: keyword {key} has no value"));
            };
            if matches(key, "POWER") {
                let y = data_number(value, || what("power"))?;
                if y <= 0.0 {
                    return Err(format!("{} must be positive, got {value}", what("power")));
                }
                link.km = y;
            } else if matches(key, "HEAD") {
                pump.head_curve = self.find_curve(value, || what("head curve"))?;
            } else if matches(key, "PATT") {
                pump.speed_pattern = self.find_pattern(value, || what("speed pattern"))?;
            } else if matches(key, "SPEE") {
                link.kc = non_negative(value, || what("speed"))?;
            } else {
                return Err(format!(
                    "pump {id}: unknown keyword {key}; expected HEAD, POWER, SPEED or PATTERN"
                ));
            }
            m += 2;
        }
        let k = self.push_link(link);
        pump.link = k;
        self.pump_of_link[k] = Some(self.pumps.len());
        self.pumps.push(pump);
        Ok(())
    }

    /// `valvedata`: `ID node1 node2 diameter type setting [minor-loss [PCV curve]]`.
    pub(super) fn valve(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        let fields = "ID, start node, end node, diameter, type, setting";
        if tok.len() < 5 {
            return Err(format!(
                "valve {id}: expected at least 6 fields ({fields}), got {}",
                tok.len()
            ));
        }
        let what = |field: &str| format!("valve {id}: {field}");
        let n1 = self.find_node(tok[1], || what("start node"))?;
        let n2 = self.find_node(tok[2], || what("end node"))?;
        if n1 == n2 {
            return Err(format!(
                "valve {id}: its start and end node are the same node {}",
                tok[1]
            ));
        }
        let types = [
            ("PRV", LinkKind::Prv),
            ("PSV", LinkKind::Psv),
            ("PBV", LinkKind::Pbv),
            ("FCV", LinkKind::Fcv),
            ("TCV", LinkKind::Tcv),
            ("GPV", LinkKind::Gpv),
            ("PCV", LinkKind::Pcv),
        ];
        let Some(&(_, kind)) = types.iter().find(|(k, _)| matches(tok[4], k)) else {
            return Err(format!(
                "valve {id}: type '{}' must be one of PRV, PSV, PBV, FCV, TCV, GPV, PCV",
                tok[4]
            ));
        };
        self.valve_check(id, kind, n1, n2)?;
        self.check_new_id("valve", id, false)?;
        if tok.len() > 8 {
            return Err(format!(
                "valve {id}: expected at most 8 fields, got {}",
                tok.len()
            ));
        }
        let mut link = self.new_link(id, kind, (n1, n2));
        link.status = Status::Active;
        link.diameter = data_number(tok[3], || what("diameter"))?;
        if link.diameter <= 0.0 {
            return Err(format!(
                "{} must be positive, got {}",
                what("diameter"),
                tok[3]
            ));
        }
        let mut curve = 0;
        if let Some(t) = tok.get(5) {
            if kind == LinkKind::Gpv {
                let c = self.find_curve(t, || what("head-loss curve"))?;
                // 0-based, as every index of the model (EPANET keeps it 1-based).
                link.kc = (c - 1) as f64;
                self.curves[c - 1].kind = CurveKind::HeadLoss;
                link.status = Status::Open;
            } else {
                link.kc = data_number(t, || what("setting"))?;
            }
        }
        if let Some(t) = tok.get(6) {
            link.km = non_negative(t, || what("minor loss"))?;
        }
        if let (Some(t), LinkKind::Pcv) = (tok.get(7), kind) {
            curve = self.find_curve(t, || what("valve curve"))?;
            self.curves[curve - 1].kind = CurveKind::Valve;
            link.kc = link.kc.min(100.0);
        }
        let k = self.push_link(link);
        self.valve_of_link[k] = Some(self.valves.len());
        self.valves.push((k, curve));
        Ok(())
    }

    /// `valvecheck`: no pressure or flow valve at a fixed-head node, none sharing nodes
    /// with another in the ways EPANET forbids (errors 219, 220).
    fn valve_check(
        &self,
        id: &str,
        kind: LinkKind,
        j1: NodeRef,
        j2: NodeRef,
    ) -> Result<(), String> {
        use LinkKind::{Fcv, Prv, Psv};
        if !matches!(kind, Prv | Psv | Fcv) {
            return Ok(());
        }
        for (end, j) in [("start", j1), ("end", j2)] {
            if let NodeRef::Tank(t) = j {
                let tank = &self.tanks[t].node.id;
                return Err(format!(
                    "valve {id}: a {} cannot connect to a tank or reservoir ({end} node {tank})",
                    kind_name(kind)
                ));
            }
        }
        for &(k, _) in &self.valves {
            let link = &self.links[k];
            let (v1, v2, vt) = (link.from, link.to, link.kind);
            let bad = match (vt, kind) {
                (Prv, Prv) => v2 == j2 || v2 == j1 || v1 == j2,
                (Psv, Psv) => v1 == j1 || v1 == j2 || v2 == j1,
                (Psv, Prv) => v1 == j2,
                (Prv, Psv) => v2 == j1,
                (Fcv, Psv) => v2 == j1,
                (Fcv, Prv) => v1 == j2,
                (Psv, Fcv) => v1 == j2,
                (Prv, Fcv) => v2 == j1,
                _ => false,
            };
            if bad {
                return Err(format!(
                    "valve {id}: illegal connection to valve {} (EPANET forbids PRVs sharing a downstream node or in series, PSVs sharing an upstream node or in series, and a PSV or PRV next to an FCV or each other this way)",
                    link.id
                ));
            }
        }
        Ok(())
    }

    /// `statusdata`: `link status-or-setting`, or a range `first last status`.
    pub(super) fn status(&mut self, tok: &[&str]) -> Result<(), String> {
        let n = tok.len() - 1;
        if n < 1 {
            return Err(format!(
                "status of {}: missing the status or setting",
                tok[0]
            ));
        }
        if n > 2 {
            return Err(format!(
                "status of {}: expected 2 fields (link, status or setting), got {}",
                tok[0],
                tok.len()
            ));
        }
        let (status, y) = if matches(tok[n], "OPEN") {
            (Status::Open, 0.0)
        } else if matches(tok[n], "CLOSED") {
            (Status::Closed, 0.0)
        } else {
            let y = data_number(tok[n], || format!("status of {}: setting", tok[0]))?;
            if y < 0.0 {
                return Err(format!(
                    "status of {}: setting must not be negative, got {}",
                    tok[0], tok[n]
                ));
            }
            (Status::Active, y)
        };
        if n == 1 {
            let j = self.find_link(tok[0], || "[STATUS] entry".to_string())?;
            let kind = self.links[j].kind;
            if kind == LinkKind::CvPipe || (kind == LinkKind::Gpv && status == Status::Active) {
                return Err(format!(
                    "status of {}: a {} cannot be given this status",
                    tok[0],
                    kind_name(kind)
                ));
            }
            self.change_status(j, status, y);
            return Ok(());
        }
        let (i1, i2) = (atol(tok[0]), atol(tok[1]));
        for j in 0..self.links.len() {
            let lid = &self.links[j].id;
            let inside = if i1 > 0 && i2 > 0 {
                (i1..=i2).contains(&atol(lid))
            } else {
                tok[0] <= lid.as_str() && tok[1] >= lid.as_str()
            };
            if inside {
                self.change_status(j, status, y);
            }
        }
        Ok(())
    }

    /// `changestatus`.
    fn change_status(&mut self, j: usize, mut status: Status, y: f64) {
        let link = &mut self.links[j];
        match link.kind {
            LinkKind::Pipe | LinkKind::Gpv => {
                if status != Status::Active {
                    link.status = status;
                }
            }
            LinkKind::Pump => {
                if status == Status::Active {
                    link.kc = y;
                    status = if y == 0.0 {
                        Status::Closed
                    } else {
                        Status::Open
                    };
                } else if status == Status::Open {
                    link.kc = 1.0;
                } else if status == Status::Closed {
                    link.kc = 0.0;
                }
                link.status = status;
            }
            LinkKind::CvPipe => {}
            _ => {
                if status == Status::Active {
                    link.kc = y;
                }
                link.status = status;
            }
        }
    }

    /// `leakagedata`: `pipe leak-area leak-expansion`; other links are skipped.
    pub(super) fn leakage(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        if tok.len() < 3 {
            return Err(format!(
                "leakage of {id}: expected 3 fields (pipe, leak area, leak expansion), got {}",
                tok.len()
            ));
        }
        let j = self.find_link(id, || "[LEAKAGE] entry".to_string())?;
        if !self.links[j].kind.is_pipe() {
            return Ok(());
        }
        let c1 = non_negative(tok[1], || format!("leakage of {id}: leak area"))?;
        let c2 = non_negative(tok[2], || format!("leakage of {id}: leak expansion"))?;
        // The solver has no leakage term yet: a leaking pipe would be solved as tight.
        if c1 > 0.0 || c2 > 0.0 {
            self.unsupported(format!(
                "leakage of {id}: EPANET 2.3's pipe leakage model is not supported by the native engine yet; use --engine epanet"
            ));
            return Ok(());
        }
        self.links[j].leak_area = c1;
        self.links[j].leak_expansion = c2;
        Ok(())
    }
}

/// C's `atol`: the leading integer of a string, 0 if none.
fn atol(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    sign * digits[..end].parse::<i64>().unwrap_or(0)
}

/// A link kind's name for problems.
pub(super) fn kind_name(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::CvPipe => "pipe with a check valve",
        LinkKind::Pipe => "pipe",
        LinkKind::Pump => "pump",
        LinkKind::Prv => "PRV",
        LinkKind::Psv => "PSV",
        LinkKind::Pbv => "PBV",
        LinkKind::Fcv => "FCV",
        LinkKind::Tcv => "TCV",
        LinkKind::Gpv => "GPV",
        LinkKind::Pcv => "PCV",
    }
}
