//! What one sentence of a report says happened: an attack, explosions, killed and
//! injured, weapons by class (missiles by type, drones by name) with how many were
//! launched and intercepted, targets by kind and effects. A number serves one fact only:
//! explosions first, then killed and injured, then weapon counts.

use crate::numbers::{self, Number, Qualifier};
use crate::record::{Effect, TargetCategory, WeaponClass};

/// A weapon named in a sentence, with its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct WeaponFact {
    /// The class.
    pub class: WeaponClass,
    /// The type or name (`Shahed`, `Kh-101`, `Iskander-M`), when given.
    pub model: Option<String>,
    /// How many were launched (or hit).
    pub launched: Option<Number>,
    /// How many were shot down.
    pub intercepted: Option<Number>,
}

impl WeaponFact {
    /// A weapon of `class`, its name and counts not given.
    pub fn of(class: WeaponClass) -> Self {
        WeaponFact {
            class,
            model: None,
            launched: None,
            intercepted: None,
        }
    }

    /// The same weapon without its counts (for places that share an attack's total).
    pub fn uncounted(&self) -> Self {
        WeaponFact {
            launched: None,
            intercepted: None,
            ..self.clone()
        }
    }
}

/// The facts of one sentence.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Facts {
    /// An attack is reported (struck, hit, attacked, came under fire, ...).
    pub attacked: bool,
    /// The count of explosions.
    pub explosions: Option<Number>,
    /// Explosions were reported without a count.
    pub explosions_reported: bool,
    /// Killed, with its wording.
    pub killed: Option<(u32, String)>,
    /// Injured, with its wording.
    pub injured: Option<(u32, String)>,
    /// Weapons, in the order named, each class once.
    pub weapons: Vec<WeaponFact>,
    /// An interception count with no weapon named in the sentence ("shot down 34 of
    /// them"): it belongs to the weapon spoken of last.
    pub intercepted_unnamed: Option<Number>,
    /// Every one launched was shot down ("all of them were shot down"), said of a
    /// weapon counted in an earlier sentence.
    pub all_intercepted: bool,
    /// How many "all N were destroyed" says were shot down, of weapons counted in an
    /// earlier sentence ("a Kh-59 missile and three Shahed drones ... all four were
    /// destroyed": each of them, when the counts add up to N; "20 Shaheds ... all 20
    /// were shot down").
    pub all_intercepted_of: Option<u32>,
    /// Kinds of target.
    pub targets: Vec<TargetCategory>,
    /// Effects.
    pub effects: Vec<Effect>,
}

impl Facts {
    /// Whether the sentence reports anything about a strike.
    pub fn any(&self) -> bool {
        self.attacked
            || self.explosions.is_some()
            || self.explosions_reported
            || self.killed.is_some()
            || self.injured.is_some()
            || !self.weapons.is_empty()
            || self.intercepted_unnamed.is_some()
            || self.all_intercepted
            || self.all_intercepted_of.is_some()
            || !self.targets.is_empty()
            || !self.effects.is_empty()
    }
}

/// A number as a draft shows it ("about 15").
pub fn describe(n: &Number) -> String {
    match n.qualifier {
        Qualifier::Exact => n.value.to_string(),
        Qualifier::About => format!("about {}", n.value),
        Qualifier::AtLeast => format!("at least {}", n.value),
        Qualifier::AtMost => format!("at most {}", n.value),
        Qualifier::All => format!("all {}", n.value),
    }
}

/// Whether `lower` has any of `words`, each at the start of a word ("residential" is not
/// in "presidential").
fn has(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            !w.starts_with(char::is_alphabetic)
                || !lower[..at].chars().last().is_some_and(char::is_alphabetic)
        })
    })
}

/// The numbers of a sentence that can be counts: not ages, years, clock times,
/// percentages, or amounts of people, homes or things other than weapons.
fn counts(sentence: &str) -> Vec<Number> {
    numbers::find(sentence)
        .into_iter()
        .filter(|n| {
            let after = &sentence[n.at.end..];
            let before = &sentence[..n.at.start];
            !(after.starts_with("-year")
                || after.starts_with(':')
                || before.ends_with(':')
                || after.starts_with('%')
                || after.trim_start().starts_with("per cent")
                || after.trim_start().starts_with("percent")
                || (1900..=2100).contains(&n.value)
                    && !after.trim_start().starts_with(|c: char| c.is_alphabetic())
                || after.starts_with(" a.m")
                || after.starts_with(" p.m")
                // "0748 GMT – A drone slammed into ...": a live blog's clock.
                || [" gmt", " utc", " cet", " edt", " est", " local time", " kyiv time", " hrs"]
                    .iter()
                    .any(|z| after.get(..z.len()).is_some_and(|a| a.eq_ignore_ascii_case(z)))
                || sentence[n.at.clone()].starts_with('0') && n.at.len() == 4
                || after.starts_with("th")
                || before.ends_with("No. ")
                // "every one of them", "no one was hurt": not the number one.
                || (before.ends_with(' ')
                    && before.split_whitespace().next_back().is_some_and(|w| {
                        ["every", "no", "any", "each"]
                            .iter()
                            .any(|q| w.eq_ignore_ascii_case(q))
                    }))
                || age(before)
                || next_to_month(before, after)
                || unit(after))
        })
        .collect()
}

/// `text` in lower case, byte for byte: a letter whose lower case is longer or shorter in
/// UTF-8 (the Turkish dotted İ) stays as it is, so that positions found in `text` hold in
/// the result.
pub(crate) fn lowercase(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// The part of `text` from byte `from` to byte `to`, both clamped to the text and moved
/// inwards to the nearest character boundaries: a window of so many bytes around a
/// number never cuts a letter ("ё" is two bytes).
fn span(text: &str, from: usize, to: usize) -> &str {
    let mut start = from.min(text.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = to.min(text.len()).max(start);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end.max(start)]
}

/// "One of the boiler houses in Chuhuiv, Kharkiv region, was seriously damaged": one of
/// `words`, then within the sentence a passive of striking ("was ... damaged", "were
/// hit") before anything else happens to it.
fn passive_struck(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let rest = span(lower, at, at + 90);
            let rest = rest.split(['.', ';']).next().unwrap_or(rest);
            ["was ", "were ", "been "].iter().any(|aux| {
                rest.find(aux).is_some_and(|k| {
                    let after = span(rest, k + aux.len(), k + aux.len() + 25);
                    has(after, STRUCK_WORDS)
                })
            })
        })
    })
}

/// Whether the words before a number make it an age: "men aged 65 and 39", "aged 7,
/// 12 and 15".
fn age(before: &str) -> bool {
    let words: Vec<String> = before
        .split_whitespace()
        .rev()
        .take(6)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    for w in &words {
        match w.as_str() {
            "aged" | "ages" => return true,
            "and" | "" => {}
            w if w.chars().all(|c| c.is_ascii_digit()) => {}
            _ => return false,
        }
    }
    false
}

/// Whether a number measures time, distance or size ("24 hours", "30 km", "200 MW", a
/// "120-mm mortar"'s calibre): not a count of weapons or people.
fn unit(after: &str) -> bool {
    let next = after
        .trim_start()
        .trim_start_matches('-')
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        next.as_str(),
        "hours"
            | "hour"
            | "days"
            | "day"
            | "minutes"
            | "minute"
            | "weeks"
            | "months"
            | "years"
            | "km"
            | "kilometres"
            | "kilometers"
            | "metres"
            | "meters"
            | "m"
            | "mw"
            | "kv"
            | "kw"
            | "tonnes"
            | "tons"
            | "kg"
            | "times"
            | "storey"
            | "floors"
            | "mm"
            | "millimetre"
            | "millimeter"
    )
}

/// Whether a number is a day of a month ("Nov. 23", "17 November").
fn next_to_month(before: &str, after: &str) -> bool {
    const MONTHS: [&str; 20] = [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
    ];
    let last = before
        .trim_end()
        .trim_end_matches('.')
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    let next = after
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    let month =
        |w: &str| MONTHS.contains(&w) || matches!(w, "october" | "november" | "december" | "sept");
    month(&last) || month(&next)
}

