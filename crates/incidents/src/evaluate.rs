//! Precision and recall of [`extract`](crate::extract) per field, over a folder of
//! labelled reports: `NAME.txt` (the report, with its `source:` and `date:` lines) and
//! `NAME.json` (the incidents a careful reader drafts from it).
//!
//! A draft matches a label with the same place (the settlement, or the country for a
//! country-level incident) and date. For a matched pair each field is a true positive
//! when equal, a false positive when the draft gives another value (or one the label does
//! not have), a false negative when the label's value is missing or different; list
//! fields (`targets`, `effects`) count item by item. Unmatched drafts and labels count
//! every field they give as false positives or negatives.

use crate::error::IncidentError;
use crate::extract::{Draft, extract};
use crate::record::wire_name;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The fields scored.
pub const FIELDS: [&str; 10] = [
    "place",
    "date",
    "weapon",
    "launched",
    "intercepted",
    "explosions",
    "killed",
    "injured",
    "targets",
    "effects",
];

/// One labelled incident.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Label {
    /// Settlement as the gazetteer names it, or the country.
    pub place: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Weapon class.
    pub weapon: Option<String>,
    /// Launched.
    pub launched: Option<u32>,
    /// Intercepted.
    pub intercepted: Option<u32>,
    /// Explosions.
    pub explosions: Option<u32>,
    /// Killed.
    pub killed: Option<u32>,
    /// Injured.
    pub injured: Option<u32>,
    /// Target categories.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Effects.
    #[serde(default)]
    pub effects: Vec<String>,
}

/// Counts for one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    /// True positives.
    pub tp: u32,
    /// False positives.
    pub fp: u32,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u32,
}

impl Score {
    /// tp / (tp + fp), or 1 when nothing was given.
    pub fn precision(&self) -> f64 {
        let given = self.tp + self.fp;
        if given == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(given)
        }
    }
    /// tp / (tp + fn), or 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        let expected = self.tp + self.fn_;
        if expected == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(expected)
        }
    }
}

/// The outcome over a folder.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Reports read.
    pub reports: usize,
    /// Labelled incidents.
    pub labels: usize,
    /// Drafts made.
    pub drafts: usize,
    /// Per field, in [`FIELDS`] order.
    pub fields: Vec<(String, Score)>,
}

/// A draft's fields as a label, for comparing.
pub fn as_label(draft: &Draft) -> Label {
    let r = &draft.record;
    let first = r.weapons.first();
    Label {
        place: r
            .place
            .settlement
            .clone()
            .or_else(|| r.place.country.clone())
            .unwrap_or_default(),
        date: r.start.get(..10).unwrap_or(&r.start).to_string(),
        weapon: first.map(|w| wire_name(&w.class)),
        launched: first.and_then(|w| w.launched),
        intercepted: first.and_then(|w| w.intercepted),
        explosions: r.explosions,
        killed: r.killed,
        injured: r.injured,
        targets: r.targets.iter().map(|t| wire_name(&t.category)).collect(),
        effects: r.effects.iter().map(wire_name).collect(),
    }
}

fn single<T: PartialEq>(score: &mut Score, got: Option<&T>, want: Option<&T>) {
    match (got, want) {
        (Some(g), Some(w)) if g == w => score.tp += 1,
        (Some(_), Some(_)) => {
            score.fp += 1;
            score.fn_ += 1;
        }
        (Some(_), None) => score.fp += 1,
        (None, Some(_)) => score.fn_ += 1,
        (None, None) => {}
    }
}

fn list(score: &mut Score, got: &[String], want: &[String]) {
    for g in got {
        if want.contains(g) {
            score.tp += 1;
        } else {
            score.fp += 1;
        }
    }
    score.fn_ += want.iter().filter(|w| !got.contains(w)).count() as u32;
}

/// Scores `got` against `want` (either may be missing: an unmatched draft or label).
fn score(scores: &mut [Score; 10], got: Option<&Label>, want: Option<&Label>) {
    let empty: Vec<String> = Vec::new();
    single(
        &mut scores[0],
        got.map(|l| &l.place),
        want.map(|l| &l.place),
    );
    single(&mut scores[1], got.map(|l| &l.date), want.map(|l| &l.date));
    single(
        &mut scores[2],
        got.and_then(|l| l.weapon.as_ref()),
        want.and_then(|l| l.weapon.as_ref()),
    );
    single(
        &mut scores[3],
        got.and_then(|l| l.launched.as_ref()),
        want.and_then(|l| l.launched.as_ref()),
    );
    single(
        &mut scores[4],
        got.and_then(|l| l.intercepted.as_ref()),
        want.and_then(|l| l.intercepted.as_ref()),
    );
    single(
        &mut scores[5],
        got.and_then(|l| l.explosions.as_ref()),
        want.and_then(|l| l.explosions.as_ref()),
    );
    single(
        &mut scores[6],
        got.and_then(|l| l.killed.as_ref()),
        want.and_then(|l| l.killed.as_ref()),
    );
    single(
        &mut scores[7],
        got.and_then(|l| l.injured.as_ref()),
        want.and_then(|l| l.injured.as_ref()),
    );
    list(
        &mut scores[8],
        got.map_or(&empty, |l| &l.targets),
        want.map_or(&empty, |l| &l.targets),
    );
    list(
        &mut scores[9],
        got.map_or(&empty, |l| &l.effects),
        want.map_or(&empty, |l| &l.effects),
    );
}

/// Evaluates every `*.txt` with a `*.json` beside it in `dir`.
pub fn evaluate(dir: &Path) -> Result<Evaluation, IncidentError> {
    let read_error = |path: &Path, e: &dyn std::fmt::Display| IncidentError::Invalid {
        field: path.display().to_string(),
        message: e.to_string(),
    };
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| read_error(dir, &e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut scores = [Score::default(); 10];
    let (mut labels_total, mut drafts_total) = (0, 0);
    for txt in &names {
        let json = txt.with_extension("json");
        let text = std::fs::read_to_string(txt)
            .map(lifeline_core::text::into_without_bom)
            .map_err(|e| read_error(txt, &e))?;
        let labels: Vec<Label> = std::fs::read_to_string(&json)
            .map_err(|e| read_error(&json, &e))
            .and_then(|t| {
                serde_json::from_str(lifeline_core::text::without_bom(&t)).map_err(|e| {
                    read_error(
                        &json,
                        &format!("line {}, column {}: {e}", e.line(), e.column()),
                    )
                })
            })?;
        let drafts: Vec<Label> = extract(&text, None, None).iter().map(as_label).collect();
        labels_total += labels.len();
        drafts_total += drafts.len();
        let mut matched = vec![false; labels.len()];
        for draft in &drafts {
            let found = labels
                .iter()
                .enumerate()
                .find(|(i, l)| !matched[*i] && l.place == draft.place && l.date == draft.date);
            match found {
                Some((i, label)) => {
                    matched[i] = true;
                    score(&mut scores, Some(draft), Some(label));
                }
                None => score(&mut scores, Some(draft), None),
            }
        }
        for (label, _) in labels.iter().zip(&matched).filter(|(_, m)| !**m) {
            score(&mut scores, None, Some(label));
        }
    }
    Ok(Evaluation {
        reports: names.len(),
        labels: labels_total,
        drafts: drafts_total,
        fields: FIELDS
            .iter()
            .zip(scores)
            .map(|(f, s)| ((*f).to_string(), s))
            .collect(),
    })
}
