//! The `.inp` reader: EPANET 2.3's input parser (`input1.c`, `input2.c`, `input3.c`,
//! `validate.c`) ported line by line, into a [`Network`] in EPANET's internal units.
//!
//! **Where it follows EPANET.** One pass over the lines in file order, as `readdata`:
//! sections by their full bracketed name (any case), keywords by EPANET's `match`
//! (a case-blind prefix: `DURA` takes `Duration`), IDs case-sensitive, pattern and curve
//! IDs known in advance (as `netsize` adds them) while nodes must precede the links,
//! demands and controls that name them. Defaults are `setdefaults`'; a `[DEMANDS]` entry
//! replaces a junction's own demand the first time and adds a category afterwards
//! (`demanddata`); `[STATUS]` acts through `changestatus`; the default pattern is the
//! `PATTERN` option or pattern `1`. Then `adjustdata` (time steps, viscosity, head-loss
//! exponent), `inittanks` (volume curves), `initunits` and `convertunits` (same
//! arithmetic in the same order), and `validateproject`'s checks (tank levels, pump
//! curves fitted as `powerfuncpump` / `customcurvepump` / `constpowerpump`, curves,
//! unlinked junctions). As in EPANET 2.3, a constant-power pump's rating is divided by
//! the power factor twice (`convertunits`, then `constpowerpump`) in SI files; and the
//! default length, diameter and roughness of a pipe that omits them use the units and
//! formula in force at its line (EPANET's `netsize` does not read them ahead).
//! `Link::init_setting` is already `MISSING` for a non-GPV valve whose initial status is
//! fixed, as `inithyd` sets it.
//!
//! **Where it differs.** Every problem is collected (EPANET stops at the first of each
//! line too, but also keeps some silently): numbers must be finite and, in data columns,
//! at most 1e9 in size (EPANET takes NaN); negative times are refused; an option or
//! time keyword EPANET does not know, or with its value missing, is a problem (EPANET
//! ignores some of them); lines of more than 1023 characters or 40 items are refused
//! (EPANET splits or truncates them); `HYDRAULICS USE/SAVE` is refused (not supported
//! natively); a volume curve needs two points. `[RULES]` is read as `ruledata` reads it
//! (see the `rules` module for where it is stricter). Sections
//! without hydraulic effect (`[QUALITY]`, `[SOURCES]`, `[REACTIONS]`, `[MIXING]`,
//! `[REPORT]`, `[TAGS]`, `[COORDINATES]`, `[VERTICES]`, `[LABELS]`, `[BACKDROP]`,
//! `[ROUGHNESS]`) are skipped without checking their references; so are the `QUALITY`,
//! `MAP`, `TOLERANCE`, `DIFFUSIVITY` options and the `QUALITY TIMESTEP`, `STATISTIC` times
//! (checked only for form). Problems are in line order; a problem of the whole network
//! (no tank, too few nodes) has line 0.

mod build;
mod links;
mod nodes;
mod rules;
mod settings;
mod tables;
mod text;
mod validate;

/// The lines of a text as [`str::lines`] gives them (without `\n` or `\r\n`), each
/// with its 0-based number, and a jump to the next line that holds a given character.
struct LinesFrom<'a> {
    text: &'a str,
    /// Byte offset of the next line's start.
    at: usize,
    /// Number of the line at `at`.
    number: usize,
}

impl<'a> LinesFrom<'a> {
    fn new(text: &'a str) -> Self {
        LinesFrom {
            text,
            at: 0,
            number: 0,
        }
    }

    /// The next line.
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.text.get(self.at..).filter(|rest| !rest.is_empty())?;
        let len = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..len];
        let line = match line.strip_suffix('\r') {
            Some(line) if len < rest.len() => line,
            _ => line,
        };
        let number = self.number;
        self.at += len + 1;
        self.number += 1;
        Some((number, line))
    }

    /// The next line that holds `c`, the lines before it passed over (and counted).
    fn next_with(&mut self, c: char) -> Option<(usize, &'a str)> {
        let rest = self.text.get(self.at..)?;
        let found = rest.find(c)?;
        let start = rest[..found].rfind('\n').map_or(0, |i| i + 1);
        self.number += rest.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at += start;
        self.next()
    }
}