/// The number closest to any of `keywords` in `sentence` (within 40 bytes), not taken.
fn count_near(sentence: &str, keywords: &[&str], taken: &[usize]) -> Option<Number> {
    let lower = lowercase(sentence);
    let numbers: Vec<Number> = counts(sentence)
        .into_iter()
        .filter(|n| !taken.contains(&n.at.start))
        .collect();
    let mut best: Option<(usize, Number)> = None;
    for keyword in keywords {
        for (p, _) in lower.match_indices(keyword) {
            // A word's start ("blasts", not "oblasts"); "two children were among the
            // injured" counts a part of them.
            if lower[..p].chars().last().is_some_and(char::is_alphabetic)
                || lower[..p].ends_with("among the ")
            {
                continue;
            }
            for n in &numbers {
                // "Four of the wounded were taken to hospital": a part of a count.
                if lower[n.at.end..].strip_prefix(" of the ").is_some_and(|r| {
                    [
                        "wounded",
                        "injured",
                        "dead",
                        "killed",
                        "victims",
                        "casualties",
                    ]
                    .iter()
                    .any(|w| r.starts_with(w))
                }) {
                    continue;
                }
                let end = p + keyword.len();
                let word_end = end
                    + lower[end..]
                        .find(|c: char| !c.is_alphabetic())
                        .unwrap_or(lower.len() - end);
                let distance = if n.at.end <= p {
                    p - n.at.end
                } else if n.at.start >= word_end {
                    // After the word only right after it ("killing 3", "injured at least
                    // 10"), not across "and" ("one died and 10 were hurt").
                    let gap = lower[word_end..n.at.start].trim();
                    let qualifier = gap.is_empty()
                        || [
                            "at least",
                            "about",
                            "more than",
                            "up to",
                            "nearly",
                            "some",
                            "around",
                            "over",
                            "all",
                        ]
                        .contains(&gap);
                    if !qualifier {
                        continue;
                    }
                    n.at.start - word_end
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

/// The facts of `sentence`.
pub fn read(sentence: &str) -> Facts {
    let lower = lowercase(sentence);
    let mut f = Facts::default();
    let mut taken = Vec::new();
    explosions(sentence, &lower, &mut f, &mut taken);
    casualties(sentence, &lower, &mut f, &mut taken);
    weapons(sentence, &lower, &mut f, &mut taken);
    f.targets = targets(&lower);
    f.effects = effects(&lower);
    f.attacked = attacked(&lower);
    stopped_not_struck(&lower, &mut f);
    f
}

/// Words that say something was struck (not only affected).
const STRUCK_WORDS: &[&str] = &[
    "hit",
    "damag",
    "destroy",
    "struck",
    "strike",
    "wreck",
    "attack",
    "debris",
    "fragment",
    "shell",
    "fire",
    "ablaze",
    "collaps",
    "ruin",
    "explosion",
    "blast",
    "target",
    "slam",
];

/// "Boiler houses and pumping stations stopped when the power went": water and heating
/// plants that lost their power were not struck (see [`targets`]); their stop is an
/// outage of their supply.
fn stopped_not_struck(lower: &str, f: &mut Facts) {
    let stopped = has(
        lower,
        &[
            "without power",
            "without electricity",
            "without current",
            "de-energi",
            "stopped",
            "shut down",
            "lost power",
            "no power",
            "switched to backup",
            "switched to generator",
            "switched over to generator",
            "on generators",
            "went down",
            "cut off from the grid",
            "alternative sources",
            "alternative power",
        ],
    );
    if !stopped {
        return;
    }
    for (category, effect) in [
        (TargetCategory::Water, Effect::WaterOutage),
        (TargetCategory::Heating, Effect::HeatingOutage),
    ] {
        let named = TARGET_WORDS
            .iter()
            .any(|(words, c)| *c == category && has(lower, words));
        if named && !f.targets.contains(&category) && !f.effects.contains(&effect) {
            f.effects.push(effect);
        }
    }
}

/// Words that report an attack.
const ATTACK_WORDS: &[&str] = &[
    "attack",
    "struck",
    "strike",
    " hit ",
    " hit.",
    " hit,",
    "were hit",
    "was hit",
    "shelled",
    "shelling",
    "bombard",
    "barrage",
    "targeted",
    "came under",
    "fired at",
    "pounded",
    "raid",
    "blast",
    "explosion",
    "went after",
    "damaged",
    // "Further hits were reported at Kremenchuk".
    "hits were",
    "hits on",
];

fn attacked(lower: &str) -> bool {
    has(lower, ATTACK_WORDS)
}

/// Explosions: a count next to "explosion" or "blast", else that some were reported.
fn explosions(sentence: &str, lower: &str, f: &mut Facts, taken: &mut Vec<usize>) {
    if let Some(n) = count_near(sentence, &["explosion", "blasts"], taken) {
        taken.push(n.at.start);
        f.explosions = Some(n);
    } else if has(lower, &["explosion", "blasts"]) {
        f.explosions_reported = true;
    }
}

/// Whether a sentence says one person was `done` ("a 60-year-old woman was wounded",
/// "one civilian was killed"): "a", "an" or "one" within the four words before "was".
fn one_person(lower: &str, done: &[&str]) -> bool {
    done.iter().any(|d| {
        // "a 75-year-old woman died": the verb alone.
        // "a 55-year-old man suffered severe burns": the verb alone too.
        let form = if matches!(*d, "died" | "suffered" | "sustained") {
            format!(" {d}")
        } else {
            format!("was {d}")
        };
        lower.match_indices(&form).any(|(at, _)| {
            let before: Vec<&str> = lower[..at].split_whitespace().rev().take(4).collect();
            before.iter().any(|w| matches!(*w, "a" | "an" | "one"))
                && !before
                    .iter()
                    .any(|w| w.chars().all(|c| c.is_ascii_digit() || c == ','))
        })
    })
}

/// The words of one kind of casualty: those a count stands next to, the phrases that
/// mean one person, and the participles "a ... was ___" takes.
struct CasualtyWords {
    counted: &'static [&'static str],
    one: &'static [&'static str],
    done: &'static [&'static str],
}

const KILLED: CasualtyWords = CasualtyWords {
    counted: &[
        "fatalit",
        "killed",
        "killing",
        "dead",
        "deaths",
        "died",
        "death toll",
        "lives",
    ],
    one: &[
        "killed a ",
        "killed an ",
        "killing a ",
        "killing an ",
        "a man was killed",
        "a woman was killed",
        "one person was killed",
        "one person died",
        "a man died",
        "a woman died",
        "person was killed",
    ],
    done: &["killed", "died"],
};

const INJURED: CasualtyWords = CasualtyWords {
    counted: &["injur", "wounded", "wounding", "hurt", "casualties"],
    one: &[
        "injured a ",
        "injured an ",
        "wounded a ",
        "wounded an ",
        "injuring a ",
        "wounding a ",
        "a man was injured",
        "a man was wounded",
        "a woman was injured",
        "a woman was wounded",
        "one person was injured",
        "one person was wounded",
        "man was wounded",
        "man was injured",
    ],
    done: &[
        "injured",
        "wounded",
        "hurt",
        "hospitalised",
        "hospitalized",
        "treated",
        "suffered",
        "sustained",
    ],
};

/// A count of one kind of casualty with its wording: the number next to its words, else
/// one person when the sentence says so.
fn casualty(
    sentence: &str,
    lower: &str,
    words: &CasualtyWords,
    taken: &mut Vec<usize>,
) -> Option<(u32, String)> {
    if let Some(total) = people_listed(lower, words.done) {
        Some((total, format!("{total} (the people listed)")))
    } else if let Some(n) = count_near(sentence, words.counted, taken) {
        taken.push(n.at.start);
        Some((n.value, describe(&n)))
    } else if has(lower, words.one) || one_person(lower, words.done) {
        Some((1, "1 (one person)".into()))
    } else {
        None
    }
}

/// People listed before "were <done>": "a 73-year-old woman and two men aged 65 and 39
/// were injured" is 3; only a list of two groups or more.
fn people_listed(lower: &str, done: &[&str]) -> Option<u32> {
    const PEOPLE: &[&str] = &[
        "man",
        "men",
        "woman",
        "women",
        "child",
        "children",
        "boy",
        "boys",
        "girl",
        "girls",
        "person",
        "people",
        "teenager",
        "teenagers",
        "resident",
        "residents",
        "civilian",
        "civilians",
        "employee",
        "employees",
        "worker",
        "workers",
    ];
    let at = done
        .iter()
        .flat_map(|d| [format!("were {d}"), format!("were being {d}")])
        .filter_map(|form| lower.find(&form))
        .min()?;
    // The subject only: after the last break or verb ("a boy was killed and three
    // people were injured" lists one group).
    let before = &lower[..at];
    let start = [
        ",", ";", ":", ".", " was ", " were ", " killed", " died", " injured",
    ]
    .iter()
    .filter_map(|m| before.rfind(m).map(|k| k + m.len()))
    .max()
    .unwrap_or(0);
    let clause = &before[start..];
    let words: Vec<&str> = clause
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let (mut total, mut groups) = (0, 0);
    for (i, word) in words.iter().enumerate() {
        let count = match *word {
            "a" | "an" | "one" => 1,
            w => match crate::numbers::find(w).first() {
                Some(n) if n.at == (0..w.len()) && n.value < 1000 => n.value,
                _ => continue,
            },
        };
        // The people within the next three words ("a 73-year-old woman", "two men").
        if words[i + 1..]
            .iter()
            .take(3)
            .any(|w| PEOPLE.contains(&w.trim_matches(|c: char| !c.is_alphabetic())))
        {
            total += count;
            groups += 1;
        }
    }
    (groups >= 2).then_some(total)
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
            "nobody was hurt",
            "nobody was injured",
            "nobody was killed or injured",
            "no one was killed or injured",
            "no dead or injured",
            "no one was reported hurt",
            "no injuries",
            "no one was killed or hurt",
            "nobody was killed or wounded",
            "no one was killed or wounded",
            "no one was hurt or killed",
            "no one has been hurt",
            "nobody has been hurt",
            "no one has been injured",
            "there were no casualties",
            "without injuries",
            "no victims",
            "without casualties",
        ],
    ) || without_casualties(lower)
    {
        f.killed = Some((0, "none reported".into()));
        f.injured = Some((0, "none reported".into()));
    }
    if has(
        lower,
        &[
            "no dead",
            "no deaths",
            "no one was killed",
            "no one died",
            "nobody was killed",
            "nobody died",
        ],
    ) && f.killed.is_none()
    {
        f.killed = Some((0, "none reported".into()));
    }
    // "the death toll has risen to 20".
    let toll = lower.find("death toll").and_then(|at| {
        counts(sentence)
            .into_iter()
            .find(|n| n.at.start > at && n.at.start <= at + 40 && !taken.contains(&n.at.start))
    });
    let (no_killed, no_injured) = nobody(lower);
    if no_killed {
        f.killed = Some((0, "none reported".into()));
    }
    if no_injured {
        f.injured = Some((0, "none reported".into()));
    }
    if let Some(n) = toll {
        taken.push(n.at.start);
        f.killed = Some((n.value, describe(&n)));
    } else if !no_killed && let Some(killed) = casualty(sentence, lower, &KILLED, taken) {
        f.killed = Some(killed);
    }
    if !no_injured && let Some(injured) = casualty(sentence, lower, &INJURED, taken) {
        f.injured = Some(injured);
    }
}

