//! Precision and recall of [`extract`](crate::extract), over folders of labelled
//! reports: `NAME.txt` (the report, with its `source:` and `date:` lines) and
//! `NAME.json` (the incidents a careful reader drafts from it, by the rules of
//! `crates/incidents/eval/README.md`). The project's sets are `eval/dev` (the rules are
//! tuned on it) and `eval/test` (never tuned on).
//!
//! A draft matches a label with the same place and date: that is a place found. For a
//! matched pair each field is a true positive when equal, a false positive when the draft
//! gives another value (or one the label does not have), a false negative when the
//! label's value is missing or different; list fields (`weapons` by class, `launched` and
//! `intercepted` by class and count, `targets`, `effects`) count item by item. Unmatched
//! drafts and labels count every field they give as false positives or negatives.

use crate::error::IncidentError;
use crate::extract::{Draft, extract};
use crate::record::{Effect, TargetCategory, WeaponClass};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The fields scored beside the place and date.
pub const FIELDS: [&str; 8] = [
    "weapons",
    "launched",
    "intercepted",
    "explosions",
    "killed",
    "injured",
    "targets",
    "effects",
];

/// A weapon class of a label, with its counts.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabelWeapon {
    /// Weapon class (`missile`, `drone`, `glide_bomb`, `artillery`).
    pub class: WeaponClass,
    /// Launched.
    pub launched: Option<u32>,
    /// Intercepted.
    pub intercepted: Option<u32>,
}

/// One labelled incident (see `crates/incidents/eval/README.md`); a word outside the
/// vocabularies (weapon class, target, effect) is refused at its line.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Settlement in the official romanisation, `<oblast> oblast`, `Crimea`, or the
    /// country.
    pub place: String,
    /// `YYYY-MM-DD`, or none for an undated report.
    pub date: Option<String>,
    /// Weapon classes, in the order named.
    pub weapons: Vec<LabelWeapon>,
    /// Explosions.
    pub explosions: Option<u32>,
    /// Killed.
    pub killed: Option<u32>,
    /// Injured.
    pub injured: Option<u32>,
    /// Target categories.
    pub targets: Vec<TargetCategory>,
    /// Effects.
    pub effects: Vec<Effect>,
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
    fn add(&mut self, other: Score) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

/// The outcome over one set.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The set's name (`dev`, `test`, or the folder's).
    pub set: String,
    /// Whose drafts are scored.
    pub reader: Reader,
    /// Reports read.
    pub reports: usize,
    /// Labelled incidents.
    pub labels: usize,
    /// Drafts made.
    pub drafts: usize,
    /// Incidents drafted at their labelled place and date (tp), drafted but not
    /// labelled (fp), labelled but not drafted (fn).
    pub places: Score,
    /// Per field, in [`FIELDS`] order.
    pub fields: Vec<(String, Score)>,
    /// Every field of [`FIELDS`] added up.
    pub all_fields: Score,
}

impl Evaluation {
    /// The rows a table shows: `places`, each field, `all fields`.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &Score)> {
        std::iter::once(("places", &self.places))
            .chain(self.fields.iter().map(|(f, s)| (f.as_str(), s)))
            .chain(std::iter::once(("all fields", &self.all_fields)))
    }
}