#[cfg(test)]
mod tests;

/// The reader's maps from IDs: foldhash's hasher, seeded anew in each process (IDs
/// come from the file, so the hash must not be one a file could be made to collide),
/// several times faster than the standard SipHash on short IDs.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use crate::error::{HydraulicsError, InputProblem};
use crate::model::{
    ControlKind, CurveKind, DemandModel, FlowUnits, HeadLossFormula, LinkKind, Network,
    PressureUnits, Status,
};

/// Reads an EPANET 2.3 input file's text into a [`Network`] in internal units; `file`
/// names it in the error. Every problem is reported, in line order.
pub fn read_network(text: &str, file: &str) -> Result<Network, HydraulicsError> {
    let mut reader = Reader::new();
    reader.prescan(text);
    reader.read(text);
    let result = if reader.problems.is_empty() {
        reader.build()
    } else {
        Err(())
    };
    match result {
        Ok(network) if reader.problems.is_empty() && reader.unsupported.is_empty() => Ok(network),
        Ok(_) if reader.problems.is_empty() => Err(HydraulicsError::Unsupported {
            file: file.to_string(),
            problems: reader.unsupported,
        }),
        _ => {
            let mut problems = reader.problems;
            problems.extend(reader.unsupported);
            problems.sort_by_key(|p| p.line);
            Err(HydraulicsError::Input {
                file: file.to_string(),
                problems,
            })
        }
    }
}

/// The sections of an input file, in EPANET's `SectTxt` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Title,
    Junctions,
    Reservoirs,
    Tanks,
    Pipes,
    Pumps,
    Valves,
    Controls,
    Rules,
    Demands,
    Sources,
    Emitters,
    Patterns,
    Curves,
    Quality,
    Status,
    Roughness,
    Energy,
    Reactions,
    Mixing,
    Report,
    Times,
    Options,
    Coordinates,
    Vertices,
    Labels,
    Backdrop,
    Tags,
    Leakage,
    End,
}

const SECTIONS: [(&str, Section); 30] = [
    ("[TITLE]", Section::Title),
    ("[JUNCTIONS]", Section::Junctions),
    ("[RESERVOIRS]", Section::Reservoirs),
    ("[TANKS]", Section::Tanks),
    ("[PIPES]", Section::Pipes),
    ("[PUMPS]", Section::Pumps),
    ("[VALVES]", Section::Valves),
    ("[CONTROLS]", Section::Controls),
    ("[RULES]", Section::Rules),
    ("[DEMANDS]", Section::Demands),
    ("[SOURCES]", Section::Sources),
    ("[EMITTERS]", Section::Emitters),
    ("[PATTERNS]", Section::Patterns),
    ("[CURVES]", Section::Curves),
    ("[QUALITY]", Section::Quality),
    ("[STATUS]", Section::Status),
    ("[ROUGHNESS]", Section::Roughness),
    ("[ENERGY]", Section::Energy),
    ("[REACTIONS]", Section::Reactions),
    ("[MIXING]", Section::Mixing),
    ("[REPORT]", Section::Report),
    ("[TIMES]", Section::Times),
    ("[OPTIONS]", Section::Options),
    ("[COORDINATES]", Section::Coordinates),
    ("[VERTICES]", Section::Vertices),
    ("[LABELS]", Section::Labels),
    ("[BACKDROP]", Section::Backdrop),
    ("[TAGS]", Section::Tags),
    ("[LEAKAGE]", Section::Leakage),
    ("[END]", Section::End),
];

impl Section {
    /// The section's name without brackets, for problems.
    fn name(self) -> &'static str {
        SECTIONS
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| n.trim_matches(['[', ']']))
            .unwrap_or("")
    }
    /// The section a `[...]` token opens (EPANET's `findmatch` on `SectTxt`).
    fn find(token: &str) -> Option<Section> {
        SECTIONS
            .iter()
            .find(|(n, _)| text::matches(token, n))
            .map(|(_, s)| *s)
    }
}