/// "The attack ended without major damage or casualties": none, in a few words.
fn without_casualties(lower: &str) -> bool {
    lower.match_indices("without ").any(|(at, w)| {
        let rest = &lower[at + w.len()..];
        rest.split_whitespace()
            .take(5)
            .any(|t| t.trim_end_matches(['.', ',', ';']) == "casualties")
    })
}

/// Whether the sentence says nobody was killed, and nobody injured: "no one had been
/// killed or hurt so far", "nobody was reported wounded" (a casualty word within the
/// eight words after "no one" or "nobody").
fn nobody(lower: &str) -> (bool, bool) {
    let (mut killed, mut injured) = (false, false);
    for phrase in ["no one", "nobody", "no-one", "no people", "no civilians"] {
        for (at, _) in lower.match_indices(phrase) {
            if lower[..at].chars().last().is_some_and(char::is_alphabetic) {
                continue;
            }
            let after: Vec<&str> = lower[at + phrase.len()..]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(8)
                .collect();
            // "No one was hurt" is neither killed nor injured.
            killed |= after
                .iter()
                .any(|w| matches!(*w, "killed" | "died" | "dead" | "perished" | "hurt"));
            injured |= after
                .iter()
                .any(|w| matches!(*w, "injured" | "hurt" | "wounded" | "injuries"));
        }
    }
    (killed, injured)
}

/// Names of weapons, with their class and the model they name (if any).
const WEAPON_WORDS: &[(&str, WeaponClass, Option<&str>)] = &[
    ("glide bomb", WeaponClass::GlideBomb, None),
    ("guided bomb", WeaponClass::GlideBomb, None),
    ("guided aerial bomb", WeaponClass::GlideBomb, None),
    ("guided aviation bomb", WeaponClass::GlideBomb, None),
    ("aerial bomb", WeaponClass::GlideBomb, None),
    ("bombs", WeaponClass::GlideBomb, None),
    ("kab", WeaponClass::GlideBomb, Some("KAB")),
    ("kabs", WeaponClass::GlideBomb, Some("KAB")),
    ("kh-101", WeaponClass::Missile, Some("Kh-101")),
    ("kh-31", WeaponClass::Missile, Some("Kh-31")),
    ("kh-35", WeaponClass::Missile, Some("Kh-35")),
    ("kh-555", WeaponClass::Missile, Some("Kh-555")),
    ("kh-22", WeaponClass::Missile, Some("Kh-22")),
    ("kh-32", WeaponClass::Missile, Some("Kh-32")),
    ("kh-47", WeaponClass::Missile, Some("Kinzhal")),
    ("kh-59", WeaponClass::Missile, Some("Kh-59")),
    ("kh-69", WeaponClass::Missile, Some("Kh-69")),
    ("kalibr", WeaponClass::Missile, Some("Kalibr")),
    ("iskander-m", WeaponClass::Missile, Some("Iskander-M")),
    ("iskander-k", WeaponClass::Missile, Some("Iskander-K")),
    ("iskander", WeaponClass::Missile, Some("Iskander")),
    ("kinzhal", WeaponClass::Missile, Some("Kinzhal")),
    ("s-300", WeaponClass::Missile, Some("S-300")),
    ("s-400", WeaponClass::Missile, Some("S-400")),
    ("oniks", WeaponClass::Missile, Some("Oniks")),
    ("onyx", WeaponClass::Missile, Some("Oniks")),
    ("zircon", WeaponClass::Missile, Some("Zircon")),
    ("tsirkon", WeaponClass::Missile, Some("Zircon")),
    ("kn-23", WeaponClass::Missile, Some("KN-23")),
    ("tochka", WeaponClass::Missile, Some("Tochka-U")),
    ("missile", WeaponClass::Missile, None),
    ("ballistic", WeaponClass::Missile, None),
    ("rocket attack", WeaponClass::Missile, None),
    ("shahed", WeaponClass::Drone, Some("Shahed")),
    ("geran", WeaponClass::Drone, Some("Shahed")),
    ("gerbera", WeaponClass::Drone, Some("Gerbera")),
    ("lancet", WeaponClass::Drone, Some("Lancet")),
    ("drone", WeaponClass::Drone, None),
    ("uav", WeaponClass::Drone, None),
    ("unmanned aerial", WeaponClass::Drone, None),
    ("loitering munition", WeaponClass::Drone, None),
    ("shelling", WeaponClass::Artillery, None),
    ("shelled", WeaponClass::Artillery, None),
    ("artillery", WeaponClass::Artillery, None),
    ("rocket launcher", WeaponClass::Artillery, None),
    ("mlrs", WeaponClass::Artillery, None),
    ("mortar", WeaponClass::Artillery, None),
    ("shells", WeaponClass::Artillery, None),
    ("grad", WeaponClass::Artillery, Some("Grad")),
    ("uragan", WeaponClass::Artillery, Some("Uragan")),
    ("smerch", WeaponClass::Artillery, Some("Smerch")),
];

/// Words that say weapons were shot down.
const INTERCEPT_WORDS: &[&str] = &[
    "intercept",
    "shot down",
    "shooting down",
    "downed",
    "destroyed",
    "destroying",
    "neutralised",
    "neutralized",
    "brought down",
    "bring down",
    "shoot down",
    "taken out",
    "taken down",
    "knocked down",
    "repelled",
];

