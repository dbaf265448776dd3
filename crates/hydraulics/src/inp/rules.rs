//! `[RULES]`: EPANET 2.3's `ruledata`, `newrule`, `newpremise`, `newaction` and
//! `newpriority` (`rules.c`), clause by clause, keywords matched as EPANET's `findmatch`
//! (a case-blind prefix) in EPANET's order.
//!
//! Differs from EPANET where it is stricter: after a faulty clause EPANET ignores the rest
//! of the section, here reading resumes at the next `RULE` so that every faulty rule is
//! reported; a rule without a `THEN` clause is refused (EPANET keeps it, and it never
//! acts); a status value (OPEN, CLOSED, ACTIVE) is refused in a premise on a node or the
//! system (EPANET would compare the status of the link with the node's index); numbers
//! must be finite.

use super::text::{find_match, hours, parse_float};
use super::{NodeRef, Reader};
use crate::model::{
    Action, LinkKind, LogicalOp, MISSING, Premise, Relation, Rule, RuleObject, RuleStatus,
    RuleVariable,
};

/// Where the reader is in a rule (EPANET's `RuleState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum RuleState {
    /// Before the first rule, or after a `PRIORITY` line.
    #[default]
    Priority,
    /// After `RULE`.
    Rule,
    /// Among the premises.
    If,
    /// Among the `THEN` actions.
    Then,
    /// Among the `ELSE` actions.
    Else,
    /// The current rule has a fault: its other lines are skipped.
    Error,
}

/// A rule while reading: node premises name nodes as the reader numbers them.
#[derive(Debug, Clone)]
pub(crate) struct RawRule {
    pub rule: Rule,
    /// (premise, node) of each premise on a node.
    pub nodes: Vec<(usize, NodeRef)>,
    pub failed: bool,
}

const RULE_WORDS: [&str; 8] = [
    "RULE", "IF", "AND", "OR", "THEN", "ELSE", "PRIO", "DISABLED",
];
const VAR_WORDS: [(&str, RuleVariable); 13] = [
    ("DEMAND", RuleVariable::Demand),
    ("HEAD", RuleVariable::Head),
    ("GRADE", RuleVariable::Grade),
    ("LEVEL", RuleVariable::Level),
    ("PRESSURE", RuleVariable::Pressure),
    ("FLOW", RuleVariable::Flow),
    ("STATUS", RuleVariable::Status),
    ("SETTING", RuleVariable::Setting),
    ("POWER", RuleVariable::Power),
    ("TIME", RuleVariable::Time),
    ("CLOCKTIME", RuleVariable::ClockTime),
    ("FILLTIME", RuleVariable::FillTime),
    ("DRAINTIME", RuleVariable::DrainTime),
];
const OBJECT_WORDS: [&str; 9] = [
    "Junc", "Reser", "Tank", "Pipe", "Pump", "Valve", "NODE", "LINK", "SYSTEM",
];
const OPERATORS: [(&str, Relation); 10] = [
    ("=", Relation::Eq),
    ("<>", Relation::Ne),
    ("<=", Relation::Le),
    (">=", Relation::Ge),
    ("<", Relation::Lt),
    (">", Relation::Gt),
    ("IS", Relation::Eq),
    ("NOT", Relation::Ne),
    ("BELOW", Relation::Lt),
    ("ABOVE", Relation::Gt),
];
const VALUES: [&str; 4] = ["XXXX", "OPEN", "CLOSED", "ACTIVE"];

/// EPANET's `findmatch` on the value words: a status, if the token is one.
fn status_word(tok: &str) -> Option<RuleStatus> {
    match find_match(tok, &VALUES) {
        Some(1) => Some(RuleStatus::Open),
        Some(2) => Some(RuleStatus::Closed),
        Some(3) => Some(RuleStatus::Active),
        _ => None,
    }
}

/// A finite number (EPANET's `getfloat`, NaN and infinities refused).
fn finite(tok: &str) -> Option<f64> {
    parse_float(tok).filter(|v| v.is_finite())
}

