//! `[JUNCTIONS]`, `[RESERVOIRS]`, `[TANKS]`, `[DEMANDS]` and `[EMITTERS]`
//! (EPANET's `juncdata`, `tankdata`, `demanddata`, `emitterdata`).

use super::text::{data_number, matches};
use super::{NodeRef, RawDemand, RawNode, RawTank, Reader};
use crate::model::CurveKind;

impl Reader {
    fn new_node(&self, id: &str, elevation: f64) -> RawNode {
        RawNode {
            id: id.to_string(),
            elevation,
            demands: Vec::new(),
            own_demand: true,
            emitter: 0.0,
            coordinates: None,
            line: self.line,
        }
    }

    /// `juncdata`: `ID elevation [demand [pattern]]`.
    pub(super) fn junction(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        self.check_new_id("junction", id, true)?;
        let what = |field: &str| format!("junction {id}: {field}");
        let el = match tok.get(1) {
            Some(t) => data_number(t, || what("elevation"))?,
            None => 0.0,
        };
        let d = match tok.get(2) {
            Some(t) => data_number(t, || what("demand"))?,
            None => 0.0,
        };
        let pattern = match tok.get(3) {
            Some(t) => self.find_pattern(t, || what("demand pattern"))?,
            None => 0,
        };
        if tok.len() > 4 {
            return Err(format!(
                "junction {id}: expected at most 4 fields (ID, elevation, demand, pattern), got {}",
                tok.len()
            ));
        }
        let mut node = self.new_node(id, el);
        node.demands.push(RawDemand {
            base: d,
            pattern,
            name: None,
        });
        self.node_ids
            .insert(id.to_string(), NodeRef::Junction(self.junctions.len()));
        self.junctions.push(node);
        Ok(())
    }

    /// `tankdata`: a reservoir `ID head [pattern]` or a tank `ID elevation initial-level
    /// minimum-level maximum-level diameter [minimum-volume [volume-curve [overflow]]]`.
    pub(super) fn tank(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        let kind = if tok.len() <= 3 { "reservoir" } else { "tank" };
        self.check_new_id(kind, id, true)?;
        let what = |field: &str| format!("{kind} {id}: {field}");
        if tok.len() < 2 {
            return Err(format!("{kind} {id}: missing its elevation (head)"));
        }
        let el = data_number(tok[1], || what("elevation"))?;
        let mut t = RawTank {
            node: self.new_node(id, el),
            h0: 0.0,
            h_min: 0.0,
            h_max: 0.0,
            a: 0.0,
            pattern: 0,
            v_min: 0.0,
            v0: 0.0,
            v_max: 0.0,
            curve: 0,
            overflow: false,
        };
        let mut min_vol = 0.0;
        if tok.len() == 3 {
            t.pattern = self.find_pattern(tok[2], || what("head pattern"))?;
        } else if tok.len() > 3 {
            if tok.len() < 6 {
                return Err(format!(
                    "tank {id}: expected at least 6 fields (ID, elevation, initial level, minimum level, maximum level, diameter), got {}",
                    tok.len()
                ));
            }
            if tok.len() > 9 {
                return Err(format!(
                    "tank {id}: expected at most 9 fields, got {}",
                    tok.len()
                ));
            }
            let fields = [
                "initial level",
                "minimum level",
                "maximum level",
                "diameter",
            ];
            let mut v = [0.0; 4];
            for (i, field) in fields.iter().enumerate() {
                v[i] = non_negative(tok[i + 2], || what(field))?;
            }
            [t.h0, t.h_min, t.h_max, t.a] = v;
            if let Some(tk) = tok.get(6) {
                min_vol = non_negative(tk, || what("minimum volume"))?;
            }
            if let Some(tk) = tok.get(7).filter(|s| !s.is_empty() && !s.starts_with('*')) {
                t.curve = self.find_curve(tk, || what("volume curve"))?;
                self.curves[t.curve - 1].kind = CurveKind::Volume;
            }
            if let Some(tk) = tok.get(8) {
                t.overflow = if matches(tk, "YES") {
                    true
                } else if matches(tk, "NO") {
                    false
                } else {
                    return Err(format!("tank {id}: overflow '{tk}' must be YES or NO"));
                };
            }
        }
        let diam = t.a;
        let area = std::f64::consts::PI * (diam * diam) / 4.0;
        t.v_min = area * t.h_min;
        if min_vol > 0.0 {
            t.v_min = min_vol;
        }
        t.v0 = t.v_min + area * (t.h0 - t.h_min);
        t.v_max = t.v_min + area * (t.h_max - t.h_min);
        self.node_ids
            .insert(id.to_string(), NodeRef::Tank(self.tanks.len()));
        self.tanks.push(t);
        Ok(())
    }

    /// `demanddata`: `junction demand [pattern]`; the first entry of a junction replaces
    /// its `[JUNCTIONS]` demand, later ones add categories; tanks are skipped.
    pub(super) fn demand(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        if tok.len() < 2 {
            return Err(format!("demand of {id}: missing the base demand"));
        }
        if tok.len() > 3 {
            return Err(format!(
                "demand of {id}: expected at most 3 fields (junction, demand, pattern), got {}",
                tok.len()
            ));
        }
        let y = data_number(tok[1], || format!("demand of {id}: base demand"))?;
        let node = self.find_node(id, || "[DEMANDS] entry".to_string())?;
        let NodeRef::Junction(j) = node else {
            return Ok(());
        };
        let pattern = match tok.get(2) {
            Some(t) => self.find_pattern(t, || format!("demand of {id}: pattern"))?,
            None => 0,
        };
        let comment: String = self.comment.chars().take(super::text::MAX_ID).collect();
        let name = (!comment.is_empty()).then_some(comment);
        let junction = &mut self.junctions[j];
        if junction.own_demand && !junction.demands.is_empty() {
            let first = &mut junction.demands[0];
            first.base = y;
            first.pattern = pattern;
            if name.is_some() {
                first.name = name;
            }
            junction.own_demand = false;
        } else {
            junction.demands.push(RawDemand {
                base: y,
                pattern,
                name,
            });
        }
        Ok(())
    }

    /// `emitterdata`: `junction coefficient`; tanks are skipped.
    pub(super) fn emitter(&mut self, tok: &[&str]) -> Result<(), String> {
        let id = &tok[0];
        if tok.len() < 2 {
            return Err(format!("emitter of {id}: missing the coefficient"));
        }
        let node = self.find_node(id, || "[EMITTERS] entry".to_string())?;
        let NodeRef::Junction(j) = node else {
            return Ok(());
        };
        let k = non_negative(tok[1], || format!("emitter of {id}: coefficient"))?;
        self.junctions[j].emitter = k;
        Ok(())
    }
}

/// A data number that must not be negative (EPANET's `gettokvalue`, error 209).
pub(super) fn non_negative(tok: &str, what: impl Fn() -> String) -> Result<f64, String> {
    let v = data_number(tok, &what)?;
    if v < 0.0 {
        return Err(format!("{} must not be negative, got {tok}", what()));
    }
    Ok(v)
}