/// A node reference while reading: junctions and tanks are numbered apart, as EPANET
/// places tanks after all junctions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NodeRef {
    Junction(usize),
    Tank(usize),
}

/// A demand category in file units; `pattern` is EPANET's index (0: default).
#[derive(Debug, Clone)]
pub(crate) struct RawDemand {
    pub base: f64,
    pub pattern: usize,
    pub name: Option<String>,
}

/// A node in file units.
#[derive(Debug, Clone)]
pub(crate) struct RawNode {
    pub id: String,
    pub elevation: f64,
    pub demands: Vec<RawDemand>,
    /// EPANET's `NodeDemand[j] != MISSING`: the next `[DEMANDS]` entry replaces the
    /// junction's own demand.
    pub own_demand: bool,
    pub emitter: f64,
    /// `[COORDINATES]` (x, y) in the file's own plane, if given.
    pub coordinates: Option<(f64, f64)>,
    pub line: u32,
}

/// A tank or reservoir in file units (levels, diameter), as `tankdata` leaves it.
#[derive(Debug, Clone)]
pub(crate) struct RawTank {
    pub node: RawNode,
    pub h0: f64,
    pub h_min: f64,
    pub h_max: f64,
    /// Diameter (area after `convertunits`).
    pub a: f64,
    pub pattern: usize,
    pub v_min: f64,
    pub v0: f64,
    pub v_max: f64,
    pub curve: usize,
    pub overflow: bool,
}

/// A link in file units.
#[derive(Debug, Clone)]
pub(crate) struct RawLink {
    pub id: String,
    pub kind: LinkKind,
    pub from: NodeRef,
    pub to: NodeRef,
    pub diameter: f64,
    pub length: f64,
    pub kc: f64,
    pub km: f64,
    pub status: Status,
    pub leak_area: f64,
    pub leak_expansion: f64,
    pub line: u32,
}

/// A pump's references (EPANET indices, 0: none).
#[derive(Debug, Clone, Default)]
pub(crate) struct RawPump {
    pub link: usize,
    pub head_curve: usize,
    pub efficiency_curve: usize,
    pub speed_pattern: usize,
    pub energy_pattern: usize,
    pub energy_cost: f64,
}

/// A pattern; `lines` are where its factors were given.
#[derive(Debug, Clone)]
pub(crate) struct RawPattern {
    pub id: String,
    pub factors: Vec<f64>,
    pub line: u32,
}

/// A curve in file units, with the line of each point.
#[derive(Debug, Clone)]
pub(crate) struct RawCurve {
    pub id: String,
    pub kind: CurveKind,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub lines: Vec<u32>,
    pub line: u32,
}

/// A simple control in file units.
#[derive(Debug, Clone)]
pub(crate) struct RawControl {
    pub link: usize,
    pub node: Option<NodeRef>,
    pub kind: ControlKind,
    pub status: Status,
    pub setting: f64,
    pub time: i64,
    pub level: f64,
    pub enabled: bool,
    pub line: u32,
}

/// EPANET's hydraulic settings (`Hydraul`, `Parser`) in file units while reading.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub flow: FlowUnits,
    pub pressure: Option<PressureUnits>,
    pub formula: HeadLossFormula,
    pub htol: f64,
    pub qtol: f64,
    pub hacc: f64,
    pub flow_change: f64,
    pub head_error: f64,
    pub demand_model: DemandModel,
    pub p_min: f64,
    pub p_req: f64,
    pub p_exp: f64,
    pub max_iter: u32,
    pub extra_iter: i32,
    pub viscosity: Option<f64>,
    pub sp_grav: f64,
    pub energy_pattern: usize,
    pub energy_cost: f64,
    pub demand_charge: f64,
    pub pump_efficiency: f64,
    pub qexp: f64,
    pub emitter_backflow: bool,
    pub demand_mult: f64,
    pub rqtol: f64,
    pub check_freq: u32,
    pub max_check: u32,
    pub damp_limit: f64,
    pub default_pattern_id: String,
    pub duration: i64,
    pub start_clock: i64,
    pub pattern_start: i64,
    pub hydraulic_step: i64,
    pub pattern_step: i64,
    pub report_step: i64,
    pub rule_step: i64,
    pub report_start: i64,
}

