//! `[PATTERNS]`, `[CURVES]`, `[CONTROLS]` and `[ENERGY]` (EPANET's `patterndata`,
//! `curvedata`, `controldata`, `energydata`).

use super::links::kind_name;
use super::text::{data_number, find_match, hours, matches, setting_number};
use super::{RawControl, Reader};
use crate::model::{ControlKind, CurveKind, LinkKind, MISSING, Status};

impl Reader {
    /// `patterndata`: `ID factor...`, appended to the pattern's factors.
    pub(super) fn pattern(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        if tok.len() < 2 {
            return Err(format!(
                "pattern {id}: a line needs at least one multiplier"
            ));
        }
        let i = match self.prev_pattern {
            Some(i) if self.patterns[i].id == *id => i,
            _ => self.find_pattern(id, || "[PATTERNS] entry".to_string())? - 1,
        };
        let mut factors = Vec::with_capacity(tok.len() - 1);
        for t in &tok[1..] {
            factors.push(data_number(t, || format!("pattern {id}: multiplier"))?);
        }
        self.patterns[i].factors.extend(factors);
        self.prev_pattern = Some(i);
        Ok(())
    }

    /// `curvedata`: `ID x y [type]`.
    pub(super) fn curve(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        if tok.len() < 3 {
            return Err(format!(
                "curve {id}: expected 3 fields (ID, x, y), got {}",
                tok.len()
            ));
        }
        if tok.len() > 4 {
            return Err(format!(
                "curve {id}: expected at most 4 fields (ID, x, y, type), got {}",
                tok.len()
            ));
        }
        let x = data_number(tok[1], || format!("curve {id}: x"))?;
        let y = data_number(tok[2], || format!("curve {id}: y"))?;
        let kinds = ["VOLUME", "PUMP", "EFFIC", "HEADLOSS", "GENERIC", "VALVE"];
        let kind = tok
            .get(3)
            .and_then(|t| find_match(t, &kinds))
            .map(|k| match k {
                0 => CurveKind::Volume,
                1 => CurveKind::Pump,
                2 => CurveKind::Efficiency,
                3 => CurveKind::HeadLoss,
                4 => CurveKind::Generic,
                _ => CurveKind::Valve,
            });
        let i = match self.prev_curve {
            Some(i) if self.curves[i].id == *id => i,
            _ => self.find_curve(id, || "[CURVES] entry".to_string())? - 1,
        };
        let line = self.line;
        let curve = &mut self.curves[i];
        curve.x.push(x);
        curve.y.push(y);
        curve.lines.push(line);
        if let Some(kind) = kind {
            curve.kind = kind;
        }
        self.prev_curve = Some(i);
        Ok(())
    }

    /// `controldata`: `LINK id status-or-setting IF NODE id ABOVE|BELOW value`,
    /// `LINK id status-or-setting AT TIME t` or `AT CLOCKTIME t [AM|PM]`, optionally
    /// followed by `DISABLED`.
    pub(super) fn control(&mut self, tok: &[&str]) -> Result<(), String> {
        let forms = "expected LINK id status IF NODE id ABOVE|BELOW value, LINK id status AT TIME t, or LINK id status AT CLOCKTIME t [AM|PM]";
        let mut n = tok.len();
        if n < 6 {
            return Err(format!("control: {n} fields; {forms}"));
        }
        let mut enabled = true;
        if matches(tok[n - 1], "DISABLED") {
            enabled = false;
            n -= 1;
        }
        let k = self.find_link(tok[1], || "control".to_string())?;
        let kind = self.links[k].kind;
        let lid = &tok[1];
        if kind == LinkKind::CvPipe {
            return Err(format!(
                "control of link {lid}: a pipe with a check valve cannot be controlled"
            ));
        }
        let mut setting = MISSING;
        let mut status = Status::Active;
        if matches(tok[2], "OPEN") || matches(tok[2], "CLOSED") {
            let open = matches(tok[2], "OPEN");
            status = if open { Status::Open } else { Status::Closed };
            if kind == LinkKind::Pump {
                setting = if open { 1.0 } else { 0.0 };
            }
            if kind == LinkKind::Gpv {
                setting = self.links[k].kc;
            }
        } else if kind == LinkKind::Gpv {
            return Err(format!(
                "control of link {lid}: a GPV can only be set OPEN or CLOSED, got {}",
                tok[2]
            ));
        } else {
            setting = data_number(tok[2], || format!("control of link {lid}: setting"))?;
        }
        if matches!(kind, LinkKind::Pump | LinkKind::Pipe) && setting != MISSING {
            if setting < 0.0 {
                return Err(format!(
                    "control of {} {lid}: setting must not be negative, got {}",
                    kind_name(kind),
                    tok[2]
                ));
            }
            status = if setting == 0.0 {
                Status::Closed
            } else {
                Status::Open
            };
        }
        let (ctl, node, time, level) = self.control_trigger(tok, n, forms)?;
        self.controls.push(RawControl {
            link: k,
            node,
            kind: ctl,
            status,
            setting,
            time,
            level,
            enabled,
            line: self.line,
        });
        Ok(())
    }

