//! Drafting incidents from a news report, offline and deterministically.
//!
//! The report is split into sentences. Each sentence may name places (the
//! [`gazetteer`](crate::gazetteer)), a date ([`dates`](crate::dates), relative to the
//! report's date, else the date last mentioned) and facts: explosions, killed, injured
//! (numbers with their qualifiers, [`numbers`](crate::numbers)), weapons and their
//! counts, targets and effects (keywords). A sentence with facts and a place starts or
//! continues the incident of that place and date; a sentence with facts and no place
//! continues the last incident. Every field keeps the sentence it came from, so a person
//! can confirm or fix it quickly. Nothing here guesses beyond the words: a count no
//! sentence gives stays empty.

use crate::dates::{When, resolve};
use crate::gazetteer::Gazetteer;
use crate::numbers::{self, Number, Qualifier};
use crate::record::{
    Effect, Incident, Place, Source, Status, Target, TargetCategory, TimePrecision, Weapon,
    WeaponClass,
};
use chrono::NaiveDate;
use serde::Serialize;

/// A field of a draft and the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The field (`explosions`, `targets`, `weapons[0].launched`, ...).
    pub field: String,
    /// The value, as text (with its qualifier: "about 15").
    pub value: String,
    /// The sentence.
    pub sentence: String,
}

/// A drafted incident with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The record (status `draft`).
    pub record: Incident,
    /// Where each field came from.
    pub evidence: Vec<Evidence>,
}

/// Words that end with a full stop inside a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Gov", "Rep", "Sen", "No", "vs",
    "etc", "e.g", "i.e", "U.S", "approx", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Oct", "Nov",
    "Dec",
];

/// Sentences of `text`, with header lines (`key: value`) and headings left out.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph.trim();
        // A heading: one line without a full stop; a header: `key: value` lines.
        if paragraph.is_empty()
            || (!paragraph.contains('.') && !paragraph.contains('!') && !paragraph.contains('?'))
            || paragraph.lines().all(|l| {
                l.split_once(':')
                    .is_some_and(|(k, _)| !k.contains(' ') && k.len() < 20)
            })
        {
            continue;
        }
        let flat = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut start = 0;
        let chars: Vec<(usize, char)> = flat.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if matches!(c, '.' | '!' | '?') {
                let next = chars.get(k + 1).map(|x| x.1);
                let after = chars.get(k + 2).map(|x| x.1);
                let word = flat[start..i]
                    .rsplit(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or("");
                let abbreviation = c == '.' && ABBREVIATIONS.contains(&word);
                if next.is_none()
                    || (!abbreviation
                        && next == Some(' ')
                        && after.is_some_and(|a| a.is_uppercase()))
                {
                    let sentence = flat[start..=i].trim();
                    if !sentence.is_empty() {
                        out.push(sentence.to_string());
                    }
                    start = i + 1;
                }
            }
        }
        let rest = flat[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

/// The report's own header: `source:` and `date:` lines at its top, if any.
fn header(text: &str) -> (Option<String>, Option<NaiveDate>) {
    let mut source = None;
    let mut date = None;
    for line in text.lines().take(6) {
        if let Some((key, value)) = line.split_once(':') {
            match key.trim().to_lowercase().as_str() {
                "source" => source = Some(value.trim().to_string()),
                "date" => date = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok(),
                _ => {}
            }
        }
    }
    (source, date)
}

fn describe(n: &Number) -> String {
    match n.qualifier {
        Qualifier::Exact => n.value.to_string(),
        Qualifier::About => format!("about {}", n.value),
        Qualifier::AtLeast => format!("at least {}", n.value),
        Qualifier::AtMost => format!("at most {}", n.value),
        Qualifier::All => format!("all {}", n.value),
    }
}

/// The number closest to any of `keywords` in `sentence` (within 40 bytes), not an age.
fn count_near(sentence: &str, keywords: &[&str], taken: &[usize]) -> Option<Number> {
    let lower = sentence.to_lowercase();
    let numbers: Vec<Number> = numbers::find(sentence)
        .into_iter()
        .filter(|n| !sentence[n.at.end..].starts_with("-year") && !taken.contains(&n.at.start))
        .collect();
    let mut best: Option<(usize, Number)> = None;
    for keyword in keywords {
        for (p, _) in lower.match_indices(keyword) {
            for n in &numbers {
                let distance = if n.at.end <= p {
                    p - n.at.end
                } else if n.at.start >= p + keyword.len() {
                    n.at.start - p - keyword.len()
                } else {
                    continue;
                };
                if distance <= 40 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
                    best = Some((distance, n.clone()));
                }
            }
        }
    }
    best.map(|(_, n)| n)
}