/// Where each weapon word stands in `lower` (a word start, not inside another word).
fn weapon_mentions(lower: &str) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    for &(word, class, model) in WEAPON_WORDS {
        for (p, _) in lower.match_indices(word) {
            let starts_word = lower[..p]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric());
            let end = p + word.len();
            // A whole word, or its plural ("UAVs", "KABs"): "kab" is not "kabul", "grad"
            // not "top-grade"; a model's number may have a letter ("Kh-59M").
            let rest = lower[end..].strip_prefix('s').unwrap_or(&lower[end..]);
            let ends_word = word.len() > 5
                || word.ends_with(|c: char| c.is_ascii_digit())
                || rest.chars().next().is_none_or(|c| !c.is_alphabetic());
            if starts_word
                && ends_word
                && !(class == WeaponClass::Missile && air_defence(lower, p, end))
                && !found.iter().any(|(q, e, _, _)| p < *e && *q < end)
            {
                found.push((p, end, class, model));
            }
        }
    }
    found.sort_by_key(|m| m.0);
    found
}

/// Whether a missile named at `p..end` is air defence's, not an attacker's:
/// "anti-aircraft missile units", "surface-to-air missiles", "missile troops".
fn air_defence(lower: &str, p: usize, end: usize) -> bool {
    let before = lower[..p].trim_end();
    let after = lower[end..].trim_start_matches('s');
    [
        "anti-aircraft",
        "surface-to-air",
        "air defence",
        "air defense",
        "anti-air",
    ]
    .iter()
    .any(|w| before.ends_with(w))
        || [" units", " troops", " defence", " defense"]
            .iter()
            .any(|w| after.starts_with(w))
}

/// Weapons by class in the order named, each with the counts next to it: a number just
/// before a weapon's name is how many were launched, or how many were shot down when a
/// word of interception stands next to it ("destroyed all eight Shahed drones", "15 drones
/// were shot down"); "all N" were launched and shot down. A number after a word of
/// interception with no weapon next to it ("shot down 34 of them") is kept apart.
fn weapons(sentence: &str, lower: &str, f: &mut Facts, taken: &mut Vec<usize>) {
    let mentions = weapon_mentions(lower);
    let numbers: Vec<Number> = counts(sentence)
        .into_iter()
        .filter(|n| !taken.contains(&n.at.start) && !in_breakdown(lower, n))
        .collect();
    // A word of interception in the same clause: "at least 30 of which were shot down,
    // and sent about 70 strike drones" sent the drones.
    let intercepting = |from: usize, to: usize| {
        let window = span(lower, from, to);
        let clause = match [" and ", ";", " but ", " while "]
            .iter()
            .filter_map(|c| window.rfind(c))
            .max()
        {
            // "..., and so were five kamikaze drones": the same verb.
            Some(at) if !window[at..].contains(" so were") && !window[at..].contains(" so was") => {
                &window[at..]
            }
            _ => window,
        };
        has(clause, INTERCEPT_WORDS)
    };
    // The end of the last count read as shot down: "destroyed 84 of them, 58 Shaheds and
    // 26 missiles" lists what was shot down.
    let mut downed_until: Option<usize> = None;
    for &(p, end, class, model) in &mentions {
        let index = match f.weapons.iter().position(|w| w.class == class) {
            Some(i) => i,
            None => {
                f.weapons.push(WeaponFact::of(class));
                f.weapons.len() - 1
            }
        };
        if f.weapons[index].model.is_none() {
            f.weapons[index].model = model.map(String::from);
        }
        // The number just before the name: nothing but words (no other number, no
        // clause break) between them, within 40 bytes.
        let count = numbers.iter().rev().find(|n| {
            n.at.end <= p
                && p - n.at.end <= 40
                && counts_the_weapon(&lower[n.at.end..p])
                && !lower[n.at.end..].starts_with(" of ")
                && !taken.contains(&n.at.start)
                && !numbers
                    .iter()
                    .any(|m| m.at.start > n.at.end && m.at.end <= p)
        });
        let Some(n) = count.cloned() else {
            // "destroyed 28 of the drones and three missiles": a share shot down (counted
            // by `partitive_intercepts`), which the list goes on from.
            if share_before(lower, &numbers, p)
                .is_some_and(|m| intercepting(m.at.start.saturating_sub(30), m.at.start))
            {
                downed_until = Some(end);
            }
            // "a new round of shelling" is no count of one.
            if !matches!(
                &lower[p..end],
                "shelling" | "shelled" | "artillery" | "shells"
            ) {
                single_weapon(lower, p, end, &mut f.weapons[index]);
            }
            continue;
        };
        taken.push(n.at.start);
        // "destroyed 14 of 19 drones", "shot down 30 out of 40 missiles".
        let of = numbers.iter().find(|m| {
            m.at.end < n.at.start
                && !taken.contains(&m.at.start)
                && matches!(
                    lower[m.at.end..n.at.start].trim(),
                    "of" | "out of" | "of the"
                )
        });
        if let Some(m) = of.cloned() {
            taken.push(m.at.start);
            // "destroyed 69 of the 73 Shaheds and both Kh-59/69 missiles": the list goes
            // on.
            if intercepting(m.at.start.saturating_sub(30), m.at.start) {
                downed_until = Some(end);
            }
            let w = &mut f.weapons[index];
            if w.launched.is_none() && w.intercepted.is_none() {
                w.launched = Some(n);
                w.intercepted = Some(m);
            }
            continue;
        }
        let before = n.at.start.saturating_sub(30);
        // "7 Kh-101/Kh-555, all 4 Kalibrs, 1 Iskander-K and all 13 Shaheds": the rest of
        // the list (model names, "and", "all" between the counts).
        let listed =
            downed_until.is_some_and(|until| list_goes_on(lower, &mentions, until, n.at.start));
        let shot_down = listed
            || intercepting(before, n.at.start)
            || downed_after(lower, end)
            || (n.qualifier == Qualifier::All && all_downed_after(lower, end));
        let w = &mut f.weapons[index];
        downed_until = shot_down.then_some(end);
        if shot_down {
            if n.qualifier == Qualifier::All && w.launched.is_none() {
                w.launched = Some(n.clone());
            }
            match &mut w.intercepted {
                None => w.intercepted = Some(n),
                // Counts of one class listed by type add up; a breakdown in brackets
                // ("39 missiles (33 Kh-101, all four Kalibrs ...)") does not.
                Some(total)
                    if listed
                        && lower[..n.at.start].matches('(').count()
                            <= lower[..n.at.start].matches(')').count() =>
                {
                    total.value += n.value
                }
                Some(_) => {}
            }
        } else if w.launched.is_none() {
            w.launched = Some(n);
        }
    }
    artillery_hits(lower, &numbers, f, taken);
    respectively(lower, &numbers, f, taken);
    partitive_intercepts(lower, &mentions, &numbers, f, taken);
    unnamed_intercepts(lower, &mentions, &numbers, f, taken);
    every_one_intercepted(lower, f);
}

/// Whether the words from `until` (the end of a count read as shot down) to `to` (the
/// next count) only go on with the list: names of weapons, "and", "all", models ("405
/// Shahed and Gerbera drones and 15 missiles", "as well as 16 missiles"); a breakdown
/// after a dash or colon ("13 drones - 12 Shaheds and ...") is not a list to add up.
fn list_goes_on(lower: &str, mentions: &[Mention], until: usize, to: usize) -> bool {
    let between = lower.get(until..to).unwrap_or("");
    let gap: String = between
        .char_indices()
        .filter(|(i, _)| {
            !mentions
                .iter()
                .any(|&(mp, me, _, _)| (mp..me).contains(&(until + i)))
        })
        .map(|(_, c)| c)
        .collect();
    !between.contains(['.', ';', '(', ':', '–', '—'])
        && !between.contains(" - ")
        && gap.split([' ', ',']).filter(|t| !t.is_empty()).all(|t| {
            matches!(
                t,
                "and" | "all" | "the" | "s" | "type" | "attack" | "as" | "well" | "other"
            ) || t.contains(|c: char| c.is_ascii_digit() || c == '/' || c == '-')
                || crate::numbers::word_value(t).is_some()
        })
}