/// A draft's fields as a label, for comparing: the place is the settlement,
/// `<oblast> oblast` (`Crimea`) for a region of Ukraine, else the country.
pub fn as_label(draft: &Draft) -> Label {
    let r = &draft.record;
    let place = match (&r.place.settlement, &r.place.admin1, &r.place.country) {
        (Some(settlement), _, _) => settlement.clone(),
        (None, Some(admin1), Some(country)) if country == "Ukraine" => {
            if admin1 == "Crimea" {
                admin1.clone()
            } else {
                format!("{admin1} oblast")
            }
        }
        (None, _, Some(country)) => country.clone(),
        (None, _, None) => String::new(),
    };
    Label {
        place,
        date: (!r.start.is_empty()).then(|| r.start.get(..10).unwrap_or(&r.start).to_string()),
        weapons: r
            .weapons
            .iter()
            .map(|w| LabelWeapon {
                class: w.class,
                launched: w.launched,
                intercepted: w.intercepted,
            })
            .collect(),
        explosions: r.explosions,
        killed: r.killed,
        injured: r.injured,
        targets: r.targets.iter().map(|t| t.category).collect(),
        effects: r.effects.clone(),
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

fn list<T: PartialEq>(score: &mut Score, got: &[T], want: &[T]) {
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
fn score(scores: &mut [Score; 8], got: Option<&Label>, want: Option<&Label>) {
    let empty = Label::default();
    let (g, w) = (got.unwrap_or(&empty), want.unwrap_or(&empty));
    let classes = |l: &Label| l.weapons.iter().map(|w| w.class).collect::<Vec<_>>();
    let counts = |l: &Label, launched: bool| {
        l.weapons
            .iter()
            .filter_map(|w| {
                let n = if launched { w.launched } else { w.intercepted };
                n.map(|n| (w.class, n))
            })
            .collect::<Vec<_>>()
    };
    list(&mut scores[0], &classes(g), &classes(w));
    list(&mut scores[1], &counts(g, true), &counts(w, true));
    list(&mut scores[2], &counts(g, false), &counts(w, false));
    single(&mut scores[3], g.explosions.as_ref(), w.explosions.as_ref());
    single(&mut scores[4], g.killed.as_ref(), w.killed.as_ref());
    single(&mut scores[5], g.injured.as_ref(), w.injured.as_ref());
    list(&mut scores[6], &g.targets, &w.targets);
    list(&mut scores[7], &g.effects, &w.effects);
}

/// Who drafted the incidents an [`Evaluation`] scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reader {
    /// [`extract`].
    Extractor,
    /// A second person labelling the same reports by the same rules, blind to the first
    /// labels: how far two careful readers agree, the ceiling the extractor is measured
    /// against.
    SecondReader,
}

/// Evaluates `dir`: its `dev/` and `test/` sets when it has them, else the folder as
/// one set.
pub fn evaluate(dir: &Path) -> Result<Vec<Evaluation>, IncidentError> {
    set_folders(dir).iter().map(|d| evaluate_set(d)).collect()
}

/// `dir`'s `dev/` and `test/` when it has them, else `dir`.
fn set_folders(dir: &Path) -> Vec<std::path::PathBuf> {
    let sets: Vec<_> = ["dev", "test"]
        .iter()
        .map(|s| dir.join(s))
        .filter(|d| d.is_dir())
        .collect();
    if sets.is_empty() {
        vec![dir.to_path_buf()]
    } else {
        sets
    }
}

/// Evaluates every `*.txt` with a `*.json` beside it in `dir`.
pub fn evaluate_set(dir: &Path) -> Result<Evaluation, IncidentError> {
    let reports = read_reports(&files_in(dir, "txt")?)?;
    tally(dir, &reports, Reader::Extractor, extractor_drafts)
}

/// The extractor's drafts of a report, as labels.
fn extractor_drafts(report: &Report) -> Result<Vec<Label>, IncidentError> {
    Ok(extract(&report.text, None, None)
        .iter()
        .map(as_label)
        .collect())
}

/// A second reader's labels against the first: for each set of `dir` (as [`evaluate`]
/// finds them) that `second` has too (`second/dev`, `second/test`, or `second` itself
/// for a one-set folder), the second reader's `NAME.json` scored against `dir`'s, and
/// the extractor on the same reports, in that order. Every `NAME.json` of the second
/// reader needs its `NAME.txt` and `NAME.json` in the set.
pub fn evaluate_second_reader(dir: &Path, second: &Path) -> Result<Vec<Evaluation>, IncidentError> {
    let sets = set_folders(dir);
    let one_set = sets.len() == 1 && sets[0] == dir;
    let mut evaluations = Vec::new();
    for set in sets {
        let theirs = if one_set {
            second.to_path_buf()
        } else {
            second.join(set.file_name().unwrap_or_default())
        };
        if !theirs.is_dir() {
            continue;
        }
        let mut names = Vec::new();
        for json in files_in(&theirs, "json")? {
            let txt = set
                .join(json.file_name().unwrap_or_default())
                .with_extension("txt");
            if !txt.is_file() || !txt.with_extension("json").is_file() {
                return Err(IncidentError::Invalid {
                    field: json.display().to_string(),
                    message: format!(
                        "expected a labelled report {} beside it in {}",
                        txt.file_name().unwrap_or_default().to_string_lossy(),
                        set.display()
                    ),
                });
            }
            names.push(txt);
        }
        if names.is_empty() {
            continue;
        }
        let reports = read_reports(&names)?;
        evaluations.push(tally(&set, &reports, Reader::SecondReader, |report| {
            read_labels(
                &theirs
                    .join(report.txt.file_name().unwrap_or_default())
                    .with_extension("json"),
            )
        })?);
        evaluations.push(tally(&set, &reports, Reader::Extractor, extractor_drafts)?);
    }
    if evaluations.is_empty() {
        return Err(IncidentError::Invalid {
            field: second.display().to_string(),
            message: format!(
                "expected labels of the sets of {} (a dev/ or test/ folder, or NAME.json files)",
                dir.display()
            ),
        });
    }
    Ok(evaluations)
}

fn read_error(path: &Path, e: &dyn std::fmt::Display) -> IncidentError {
    IncidentError::Invalid {
        field: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The files of `dir` ending in `.extension`, sorted.
fn files_in(dir: &Path, extension: &str) -> Result<Vec<std::path::PathBuf>, IncidentError> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| read_error(dir, &e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    names.sort();
    Ok(names)
}

/// A labelled report: its path, its text and the labels beside it.
struct Report {
    txt: std::path::PathBuf,
    text: String,
    labels: Vec<Label>,
}

/// Reads each report of `names` (`NAME.txt`) with its labels (`NAME.json`), once.
fn read_reports(names: &[std::path::PathBuf]) -> Result<Vec<Report>, IncidentError> {
    names
        .iter()
        .map(|txt| {
            let text = std::fs::read_to_string(txt)
                .map(lifeline_core::text::into_without_bom)
                .map_err(|e| read_error(txt, &e))?;
            let labels = read_labels(&txt.with_extension("json"))?;
            Ok(Report {
                txt: txt.clone(),
                text,
                labels,
            })
        })
        .collect()
}

/// A label file: a JSON list of [`Label`]s, each date `YYYY-MM-DD` or null.
pub fn read_labels(json: &Path) -> Result<Vec<Label>, IncidentError> {
    let labels: Vec<Label> = std::fs::read_to_string(json)
        .map_err(|e| read_error(json, &e))
        .and_then(|t| {
            serde_json::from_str(lifeline_core::text::without_bom(&t)).map_err(|e| {
                read_error(
                    json,
                    &format!("line {}, column {}: {e}", e.line(), e.column()),
                )
            })
        })?;
    // A day that is no day would never match: refused, not scored as a miss.
    for (k, label) in labels.iter().enumerate() {
        if let Some(date) = &label.date
            && (date.len() != 10 || chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err())
        {
            return Err(read_error(
                json,
                &format!(
                    "incident {}: date: expected YYYY-MM-DD or null, got '{date}'",
                    k + 1
                ),
            ));
        }
    }
    Ok(labels)
}

/// Scores the drafts `drafter` makes of each of `reports` against the report's labels.
fn tally(
    dir: &Path,
    reports: &[Report],
    reader: Reader,
    drafter: impl Fn(&Report) -> Result<Vec<Label>, IncidentError>,
) -> Result<Evaluation, IncidentError> {
    let mut scores = [Score::default(); 8];
    let mut places = Score::default();
    let (mut labels_total, mut drafts_total) = (0, 0);
    for report in reports {
        let labels = &report.labels;
        let drafts = drafter(report)?;
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
                    places.tp += 1;
                    score(&mut scores, Some(draft), Some(label));
                }
                None => {
                    places.fp += 1;
                    score(&mut scores, Some(draft), None);
                }
            }
        }
        for (label, _) in labels.iter().zip(&matched).filter(|(_, m)| !**m) {
            places.fn_ += 1;
            score(&mut scores, None, Some(label));
        }
    }
    let mut all_fields = Score::default();
    for s in scores {
        all_fields.add(s);
    }
    Ok(Evaluation {
        set: dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        reader,
        reports: reports.len(),
        labels: labels_total,
        drafts: drafts_total,
        fields: FIELDS
            .iter()
            .zip(scores)
            .map(|(f, s)| ((*f).to_string(), s))
            .collect(),
        places,
        all_fields,
    })
}