    /// The trigger of a control: its kind, node, time (s) and level.
    #[allow(clippy::type_complexity)]
    fn control_trigger(
        &self,
        tok: &[&str],
        n: usize,
        forms: &str,
    ) -> Result<(ControlKind, Option<super::NodeRef>, i64, f64), String> {
        let lid = &tok[1];
        let ctl = if matches(tok[4], "TIME") {
            ControlKind::Timer
        } else if matches(tok[4], "CLOCKTIME") {
            ControlKind::TimeOfDay
        } else {
            if n < 8 {
                return Err(format!("control of link {lid}: {n} fields; {forms}"));
            }
            let node = self.find_node(tok[5], || format!("control of link {lid}"))?;
            let ctl = if matches(tok[6], "BELOW") {
                ControlKind::LowLevel
            } else if matches(tok[6], "ABOVE") {
                ControlKind::HighLevel
            } else {
                return Err(format!(
                    "control of link {lid}: '{}' must be ABOVE or BELOW",
                    tok[6]
                ));
            };
            let level = data_number(tok[7], || format!("control of link {lid}: level"))?;
            return Ok((ctl, Some(node), 0, level));
        };
        let units = if n >= 7 { tok[6] } else { "" };
        let time = hours(tok[5], units).filter(|t| *t >= 0.0 && *t <= 1e9).ok_or_else(|| {
            format!(
                "control of link {lid}: time '{} {units}' is not a valid time (expected h, h:mm or h:mm:ss, optionally with SEC/MIN/HOURS/DAYS or AM/PM)",
                tok[5]
            )
        })?;
        let mut seconds = (3600.0 * time) as i64;
        if ctl == ControlKind::TimeOfDay {
            seconds %= crate::model::SECONDS_PER_DAY;
        }
        Ok((ctl, None, seconds, 0.0))
    }

    /// `energydata`: `GLOBAL PRICE|PATTERN|EFFIC value`, `PUMP id PRICE|PATTERN|EFFIC
    /// value`, `DEMAND CHARGE value`.
    pub(super) fn energy(&mut self, tok: &[&str]) -> Result<(), String> {
        let n = tok.len();
        let forms = "expected GLOBAL PRICE|PATTERN|EFFICIENCY value, PUMP id PRICE|PATTERN|EFFICIENCY value, or DEMAND CHARGE value";
        if n < 3 {
            return Err(format!("energy: {n} fields; {forms}"));
        }
        if matches(tok[0], "DEMAN") {
            let y = setting_number(tok[2], || "energy: demand charge".to_string())?;
            if y < 0.0 {
                return Err(format!(
                    "energy: demand charge must not be negative, got {}",
                    tok[2]
                ));
            }
            self.settings.demand_charge = y;
            return Ok(());
        }
        let pump = if matches(tok[0], "GLOB") {
            None
        } else if matches(tok[0], "PUMP") {
            if n < 4 {
                return Err(format!("energy: {n} fields; {forms}"));
            }
            let k = self.find_link(tok[1], || "energy".to_string())?;
            match self.pump_of_link[k] {
                Some(p) => Some(p),
                None => return Err(format!("energy: link {} is not a pump", tok[1])),
            }
        } else {
            return Err(format!("energy: unknown keyword {}; {forms}", tok[0]));
        };
        let (key, value) = (&tok[n - 2], &tok[n - 1]);
        let who = pump.map_or("global".to_string(), |_| format!("pump {}", tok[1]));
        if matches(key, "PRICE") {
            let y = setting_number(value, || format!("energy: {who} price"))?;
            if y < 0.0 {
                return Err(format!(
                    "energy: {who} price must not be negative, got {value}"
                ));
            }
            match pump {
                None => self.settings.energy_cost = y,
                Some(p) => self.pumps[p].energy_cost = y,
            }
        } else if matches(key, "PATT") {
            let p = self.find_pattern(value, || format!("energy: {who} price pattern"))?;
            match pump {
                None => self.settings.energy_pattern = p,
                Some(j) => self.pumps[j].energy_pattern = p,
            }
        } else if matches(key, "EFFI") {
            match pump {
                None => {
                    let y = setting_number(value, || "energy: global efficiency".to_string())?;
                    if y <= 0.0 {
                        return Err(format!(
                            "energy: global efficiency must be positive, got {value}"
                        ));
                    }
                    self.settings.pump_efficiency = y;
                }
                Some(j) => {
                    let c = self.find_curve(value, || format!("energy: {who} efficiency curve"))?;
                    self.pumps[j].efficiency_curve = c;
                    self.curves[c - 1].kind = CurveKind::Efficiency;
                }
            }
        } else {
            return Err(format!("energy: unknown keyword {key}; {forms}"));
        }
        Ok(())
    }
}