/// Whether a count is part of a breakdown of the one before it: "21 were shot down,
/// among them five Iskander-M ballistic missiles", "41 missiles, including 5 Kinzhals".
fn in_breakdown(lower: &str, n: &Number) -> bool {
    let before = lower[..n.at.start].trim_end();
    ["among them", "among which", "including", "among those"]
        .iter()
        .any(|p| before.ends_with(p))
}

/// The count of a share right before a weapon's name at `p`: "28 of the drones".
fn share_before<'a>(lower: &str, numbers: &'a [Number], p: usize) -> Option<&'a Number> {
    numbers.iter().rev().find(|m| {
        m.at.end <= p && matches!(lower[m.at.end..p].trim(), "of" | "of the" | "of these")
    })
}

/// "Yanzhulivka: 18 hits, presumably from a 120-mm mortar", "scored at least 12 hits on
/// the plant": shells that hit are the count fired, when the sentence gives no other.
fn artillery_hits(lower: &str, numbers: &[Number], f: &mut Facts, taken: &mut Vec<usize>) {
    let Some(w) = f
        .weapons
        .iter_mut()
        .find(|w| w.class == WeaponClass::Artillery && w.launched.is_none())
    else {
        return;
    };
    let hits = numbers.iter().find(|n| {
        !taken.contains(&n.at.start)
            && lower[n.at.end..]
                .strip_prefix(' ')
                .is_some_and(|r| r.starts_with("hits") || r.starts_with("artillery hits"))
    });
    if let Some(n) = hits {
        taken.push(n.at.start);
        w.launched = Some(n.clone());
    }
}

/// Whether the words right after a weapon's name say it was shot down: "8 drones were
/// shot down", "Sixty drones and five missiles were shot down" (both, passive); not "of"
/// a count ("14 of them were downed" is another's) nor what air defence did next.
fn downed_after(lower: &str, end: usize) -> bool {
    // Past the rest of a model's name ("Shahed|-131/136 attack drones had been
    // destroyed").
    let end = end
        + lower[end..]
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/'))
            .filter(|k| *k <= 10)
            .unwrap_or(0);
    let tail = span(lower, end, (end + 40).min(lower.len()));
    let clause = tail.split([',', ';', '.']).next().unwrap_or("");
    // The first word of interception, with no "of" before it ("14 of them were
    // downed" is another's count; "taken out on the outskirts of" is this one's).
    let first = INTERCEPT_WORDS.iter().filter_map(|w| clause.find(w)).min();
    if first.is_some_and(|at| !clause[..at].contains(" of ")) {
        return true;
    }
    let longer = span(lower, end, (end + 60).min(lower.len()));
    let clause = longer.split([',', ';', '.']).next().unwrap_or("");
    // Past the rest of the name's word ("drone|s").
    let clause = clause.trim_start_matches(|c: char| c.is_alphanumeric() || c == '-');
    // ("34 cruise missiles and four of the drones were shot down": both; "30 drones
    // and 14 of them were shot down" is the other's share.)
    if clause.starts_with(" and ")
        && passive_downed(clause)
        && ![" of them", " of those", " of these", " of which"]
            .iter()
            .any(|share| clause.contains(share))
        && !clause.contains("defen")
    {
        return true;
    }
    // "20 drones aimed at \"fuel and energy infrastructure\" in the province were
    // downed": the drones' own verb, after what they were sent at.
    let longest = span(lower, end, (end + 90).min(lower.len()));
    let clause = longest.split([',', ';', '.', ':']).next().unwrap_or("");
    clause.starts_with([' ', 's'])
        && [
            " aimed at ",
            " targeting ",
            " heading for ",
            " launched at ",
            " sent at ",
        ]
        .iter()
        .any(|w| clause.contains(w))
        && passive_downed(clause)
        && !clause.contains(|c: char| c.is_ascii_digit())
}

/// Whether `clause` says, in the passive, that something was shot down: "... were shot
/// down", "... had been destroyed".
fn passive_downed(clause: &str) -> bool {
    [" were ", " have been ", " had been "].iter().any(|be| {
        clause.match_indices(be).any(|(at, _)| {
            let rest = &clause[at + be.len()..];
            INTERCEPT_WORDS.iter().any(|w| rest.starts_with(w))
        })
    })
}

/// Whether "all N <weapons>" are said shot down further on in their clause: "all 11
/// Shahed drones Russia launched overnight were destroyed".
fn all_downed_after(lower: &str, end: usize) -> bool {
    let tail = span(lower, end, (end + 90).min(lower.len()));
    let clause = tail.split([',', ';', '.', ':']).next().unwrap_or("");
    !clause.contains(|c: char| c.is_ascii_digit()) && passive_downed(clause)
}

/// "The Kh-59 missile was also destroyed": one shot down, of those counted before.
fn the_one_downed(lower: &str, p: usize, end: usize, w: &mut WeaponFact) {
    let clause = lower[end..].split([',', ';']).next().unwrap_or("");
    let rest = clause.split_once(" was ").map(|(_, r)| {
        r.trim_start_matches("also ")
            .trim_start_matches("likewise ")
    });
    if rest.is_some_and(|r| INTERCEPT_WORDS.iter().any(|v| r.starts_with(v))) {
        w.intercepted = Some(Number {
            value: 1,
            qualifier: Qualifier::Exact,
            at: p..p,
        });
    }
}

/// "A Russian drone hit a substation", "a Kh-59 guided missile was destroyed": one
/// weapon launched at the place (and shot down, when the words after it say so); not
/// "a drone attack" (how many is not said) nor "debris from a drone".
fn single_weapon(lower: &str, p: usize, end: usize, w: &mut WeaponFact) {
    if w.launched.is_some() {
        return;
    }
    // "missiles had struck a power facility in the city twice": two.
    if w.class == WeaponClass::Missile
        && let Some(at) = span(lower, end, (end + 80).min(lower.len())).find(" twice")
        && has(lower, STRUCK_WORDS)
    {
        let at = end + at + 1;
        w.launched = Some(Number {
            value: 2,
            qualifier: Qualifier::Exact,
            at: at..at + "twice".len(),
        });
        return;
    }
    let before: Vec<&str> = lower[..p].split_whitespace().rev().take(4).collect();
    // "The Kh-59 missile was also destroyed": the one counted before was shot down.
    if before.first().is_some_and(|w| *w == "the")
        && w.intercepted.is_none()
        && !lower[end..].starts_with('s')
    {
        the_one_downed(lower, p, end, w);
        return;
    }
    let Some(article) = before.iter().position(|w| matches!(*w, "a" | "an")) else {
        return;
    };
    // Only adjectives between the article and the name ("a Russian", "an Iranian-made").
    let between = &before[..article];
    let plain = between
        .iter()
        .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-') && !w.ends_with("ed"));
    let known = between.iter().all(|w| {
        matches!(
            *w,
            "russian" | "iranian-made" | "enemy" | "cruise" | "ballistic" | "guided" | "attack"
        )
    });
    if !plain && !known {
        return;
    }
    let previous = before.get(article + 1).copied().unwrap_or("");
    let earlier = before.get(article + 2).copied().unwrap_or("");
    if (matches!(previous, "of" | "by" | "against" | "about" | "such")
        && matches!(
            earlier,
            "debris" | "wreckage" | "fragments" | "parts" | "remains"
        ))
        || previous == "from"
    {
        return;
    }
    // It struck or was brought down, not only seen: "an enemy drone was in the sky".
    let struck = has(lower, STRUCK_WORDS)
        || has(
            lower,
            &[
                "crashed",
                "came down",
                "fell",
                "shot down",
                "intercepted",
                "downed",
            ],
        );
    // "Missiles and drones were used: a drone crashed into ...": one of several.
    let plural = lower.match_indices(&lower[p..end]).any(|(at, word)| {
        let rest = &lower[at + word.len()..];
        rest.starts_with('s') && !rest[1..].starts_with(char::is_alphabetic)
    });
    if !struck || plural {
        return;
    }
    // "a drone attack", "a missile threat", "drones": no count of one.
    if lower[end..].starts_with('s') {
        return;
    }
    let first = lower[end..].split_whitespace().next().unwrap_or("");
    if first.starts_with("attack")
        || first.starts_with("strike")
        || matches!(
            first,
            "assault"
                | "raid"
                | "barrage"
                | "debris"
                | "wreckage"
                | "fragments"
                | "operator"
                | "alert"
                | "threat"
                | "danger"
                | "warning"
                | "and"
                | "or"
                | "or-"
        )
    {
        return;
    }
    let one = Number {
        value: 1,
        qualifier: Qualifier::Exact,
        at: p..p,
    };
    let clause = lower[end..].split([',', ';']).next().unwrap_or("");
    if has(
        clause,
        &[
            "was shot down",
            "was destroyed",
            "was intercepted",
            "was downed",
        ],
    ) {
        w.intercepted = Some(one.clone());
    }
    w.launched = Some(one);
}