/// EPANET's `MINPDIFF`: least difference of the PDA pressure limits.
pub(crate) const MIN_P_DIFF: f64 = 0.1;

impl Default for Settings {
    /// `setdefaults`.
    fn default() -> Self {
        Settings {
            flow: FlowUnits::Gpm,
            pressure: None,
            formula: HeadLossFormula::HazenWilliams,
            htol: 0.0005,
            qtol: 0.0001,
            hacc: 0.001,
            flow_change: 0.0,
            head_error: 0.0,
            demand_model: DemandModel::DemandDriven,
            p_min: 0.0,
            p_req: MIN_P_DIFF,
            p_exp: 0.5,
            max_iter: 200,
            extra_iter: -1,
            viscosity: None,
            sp_grav: 1.0,
            energy_pattern: 0,
            energy_cost: 0.0,
            demand_charge: 0.0,
            pump_efficiency: 75.0,
            qexp: 2.0,
            emitter_backflow: true,
            demand_mult: 1.0,
            rqtol: 1e-7,
            check_freq: 2,
            max_check: 10,
            damp_limit: 0.0,
            default_pattern_id: "1".to_string(),
            duration: 0,
            start_clock: 0,
            pattern_start: 0,
            hydraulic_step: 3600,
            pattern_step: 3600,
            report_step: 3600,
            rule_step: 0,
            report_start: 0,
        }
    }
}

/// The reader's state: everything read so far, in file units.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub title: Vec<String>,
    pub settings: Settings,
    pub junctions: Vec<RawNode>,
    pub tanks: Vec<RawTank>,
    pub node_ids: HashMap<String, NodeRef>,
    pub links: Vec<RawLink>,
    pub link_ids: HashMap<String, usize>,
    pub pumps: Vec<RawPump>,
    /// For each link, its pump (index into `pumps`).
    pub pump_of_link: Vec<Option<usize>>,
    /// Valves: (link, PCV curve, EPANET index; 0 none).
    pub valves: Vec<(usize, usize)>,
    pub valve_of_link: Vec<Option<usize>>,
    /// Patterns, EPANET index `i + 1`.
    pub patterns: Vec<RawPattern>,
    pub pattern_ids: HashMap<String, usize>,
    pub prev_pattern: Option<usize>,
    /// Curves, EPANET index `i + 1`.
    pub curves: Vec<RawCurve>,
    pub curve_ids: HashMap<String, usize>,
    pub prev_curve: Option<usize>,
    pub controls: Vec<RawControl>,
    pub rules: Vec<rules::RawRule>,
    pub rule_state: rules::RuleState,
    pub problems: Vec<InputProblem>,
    /// What the file asks that the native engine does not do (EPANET does).
    pub unsupported: Vec<InputProblem>,
    /// Current line (1-based) and section.
    pub line: u32,
    pub section: Option<Section>,
    /// Comment of the current line.
    pub comment: String,
}

impl Reader {
    fn new() -> Self {
        Reader::default()
    }

    /// Records a problem at the current line.
    pub(crate) fn problem(&mut self, message: String) {
        let section = self.section.map(Section::name).unwrap_or("").to_string();
        self.problems.push(InputProblem {
            line: self.line,
            section,
            message,
        });
    }

    /// Records, at the current line, something the native engine does not do.
    pub(crate) fn unsupported(&mut self, message: String) {
        let section = self.section.map(Section::name).unwrap_or("").to_string();
        self.unsupported.push(InputProblem {
            line: self.line,
            section,
            message,
        });
    }