/// Facts of one sentence.
#[derive(Default)]
struct Facts {
    explosions: Option<Number>,
    explosions_reported: bool,
    killed: Option<(u32, String)>,
    injured: Option<(u32, String)>,
    weapon: Option<WeaponClass>,
    launched: Option<Number>,
    intercepted: Option<Number>,
    targets: Vec<TargetCategory>,
    effects: Vec<Effect>,
    in_russia: bool,
}

impl Facts {
    fn any(&self) -> bool {
        self.explosions.is_some()
            || self.explosions_reported
            || self.killed.is_some()
            || self.injured.is_some()
            || self.weapon.is_some()
            || !self.targets.is_empty()
            || !self.effects.is_empty()
    }
}

fn has(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| lower.contains(w))
}

/// Facts of one sentence. A number serves one fact only: explosions first, then
/// killed, injured and weapon counts.
fn facts(sentence: &str) -> Facts {
    let lower = sentence.to_lowercase();
    let mut f = Facts::default();
    let mut taken = Vec::new();
    explosions(sentence, &lower, &mut f, &mut taken);
    casualties(sentence, &lower, &mut f, &mut taken);
    weapon(sentence, &lower, &mut f, &mut taken);
    f.targets = targets(&lower);
    f.effects = effects(&lower);
    f.in_russia = lower.contains("in russia") || lower.contains("russian territory");
    f
}

/// Explosions: a count next to "explosion", else that some were reported.
fn explosions(sentence: &str, lower: &str, f: &mut Facts, taken: &mut Vec<usize>) {
    if let Some(n) = count_near(sentence, &["explosion"], taken) {
        taken.push(n.at.start);
        f.explosions = Some(n);
    } else if lower.contains("explosion") {
        f.explosions_reported = true;
    }
}

/// Killed and injured: counts next to their words; "no casualties" is none of either;
/// "injured a ..." is one person.
fn casualties(sentence: &str, lower: &str, f: &mut Facts, taken: &mut Vec<usize>) {
    if has(
        lower,
        &[
            "no casualties",
            "no immediate reports of casualties",
            "no reports of casualties",
            "no one was hurt",
            "no one was injured",
        ],
    ) {
        f.killed = Some((0, "none reported".into()));
        f.injured = Some((0, "none reported".into()));
    }
    if let Some(n) = count_near(
        sentence,
        &["fatalit", "killed", "killing", "dead", "deaths", "died"],
        taken,
    ) {
        taken.push(n.at.start);
        f.killed = Some((n.value, describe(&n)));
    }
    if let Some(n) = count_near(sentence, &["injur", "wounded", "wounding", "hurt"], taken) {
        taken.push(n.at.start);
        f.injured = Some((n.value, describe(&n)));
    } else if has(
        lower,
        &[
            "injured a ",
            "injured an ",
            "wounded a ",
            "wounded an ",
            "injuring a ",
            "wounding a ",
        ],
    ) {
        f.injured = Some((1, "1 (one person)".into()));
    }
}

/// The weapon class named (the first of glide bomb, missile, drone, artillery), and how
/// many were intercepted ("all N" were also launched) or launched.
fn weapon(sentence: &str, lower: &str, f: &mut Facts, taken: &mut Vec<usize>) {
    f.weapon = if has(lower, &["glide bomb", "guided bomb", "aerial bomb"]) {
        Some(WeaponClass::GlideBomb)
    } else if has(lower, &["missile"]) {
        Some(WeaponClass::Missile)
    } else if has(lower, &["drone", "uav", "shahed"]) {
        Some(WeaponClass::Drone)
    } else if has(lower, &["shelling", "artillery", "rocket launcher"]) {
        Some(WeaponClass::Artillery)
    } else {
        None
    };
    if f.weapon.is_none() {
        return;
    }
    let weapons = ["missile", "drone", "uav", "shahed", "bomb"];
    if has(
        lower,
        &["intercept", "shot down", "destroyed", "destroying"],
    ) {
        if let Some(n) = count_near(sentence, &weapons, taken) {
            taken.push(n.at.start);
            if n.qualifier == Qualifier::All {
                f.launched = Some(n.clone());
            }
            f.intercepted = Some(n);
        }
    } else if has(lower, &["launched", "fired", "aimed at"])
        && let Some(n) = count_near(sentence, &weapons, taken)
    {
        f.launched = Some(n);
    }
}