/// "Of the 55 missiles and 21 attack drones Russia used, it destroyed 39 and 20
/// respectively", "127 missiles and 109 drones, of which 102 and 99 respectively were
/// shot down": the counts after a word of interception (or after "of which", the word
/// of interception following), in the order the weapons were counted.
fn respectively(lower: &str, numbers: &[Number], f: &mut Facts, taken: &mut Vec<usize>) {
    let Some(end) = lower.find("respectively") else {
        return;
    };
    let before = INTERCEPT_WORDS
        .iter()
        .filter_map(|w| lower[..end].rfind(w))
        .max();
    let after = has(span(lower, end, end + 40), INTERCEPT_WORDS)
        .then(|| lower[..end].rfind("of which"))
        .flatten();
    let Some(verb) = before.or(after) else {
        return;
    };
    let listed: Vec<&Number> = numbers
        .iter()
        .filter(|n| n.at.start > verb && n.at.end <= end && !taken.contains(&n.at.start))
        .collect();
    let counted: Vec<usize> = (0..f.weapons.len())
        .filter(|&i| f.weapons[i].launched.is_some() && f.weapons[i].intercepted.is_none())
        .collect();
    if listed.len() != counted.len() || listed.len() < 2 {
        return;
    }
    for (n, i) in listed.into_iter().zip(counted) {
        taken.push(n.at.start);
        f.weapons[i].intercepted = Some(n.clone());
    }
}

/// Whether the words between a number and a weapon's name leave the number a count of
/// that weapon: no clause break, and no verb or other thing counted ("eight people were
/// injured in the missile attack", "77 settlements that earlier shelling had cut off").
fn counts_the_weapon(between: &str) -> bool {
    !between.contains([',', ';', '.', '('])
        && !between.split_whitespace().any(|w| {
            matches!(
                w,
                "were"
                    | "was"
                    | "people"
                    | "have"
                    | "has"
                    | "had"
                    | "settlements"
                    | "families"
                    | "homes"
                    | "houses"
                    | "consumers"
                    | "subscribers"
                    | "villages"
                    | "residents"
                    | "households"
            )
        })
}

/// A weapon named at a byte range: (start, end, class, model).
type Mention = (usize, usize, WeaponClass, Option<&'static str>);

/// "intercepted 406 of the drones and nine of the missiles": N of the named weapon.
fn partitive_intercepts(
    lower: &str,
    mentions: &[Mention],
    numbers: &[Number],
    f: &mut Facts,
    taken: &mut Vec<usize>,
) {
    // "intercepted 406 of the drones and nine of the missiles".
    for n in numbers {
        if taken.contains(&n.at.start) {
            continue;
        }
        let after = &lower[n.at.end..];
        let Some(rest) = after.strip_prefix(" of the ") else {
            continue;
        };
        let Some(&(_, _, class, _)) = mentions
            .iter()
            .find(|m| m.0 >= n.at.end && m.0 <= n.at.end + 8 + rest.len().min(25))
        else {
            continue;
        };
        // The verb may stand before a list in brackets: "destroyed 39 missiles (33
        // Kh-101, all four Kalibrs) and 20 of the Shaheds".
        let near = span(lower, n.at.start.saturating_sub(120), n.at.start);
        let near = near.rsplit([';', '.']).next().unwrap_or(near);
        if has(near, INTERCEPT_WORDS) || has(after, INTERCEPT_WORDS) {
            taken.push(n.at.start);
            if let Some(w) = f.weapons.iter_mut().find(|w| w.class == class)
                && w.intercepted.is_none()
            {
                w.intercepted = Some(n.clone());
            }
        }
    }
}

/// "air defences destroyed 74 of them", "34 were shot down", "shot down 60": with the
/// last weapon named before it in the sentence, else kept apart for the weapon spoken
/// of last.
fn unnamed_intercepts(
    lower: &str,
    mentions: &[Mention],
    numbers: &[Number],
    f: &mut Facts,
    taken: &mut Vec<usize>,
) {
    // "air defences destroyed 74 of them", "34 were shot down", "shot down 60".
    for n in numbers {
        if taken.contains(&n.at.start) {
            continue;
        }
        // Within its clause: "53 were intercepted, while 31 reached six locations".
        let before = span(lower, n.at.start.saturating_sub(25), n.at.start);
        let before = [",", ";", " while ", " but "]
            .iter()
            .filter_map(|c| before.rfind(c).map(|at| at + c.len()))
            .max()
            .map_or(before, |at| &before[at..]);
        let after = span(lower, n.at.end, n.at.end + 30);
        let after_clause = after.split([',', ';', '.']).next().unwrap_or("");
        if before.ends_with("every ") {
            continue;
        }
        let of_them = after.starts_with(" of them")
            || after.starts_with(" of the")
            || after.starts_with(" of which");
        // "N of them were shot down", not "one of them North Korean-made, and air
        // defences shot down 81 of them".
        let own_clause = lower[n.at.end..]
            .split([',', ';'])
            .next()
            .unwrap_or("")
            .split(" and ")
            .next()
            .unwrap_or("");
        // "destroyed" is said of buildings too: with air defence or a weapon only, or
        // of a bare count ("Russia launched eight drones; seven were destroyed").
        let bare = [" were ", " have been ", " had been "]
            .iter()
            .any(|be| after.starts_with(be));
        let unsure = mentions.is_empty()
            && !bare
            && !has(lower, &["air defen", "shot down", "intercept", "downed"]);
        let words: Vec<&str> = INTERCEPT_WORDS
            .iter()
            .copied()
            .filter(|w| !(unsure && w.starts_with("destroy")))
            .collect();
        let words = &words[..];
        if has(before, words)
            || (has(after_clause, words) && after_clause.contains(" were"))
            || (of_them && has(own_clause, words))
        {
            taken.push(n.at.start);
            // With the last weapon named before it in the sentence, else apart.
            match mentions.iter().rev().find(|m| m.1 <= n.at.start) {
                Some(&(_, _, class, _)) => {
                    if let Some(w) = f.weapons.iter_mut().find(|w| w.class == class)
                        && w.intercepted.is_none()
                    {
                        w.intercepted = Some(n.clone());
                    }
                }
                // "destroyed 44 of them: 18 in the area of ...": the first count, not
                // its breakdown.
                None => {
                    if f.intercepted_unnamed.is_none() {
                        f.intercepted_unnamed = Some(n.clone());
                    }
                }
            }
        }
    }
}

/// Words for all the weapons counted before: "destroyed every one of them".
const EVERY_ONE_OF_THEM: &[&str] = &["every one of them", "all of them", "each of them"];

/// Whether the sentence says every weapon spoken of was downed: "every one of them was
/// shot down", "all of the drones were destroyed", "all were intercepted".
fn every_one_downed(lower: &str) -> bool {
    // "air defence destroyed every one of them": the verb before.
    let verb_before = EVERY_ONE_OF_THEM.iter().any(|p| {
        lower.match_indices(p).any(|(at, _)| {
            let before = span(lower, at.saturating_sub(25), at);
            has(before, INTERCEPT_WORDS)
        })
    });
    if verb_before {
        return true;
    }
    [
        "all enemy",
        "all the",
        "all russian",
        "every one of",
        "all of",
        "each of",
        "all were",
        "all are",
        "all have been",
    ]
    .iter()
    .any(|phrase| {
        lower.match_indices(phrase).any(|(at, _)| {
            if lower[..at].chars().last().is_some_and(char::is_alphabetic) {
                return false;
            }
            let rest: String = lower[at + phrase.len()..].chars().take(45).collect();
            [
                "shot down",
                "intercepted",
                "destroyed",
                "downed",
                "neutralised",
                "neutralized",
            ]
            .iter()
            .any(|verb| rest.contains(verb))
                && !rest.contains(|c: char| c.is_ascii_digit())
        })
    })
}

/// N of "all N were destroyed" (the count right before the verb: no weapon named
/// after it).
fn all_n_downed(lower: &str) -> Option<u32> {
    lower.match_indices("all ").find_map(|(at, _)| {
        let rest = &lower[at + 4..];
        let (number, _) = rest.split_once(' ')?;
        let n = number
            .parse::<u32>()
            .ok()
            .or_else(|| crate::numbers::word_value(number))?;
        let after = &rest[number.len()..];
        [" were ", " have been ", " had been "]
            .iter()
            .filter_map(|be| after.strip_prefix(be))
            .any(|verb| INTERCEPT_WORDS.iter().any(|w| verb.starts_with(w)))
            .then_some(n)
    })
}

/// "every one of them was shot down", "all 31 missiles were destroyed".
fn every_one_intercepted(lower: &str, f: &mut Facts) {
    // "every one of them was shot down", "all of them were destroyed": as many
    // intercepted as launched, for the weapon spoken of last.
    // "10 drones and 10 ballistic missiles, and air defence destroyed every one of
    // them": every weapon counted.
    let downed = every_one_downed(lower);
    let them = EVERY_ONE_OF_THEM.iter().any(|p| lower.contains(p));
    if downed && them && f.weapons.iter().filter(|w| w.launched.is_some()).count() >= 2 {
        for w in f.weapons.iter_mut().filter(|w| w.intercepted.is_none()) {
            w.intercepted.clone_from(&w.launched);
        }
    } else if downed {
        if let Some(w) = f.weapons.iter_mut().rev().find(|w| w.launched.is_some()) {
            if w.intercepted.is_none() {
                w.intercepted = w.launched.clone();
            }
        } else {
            f.all_intercepted = true;
        }
    }
    // "a Kh-59 guided missile and three Shahed drones ... all four were destroyed": as
    // many of each as were counted, when the counts add up.
    let counted: Vec<u32> = f
        .weapons
        .iter()
        .filter_map(|w| w.launched.as_ref().map(|n| n.value))
        .collect();
    let all_n = all_n_downed(lower);
    if counted.len() >= 2 && all_n == Some(counted.iter().sum()) {
        for w in f.weapons.iter_mut().filter(|w| w.intercepted.is_none()) {
            w.intercepted.clone_from(&w.launched);
        }
    } else if counted.is_empty() && all_n.is_some() {
        f.all_intercepted_of = all_n;
    }
    // "All 31 missiles aimed at Kyiv were destroyed": every one launched was shot down.
    for w in &mut f.weapons {
        if let (None, Some(n)) = (&w.launched, &w.intercepted)
            && n.qualifier == Qualifier::All
        {
            w.launched = Some(n.clone());
        }
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
            "energy site",
            "energy object",
            "power facilit",
            "power line",
            "power supply line",
            "power engineering",
            "energy sector",
            "power sector",
            "hydroelectric",
            "hydropower",
            " hpp",
            " tpp",
            "thermal power",
            "power generation",
            "electricity supply system",
            "electricity and heat supply",
            "energy system",
            "nuclear plant",
            "nuclear power",
            "transformer",
            "electricity grid",
            "power network",
            "electric network",
            "electrical network",
            "power transmission",
            "high-voltage",
            "energy infrastructure facilit",
            "generate and transmit",
            "generating facilit",
            "generation facilit",
            "transmission facilit",
            "distribution facilit",
            "power generation",
            "energy generat",
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
            "water utility",
            "water supply facilit",
            "water main",
            "water pipe",
            "water intake",
            "water supply system",
            "water supply network",
            "water network",
            "filter station",
            "sewage",
            "vodokanal",
            "dam ",
        ],
        TargetCategory::Water,
    ),
    (
        &[
            "heating plant",
            "heat plant",
            "combined heat",
            "heat and power",
            "boiler",
            "heating main",
            "heating pipeline",
            "heat pipeline",
            "heating network",
            "heating system",
            "heat network",
            "heating facilit",
            "heat supply",
            " chp",
        ],
        TargetCategory::Heating,
    ),
    (
        &[
            "gas infrastructure",
            "gas pipeline",
            "gas facilit",
            "gas production",
            "gas storage",
            "gas supply line",
            "gas and power",
            "gas distribution",
            "compressor station",
            "gas transmission",
        ],
        TargetCategory::Gas,
    ),
    (
        &[
            "oil refiner",
            "oil depot",
            "refinery",
            "refineries",
            "fuel depot",
            "oil terminal",
            "petroleum",
            "fuel storage",
        ],
        TargetCategory::Oil,
    ),
    (
        &[
            "residential",
            "apartment",
            "homes",
            "homestead",
            "a house",
            "one house",
            "private home",
            "houses",
            "high-rise",
            "dwelling",
            "private house",
            "multi-storey",
            "multistorey",
            "dormitor",
            "residential building",
        ],
        TargetCategory::Residential,
    ),
    (
        &[
            "industrial",
            "factory",
            "factories",
            "enterprise",
            "coke plant",
            "warehouse",
        ],
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
        &[
            "railway",
            "bridge",
            "port infrastructure",
            "port facilit",
            "seaport",
            "train station",
            "rail ",
            "locomotive",
        ],
        TargetCategory::Transport,
    ),
];