    /// Records a problem at a given line and section (checks after reading).
    pub(crate) fn problem_at(&mut self, line: u32, section: &str, message: String) {
        self.problems.push(InputProblem {
            line,
            section: section.to_string(),
            message,
        });
    }

    /// EPANET's `netsize`, for what it reads ahead: the IDs of patterns and curves, in
    /// order of first appearance, so that they may be named before their section.
    fn prescan(&mut self, text: &str) {
        let mut section = None;
        let mut tokens = Vec::new();
        // Only section headers and the lines of [PATTERNS] and [CURVES] matter here; a
        // header has a `[`, so outside those sections the scan goes from `[` to `[`.
        let mut lines = LinesFrom::new(text);
        loop {
            let wanted = matches!(section, Some(Section::Patterns | Section::Curves));
            let next = if wanted {
                lines.next()
            } else {
                lines.next_with('[')
            };
            let Some((n, line)) = next else {
                break;
            };
            text::tokenize(line, &mut tokens);
            let Some(first) = tokens.first() else {
                continue;
            };
            if first.starts_with('[') {
                section = Section::find(first);
                if section == Some(Section::End) {
                    break;
                }
                continue;
            }
            let (ids, list) = match section {
                Some(Section::Patterns) => (&mut self.pattern_ids, 0),
                Some(Section::Curves) => (&mut self.curve_ids, 1),
                _ => continue,
            };
            if ids.contains_key(*first) || first.is_empty() {
                continue;
            }
            let line = n as u32 + 1;
            if list == 0 {
                self.patterns.push(RawPattern {
                    id: first.to_string(),
                    factors: Vec::new(),
                    line,
                });
                ids.insert(first.to_string(), self.patterns.len());
            } else {
                self.curves.push(RawCurve {
                    id: first.to_string(),
                    kind: CurveKind::Generic,
                    x: Vec::new(),
                    y: Vec::new(),
                    lines: Vec::new(),
                    line,
                });
                ids.insert(first.to_string(), self.curves.len());
            }
        }
    }