impl Reader {
    /// `ruledata`: one line of `[RULES]`.
    pub(super) fn rule_line(&mut self, tok: &[&str]) {
        if self.rule_state == RuleState::Error && !super::text::matches(tok[0], "RULE") {
            return;
        }
        if let Err(message) = self.rule_clause(tok) {
            let label = match self.rules.last_mut() {
                Some(r) => {
                    r.failed = true;
                    format!("rule {}", r.rule.label)
                }
                None => "[RULES]".to_string(),
            };
            self.rule_state = RuleState::Error;
            self.problem(format!("{label}: {message}; in '{}'", tok.join(" ")));
        }
    }

    /// The clause of one line, or what was expected.
    fn rule_clause(&mut self, tok: &[&str]) -> Result<(), String> {
        let state = self.rule_state;
        let misplaced = |word: &str, after: &str| Err(format!("{word} is misplaced: {after}"));
        match find_match(tok[0], &RULE_WORDS) {
            Some(0) => {
                if tok.len() != 2 {
                    return Err(format!(
                        "RULE takes one label, as RULE <label>; got {} items",
                        tok.len() - 1
                    ));
                }
                self.rules.push(RawRule {
                    rule: Rule {
                        label: tok[1].to_string(),
                        priority: 0.0,
                        premises: Vec::new(),
                        then_actions: Vec::new(),
                        else_actions: Vec::new(),
                        enabled: true,
                        line: self.line,
                    },
                    nodes: Vec::new(),
                    failed: false,
                });
                self.rule_state = RuleState::Rule;
                Ok(())
            }
            Some(1) if state == RuleState::Rule => {
                self.rule_state = RuleState::If;
                self.premise(tok, LogicalOp::If)
            }
            Some(1) => misplaced("IF", "it must follow the RULE line"),
            Some(2) if state == RuleState::If => self.premise(tok, LogicalOp::And),
            Some(2) if matches!(state, RuleState::Then | RuleState::Else) => self.action(tok),
            Some(2) => misplaced("AND", "it must follow an IF, THEN or ELSE clause"),
            Some(3) if state == RuleState::If => self.premise(tok, LogicalOp::Or),
            Some(3) => misplaced("OR", "it must follow an IF or another premise"),
            Some(4) if state == RuleState::If => {
                self.rule_state = RuleState::Then;
                self.action(tok)
            }
            Some(4) => misplaced("THEN", "it must follow the IF premises"),
            Some(5) if state == RuleState::Then => {
                self.rule_state = RuleState::Else;
                self.action(tok)
            }
            Some(5) => misplaced("ELSE", "it must follow the THEN actions"),
            Some(6) if matches!(state, RuleState::Then | RuleState::Else) => {
                self.rule_state = RuleState::Priority;
                self.priority(tok)
            }
            Some(6) => misplaced("PRIORITY", "it must follow the THEN or ELSE actions"),
            Some(7)
                if matches!(
                    state,
                    RuleState::Then | RuleState::Else | RuleState::Priority
                ) =>
            {
                if let Some(r) = self.rules.last_mut() {
                    r.rule.enabled = false;
                }
                Ok(())
            }
            Some(7) => misplaced("DISABLED", "it must follow the actions or the priority"),
            _ => Err(format!(
                "unknown clause '{}': expected RULE, IF, AND, OR, THEN, ELSE, PRIORITY or DISABLED",
                tok[0]
            )),
        }
    }

