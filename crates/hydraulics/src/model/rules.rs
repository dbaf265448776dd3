//! Rule-based controls (`[RULES]`), as EPANET 2.3's `rules.c` holds them (`Srule`,
//! `Spremise`, `Saction`).
//!
//! **Units, as EPANET keeps them.** A premise's value stays in the file's units (flow,
//! demand, head, level, pressure, a valve's setting), because EPANET compares it with the
//! state converted to those units (`checkvalue` multiplies by `Ucf`); times are in
//! seconds (`TIME`, `CLOCKTIME` through `hour()`; `FILLTIME`, `DRAINTIME` in hours × 3600).
//! An action's setting also stays in file units (PRV/PSV/PBV: pressure units; FCV: flow
//! units; a pump's relative speed, a TCV's loss coefficient, a PCV's percent open as
//! they are); EPANET converts it when the action is taken (`takeactions`).

/// How a premise joins the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicalOp {
    /// The first premise (`IF`), which EPANET treats as `AND`.
    If,
    /// `AND`.
    And,
    /// `OR`.
    Or,
}

/// What a premise looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleObject {
    /// A node (0-based index).
    Node(usize),
    /// A link (0-based index).
    Link(usize),
    /// The whole system (demand, time, clock time).
    System,
}

/// The attribute a premise tests (EPANET's `Varwords`, in its order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleVariable {
    /// A node's demand, or the system's total positive demand (flow units).
    Demand,
    /// A node's head (head units).
    Head,
    /// A node's grade: the same as its head.
    Grade,
    /// A node's level above its elevation (head units).
    Level,
    /// A node's pressure (pressure units).
    Pressure,
    /// A link's flow, absolute (flow units).
    Flow,
    /// A link's status (OPEN, CLOSED, ACTIVE).
    Status,
    /// A link's setting (file units of the setting).
    Setting,
    /// A pump's power (EPANET refuses it in premises).
    Power,
    /// Time since the start of the run, s.
    Time,
    /// Time of day, s.
    ClockTime,
    /// Time for a tank to fill, s.
    FillTime,
    /// Time for a tank to drain, s.
    DrainTime,
}

/// A premise's relation (EPANET's `Operators` after synonyms: `IS` is `=`, `NOT` is
/// `<>`, `BELOW` is `<`, `ABOVE` is `>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `=`.
    Eq,
    /// `<>`.
    Ne,
    /// `<=`.
    Le,
    /// `>=`.
    Ge,
    /// `<`.
    Lt,
    /// `>`.
    Gt,
}

/// A status in a rule (EPANET's `IS_OPEN`, `IS_CLOSED`, `IS_ACTIVE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    /// Open.
    Open,
    /// Closed.
    Closed,
    /// Active (a throttling valve).
    Active,
}

impl RuleStatus {
    /// EPANET's code (`EN_R_IS_OPEN` 1, `EN_R_IS_CLOSED` 2, `EN_R_IS_ACTIVE` 3).
    pub fn code(self) -> i32 {
        match self {
            RuleStatus::Open => 1,
            RuleStatus::Closed => 2,
            RuleStatus::Active => 3,
        }
    }
    /// The status of an EPANET code; `None` for any other code (a setting action's -1).
    pub fn from_code(code: i32) -> Option<RuleStatus> {
        match code {
            1 => Some(RuleStatus::Open),
            2 => Some(RuleStatus::Closed),
            3 => Some(RuleStatus::Active),
            _ => None,
        }
    }
}

/// One condition of a rule (`IF`/`AND`/`OR <object> <id> <attribute> <relation> <value>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Premise {
    /// How it joins the premises before it.
    pub logop: LogicalOp,
    /// What it looks at.
    pub object: RuleObject,
    /// The attribute tested.
    pub variable: RuleVariable,
    /// The relation.
    pub relation: Relation,
    /// The status compared with, when the value is OPEN, CLOSED or ACTIVE.
    pub status: Option<RuleStatus>,
    /// The number compared with, in file units or seconds (see the module's notes);
    /// [`MISSING`](super::MISSING) when `status` is given.
    pub value: f64,
}

/// One action of a rule (`THEN`/`ELSE`/`AND <link> <id> STATUS|SETTING IS <value>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The link acted on (0-based; never a pipe with a check valve).
    pub link: usize,
    /// The status set, if the action sets one.
    pub status: Option<RuleStatus>,
    /// The setting set, in file units (see the module's notes), or
    /// [`MISSING`](super::MISSING).
    pub setting: f64,
}

/// A rule-based control.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its label (the word after `RULE`).
    pub label: String,
    /// Its priority (0 when not given); the higher wins a link two rules act on.
    pub priority: f64,
    /// Its conditions, in file order.
    pub premises: Vec<Premise>,
    /// Actions when the conditions hold.
    pub then_actions: Vec<Action>,
    /// Actions when they do not.
    pub else_actions: Vec<Action>,
    /// Whether it acts (`DISABLED` turns it off).
    pub enabled: bool,
    /// 1-based line of its `RULE` line.
    pub line: u32,
}