    /// `readdata`: every line, in order.
    fn read(&mut self, text: &str) {
        let mut tokens = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            self.line = n as u32 + 1;
            let comment = text::tokenize(raw, &mut tokens);
            if tokens.is_empty() {
                continue;
            }
            if raw.trim_end_matches(['\r', '\n']).len() > 1023 {
                self.problem(format!(
                    "the line has {} characters; EPANET reads at most 1023 per line",
                    raw.len()
                ));
                continue;
            }
            if tokens[0].starts_with('[') {
                match Section::find(tokens[0]) {
                    Some(Section::End) => break,
                    Some(s) => self.section = Some(s),
                    None => {
                        self.section = None;
                        self.problem(format!(
                            "unknown section {}: expected one of {}",
                            tokens[0],
                            SECTIONS.map(|(n, _)| n).join(" ")
                        ));
                    }
                }
                continue;
            }
            let Some(section) = self.section else {
                continue;
            };
            if tokens.len() > text::MAX_TOKENS && section != Section::Title {
                self.problem(format!(
                    "the line has {} items; EPANET reads at most {} per line",
                    tokens.len(),
                    text::MAX_TOKENS
                ));
                continue;
            }
            if section == Section::Rules {
                self.rule_line(&tokens);
                continue;
            }
            self.comment.clear();
            self.comment.push_str(comment);
            if let Err(message) = self.dispatch(section, &tokens, raw) {
                self.problem(message);
            }
        }
        self.check_rules();
    }

    /// EPANET's `newline`.
    fn dispatch(&mut self, section: Section, tok: &[&str], raw: &str) -> Result<(), String> {
        match section {
            Section::Title => {
                if self.title.len() < 3 {
                    self.title
                        .push(raw.trim_end_matches(['\r', '\n']).to_string());
                }
                Ok(())
            }
            Section::Junctions => self.junction(tok),
            Section::Reservoirs | Section::Tanks => self.tank(tok),
            Section::Pipes => self.pipe(tok),
            Section::Pumps => self.pump(tok),
            Section::Valves => self.valve(tok),
            Section::Patterns => self.pattern(tok),
            Section::Curves => self.curve(tok),
            Section::Demands => self.demand(tok),
            Section::Controls => self.control(tok),
            Section::Emitters => self.emitter(tok),
            Section::Leakage => self.leakage(tok),
            Section::Status => self.status(tok),
            Section::Energy => self.energy(tok),
            Section::Times => self.time(tok),
            Section::Options => self.option(tok),
            Section::Coordinates => {
                self.coordinates(tok);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// EPANET's `coordata`: a node's (x, y). As in EPANET, a line naming no node or
    /// without two numbers is ignored (coordinates play no part in the hydraulics), and a
    /// later line for the same node wins.
    fn coordinates(&mut self, tok: &[&str]) {
        let [id, x, y, ..] = tok else {
            return;
        };
        let (Some(x), Some(y)) = (text::parse_float(x), text::parse_float(y)) else {
            return;
        };
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        match self.node_ids.get(*id) {
            Some(NodeRef::Junction(j)) => self.junctions[*j].coordinates = Some((x, y)),
            Some(NodeRef::Tank(t)) => self.tanks[*t].node.coordinates = Some((x, y)),
            None => {}
        }
    }

    /// Checks an ID's length (EPANET's error 252), that it is not already used, and that
    /// the network stays within [`text::MAX_ELEMENTS`] nodes and links.
    pub(crate) fn check_new_id(&self, kind: &str, id: &str, is_node: bool) -> Result<(), String> {
        let (count, taken) = if is_node {
            (self.node_ids.len(), self.node_ids.contains_key(id))
        } else {
            (self.link_ids.len(), self.link_ids.contains_key(id))
        };
        if count >= text::MAX_ELEMENTS {
            let what = if is_node { "nodes" } else { "links" };
            return Err(format!(
                "{kind} {id}: the network already has {count} {what}; at most {} are allowed",
                text::MAX_ELEMENTS
            ));
        }
        if taken {
            let what = if is_node { "node" } else { "link" };
            return Err(format!(
                "{kind} {id}: duplicate ID, a {what} named {id} is already defined"
            ));
        }
        if id.len() > text::MAX_ID {
            return Err(format!(
                "{kind} {id}: the ID has {} characters; at most {} are allowed",
                id.len(),
                text::MAX_ID
            ));
        }
        Ok(())
    }

    /// EPANET's `findnode`, or a problem naming what refers to it.
    pub(crate) fn find_node(&self, id: &str, what: impl Fn() -> String) -> Result<NodeRef, String> {
        self.node_ids
            .get(id)
            .copied()
            .ok_or_else(|| format!("{}: undefined node {id}", what()))
    }

    /// EPANET's `findpattern`: 0 for the empty ID, else the 1-based index.
    pub(crate) fn find_pattern(
        &self,
        id: &str,
        what: impl Fn() -> String,
    ) -> Result<usize, String> {
        if id.is_empty() {
            return Ok(0);
        }
        self.pattern_ids
            .get(id)
            .copied()
            .ok_or_else(|| format!("{}: undefined pattern {id}", what()))
    }

    /// EPANET's `findcurve`: the 1-based index.
    pub(crate) fn find_curve(&self, id: &str, what: impl Fn() -> String) -> Result<usize, String> {
        self.curve_ids
            .get(id)
            .copied()
            .ok_or_else(|| format!("{}: undefined curve {id}", what()))
    }

    /// EPANET's `findlink`.
    pub(crate) fn find_link(&self, id: &str, what: impl Fn() -> String) -> Result<usize, String> {
        self.link_ids
            .get(id)
            .copied()
            .ok_or_else(|| format!("{}: undefined link {id}", what()))
    }

    /// Whether the file's units are metric now (EPANET's `Unitsflag == SI`).
    pub(crate) fn metric(&self) -> bool {
        self.settings.flow.is_metric()
    }
}