/// Words that name a kind of target, in the order targets are listed.
const TARGET_WORDS: &[(&[&str], TargetCategory)] = &[
    (
        &[
            "power infrastructure",
            "power grid",
            "energy infrastructure",
            "substation",
            "power plant",
            "power station",
            "energy facilit",
        ],
        TargetCategory::Power,
    ),
    (
        &[
            "water pump",
            "pumping station",
            "pumping substation",
            "water infrastructure",
            "water treatment",
        ],
        TargetCategory::Water,
    ),
    (
        &[
            "heating plant",
            "heat plant",
            "thermal power",
            "combined heat",
            "boiler house",
        ],
        TargetCategory::Heating,
    ),
    (
        &["gas infrastructure", "gas pipeline", "gas facilit"],
        TargetCategory::Gas,
    ),
    (
        &["oil refiner", "oil depot", "refinery", "refineries"],
        TargetCategory::Oil,
    ),
    (
        &["residential", "apartment", "homes", "houses"],
        TargetCategory::Residential,
    ),
    (
        &["industrial", "factory", "factories", "enterprise"],
        TargetCategory::Industrial,
    ),
    (
        &[
            "administrative building",
            "administration building",
            "government building",
        ],
        TargetCategory::Administrative,
    ),
    (
        &["railway", "bridge", "port infrastructure", "train station"],
        TargetCategory::Transport,
    ),
];

/// The kinds of target a sentence names, each once.
fn targets(lower: &str) -> Vec<TargetCategory> {
    let mut targets = Vec::new();
    for (words, category) in TARGET_WORDS {
        if has(lower, words) && !targets.contains(category) {
            targets.push(*category);
        }
    }
    targets
}

/// The effects a sentence reports: a blackout, water or heating cut (a supply word with a
/// word of trouble), a fire.
fn effects(lower: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    if has(
        lower,
        &[
            "blackout",
            "power outage",
            "without power",
            "without electricity",
            "power cut",
        ],
    ) {
        effects.push(Effect::Blackout);
    }
    let trouble = [
        "disrupt",
        "outage",
        "cut",
        "interrupt",
        "problem",
        "without",
    ];
    if has(lower, &["water supply", "without water", "water outage"]) && has(lower, &trouble) {
        effects.push(Effect::WaterOutage);
    }
    if has(lower, &["heating", "without heat"]) && has(lower, &trouble) {
        effects.push(Effect::HeatingOutage);
    }
    if has(
        lower,
        &["fire broke", "caught fire", "a fire", "blaze", "fires"],
    ) {
        effects.push(Effect::Fire);
    }
    effects
}

/// An incident being drafted: its key (place, date) and content.
struct Open {
    settlement: Option<String>,
    date: Option<When>,
    draft: Draft,
}

fn evidence(draft: &mut Draft, field: &str, value: String, sentence: &str) {
    draft.evidence.push(Evidence {
        field: field.into(),
        value,
        sentence: sentence.into(),
    });
}

fn apply(draft: &mut Draft, f: &Facts, sentence: &str) {
    let r = &mut draft.record;
    if let Some(n) = &f.explosions {
        r.explosions = Some(n.value);
        evidence(draft, "explosions", describe(n), sentence);
    } else if f.explosions_reported && draft.record.explosions.is_none() {
        evidence(draft, "explosions", "reported, no count".into(), sentence);
    }
    let r = &mut draft.record;
    if let Some((value, text)) = &f.killed
        && (r.killed.is_none() || *value > 0)
    {
        r.killed = Some(*value);
        evidence(draft, "killed", text.clone(), sentence);
    }
    let r = &mut draft.record;
    if let Some((value, text)) = &f.injured
        && (r.injured.is_none() || *value > 0)
    {
        r.injured = Some(*value);
        evidence(draft, "injured", text.clone(), sentence);
    }
    if let Some(class) = f.weapon {
        let r = &mut draft.record;
        if !r.weapons.iter().any(|w| w.class == class) {
            r.weapons.push(Weapon {
                class,
                model: None,
                launched: None,
                intercepted: None,
                hit: None,
            });
        }
        let index = r.weapons.iter().position(|w| w.class == class).unwrap_or(0);
        let w = &mut r.weapons[index];
        let launched = f.launched.as_ref().map(|n| (n.value, describe(n)));
        let intercepted = f.intercepted.as_ref().map(|n| (n.value, describe(n)));
        if let Some((v, _)) = &launched {
            w.launched = Some(*v);
        }
        if let Some((v, _)) = &intercepted {
            w.intercepted = Some(*v);
        }
        let name = crate::record::wire_name(&class);
        evidence(draft, &format!("weapons[{index}]"), name, sentence);
        if let Some((_, text)) = launched {
            evidence(draft, &format!("weapons[{index}].launched"), text, sentence);
        }
        if let Some((_, text)) = intercepted {
            evidence(
                draft,
                &format!("weapons[{index}].intercepted"),
                text,
                sentence,
            );
        }
    }
    for &category in &f.targets {
        if !draft.record.targets.iter().any(|t| t.category == category) {
            draft.record.targets.push(Target {
                category,
                asset: None,
                description: None,
            });
            let name = crate::record::wire_name(&category);
            evidence(draft, "targets", name, sentence);
        }
    }
    for &effect in &f.effects {
        if !draft.record.effects.contains(&effect) {
            draft.record.effects.push(effect);
            let name = crate::record::wire_name(&effect);
            evidence(draft, "effects", name, sentence);
        }
    }
}