/// "Homes" as the consumers of a supply, not as what was hit.
const HOMES_SUPPLIED: &[&str] = &[
    "of homes",
    "to homes",
    "in homes",
    "reconnect homes",
    "homes without",
    "homes across",
    "homes at reduced",
    "homes were left",
    "homes lost",
];

/// Words after which what a clause names was not hit: "no damage to residential
/// buildings", "to organise the defence of energy facilities".
const NOT_HIT: &[&str] = &[
    "no damage to",
    "the defence of",
    "the defense of",
    "to defend",
    "to protect",
    "protection of",
];

/// The kinds of target a sentence names, each once.
fn targets(lower: &str) -> Vec<TargetCategory> {
    let mut targets = Vec::new();
    // A combined heat and power plant is heating's, not the grid's.
    let lower = &lower
        .replace("combined heat and power plant", "combined heat plant")
        .replace("heat and power plant", "heat plant");
    let lower = &lower.replace("military-industrial", "military");
    // "Ukraine's energy and gas infrastructure": the energy's too.
    let energy_and;
    let lower: &str = if lower.contains("energy and ") {
        energy_and = ["gas", "heating", "water", "port", "transport", "industrial"]
            .iter()
            .fold(lower.to_string(), |text, other| {
                text.replace(
                    &format!("energy and {other} "),
                    &format!("energy sector and {other} "),
                )
            });
        &energy_and
    } else {
        lower
    };
    // Homes, factories, offices and railways are targets when the sentence says they
    // were hit ("heat stopped reaching 123 apartment blocks" is an effect); homes the
    // supply reaches or leaves ("cutting electricity to thousands of homes", "homes
    // without heat") are its consumers.
    let consumers;
    let lower: &str = if lower.contains("homes") {
        consumers = HOMES_SUPPLIED
            .iter()
            .fold(lower.to_string(), |text, p| text.replace(p, "households"));
        &consumers
    } else {
        lower
    };
    // "no damage to residential buildings", "to organise the defence of energy
    // facilities": not hit (the words to the clause's end go).
    let undamaged;
    let lower: &str = if let Some(at) = NOT_HIT.iter().filter_map(|p| lower.find(p)).min() {
        let end = lower[at..]
            .find([',', ';', '.'])
            .map_or(lower.len(), |e| at + e);
        undamaged = format!("{}{}", &lower[..at], &lower[end..]);
        &undamaged
    } else {
        lower
    };
    let damage = has(lower, STRUCK_WORDS);
    for (words, category) in TARGET_WORDS {
        let needs_damage = matches!(
            category,
            TargetCategory::Residential
                | TargetCategory::Industrial
                | TargetCategory::Administrative
                | TargetCategory::Transport
        );
        // Water and heating plants are targets when their own clause says they were
        // hit: "As a result of the strike, the city's boiler houses went down" and "the
        // Vodokanal got the supply running again" tell of their supply.
        let plant = matches!(category, TargetCategory::Water | TargetCategory::Heating);
        let struck = if plant {
            lower
                .split([',', ';'])
                .any(|clause| has(clause, words) && has(clause, STRUCK_WORDS))
                || passive_struck(lower, words)
        } else {
            damage || !needs_damage
        };
        if has(lower, words) && !targets.contains(category) && struck {
            targets.push(*category);
        }
    }
    // "gas and power supply lines": both.
    if lower.contains("gas and power") && !targets.contains(&TargetCategory::Power) {
        targets.push(TargetCategory::Power);
    }
    targets
}