    /// `newpremise`: `IF/AND/OR <object> <id> <attribute> <relation> <value>` or
    /// `IF/AND/OR SYSTEM <attribute> <relation> <value> [units]`.
    fn premise(&mut self, tok: &[&str], logop: LogicalOp) -> Result<(), String> {
        if tok.len() != 5 && tok.len() != 6 {
            return Err(format!(
                "a premise has 5 or 6 items, as IF <object> <id> <attribute> <relation> <value> or IF SYSTEM <attribute> <relation> <value>; got {}",
                tok.len()
            ));
        }
        let object_word = find_match(tok[1], &OBJECT_WORDS);
        let (object, node, variable, m) = if object_word == Some(8) {
            let v = find_match(tok[2], &VAR_WORDS.map(|(w, _)| w)).map(|i| VAR_WORDS[i].1);
            match v {
                Some(v @ (RuleVariable::Demand | RuleVariable::Time | RuleVariable::ClockTime)) => {
                    (RuleObject::System, None, v, 3)
                }
                _ => {
                    return Err(format!(
                        "SYSTEM attribute '{}': expected DEMAND, TIME or CLOCKTIME",
                        tok[2]
                    ));
                }
            }
        } else {
            let (object, node, v) = self.premise_object(tok, object_word)?;
            (object, node, v, 4)
        };
        let Some(k) = find_match(tok[m], &OPERATORS.map(|(w, _)| w)) else {
            return Err(format!(
                "relation '{}': expected =, <>, <, >, <=, >=, IS, NOT, BELOW or ABOVE",
                tok[m]
            ));
        };
        let relation = OPERATORS[k].1;
        let last = &tok[tok.len() - 1];
        let mut status = None;
        let mut value = MISSING;
        if matches!(variable, RuleVariable::Time | RuleVariable::ClockTime) {
            let units = if tok.len() == 6 { tok[5] } else { "" };
            value = match hours(tok[4], units) {
                Some(h) if h >= 0.0 => h * 3600.0,
                _ => {
                    return Err(format!(
                        "time '{} {units}': expected hours, h:mm or h:mm:ss, with AM or PM for a clock time",
                        tok[4]
                    ));
                }
            };
        } else if let Some(s) = status_word(last) {
            if !matches!(object, RuleObject::Link(_)) {
                return Err(format!(
                    "value '{last}': a status (OPEN, CLOSED, ACTIVE) is compared only with a link's STATUS"
                ));
            }
            status = Some(s);
        } else {
            let Some(x) = finite(last) else {
                return Err(format!(
                    "value '{last}': expected a number, or OPEN, CLOSED or ACTIVE for a link's STATUS"
                ));
            };
            value = x;
            if matches!(variable, RuleVariable::FillTime | RuleVariable::DrainTime) {
                value = x * 3600.0;
            }
        }
        let Some(rule) = self.rules.last_mut() else {
            return Err("a premise outside a rule".to_string());
        };
        if let Some(n) = node {
            rule.nodes.push((rule.rule.premises.len(), n));
        }
        rule.rule.premises.push(Premise {
            logop,
            object,
            variable,
            relation,
            status,
            value,
        });
        Ok(())
    }

    /// The object, node and attribute of a premise on a node or link.
    fn premise_object(
        &self,
        tok: &[&str],
        object_word: Option<usize>,
    ) -> Result<(RuleObject, Option<NodeRef>, RuleVariable), String> {
        let Some(v) = find_match(tok[3], &VAR_WORDS.map(|(w, _)| w)).map(|i| VAR_WORDS[i].1) else {
            return Err(format!(
                "attribute '{}': expected DEMAND, HEAD, GRADE, LEVEL, PRESSURE, FILLTIME, DRAINTIME (nodes) or FLOW, STATUS, SETTING (links)",
                tok[3]
            ));
        };
        let id = &tok[2];
        match object_word {
            Some(0..=2) | Some(6) => {
                let Some(&r) = self.node_ids.get(*id) else {
                    return Err(format!("undefined node {id}"));
                };
                let ok = match v {
                    RuleVariable::Demand
                    | RuleVariable::Head
                    | RuleVariable::Grade
                    | RuleVariable::Level
                    | RuleVariable::Pressure => true,
                    RuleVariable::FillTime | RuleVariable::DrainTime => {
                        if let NodeRef::Junction(_) = r {
                            return Err(format!(
                                "attribute '{}' is a tank's: node {id} is a junction",
                                tok[3]
                            ));
                        }
                        true
                    }
                    _ => false,
                };
                if !ok {
                    return Err(format!(
                        "attribute '{}' is not a node's: expected DEMAND, HEAD, GRADE, LEVEL, PRESSURE, FILLTIME or DRAINTIME",
                        tok[3]
                    ));
                }
                Ok((RuleObject::Node(0), Some(r), v))
            }
            Some(3..=5) | Some(7) => {
                let Some(&k) = self.link_ids.get(*id) else {
                    return Err(format!("undefined link {id}"));
                };
                if !matches!(
                    v,
                    RuleVariable::Flow | RuleVariable::Status | RuleVariable::Setting
                ) {
                    return Err(format!(
                        "attribute '{}' is not a link's: expected FLOW, STATUS or SETTING",
                        tok[3]
                    ));
                }
                Ok((RuleObject::Link(k), None, v))
            }
            _ => Err(format!(
                "object '{}': expected JUNCTION, RESERVOIR, TANK, NODE, PIPE, PUMP, VALVE, LINK or SYSTEM",
                tok[1]
            )),
        }
    }