/// Drafts the incidents of `text`, dated relative to `report_date` (else the report's own
/// `date:` line); `publisher` names the source (else the report's `source:` line).
pub fn extract(text: &str, report_date: Option<NaiveDate>, publisher: Option<&str>) -> Vec<Draft> {
    let (own_source, own_date) = header(text);
    let report = report_date.or(own_date);
    let publisher = publisher
        .map(String::from)
        .or(own_source)
        .unwrap_or_else(|| "news report".into());
    let gazetteer = Gazetteer::get();
    let mut open: Vec<Open> = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_date: Option<When> = None;
    for sentence in sentences(text) {
        let date = report.and_then(|r| resolve(&sentence, r, last_date.as_ref()));
        if let Some(d) = &date {
            last_date = Some(d.clone());
        }
        let f = facts(&sentence);
        let places = gazetteer.find(&sentence);
        if !f.any() {
            continue;
        }
        let when = date.clone().or_else(|| last_date.clone());
        let key = match (places.first(), f.in_russia) {
            (Some(found), _) => Some((Some(found.settlement.clone()), None)),
            (None, true) => Some((None, Some("Russia"))),
            (None, false) => None,
        };
        let index = match key {
            None => match current {
                Some(i) => i,
                None => continue,
            },
            Some((settlement, country)) => {
                let name = settlement.as_ref().map(|s| s.name.clone());
                let same = |o: &Open| {
                    o.settlement == name
                        && o.date.as_ref().map(|d| (d.date, d.precision))
                            == when.as_ref().map(|d| (d.date, d.precision))
                        && (name.is_some() || o.draft.record.place.country.as_deref() == country)
                };
                match open.iter().position(same) {
                    Some(i) => i,
                    None => {
                        let place = match &settlement {
                            Some(s) => Place {
                                settlement: Some(s.name.clone()),
                                admin1: Some(s.admin1.clone()),
                                country: Some(
                                    if s.country == "UA" {
                                        "Ukraine"
                                    } else {
                                        "Russia"
                                    }
                                    .into(),
                                ),
                                lat: Some(s.lat),
                                lon: Some(s.lon),
                                ..Place::default()
                            },
                            None => Place {
                                country: country.map(String::from),
                                geo_precision: crate::record::GeoPrecision::Region,
                                ..Place::default()
                            },
                        };
                        let record = Incident {
                            start: when.as_ref().map_or_else(
                                || report.map_or(String::new(), |r| r.to_string()),
                                |w| w.date.to_string(),
                            ),
                            time_precision: when
                                .as_ref()
                                .map_or(TimePrecision::Week, |w| w.precision),
                            place,
                            status: Status::Draft,
                            sources: vec![Source {
                                publisher: publisher.clone(),
                                url: None,
                                published: report.map(|r| r.to_string()),
                                quote: Some(sentence.clone()),
                            }],
                            ..Incident::default()
                        };
                        let mut draft = Draft {
                            record,
                            evidence: Vec::new(),
                        };
                        if let Some(w) = &when {
                            evidence(
                                &mut draft,
                                "start",
                                format!("{} ({})", w.date, w.phrase),
                                &sentence,
                            );
                        }
                        if let Some(s) = &settlement {
                            evidence(&mut draft, "place", s.name.clone(), &sentence);
                        }
                        open.push(Open {
                            settlement: name,
                            date: when.clone(),
                            draft,
                        });
                        open.len() - 1
                    }
                }
            }
        };
        current = Some(index);
        apply(&mut open[index].draft, &f, &sentence);
    }
    open.into_iter().map(|o| o.draft).collect()
}