/// Supplies a sentence says people lost: a word of loss ("without", "no", "lost", "cut",
/// "disconnected", "outages", "failures", "going out") within a few words of a supply
/// ("electricity", "power", "light", "water", "heat", "heating"): "without both
/// electricity and water", "power failures", "cut power and heat to 20,000".
fn supplies_lost(lower: &str) -> (bool, bool, bool) {
    const LOSS_BEFORE: &[&str] = &[
        "without",
        "no",
        "lost",
        "lose",
        "losing",
        "cut",
        "cuts",
        "cutting",
        "knocked",
        "knocking",
        "disconnected",
        "restore",
        "restored",
        "restoring",
    ];
    const LOSS_AFTER: &[&str] = &[
        "returned",
        "restored",
        "back",
        "outage",
        "outages",
        "failure",
        "failures",
        "cut",
        "cuts",
        "disrupted",
        "disruptions",
        "interrupted",
        "interruptions",
        "went",
        "going",
        "shortages",
        "restrictions",
    ];
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let (mut power, mut water, mut heat) = (false, false, false);
    for (k, w) in words.iter().enumerate() {
        let supply = match *w {
            "electricity" | "light" | "lights" => 1,
            "power" => {
                // "power plant", "power engineers" are not the supply.
                let next = words.get(k + 1).copied().unwrap_or("");
                if matches!(
                    next,
                    "plant"
                        | "plants"
                        | "station"
                        | "stations"
                        | "engineers"
                        | "engineer"
                        | "line"
                        | "lines"
                        | "grid"
                        | "facility"
                        | "facilities"
                        | "unit"
                        | "units"
                        | "generation"
                        | "system"
                        | "industry"
                        | "sector"
                ) {
                    0
                } else {
                    1
                }
            }
            "water" => {
                let next = words.get(k + 1).copied().unwrap_or("");
                if matches!(next, "utility" | "utilities" | "pumping" | "treatment") {
                    0
                } else {
                    2
                }
            }
            "heat" | "heating" => {
                let next = words.get(k + 1).copied().unwrap_or("");
                if matches!(next, "plant" | "plants" | "station" | "and") && *w == "heat" {
                    if next == "and" { 3 } else { 0 }
                } else {
                    3
                }
            }
            _ => 0,
        };
        if supply == 0 {
            continue;
        }
        let before = &words[k.saturating_sub(5)..k];
        let after = &words[k + 1..(k + 4).min(words.len())];
        let lost = before.iter().any(|b| LOSS_BEFORE.contains(b))
            || after.iter().any(|a| LOSS_AFTER.contains(a));
        if lost {
            match supply {
                1 => power = true,
                2 => water = true,
                _ => heat = true,
            }
        }
    }
    (power, water, heat)
}

/// Words that report a power cut.
const BLACKOUT_WORDS: &[&str] = &[
    "blackout",
    "off the grid",
    "power outage",
    "without power",
    "without electricity",
    "without light",
    "power cut",
    "lost power",
    "lost electricity",
    "no electricity",
    "no power",
    "de-energi",
    "without current",
    "emergency outage",
    "outage schedule",
    "power supply was cut",
    "cut off from electricity",
    "left without supply",
    "problems with electricity",
    "without power supply",
    "cut power",
    "cutting power",
    "cuts power",
    "knocked out power",
    "knocking out power",
    "consumers were disconnected",
    "customers were disconnected",
    "subscribers were disconnected",
    "households were disconnected",
    "power was cut",
    "power went out",
    "power is out",
    "power was out",
    "electricity was out",
    "problems with its electricity",
    "electricity was partly cut",
    "electricity was cut",
    "lost their power",
    "into darkness",
    "in the dark",
    "knocked out electricity",
    "electricity was knocked out",
    "power was knocked out",
    "cut off from power",
    "cut off from the grid",
    "disconnected from power",
    "disconnected from the grid",
    "emergency shutdown",
    "power shutdown",
    "no light",
    "rolling outages",
    "hourly outages",
    "stabilisation outages",
    "stabilization outages",
];

/// Words that report a fire.
const FIRE_WORDS: &[&str] = &[
    "fire broke",
    "fires broke",
    "caught fire",
    "a fire",
    "blaze",
    "fires",
    "on fire",
    "fire started",
    "fire erupted",
    "set fire",
    "ablaze",
    "flames",
    "huge fire",
    "large fire",
    "large-scale fire",
    "massive fire",
    "big fire",
    "major fire",
    "burning",
    "fire at",
    "fire in",
];

/// Whether the sentence tells of outages without naming a supply ("debris caused partial
/// outages at a substation", "outages in three districts"): power's, as the word is used;
/// not "water outages", "heating outages" nor "internet outages".
fn bare_outages(lower: &str) -> bool {
    lower.match_indices("outage").any(|(at, _)| {
        let before = lower[..at].trim_end();
        let word = before.rsplit([' ', '(']).next().unwrap_or("");
        !matches!(
            word,
            "water"
                | "heating"
                | "heat"
                | "gas"
                | "internet"
                | "communication"
                | "communications"
                | "mobile"
                | "network"
                | "supply"
        ) && !lower[at..].starts_with("outage schedule")
    })
}

/// The effects a sentence reports: a blackout, water or heating cut (a supply word with a
/// word of trouble), a fire.
fn effects(lower: &str) -> Vec<Effect> {
    // Fire that is shooting is no blaze: "came under fire in six oblasts".
    let mut lower = lower.to_string();
    for shooting in [
        "under fire",
        "opened fire",
        "open fire",
        "returned fire",
        "artillery fire",
        "rocket fire",
        "mortar fire",
        "tank fire",
    ] {
        lower = lower.replace(shooting, "under attack");
    }
    let lower = lower.as_str();
    let mut effects = Vec::new();
    // What may come is no effect: "warned that power cuts could last for hours",
    // "could also end up without electricity", "outages were possible", "threaten to
    // leave many homes without electricity".
    if has(
        lower,
        &[
            "could last",
            "could also",
            "could be",
            "could leave",
            "might ",
            "may be",
            "may last",
            "would be",
            "would leave",
            "were possible",
            "are possible",
            "is possible",
            "threaten to",
            "threatens to",
            "warned that",
            "risk of",
        ],
    ) {
        return effects;
    }
    let (power_lost, water_lost, heat_lost) = supplies_lost(lower);
    if has(lower, BLACKOUT_WORDS) || power_lost || bare_outages(lower) {
        effects.push(Effect::Blackout);
    }
    let trouble = [
        "disrupt",
        "outage",
        "cut",
        "interrupt",
        "problem",
        "without",
        "no water",
        "ran dry",
        "fell",
        "lost",
        "schedule",
        "generator",
    ];
    if !effects.contains(&Effect::Blackout)
        && has(
            lower,
            &["electricity supply", "power supply", "electricity"],
        )
        && has(
            lower,
            &["lost", "disrupt", "interrupt", "cut off", "outages"],
        )
    {
        effects.push(Effect::Blackout);
    }
    if (has(
        lower,
        &[
            "water supply",
            "without water",
            "water outage",
            "no water",
            "water pressure",
            "no running water",
            "without running water",
            "heating and water",
            "water and heating",
            "heat and water",
            "water and heat",
        ],
    ) && has(lower, &trouble))
        || has(
            lower,
            &["taps ran dry", "no running water", "without running water"],
        )
        || water_lost
        || (lower.contains("water") && has(lower, &["on a schedule", "from generators"]))
    {
        effects.push(Effect::WaterOutage);
    }
    if (has(lower, &["heating", "heat", "hot water"]) && has(lower, &trouble))
        || has(
            lower,
            &[
                "cut off their heating",
                "without heating",
                "no heating",
                "no heat ",
            ],
        )
        || heat_lost
    {
        effects.push(Effect::HeatingOutage);
    }
    if has(lower, FIRE_WORDS)
        || (has(lower, &["fire"])
            && has(
                lower,
                &["broke out", "put out", "extinguish", "firefighters"],
            ))
    {
        effects.push(Effect::Fire);
    }
    effects
}