    /// `newaction`: `THEN/ELSE/AND <link type> <id> STATUS|SETTING IS <value>`.
    fn action(&mut self, tok: &[&str]) -> Result<(), String> {
        if tok.len() != 6 {
            return Err(format!(
                "an action has 6 items, as THEN PUMP <id> STATUS IS OPEN or THEN VALVE <id> SETTING IS <value>; got {}",
                tok.len()
            ));
        }
        let id = &tok[2];
        let Some(&k) = self.link_ids.get(*id) else {
            return Err(format!("undefined link {id}"));
        };
        let kind = self.links[k].kind;
        if kind == LinkKind::CvPipe {
            return Err(format!(
                "link {id} is a pipe with a check valve, which rules cannot control"
            ));
        }
        let mut status = status_word(tok[5]);
        let mut setting = MISSING;
        if status.is_none() {
            match finite(tok[5]) {
                Some(x) if x >= 0.0 => setting = x,
                _ => {
                    return Err(format!(
                        "value '{}': expected OPEN, CLOSED, ACTIVE or a setting of 0 or more",
                        tok[5]
                    ));
                }
            }
        }
        if setting != MISSING && kind == LinkKind::Gpv {
            return Err(format!(
                "link {id} is a general purpose valve, whose setting rules cannot change"
            ));
        }
        if setting != MISSING && kind == LinkKind::Pipe {
            status = Some(if setting == 0.0 {
                RuleStatus::Closed
            } else {
                RuleStatus::Open
            });
            setting = MISSING;
        }
        let action = Action {
            link: k,
            status,
            setting,
        };
        let then = self.rule_state == RuleState::Then;
        let Some(rule) = self.rules.last_mut() else {
            return Err("an action outside a rule".to_string());
        };
        if then {
            rule.rule.then_actions.push(action);
        } else {
            rule.rule.else_actions.push(action);
        }
        Ok(())
    }

    /// `newpriority`: `PRIORITY <number>`.
    fn priority(&mut self, tok: &[&str]) -> Result<(), String> {
        let Some(x) = tok.get(1).and_then(|t| finite(t)) else {
            return Err(format!(
                "priority '{}': expected a number",
                tok.get(1).copied().unwrap_or("")
            ));
        };
        if let Some(rule) = self.rules.last_mut() {
            rule.rule.priority = x;
        }
        Ok(())
    }

    /// The rules that have no `THEN` clause, as problems at their `RULE` lines.
    pub(super) fn check_rules(&mut self) {
        let missing: Vec<(u32, String)> = self
            .rules
            .iter()
            .filter(|r| !r.failed && r.rule.then_actions.is_empty())
            .map(|r| (r.rule.line, r.rule.label.clone()))
            .collect();
        for (line, label) in missing {
            self.problem_at(
                line,
                "RULES",
                format!(
                    "rule {label}: missing THEN: expected IF <premise>, then THEN <action> (and optionally ELSE, PRIORITY)"
                ),
            );
        }
    }

    /// The rules with their nodes numbered as the network numbers them.
    pub(super) fn convert_rules(&self, node_index: impl Fn(NodeRef) -> usize) -> Vec<Rule> {
        self.rules
            .iter()
            .map(|r| {
                let mut rule = r.rule.clone();
                for &(i, n) in &r.nodes {
                    rule.premises[i].object = RuleObject::Node(node_index(n));
                }
                rule
            })
            .collect()
    }
}
