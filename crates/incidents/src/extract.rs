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

use crate::dates::{When, calendar, resolve};
use crate::facts::{self, Facts, describe};
use crate::gazetteer::{Gazetteer, Named};
use crate::record::TargetCategory;
use crate::record::{
    GeoPrecision, Incident, Place, Source, Status, Target, TimePrecision, Weapon, WeaponClass,
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

/// Keys of a report's header lines (`source: ...`, `date: ...`); "Details: ..." and
/// "Update: ..." are text.
const HEADER_KEYS: &[&str] = &[
    "source",
    "date",
    "published",
    "url",
    "note",
    "title",
    "author",
    "updated",
    "link",
];

/// Whether a paragraph is the report's header: `key: value` lines.
fn is_header(paragraph: &str) -> bool {
    paragraph.lines().all(|l| {
        l.split_once(':')
            .is_some_and(|(k, _)| HEADER_KEYS.contains(&k.trim().to_lowercase().as_str()))
    })
}

/// Whether a paragraph is a heading or a signature: one line without a full stop.
fn is_heading(paragraph: &str) -> bool {
    !paragraph.contains('.') && !paragraph.contains('!') && !paragraph.contains('?')
}

/// The headings and signatures of `text` ("Poltava Oblast Military Administration",
/// "Nizhyn Mayor Oleksandr Kodola"): who speaks, and so where the text is.
pub fn headings(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !is_header(p))
        .flat_map(|p| {
            if is_heading(p) {
                p.lines().map(str::to_string).collect()
            } else {
                // A header paragraph's other lines ("source: ..." then a heading).
                p.lines()
                    .filter(|l| is_heading(l) && l.split_once(':').is_none())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            }
        })
        .collect()
}

/// `paragraph` without a wire dateline ("KYIV, Sept 21 (Reuters) - ", "KRYVYI RIH,
/// Ukraine - "): a place in capitals, then a dash or colon, within its first 60 bytes.
fn without_dateline(paragraph: &str) -> &str {
    let first: Vec<char> = paragraph
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let capitals = first.len() >= 3 && first.iter().all(|c| c.is_uppercase());
    for separator in [" - ", " – ", " — ", ": ", " -- "] {
        // "KYIV, Jan 2 (Reuters) -", "Lviv, Ukraine (AFP) -".
        if let Some(at) = paragraph.find(separator)
            && at < 60
            && (capitals || {
                let before = paragraph[..at].trim_end();
                before.ends_with(')') && before.contains('(') && !before.contains('.')
            })
        {
            return &paragraph[at + separator.len()..];
        }
    }
    // "Moscow, Dec 20 (Prensa Latina) Ukrainian shelling ...": a place, a day and the
    // agency in brackets, with no dash after.
    if let Some(close) = paragraph.find(") ")
        && close < 60
        && let Some((place, _)) = paragraph[..close].split_once(", ")
        && paragraph[..close].contains('(')
        && !paragraph[..close].contains('.')
        && place.starts_with(char::is_uppercase)
        && place.split(' ').count() <= 3
        && paragraph[close + 2..].starts_with(char::is_uppercase)
    {
        return &paragraph[close + 2..];
    }
    paragraph
}

/// A part of a report: a heading or signature, or a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading or signature ("Air Force of the Armed Forces of Ukraine").
    Heading(String),
    /// A sentence (or a clause ended by a semicolon).
    Sentence(String),
}

/// The headings and sentences of `text` in order, with header lines (`key: value`) and
/// datelines left out.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for (paragraph, listed) in lists(text).iter().flat_map(|p| items(p)) {
        let paragraph = paragraph.as_str();
        // Without its header lines ("source: ..." above a signature).
        let paragraph = paragraph
            .lines()
            .filter(|l| !is_header(l))
            .collect::<Vec<_>>()
            .join("\n");
        let mut paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        // A short first line without punctuation above the text ("🛡 Air Force of the
        // Armed Forces of Ukraine" above its tally) is the text's heading.
        if let Some((first, rest)) = paragraph.split_once('\n')
            && first.chars().count() < 60
            && !first.contains(['.', '!', '?', ';', ':', ','])
            && rest
                .trim_start()
                .starts_with(|c: char| c.is_uppercase() || !c.is_alphanumeric())
            && !rest.trim().is_empty()
        {
            out.push(Block::Heading(first.trim().to_string()));
            paragraph = rest.trim();
        }
        // A list item is text, with or without its full stop.
        let item = listed || BULLETS.iter().any(|b| paragraph.starts_with(b));
        if is_heading(paragraph) && !item {
            out.extend(
                paragraph
                    .lines()
                    .map(|l| Block::Heading(l.trim().to_string())),
            );
            continue;
        }
        let mut sentences = Vec::new();
        split_paragraph(paragraph, &mut sentences);
        out.extend(sentences.into_iter().map(Block::Sentence));
    }
    out
}

/// Sentences of `text`, with header lines (`key: value`), headings and datelines left
/// out.
pub fn sentences(text: &str) -> Vec<String> {
    blocks(text)
        .into_iter()
        .filter_map(|b| match b {
            Block::Sentence(s) => Some(s),
            Block::Heading(_) => None,
        })
        .collect()
}

/// A paragraph's list items ("- two Iskander-M missiles from occupied Crimea;", "•
/// Kyiv oblast: 500,000 consumers without power") each on its own, with the line that
/// opens the list: a list item ends where the next begins, not at a full stop.
///
/// A list opened by a sentence ending in a colon ("As of the morning, the attack had left
/// without electricity:") reads each item with that sentence: "- ... the attack had left
/// without electricity: 20,000 consumers in Odesa region".
///
/// Each comes with whether it is a list item.
fn items(paragraph: &str) -> Vec<(String, bool)> {
    let is_bullet = |line: &str| bullet(line).is_some();
    if !paragraph.lines().skip(1).any(is_bullet) {
        return vec![(paragraph.to_string(), false)];
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in paragraph.split_inclusive('\n') {
        if at > start && is_bullet(line) {
            parts.push(&paragraph[start..at]);
            start = at;
        }
        at += line.len();
    }
    parts.push(&paragraph[start..]);
    let intro = parts[0].trim();
    let as_listed = |parts: Vec<&str>| {
        parts
            .into_iter()
            .map(|p| (p.to_string(), is_bullet(p)))
            .collect()
    };
    // "🏚 Damage from the shelling:" opens the list below it; "- Kharkiv oblast:" is
    // an item of its own.
    if BULLETS.iter().any(|b| intro.starts_with(b)) || !intro.ends_with(':') {
        return as_listed(parts);
    }
    let mut sentences = Vec::new();
    split_paragraph(intro, &mut sentences);
    let Some(opening) = sentences.pop() else {
        return as_listed(parts);
    };
    let mut out = Vec::new();
    if !sentences.is_empty() {
        out.push((sentences.join(" "), false));
    }
    for item in &parts[1..] {
        let text = bullet(item).unwrap_or(item);
        out.push((format!("- {opening} {}", text.trim()), true));
    }
    out
}

/// The paragraphs of `text`, with a paragraph ending in a colon joined to the list that
/// follows it ("... electricity was cut off for:" then "- 672,000 people in ...").
fn lists(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n") {
        let item = bullet(paragraph).is_some();
        match out.last_mut() {
            Some(last) if item && last.trim_end().ends_with(':') => {
                last.push('\n');
                last.push_str(paragraph.trim_start());
            }
            _ => out.push(paragraph.to_string()),
        }
    }
    out
}

/// Marks that open a list item.
const BULLETS: [&str; 7] = ["- ", "• ", "* ", "– ", "— ", "▪ ", "· "];

/// The text of a list item after its mark: one of [`BULLETS`], or a symbol such as an
/// emoji ("✅ 107 drones shot down", "▪️ Sumy Oblast - ...") and a space.
fn bullet(line: &str) -> Option<&str> {
    let line = line.trim_start();
    if let Some(rest) = BULLETS.iter().find_map(|b| line.strip_prefix(b)) {
        return Some(rest);
    }
    let first = line.chars().next()?;
    let symbol = |c: char| !c.is_ascii() && !c.is_alphanumeric() && !"“‘«„”’»".contains(c);
    if !symbol(first) {
        return None;
    }
    // With a variation selector or joiner ("▪️", "🛩️").
    let rest = line.trim_start_matches(|c: char| symbol(c) || c == '\u{fe0f}' || c == '\u{200d}');
    rest.strip_prefix(' ')
}

/// The sentences of one paragraph, appended to `out`.
fn split_paragraph(paragraph: &str, out: &mut Vec<String>) {
    let flat = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = without_dateline(&flat).to_string();
    let mut start = 0;
    let chars: Vec<(usize, char)> = flat.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        // A semicolon parts two clauses that may speak of different places
        // ("...136 drones; 7 were shot down over the Mykolaiv region").
        if c == ';' {
            let clause = flat[start..i].trim();
            if !clause.is_empty() {
                out.push(format!("{clause}."));
            }
            start = i + 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            let next = chars.get(k + 1).map(|x| x.1);
            // The first letter after the space, past an opening quote: `said. "Kharkiv`.
            let after = chars[(k + 2).min(chars.len())..]
                .iter()
                .map(|x| x.1)
                .find(|c| !matches!(c, '"' | '“' | '«' | '\'' | '‘'));
            let word = flat[start..i]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let abbreviation = c == '.' && ABBREVIATIONS.contains(&word);
            if next.is_none()
                || (!abbreviation && next == Some(' ') && after.is_some_and(|a| a.is_uppercase()))
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

/// Where an incident happened: a settlement, a region of Ukraine, or a country.
#[derive(Debug, Clone, PartialEq)]
enum Site {
    /// A settlement of the gazetteer.
    Settlement(crate::gazetteer::Settlement),
    /// An oblast of Ukraine, by the gazetteer's `admin1`.
    Oblast(String),
    /// A country (`Ukraine` for nationwide figures, `Russia` for anything in Russia
    /// below no named settlement), with the region when one was named.
    Country(&'static str, Option<String>),
}

impl Site {
    fn same(&self, other: &Site) -> bool {
        match (self, other) {
            (Site::Settlement(a), Site::Settlement(b)) => a.is(b),
            (Site::Oblast(a), Site::Oblast(b)) => a == b,
            (Site::Country(a, _), Site::Country(b, _)) => a == b,
            _ => false,
        }
    }

    /// The oblast this site lies in (for "the region", "the regional centre").
    fn oblast(&self) -> Option<String> {
        match self {
            Site::Settlement(s) if s.country == "UA" => Some(s.oblast().to_string()),
            Site::Oblast(admin1) => Some(admin1.clone()),
            _ => None,
        }
    }

    fn place(&self) -> Place {
        match self {
            Site::Settlement(s) => Place {
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
                geonames_id: s.geonames_id,
                katottg: s.katottg.clone(),
                geo_precision: if s.katottg.is_some() {
                    GeoPrecision::Community
                } else {
                    GeoPrecision::Settlement
                },
            },
            Site::Oblast(admin1) => Place {
                admin1: Some(admin1.clone()),
                country: Some("Ukraine".into()),
                geo_precision: GeoPrecision::Region,
                ..Place::default()
            },
            Site::Country(country, region) => Place {
                admin1: region.clone(),
                country: Some((*country).into()),
                geo_precision: GeoPrecision::Region,
                ..Place::default()
            },
        }
    }

    fn describe(&self) -> String {
        match self {
            Site::Settlement(s) => s.name.clone(),
            Site::Oblast(admin1) if admin1 == "Crimea" => admin1.clone(),
            Site::Oblast(admin1) => format!("{admin1} oblast"),
            Site::Country(country, _) => (*country).into(),
        }
    }
}

/// Phrases that put a sentence's facts on all of Ukraine.
const NATIONWIDE: &[&str] = &[
    "attacked ukraine",
    "struck ukraine",
    "targeted ukraine",
    "pounded ukraine",
    "against ukraine",
    "on ukraine",
    "at ukraine",
    "across ukraine",
    "over ukraine",
    "into ukraine",
    "rest of ukraine",
    "throughout ukraine",
    "all of ukraine",
    "across the country",
    "at the country",
    "against the country",
    "nationwide",
    "all over the country",
    "the country's regions",
    "regions of ukraine",
    "several regions",
    "many regions",
];

/// Phrases that put a sentence's facts in Russia.
const IN_RUSSIA: &[&str] = &[
    "in russia",
    "russian territory",
    "inside russia",
    "refineries in russia",
];

/// Words of a tally of Ukrainian drones over Russia, told by Russia's military.
const RUSSIAN_TALLY: &[&str] = &[
    "ukrainian drones",
    "ukrainian uavs",
    "ukrainian fixed-wing drones",
    "russian air defence",
    "russian air defense",
    "russia's air defence",
    "russia's air defense",
    "russian defence ministry",
    "russian defense ministry",
    "russia's defence ministry",
    "russia's defense ministry",
];

/// Whether `lower` has one of `phrases` as whole words: "on Ukraine" is not "on
/// Ukraine's" (but "the air force's" is the air force).
fn mentions(lower: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        lower.match_indices(p).any(|(at, _)| {
            let rest = &lower[at + p.len()..];
            let possessive = rest.starts_with('\'') || rest.starts_with('’');
            // "against Ukraine's energy infrastructure" is the country's.
            let country_wide = [" energy", " power", " grid"].iter().any(|w| {
                rest.trim_start_matches(['\'', '’'])
                    .strip_prefix('s')
                    .is_some_and(|r| r.starts_with(w))
            });
            !((possessive && p.ends_with("ukraine") && !country_wide)
                || rest.starts_with(|c: char| c.is_alphanumeric()))
        })
    })
}

/// "The strike hit the Dniprovskyi district": the city spoken of (`current`), when the
/// raions `named` are of another oblast or are the capital's districts.
fn city_district<'a>(named: &[Site], current: Option<&'a Site>, lower: &str) -> Option<&'a Site> {
    let city = current.filter(|c| matches!(c, Site::Settlement(_)))?;
    // "Hits were recorded in the Shevchenkivskyi, Kholodnohirskyi and Saltivskyi
    // districts" of Kharkiv: names Kyiv's districts share with other cities'.
    let kyiv = |n: &Site| matches!(n, Site::Settlement(s) if s.admin1 == "Kyiv City");
    if !kyiv(city)
        && !named.is_empty()
        && named.iter().all(kyiv)
        && lower.contains(" district")
        && !lower.contains("kyiv")
        && !lower.contains("capital")
        && ["shevchenkiv", "dniprovs", "desnian", "podil"]
            .iter()
            .any(|d| lower.contains(d))
    {
        return Some(city);
    }
    let districts = !named.is_empty()
        && named.iter().all(|n| matches!(n, Site::Oblast(_)))
        && lower.contains(" district");
    let of_the_city = named.iter().any(|n| n.oblast() != city.oblast())
        || lower.contains("the city's")
        || matches!(city, Site::Settlement(s) if s.admin1 == "Kyiv City")
            && KYIV_DISTRICTS.iter().any(|d| lower.contains(d));
    (districts && of_the_city).then_some(city)
}

/// The stems of Kyiv's ten districts ("the Shevchenkivskyi district" of the capital is no
/// raion of Kyiv oblast).
const KYIV_DISTRICTS: &[&str] = &[
    "holosiiv",
    "darnyts",
    "desnian",
    "dniprovs",
    "obolon",
    "pechers",
    "podil",
    "sviatoshyn",
    "solomian",
    "shevchenkiv",
];

/// Words before a place a weapon was only heading for: "crossed into Polish airspace
/// before turning towards Lviv".
const HEADING: &[&str] = &[
    "turning towards",
    "turning toward",
    "turned towards",
    "turned toward",
    "heading for",
    "headed for",
    "on course for",
    "in the direction of",
];

/// Words before a place that make it where weapons came from, not where they struck:
/// "launched from Primorsko-Akhtarsk", "from the Kursk region", "from occupied Crimea".
const LAUNCH_SITE: &[&str] = &[
    "from",
    "from the",
    "from occupied",
    "from the occupied",
    "from the direction of",
    "from the directions of",
    "from the territory of",
    "from the area of",
    "from the areas of",
    "from the occupied part of",
    "from the occupied parts of",
    "from russia's",
    "from russia’s",
    "from russian",
    "from the russian",
];

/// Gaps between places named as one list beyond those of
/// [`joins_list`](crate::gazetteer::joins_list): "the city of Nikopol as well as the
/// Marhanets ... hromadas", "in Kyiv and in the Kyiv region".
const LIST_GAPS: &[&str] = &[
    // "four settlements of the community: Kherson itself, Antonivka and Sadove".
    "itself,",
    "itself, and",
    ", in",
    "and in the",
    ", in the",
    "and in",
    ", and in",
    "as well as",
    ", as well as",
    "as well as in",
    "as well as the",
    ", as well as the",
    ", along with",
    ", along with the",
    "along with the",
    "and the",
    ", and the",
];

/// Whether a gap between two places of a list is the first one's district ("Veterynarne
/// in the Kharkiv district, Vovchansk and Budarky in the Chuhuiv district, and Synkivka").
fn district_between(gap: &str) -> bool {
    // "Kremenchuk, in the central Poltava region, and at Kropyvnytskyi": a town and its
    // region, then the next.
    if let Some(rest) = gap.strip_prefix(", in the ")
        && let Some((region, tail)) = rest.split_once(" region,")
        && region.split_whitespace().count() <= 3
        && matches!(tail.trim(), "and at" | "and in" | "and")
    {
        return true;
    }
    let Some(rest) = ["in the ", "of the ", "in "]
        .iter()
        .find_map(|p| gap.strip_prefix(p))
    else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let (Some(name), Some(kind)) = (words.next(), words.next()) else {
        return false;
    };
    let tail: Vec<&str> = words.collect();
    name.starts_with(char::is_uppercase)
        && ["district,", "raion,", "community,", "hromada,"].contains(&kind)
        && (tail.is_empty() || tail == ["and"])
}

/// `text` without the description that ends it before a place's name, when it has
/// one: " three in the northeastern city of" is " three in", " and in the town of"
/// " and in", " and the villages of" " and" (at most two words between "the" and "city
/// of").
fn without_description(text: &str) -> Option<&str> {
    let rest = [
        "city of",
        "town of",
        "village of",
        "port of",
        "villages of",
        "towns of",
        "settlements of",
    ]
    .iter()
    .find_map(|kind| text.strip_suffix(kind))?;
    let the = rest
        .rfind(" the ")
        .or_else(|| rest.starts_with("the ").then_some(0))?;
    (rest[the..].split_whitespace().count() <= 3).then(|| rest[..the].trim_end())
}

/// Whether a gap goes on with a list past a description of the next place: "in Dnipro
/// and in the western city of Ternopil", "Kharkiv and the town of Zmiiv".
fn described_list_gap(gap: &str) -> bool {
    without_description(gap).is_some_and(|lead| {
        crate::gazetteer::joins_list(lead)
            || LIST_GAPS.contains(&lead)
            || lead == "and in"
            || counted_gap(lead)
    })
}

/// Whether a gap names the community (or district) a list of its settlements follows:
/// "the Kherson community: Kherson itself, Antonivka".
fn community_colon(gap: &str) -> bool {
    gap.strip_suffix(':').is_some_and(|word| {
        crate::gazetteer::COMMUNITY_WORDS
            .iter()
            .any(|w| w.trim_start() == word)
    })
}

/// Whether a gap is the next count of a list of counts by place: "15 people in Dnipro,
/// three in Kharkiv and at least one in Odesa".
fn counted_gap(gap: &str) -> bool {
    let gap = gap.trim_start_matches(',').trim_start();
    let gap = gap.strip_prefix("and ").unwrap_or(gap);
    let gap = ["at least ", "about ", "another ", "more than ", "some "]
        .iter()
        .find_map(|q| gap.strip_prefix(q))
        .unwrap_or(gap);
    let gap = gap.strip_suffix(" the").unwrap_or(gap);
    gap.split_once(' ').is_some_and(|(n, rest)| {
        (n.parse::<u32>().is_ok() || crate::numbers::word_value(n).is_some())
            && matches!(rest, "in" | "more in" | "people in")
    })
}

/// Whether a gap is a clause of the first place and then "and in" the next: "in
/// Khmelnytska Oblast, where two people were injured, and in the city of Dnipro".
fn clause_then_place(gap: &str) -> bool {
    gap.starts_with(", where ")
        && gap.len() <= 100
        && !gap.contains(['.', ';', ':'])
        && [
            ", and in",
            ", and in the city of",
            ", and in the town of",
            ", and at",
        ]
        .iter()
        .any(|end| gap.ends_with(end))
}

/// Whether `place`, named right after `previous`, only says where `previous` lies: its
/// community ("Prohres, Semenivka community"), its district ("Budarky in the Chuhuiv
/// district") or its own region ("Chuhuiv, Kharkiv region", "Kremenchuk, in the
/// central Poltava region").
fn where_previous_lies(
    sentence: &str,
    previous: &crate::gazetteer::Found,
    place: &crate::gazetteer::Found,
) -> bool {
    let Some(town) = previous.settlement() else {
        return false;
    };
    let gap = sentence[previous.at.end..place.at.start].trim();
    match &place.named {
        Named::Region { admin1, country } if country == "UA" => {
            let name = sentence[place.at.clone()].to_lowercase();
            let district = name.ends_with(" district") || name.ends_with(" raion");
            (district && matches!(gap, "in the" | "in" | "," | "of the"))
                || (town.country == "UA"
                    && town.oblast() == admin1.as_str()
                    && region_apposition(gap))
        }
        Named::Settlement(_) => {
            let after: String = sentence[place.at.end..].chars().take(25).collect();
            let after = after.to_lowercase();
            gap == ","
                && crate::gazetteer::COMMUNITY_WORDS
                    .iter()
                    .any(|w| after.starts_with(w))
        }
        _ => false,
    }
}

/// Whether the words between a town and its region say the region is the town's: ",",
/// ", in the", ", in the central" ("Kremenchuk, in the central Poltava region").
fn region_apposition(gap: &str) -> bool {
    let words: Vec<&str> = gap.trim_start_matches(',').split_whitespace().collect();
    gap.starts_with(',')
        && words.len() <= 4
        && words.iter().all(|w| {
            matches!(*w, "in" | "the")
                || w.ends_with("ern")
                || matches!(*w, "central" | "neighbouring" | "neighboring")
        })
}

/// Which of the places found in `sentence` are launch sites: after "from" ("from
/// occupied Crimea"), listed after one ("from Primorsko-Akhtarsk and Russia's Kursk
/// Oblast"), or where launchers flew ("from Tu-95MS bombers over Saratov Oblast",
/// "(Saratov oblast, RF)").
fn launch_sites(sentence: &str, all: &[crate::gazetteer::Found]) -> Vec<bool> {
    let mut launch = vec![false; all.len()];
    for (i, f) in all.iter().enumerate() {
        let before = sentence[..f.at.start].to_lowercase();
        let before = before.trim_end();
        let near: String = before
            .chars()
            .rev()
            .take(50)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let over = (before.ends_with(" over") || before.ends_with('(')) && near.contains(" from ");
        // "from 10 Tu-95 bombers over the Volgodonsk area of Russia's Rostov region and
        // the Caspian Sea": where the launchers flew or sailed.
        let launchers = before.rfind(" from ").is_some_and(|at| {
            let span = &before[at..];
            span.len() <= 160
                && !span.contains(['.', ';'])
                && ["bomber", "aircraft", "ships", "tu-95", "tu-160", "tu-22"]
                    .iter()
                    .any(|w| span.contains(w))
        });
        launch[i] = over
            || launchers
            || from_afar(&sentence[..f.at.start])
            || LAUNCH_SITE.iter().any(|p| before.ends_with(p))
            || HEADING.iter().any(|p| before.ends_with(p))
            || (i > 0 && launch[i - 1] && {
                let gap = sentence[all[i - 1].at.end..f.at.start].to_lowercase();
                let gap = gap.replace("russia's", "").replace("russia’s", "");
                crate::gazetteer::joins_list(&gap)
            });
    }
    launch
}

/// Whether the words before a place say where weapons came from, past the words that
/// only narrow it: "from the airspace over Russia's Kursk region", "from the airspace over
/// the occupied part of Zaporizhzhia oblast", "from Cape Chauda in Crimea" (up to three
/// capitalised words before "in").
fn from_afar(before: &str) -> bool {
    const NARROWING: &[&str] = &[
        "the",
        "airspace",
        "over",
        "of",
        "occupied",
        "temporarily",
        "part",
        "parts",
        "territory",
        "area",
        "areas",
        "russia's",
        "russia’s",
        "russian",
        "federation",
        "in",
        "direction",
        "directions",
    ];
    let mut names = 0;
    for word in before.split_whitespace().rev().take(12) {
        if word.eq_ignore_ascii_case("from") {
            return true;
        }
        if NARROWING.iter().any(|n| n.eq_ignore_ascii_case(word)) {
            continue;
        }
        if word.starts_with(char::is_uppercase) && names < 3 {
            names += 1;
            continue;
        }
        return false;
    }
    false
}

/// Whether a place is named as where a speaker is ("In Moscow, the defence ministry
/// said") or as water ("the Sea of Azov").
fn speaker_or_sea(sentence: &str, f: &crate::gazetteer::Found) -> bool {
    let before = sentence[..f.at.start].to_lowercase();
    let before = before.trim_end();
    let rest = sentence[f.at.end..].to_lowercase();
    let speaker = before == "in"
        && [
            ", the defence ministry",
            ", the defense ministry",
            ", the kremlin",
            ", officials",
            ", the ministry",
            ", russia's",
            ", the russian",
        ]
        .iter()
        .any(|p| rest.starts_with(p));
    // "The Kursk Region borders Ukraine's Sumy region": geography.
    let border = ["borders", "bordering", "border with", "borders with"]
        .iter()
        .any(|p| before.ends_with(p) || before.ends_with(&format!("{p} ukraine's")));
    let sea = rest.starts_with(" sea") || rest.starts_with(" seas");
    speaker || border || sea || before.ends_with("sea of")
}

/// "Seven settlements in Kherson region lost power after a substation in the Bilozerka
/// hromada was hit": the first place in the one region named, if any (not "the Konotop
/// and Sumy districts", a list of districts).
fn place_in_region<'a>(
    sentence: &str,
    region: &crate::gazetteer::Found,
    found: &'a [crate::gazetteer::Found],
) -> Option<&'a crate::gazetteer::Found> {
    let Named::Region { admin1, country } = &region.named else {
        return None;
    };
    // "explosions in Russia's Krasnodar Krai ... the Tuapse oil complex": Tuapse.
    let in_region = |s: &crate::gazetteer::Settlement| {
        s.country == *country
            && if country == "UA" {
                s.oblast() == admin1.as_str()
            } else {
                s.admin1 == *admin1
            }
    };
    found.iter().skip(1).find(|f| {
        let after: String = sentence[f.at.end..].chars().take(30).collect();
        let district = ["districts", "raions", "hromadas", "communities"]
            .iter()
            .any(|w| after.to_lowercase().contains(w));
        !district && f.settlement().is_some_and(in_region)
    })
}

/// "Parts of Dnipro have lost electricity, and so have Synelnykove and Vasylkivka": the
/// places named after "and so have" (with those listed with them).
fn and_so_have<'a>(
    sentence: &str,
    found: &'a [crate::gazetteer::Found],
) -> &'a [crate::gazetteer::Found] {
    let Some(k) = found.iter().position(|f| {
        let before = sentence[..f.at.start].trim_end().to_lowercase();
        [
            "and so have",
            "and so has",
            "and so did",
            "as did",
            "as have",
            "as has",
        ]
        .iter()
        .any(|p| before.ends_with(p))
    }) else {
        return &[];
    };
    let also = found[k..]
        .windows(2)
        .take_while(|pair| {
            let gap = sentence[pair[0].at.end..pair[1].at.start].trim();
            crate::gazetteer::joins_list(gap)
        })
        .count();
    &found[k..=k + also]
}

/// "In Hlukhiv hromada, artillery hit the village of Budivelne": the village, not the
/// community or district it lies in.
fn village_not_community(
    sentence: &str,
    found: Vec<crate::gazetteer::Found>,
) -> Vec<crate::gazetteer::Found> {
    if found.len() < 2 {
        return found;
    }
    let lower = crate::facts::lowercase(sentence);
    let community = |f: &crate::gazetteer::Found| {
        let after = lower.get(f.at.end..).unwrap_or("");
        crate::gazetteer::COMMUNITY_WORDS
            .iter()
            .any(|w| after.starts_with(w))
    };
    let village = |f: &crate::gazetteer::Found| {
        let before = lower.get(..f.at.start).unwrap_or("").trim_end();
        before.ends_with("village of") || before.ends_with("settlement of")
    };
    if found.iter().any(village) && found.iter().any(community) {
        found.into_iter().filter(|f| !community(f)).collect()
    } else {
        found
    }
}

/// The regions of a list of regions, each as the towns named right before it when the
/// text says those lie in it: "the Dobrotvir plant in Lviv Oblast, the Burshtyn and Kalush
/// plants in Ivano-Frankivsk Oblast" are Dobrotvir, Burshtyn and Kalush.
fn towns_for_regions<'a>(
    sentence: &str,
    found: &'a [crate::gazetteer::Found],
) -> Vec<&'a crate::gazetteer::Found> {
    let in_region = |f: &crate::gazetteer::Found, region: &str| matches!(&f.named, Named::Settlement(s) if s.admin1 == region);
    let mut named = Vec::new();
    for (k, f) in found.iter().enumerate() {
        let Named::Region { admin1, .. } = &f.named else {
            // "in the city of Kyiv and in the Kyiv, Odesa ... regions": the city too.
            let before = sentence[..f.at.start].trim_end();
            if ["the city of", "the town of"].iter().any(|p| {
                before.len() >= p.len()
                    && before
                        .get(before.len() - p.len()..)
                        .is_some_and(|end| end.eq_ignore_ascii_case(p))
            }) {
                named.push(f);
            }
            continue;
        };
        let lies_in = k > 0 && in_region(&found[k - 1], admin1) && {
            let gap = sentence[found[k - 1].at.end..f.at.start].to_lowercase();
            gap.len() <= 30 && gap.trim_end().ends_with(" in") && !gap.contains(['.', ';', ','])
        };
        if !lies_in {
            named.push(f);
            continue;
        }
        let mut first = k - 1;
        while first > 0
            && in_region(&found[first - 1], admin1)
            && crate::gazetteer::joins_list(
                &sentence[found[first - 1].at.end..found[first].at.start],
            )
        {
            first -= 1;
        }
        named.extend(&found[first..k]);
    }
    named
}

/// The places a sentence names as where it happened: not authorities (who speak),
/// speakers' places nor launch sites; every region of a list of regions, else the first
/// place and those listed with it ("in Shostka and Konotop").
fn named_sites(
    sentence: &str,
    all: &[crate::gazetteer::Found],
    gazetteer: &Gazetteer,
) -> Vec<Site> {
    let launch = launch_sites(sentence, all);
    let found: Vec<crate::gazetteer::Found> = all
        .iter()
        .zip(launch)
        .filter(|(f, launch)| !launch && f.authority.is_none() && !speaker_or_sea(sentence, f))
        .map(|(f, _)| f.clone())
        .collect();
    // What only says where the place before it lies is no place of its own.
    let of_previous: Vec<bool> = (0..found.len())
        .map(|k| k > 0 && where_previous_lies(sentence, &found[k - 1], &found[k]))
        .collect();
    let found: Vec<crate::gazetteer::Found> = found
        .into_iter()
        .zip(of_previous)
        .filter(|(_, of_previous)| !of_previous)
        .map(|(f, _)| f)
        .collect();
    let found = village_not_community(sentence, found);
    let regions: Vec<&crate::gazetteer::Found> = found
        .iter()
        .filter(|f| matches!(f.named, Named::Region { .. }))
        .collect();
    // How many places after the k-th are listed with it.
    let listed = |k: usize| {
        found[k..]
            .windows(2)
            .take_while(|pair| {
                let gap = sentence[pair[0].at.end..pair[1].at.start].trim();
                crate::gazetteer::joins_list(gap)
                    || LIST_GAPS.contains(&gap)
                    || crate::gazetteer::names_between(gap)
                    || district_between(gap)
                    || clause_then_place(gap)
                    || described_list_gap(gap)
                    || counted_gap(gap)
                    || community_colon(gap)
            })
            .count()
    };
    let mut distinct: Vec<&Named> = Vec::new();
    for r in &regions {
        if !distinct.contains(&&r.named) {
            distinct.push(&r.named);
        }
    }
    let mut named: Vec<&crate::gazetteer::Found> = if distinct.len() >= 2 {
        towns_for_regions(sentence, &found)
    } else {
        found.iter().take(1 + listed(0)).collect()
    };
    // "Donetsk region: troops shelled Vuhledar, Maksymivka, Kurakhove and Siversk": the
    // region's places, with those listed after the first.
    if let [only] = named[..]
        && let Some(settlement) = place_in_region(sentence, only, &found)
    {
        let k = found
            .iter()
            .position(|f| f.at == settlement.at)
            .unwrap_or_default();
        named = found[k..].iter().take(1 + listed(k)).collect();
    }
    for f in and_so_have(sentence, &found) {
        if !named.iter().any(|n| n.at == f.at) {
            named.push(f);
        }
    }
    let mut sites: Vec<Site> = Vec::new();
    for f in named {
        // "a power site near Kyiv", "outside Kharkiv": the city's oblast ("on the
        // outskirts of Kharkiv" is the city).
        let near = {
            let before = sentence[..f.at.start].to_lowercase();
            let before = before.trim_end();
            ["near", "outside"].iter().any(|p| before.ends_with(p))
        };
        let site = match &f.named {
            Named::Settlement(s) if near && s.country == "UA" && gazetteer.is_city(s) => {
                Site::Oblast(s.oblast().to_string())
            }
            Named::Settlement(s) => Site::Settlement(s.clone()),
            Named::Region { admin1, country } if country == "UA" => Site::Oblast(admin1.clone()),
            Named::Region { admin1, .. } => Site::Country("Russia", Some(admin1.clone())),
            Named::Skip => continue,
        };
        if !sites.iter().any(|s| s.same(&site)) {
            sites.push(site);
        }
    }
    sites
}

/// The place an authority speaks for: its city, or its oblast.
fn authority_site(found: &crate::gazetteer::Found) -> Option<Site> {
    Some(match (&found.named, found.authority?) {
        (Named::Settlement(s), crate::gazetteer::Authority::Oblast) if s.country == "UA" => {
            Site::Oblast(s.oblast().to_string())
        }
        (Named::Settlement(s), crate::gazetteer::Authority::City) => Site::Settlement(s.clone()),
        (Named::Settlement(s), _) => Site::Country("Russia", Some(s.admin1.clone())),
        (Named::Region { admin1, country }, _) if country == "UA" => Site::Oblast(admin1.clone()),
        (Named::Region { admin1, .. }, _) => Site::Country("Russia", Some(admin1.clone())),
        (Named::Skip, _) => return None,
    })
}

/// Who launches, in a sentence with the air force's tally or the attacker's: its figures
/// are for all of Ukraine.
const TALLY: &[&str] = &[
    "air force",
    "air forces",
    "russia launched",
    "russia fired",
    "russia sent",
    "russia used",
    "russia attacked",
    "the enemy launched",
    "the enemy sent",
    "the enemy attacked",
    "the enemy used",
    "the enemy fired",
    "moscow launched",
    "moscow fired",
    "moscow sent",
    "russia had fired",
    "russia had launched",
    "russian forces launched",
    "russia carried out",
    "russia unleashed",
    // "On Thursday it fired 69 missiles, 54 of which were shot down".
    "it fired",
    "it launched",
    "against ukrainian",
    "ukrainian cities",
    "ukrainian territory",
];

/// The sites a sentence names, in order, each once: places of the gazetteer
/// ([`named_sites`]), then what the words point to — "the capital" (Kyiv), "the regional
/// centre" (the capital of the oblast spoken of, or of the one the report's heading
/// names), "the region" (that oblast), all of Ukraine (also the air force's tally of
/// weapons), Russia.
fn sites(
    sentence: &str,
    facts: &Facts,
    gazetteer: &Gazetteer,
    current: Option<&Site>,
    context: Option<&Site>,
) -> Vec<Site> {
    let lower = sentence.to_lowercase();
    let says = |phrases: &[&str]| mentions(&lower, phrases);
    // "at Kyiv and the rest of Ukraine": the whole country.
    if says(&["rest of ukraine", "rest of the country", "across ukraine"]) {
        return vec![Site::Country("Ukraine", None)];
    }
    // The places the sentence names, found once for every rule below.
    let found = gazetteer.find(sentence);
    let named = named_sites(sentence, &found, gazetteer);
    let current = current.or(context);
    if let Some(city) = city_district(&named, current, &lower) {
        return vec![city.clone()];
    }
    // "What the mayor reported, district by district: - Desnianskyi: fires in two
    // residential buildings": a district of the city spoken of (Kyiv's, not Chernihiv's).
    if let (Some(Site::Settlement(named)), Some(city @ Site::Settlement(c))) =
        (named.first(), current)
        && !named.is(c)
        && gazetteer.is_city(c)
        && found.iter().any(|f| {
            let word = &sentence[f.at.clone()];
            let rest = &sentence[f.at.end..];
            word.ends_with("skyi")
                && (rest.starts_with(':')
                    || rest.starts_with(" district")
                    || lower.contains(" districts"))
        })
    {
        return vec![city.clone()];
    }
    if !named.is_empty() {
        return named;
    }
    // The authority that speaks, when one does ("Lviv regional head Maksym Kozytskyi:
    // 140 Shaheds were sent against the region").
    let speaker = found
        .iter()
        .filter(|f| f.authority.is_some())
        .find_map(authority_site);
    let oblast_speaker = speaker.as_ref().filter(|s| matches!(s, Site::Oblast(_)));
    let pointed = if says(&["the capital", "the ukrainian capital"])
        && !lower.contains("russian capital")
    {
        gazetteer.lookup("Kyiv").cloned().map(Site::Settlement)
    } else if says(&[
        "in the city",
        "the city's",
        "across the city",
        "on the city",
    ]) && let Some(site) = current
        .filter(|c| matches!(c, Site::Settlement(_)))
        .cloned()
        .or_else(|| match &speaker {
            Some(city @ Site::Settlement(_)) => Some(city.clone()),
            Some(Site::Oblast(admin1)) => gazetteer.capital(admin1).cloned().map(Site::Settlement),
            _ => None,
        })
    {
        Some(site)
    } else if says(&[
        "regional centre",
        "regional center",
        "regional capital",
        "oblast centre",
        "oblast center",
        "the oblast capital",
    ]) {
        // "the head of the Zaporizhzhia Regional Military Administration wrote that
        // Shaheds had hit the regional centre": the speaker's.
        oblast_speaker
            .or(current)
            .and_then(Site::oblast)
            .and_then(|admin1| gazetteer.capital(&admin1))
            .cloned()
            .map(Site::Settlement)
    } else if says(&[
        "the region",
        "the oblast",
        "our oblast",
        "our region",
        "both regions",
        "surrounding region",
        "in the district",
        "of the oblast",
    ]) {
        oblast_speaker
            .or(current)
            .and_then(Site::oblast)
            .map(Site::Oblast)
    } else {
        None
    };
    if let Some(site) = pointed {
        return vec![site];
    }
    // Only a speaker named ("Bryansk governor Alexander Bogomaz said nobody was hurt"),
    // of no place the text is already at: the place they speak for.
    // A city's authority speaks of its city ("the head of the Kherson city military
    // administration reported explosions" after a village of the oblast).
    if let Some(site) = speaker.clone()
        && current.is_none_or(|c| {
            c.oblast() != site.oblast()
                || site.oblast().is_none()
                || matches!(site, Site::Settlement(_)) && !c.same(&site)
        })
    {
        return vec![site];
    }
    let tally = facts
        .weapons
        .iter()
        .any(|w| w.launched.is_some() || w.intercepted.is_some())
        || facts.intercepted_unnamed.is_some();
    if says(NATIONWIDE) || (tally && says(TALLY)) {
        return vec![Site::Country("Ukraine", None)];
    }
    // "launched from Primorsko-Akhtarsk in Russia": where they came from.
    let in_russia = IN_RUSSIA.iter().any(|p| {
        lower
            .match_indices(p)
            .any(|(at, _)| !lower[..at].rsplit(' ').take(4).any(|w| w == "from"))
    });
    // "Russia's defence ministry said its air defences destroyed 36 Ukrainian drones":
    // the tally of drones over Russia.
    if in_russia || (tally && says(RUSSIAN_TALLY)) {
        return vec![Site::Country("Russia", None)];
    }
    Vec::new()
}

/// What a sentence tells of this report's attacks: none of it when it tells of earlier
/// ones ("the previous major attack came on 26 August", "damaged last winter"), the part
/// before a trailing clause of background ("..., the heaviest bombardment the city has
/// faced since Russia invaded a year ago").
fn without_background(sentence: &str) -> Option<String> {
    // The first of `phrases` in `text`, by byte (ASCII lower case keeps the offsets); a
    // span of this day ("launched 28 missiles since the start of the day") is not
    // background.
    let first = |phrases: &[&str], text: &str| {
        let lower = text.to_ascii_lowercase();
        phrases
            .iter()
            .flat_map(|p| lower.match_indices(p))
            .filter(|&(at, p)| {
                // "since early Saturday", "since the start of the day": this attack's.
                let rest = lower[at + p.len()..].trim_start();
                !(p.starts_with("since")
                    && [
                        "the day",
                        "today",
                        "this ",
                        "morning",
                        "evening",
                        "night",
                        "monday",
                        "tuesday",
                        "wednesday",
                        "thursday",
                        "friday",
                        "saturday",
                        "sunday",
                    ]
                    .iter()
                    .any(|w| rest.starts_with(w)))
            })
            .map(|(at, _)| at)
            .min()
    };
    // The clause a phrase at `at` stands in goes; a first clause takes the sentence.
    let before_clause =
        |text: &str, at: usize| text[..at].rfind(", ").map(|c| text[..c].to_string());
    // "More than 400 civilians have been killed since liberation": a tally of the
    // whole war (a perfect tense with the span), not of this attack.
    let lower = sentence.to_ascii_lowercase();
    if [" have ", " has ", " had "]
        .iter()
        .any(|w| lower.contains(w))
        && let Some(at) = first(SINCE, sentence)
    {
        return before_clause(sentence, at);
    }
    // "the ninth attack on gas infrastructure since the beginning of October, while
    // ...": the span goes, the rest stays.
    let mut sentence = sentence.to_string();
    while let Some(at) = first(SINCE, &sentence) {
        let end = sentence[at..].find(',').map_or(sentence.len(), |e| at + e);
        sentence.replace_range(at..end, "");
    }
    match first(BACKGROUND, &sentence) {
        Some(at) => before_clause(&sentence, at),
        None => Some(sentence),
    }
}

/// Time spans reaching back before the report's attacks ("since October 10", "since
/// the liberation"): the span is left out of the sentence, up to its next comma.
const SINCE: &[&str] = &[
    "since the start of",
    "since oct",
    "since the autumn",
    "since the fall",
    "since ukraine liberated",
    "since liberation",
    "since the liberation",
    "since the full-scale",
    "since the beginning of",
    "since the invasion",
    "since early",
    "since late",
    "since the first day",
    "in recent weeks",
    "in recent months",
    "over recent weeks",
    "over the past weeks",
    "over the past months",
    "in all,",
    "months of bombardment",
    "months of shelling",
    "since jan",
    "since feb",
    "since mar",
    "since apr",
    "since may",
    "since jun",
    "since jul",
    "since aug",
    "since sep",
    "since nov",
    "since dec",
];

/// Phrases of background: earlier attacks, the campaign so far.
const BACKGROUND: &[&str] = &[
    "previous attack",
    "previous major attack",
    // "Belgorod is one of several Russian regions where fuel depots have been hit".
    "is one of several",
    "the latest in a ",
    // What might come: "strikes risk turning into a crisis if residents ... are left
    // without electricity".
    "risk turning",
    "if residents",
    "could be left",
    "would be left",
    "might be left",
    "previous strike",
    "previous massive",
    "the last attack",
    "last winter",
    "last year",
    "a year ago",
    "earlier attacks",
    "earlier in the war",
    "in repeated waves",
    "has stepped up",
    "have stepped up",
    "a day after",
    "days after",
    "weeks after",
    "will be recalled",
    "followed a warning",
    "came after a warning",
    "after a warning",
    "had already been",
    "had already come",
    "suffer most",
    "almost every day",
    "almost daily",
    "recall that",
    "as a reminder",
    "an earlier",
    "had claimed",
    "after wiping out",
    "days earlier",
    "weeks earlier",
    "the latest attacks follow",
    "the strike followed",
    "the attack followed",
    "the raid followed",
    "the barrage followed",
    "after destroying",
    "after the destruction of",
    "regularly targeted",
    "is regularly",
    "are regularly",
    "routinely",
    "on a regular basis",
];

/// The place a heading or signature speaks for: "Poltava Oblast Military
/// Administration" (the oblast), "Nizhyn Mayor Oleksandr Kodola" (Nizhyn), "Lviv Regional
/// Military Administration" (the oblast).
fn heading_site(heading: &str, gazetteer: &Gazetteer) -> Option<Site> {
    if mentions(&heading.to_lowercase(), &["air force"]) {
        return Some(Site::Country("Ukraine", None));
    }
    let found = gazetteer.find(heading);
    let first = found.first()?;
    // "UNN | Kyiv": an outlet's sign-off, where it writes from.
    if heading.find('|').is_some_and(|bar| {
        heading[bar + 1..].trim() == &heading[first.at.clone()]
            && heading[..bar].split_whitespace().count() <= 3
    }) {
        return None;
    }
    // "Kharkiv region: border villages of the Zolochiv community left without gas":
    // the one settlement of the region it names.
    let first = match (&first.named, &found[1..]) {
        (Named::Region { admin1, country }, [next])
            if country == "UA"
                && first.authority.is_none()
                && next
                    .settlement()
                    .is_some_and(|s| s.country == "UA" && s.oblast() == admin1.as_str()) =>
        {
            next
        }
        _ => first,
    };
    Some(match (&first.named, first.authority) {
        (Named::Settlement(s), Some(crate::gazetteer::Authority::Oblast)) if s.country == "UA" => {
            Site::Oblast(Site::Settlement(s.clone()).oblast()?)
        }
        (Named::Settlement(s), _) => Site::Settlement(s.clone()),
        (Named::Region { admin1, country }, _) if country == "UA" => Site::Oblast(admin1.clone()),
        (Named::Region { admin1, .. }, _) => Site::Country("Russia", Some(admin1.clone())),
        (Named::Skip, _) => return None,
    })
}

/// An incident being drafted: its place and day, and content.
struct Open {
    site: Site,
    date: Option<When>,
    /// Dated by the report's date or an earlier sentence's, not by its own words: a
    /// later sentence about it that names its day moves it there.
    dated_by_default: bool,
    draft: Draft,
}

fn evidence(draft: &mut Draft, field: &str, value: String, sentence: &str) {
    draft.evidence.push(Evidence {
        field: field.into(),
        value,
        sentence: sentence.into(),
    });
}

/// Puts the weapons of `f` on `draft`: each class once, its model, launched and
/// intercepted counts the first time they are given (never more intercepted than
/// launched); an interception count naming no weapon goes to `last_weapon`.
fn apply_weapons(draft: &mut Draft, f: &Facts, sentence: &str, last_weapon: Option<WeaponClass>) {
    let mut weapons = f.weapons.clone();
    // "... all four were destroyed": each weapon counted, when the counts add up.
    if let Some(n) = f.all_intercepted_of {
        let counted: Vec<(usize, u32)> = draft
            .record
            .weapons
            .iter()
            .enumerate()
            .filter_map(|(k, w)| w.launched.map(|l| (k, l)))
            .collect();
        if !counted.is_empty() && counted.iter().map(|(_, l)| l).sum::<u32>() == n {
            for (k, launched) in counted {
                if draft.record.weapons[k].intercepted.is_none() {
                    draft.record.weapons[k].intercepted = Some(launched);
                    evidence(
                        draft,
                        &format!("weapons[{k}].intercepted"),
                        format!("{launched} (all {n} shot down)"),
                        sentence,
                    );
                }
            }
        }
    }
    if f.all_intercepted
        && let Some(class) = last_weapon
        && let Some(w) = draft.record.weapons.iter_mut().find(|w| w.class == class)
        && w.intercepted.is_none()
        && let Some(launched) = w.launched
    {
        w.intercepted = Some(launched);
        let index = draft
            .record
            .weapons
            .iter()
            .position(|w| w.class == class)
            .unwrap_or(0);
        evidence(
            draft,
            &format!("weapons[{index}].intercepted"),
            format!("all {launched}"),
            sentence,
        );
    }
    if let (Some(n), Some(class)) = (&f.intercepted_unnamed, last_weapon)
        && !weapons.iter().any(|w| w.class == class)
    {
        weapons.push(facts::WeaponFact {
            intercepted: Some(n.clone()),
            ..facts::WeaponFact::of(class)
        });
    } else if let (Some(n), Some(class)) = (&f.intercepted_unnamed, last_weapon)
        && let Some(w) = weapons.iter_mut().find(|w| w.class == class)
        && w.intercepted.is_none()
    {
        w.intercepted = Some(n.clone());
    }
    for fact in &weapons {
        let r = &mut draft.record;
        let index = match r.weapons.iter().position(|w| w.class == fact.class) {
            Some(i) => i,
            None => {
                r.weapons.push(Weapon {
                    class: fact.class,
                    model: None,
                    launched: None,
                    intercepted: None,
                    hit: None,
                });
                evidence(
                    draft,
                    &format!("weapons[{}]", draft.record.weapons.len() - 1),
                    crate::record::wire_name(&fact.class),
                    sentence,
                );
                draft.record.weapons.len() - 1
            }
        };
        let w = &mut draft.record.weapons[index];
        if w.model.is_none()
            && let Some(model) = &fact.model
        {
            w.model = Some(model.clone());
            evidence(
                draft,
                &format!("weapons[{index}].model"),
                model.clone(),
                sentence,
            );
        }
        let w = &mut draft.record.weapons[index];
        if let Some(n) = &fact.launched
            && w.launched.is_none()
        {
            w.launched = Some(n.value);
            evidence(
                draft,
                &format!("weapons[{index}].launched"),
                describe(n),
                sentence,
            );
        }
        let w = &mut draft.record.weapons[index];
        if let Some(n) = &fact.intercepted
            && w.intercepted.is_none()
            && w.launched.is_none_or(|l| l >= n.value)
        {
            w.intercepted = Some(n.value);
            evidence(
                draft,
                &format!("weapons[{index}].intercepted"),
                describe(n),
                sentence,
            );
        }
    }
}

/// Puts the facts of `sentence` on `draft`. `last_weapon` is the weapon the text spoke
/// of last, for an interception count that names none.
fn apply(draft: &mut Draft, f: &Facts, sentence: &str, last_weapon: Option<WeaponClass>) {
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
    apply_weapons(draft, f, sentence, last_weapon);
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

/// The wording a draft's unknown day shows.
pub const UNKNOWN_DAY: &str = "unknown: the report has no date; give the day to confirm";

fn open_incident(
    site: &Site,
    when: Option<&When>,
    sentence: &str,
    publisher: &str,
    report: Option<NaiveDate>,
) -> Open {
    let record = Incident {
        start: when.map_or_else(String::new, |w| w.date.to_string()),
        time_precision: when.map_or(TimePrecision::Day, |w| w.precision),
        place: site.place(),
        status: Status::Draft,
        sources: vec![Source {
            publisher: publisher.into(),
            url: None,
            published: report.map(|r| r.to_string()),
            quote: Some(sentence.into()),
        }],
        ..Incident::default()
    };
    let mut draft = Draft {
        record,
        evidence: Vec::new(),
    };
    match when {
        Some(w) => evidence(
            &mut draft,
            "start",
            format!("{} ({})", w.date, w.phrase),
            sentence,
        ),
        None => evidence(&mut draft, "start", UNKNOWN_DAY.into(), sentence),
    }
    evidence(&mut draft, "place", site.describe(), sentence);
    Open {
        site: site.clone(),
        date: when.cloned(),
        dated_by_default: false,
        draft,
    }
}

/// The phrase of the day a report is dated by its date line alone.
const REPORT_DAY: &str = "the report's date";

/// Drafts the incidents of `text`, dated relative to `report_date` (else the report's own
/// `date:` line; a report with neither is drafted with the days it names in full, else
/// the day unknown: see [`UNKNOWN_DAY`]); `publisher` names the source (else the
/// report's `source:` line).
pub fn extract(text: &str, report_date: Option<NaiveDate>, publisher: Option<&str>) -> Vec<Draft> {
    let (own_source, own_date) = header(text);
    let report = report_date.or(own_date);
    let gazetteer = Gazetteer::get();
    let mut drafting = Drafting {
        gazetteer,
        publisher: publisher
            .map(String::from)
            .or(own_source)
            .unwrap_or_else(|| "news report".into()),
        report,
        open: Vec::new(),
        // Where the headings and signature say the text is.
        context: headings(text)
            .iter()
            .find_map(|h| heading_site(h, gazetteer)),
        current: None,
        previous: Vec::new(),
        last_date: report.map(|r| When {
            date: r,
            precision: TimePrecision::Day,
            phrase: REPORT_DAY.into(),
        }),
        last_weapon: None,
        last_classes: Vec::new(),
        last_targets: Vec::new(),
        lead: Vec::new(),
        read_any: false,
        named_night: None,
        round_up: false,
    };
    for block in blocks(text) {
        match block {
            Block::Heading(heading) => drafting.heading(&heading),
            Block::Sentence(sentence) => drafting.sentence(&sentence),
        }
    }
    let mut drafts: Vec<Draft> = drafting.open.into_iter().map(|o| o.draft).collect();
    if let Some(report) = report {
        without_old_news(&mut drafts, report);
    }
    one_attack(&mut drafts);
    drafts
}

/// In a report of something recent (a draft within three days of the report's date),
/// drafts of a week or more before it are background ("The reason goes back to 22
/// March, when ...", "a massive assault on Kyiv last week"), not news: left out. A
/// report only of older days (a look back) keeps them all.
fn without_old_news(drafts: &mut Vec<Draft>, report: NaiveDate) {
    let age = |d: &Draft| {
        d.record
            .start
            .get(..10)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(|s| (report - s).num_days())
    };
    if drafts.iter().any(|d| age(d).is_some_and(|a| a <= 3)) {
        drafts.retain(|d| age(d).is_none_or(|a| a < 7));
    }
}

/// Drafting one report, sentence by sentence: the incidents opened so far and what the
/// text spoke of last.
struct Drafting {
    gazetteer: &'static Gazetteer,
    publisher: String,
    report: Option<NaiveDate>,
    open: Vec<Open>,
    /// Where the headings and signatures say the text is.
    context: Option<Site>,
    /// The incident the text spoke of last.
    current: Option<usize>,
    /// The incidents the last sentence with facts spoke of.
    previous: Vec<usize>,
    /// The day the text spoke of last.
    last_date: Option<When>,
    /// The weapon the text spoke of last (for "shot down 34 of them").
    last_weapon: Option<WeaponClass>,
    /// The weapon classes of the last sentence with facts (for "They hit ...").
    last_classes: Vec<WeaponClass>,
    /// What the last sentence naming targets said was hit (for "the facilities hit").
    last_targets: Vec<TargetCategory>,
    /// A lead's facts, waiting for the first place the text names.
    lead: Vec<(Facts, String)>,
    /// Whether a sentence has been read (a heading before any is the report's own).
    read_any: bool,
    /// The day of a night the text named ("overnight ..., said on Friday").
    named_night: Option<When>,
    /// The text is a round-up of the day reported ("Russia struck 10 oblasts over the
    /// past day"): a day one sentence names is that sentence's only.
    round_up: bool,
}

impl Drafting {
    /// A signature or heading further down starts another speaker's part: "Air Force of
    /// the Armed Forces of Ukraine" after a governor's post.
    fn heading(&mut self, heading: &str) {
        if self.read_any
            && let Some(site) = heading_site(heading, self.gazetteer)
        {
            self.context = Some(site);
            self.current = None;
        }
    }

    fn sentence(&mut self, sentence: &str) {
        self.read_any = true;
        // Background ("the eighth strike since October 10") neither dates nor tells.
        let Some(sentence) = without_background(sentence) else {
            return;
        };
        let parts = day_clauses(&sentence, self.report, self.gazetteer);
        let mut before: Option<Facts> = None;
        for part in parts {
            for clause in place_clauses(part, self.gazetteer) {
                before = Some(self.clause(clause, before.as_ref()));
            }
        }
        self.round_up = self.round_up || {
            let lower = sentence.to_lowercase();
            crate::dates::DAY_REPORTED.iter().any(|p| lower.contains(p))
        };
        // "Five were hurt when artillery hit Kurakhove on Aug. 24. One more person was
        // wounded in Avdiivka": in a round-up, the next sentence is the day reported's.
        if self.round_up
            && let Some(r) = self.report
        {
            self.last_date = Some(When {
                date: r,
                precision: TimePrecision::Day,
                phrase: REPORT_DAY.into(),
            });
        }
    }

    /// Reads a sentence, or a part of one on a day of its own (`before`: the facts of
    /// the part before, whose weapons an elliptic part shares: "... and the Vinnytsia
    /// region overnight into Saturday"). Returns the part's facts.
    fn clause(&mut self, sentence: &str, before: Option<&Facts>) -> Facts {
        let mut date = match self.report {
            Some(r) => resolve(sentence, r, self.last_date.as_ref()),
            None => calendar(sentence, None),
        };
        let lower = facts::lowercase(sentence);
        // "The overnight attack ..., officials said on Friday": the night the text named;
        // a later bare "overnight" is that night, not the report's.
        if let Some(d) = &date {
            if d.phrase == "overnight" {
                if let Some(night) = &self.named_night {
                    date = Some(night.clone());
                }
            } else if (lower.contains("overnight")
                || lower.contains("night")
                || lower.contains("early hours"))
                // "the second night in a row that ...: on 2 February a strike": no night
                // of its own.
                && !lower.contains("in a row")
            {
                self.named_night = Some(d.clone());
            }
        }
        // A day long before the report's ("a strike on the same terminal on Dec. 14")
        // is no new day for the sentences after it once the story has a recent one.
        let old = |w: &When| {
            w.precision == TimePrecision::Day
                && self.report.is_some_and(|r| (r - w.date).num_days() > 3)
        };
        let told_recent = |l: &When| !old(l) && l.phrase != REPORT_DAY;
        if let Some(d) = &date
            && !(old(d) && self.last_date.as_ref().is_some_and(told_recent))
        {
            self.last_date = Some(d.clone());
        }
        let mut f = facts::read(sentence);
        carry_weapons(&mut f, sentence, &self.last_classes);
        carry_targets(&mut f, &lower, &mut self.last_targets);
        if let Some(b) = before
            && f.weapons.is_empty()
            && (b.attacked || !b.weapons.is_empty())
        {
            f.attacked = true;
            f.weapons = b.weapons.iter().map(facts::WeaponFact::uncounted).collect();
        }
        // "🚀 Dnipro." opening a post: where the post is, as a heading says.
        let bare = sentence.trim_matches(|c: char| !c.is_alphanumeric());
        if !f.any()
            && bare.split_whitespace().count() <= 3
            && let Some(site) = heading_site(bare, self.gazetteer)
        {
            self.context = Some(site);
            self.current = None;
            return f;
        }
        if !f.any() {
            return f;
        }
        let own_date = date.is_some();
        let when = date.or_else(|| self.last_date.clone());
        let Some((here, indices)) = self.incidents(sentence, &f, when.as_ref(), own_date) else {
            return f;
        };
        self.record(sentence, &f, &here, &indices, when.as_ref());
        if let Some(&first) = indices.first() {
            for (facts, sentence) in self.lead.drain(..) {
                apply(
                    &mut self.open[first].draft,
                    &facts,
                    &sentence,
                    self.last_weapon,
                );
            }
        }
        self.current = indices.first().copied();
        self.previous = indices;
        if let Some(w) = f.weapons.last() {
            self.last_weapon = Some(w.class);
        }
        self.last_classes = f.weapons.iter().map(|w| w.class).collect();
        f
    }

    /// The sites a sentence names and the incidents its facts go to; `None` when they
    /// go nowhere yet (a lead kept for the first place named, or nothing to continue).
    fn incidents(
        &mut self,
        sentence: &str,
        f: &Facts,
        when: Option<&When>,
        own_date: bool,
    ) -> Option<(Vec<Site>, Vec<usize>)> {
        let mut here = sites(
            sentence,
            f,
            self.gazetteer,
            self.current.map(|i| &self.open[i].site),
            self.context.as_ref(),
        );
        if here.is_empty()
            && self.current.is_none()
            && let Some(site) = &self.context
        {
            here.push(site.clone());
        }
        let mut indices = Vec::new();
        for site in &here {
            let (index, new) = self.incident(site, when, sentence);
            if new {
                self.open[index].dated_by_default = !own_date;
            }
            indices.push(index);
        }
        // "Air defence destroyed nine of the attack drones": the interceptions of the
        // tally that counted those drones launched, wherever the text went since.
        if here.is_empty()
            && let Some(i) = launched_earlier(&self.open, f, self.last_weapon, when)
        {
            indices.push(i);
        }
        if indices.is_empty() && self.current.is_none() && self.open.is_empty() {
            // A lead that names no place ("A barrage destroyed one of Ukraine's largest
            // power plants"): its facts go to the first place the text then names; the
            // casualties of a lead over many regions ("Russia struck 10 of Ukraine's
            // oblasts over the past day, killing at least one civilian") are theirs all,
            // not the first's.
            let mut f = f.clone();
            let lower = sentence.to_lowercase();
            if ["oblasts", "regions", "provinces"]
                .iter()
                .any(|w| lower.contains(w))
            {
                f.killed = None;
                f.injured = None;
            }
            self.lead.push((f, sentence.to_string()));
            return None;
        }
        // "Nikopol and Marhanets were shelled ... There were no casualties.": nobody
        // in any of the places just named.
        if indices.is_empty() && only_no_casualties(f) && self.previous.len() >= 2 {
            indices.extend(self.previous.iter().copied());
        }
        // "Drones struck energy facilities in Shostka and Konotop. The strike cut off
        // the electricity supply": an outage with no count, in every place just named.
        if indices.is_empty()
            && self.previous.len() >= 2
            && only_outages(f)
            && self.previous.iter().all(|&k| same_day(&self.open[k], when))
        {
            indices.extend(self.previous.iter().copied());
        }
        // "In Nikopol ... In Marhanets ... Nobody was hurt.": every town of the oblast
        // spoken of that day without casualties yet; "in the attacks", "in either
        // region", "none of the four oblasts": every place of that day.
        if indices.is_empty()
            && only_no_casualties(f)
            && let Some(current) = self.current
        {
            let day = self.open[current].date.clone();
            let oblast = self.open[current].site.oblast();
            let lower = sentence.to_lowercase();
            let every = ["attacks", "either", "none of", "any of", "both"]
                .iter()
                .any(|w| lower.contains(w));
            let unhurt: Vec<usize> = (0..self.open.len())
                .filter(|&k| {
                    let o = &self.open[k];
                    same_day(o, day.as_ref())
                        && (every
                            || (oblast.is_some()
                                && o.site.oblast() == oblast
                                && matches!(o.site, Site::Settlement(_))))
                        && !matches!(o.site, Site::Country(..))
                        && o.draft.record.killed.is_none()
                        && o.draft.record.injured.is_none()
                })
                .collect();
            if unhurt.len() >= 2 {
                indices.extend(unhurt);
            }
        }
        if indices.is_empty() {
            let i = self.current?;
            // "...officials said. The missiles hit the dam early on Wednesday": the day
            // of the incident spoken of, when only the report's date dated it.
            if own_date
                && self.open[i].dated_by_default
                && !same_day(&self.open[i], when)
                && when
                    .zip(self.report)
                    .is_none_or(|(w, r)| (r - w.date).num_days().abs() <= 2)
                && !self
                    .open
                    .iter()
                    .any(|o| o.site.same(&self.open[i].site) && same_day(o, when))
                && let Some(w) = when
            {
                redate(&mut self.open[i], w, sentence);
                indices.push(i);
            } else if own_date
                && !same_day(&self.open[i], when)
                && let Some(w) = when.filter(|w| {
                    w.precision == TimePrecision::Day
                        && self
                            .report
                            .is_none_or(|r| (0..=7).contains(&(r - w.date).num_days()))
                })
            {
                // "Streets were under water on Thursday ... Eight missiles struck the city
                // on Wednesday": the place spoken of, on the day this sentence names.
                let site = self.open[i].site.clone();
                let (index, _) = self.incident(&site, Some(w), sentence);
                indices.push(index);
            } else {
                indices.push(i);
            }
        }
        Some((here, indices))
    }

    /// Puts a sentence's facts on its incidents. Weapon counts it gives for several
    /// places at once ("22 drones at the Chernihiv, Zhytomyr and Sumy regions; 20 were
    /// shot down") are the whole attack's: they go to the places' oblast when they share
    /// one ("Nikopol and Marhanets ... 75 shells fell on the district"), else to all of
    /// Ukraine; the places keep the weapon alone.
    fn record(
        &mut self,
        sentence: &str,
        f: &Facts,
        here: &[Site],
        indices: &[usize],
        when: Option<&When>,
    ) {
        if indices.len() >= 2 && counts_for_all(f, here) {
            let (each, totals) = split_counts(f);
            for &index in indices {
                apply(
                    &mut self.open[index].draft,
                    &each,
                    sentence,
                    self.last_weapon,
                );
            }
            let (index, _) = self.incident(&whole_of(here), when, sentence);
            apply(
                &mut self.open[index].draft,
                &totals,
                sentence,
                self.last_weapon,
            );
        } else {
            // "Three people were wounded when Russian forces shelled Ivanivka and
            // Kozatske": how many in each is not said.
            let shared = here.len() >= 2
                && indices.len() >= 2
                && [&f.killed, &f.injured]
                    .iter()
                    .any(|c| c.as_ref().is_some_and(|n| n.0 > 0))
                && !sentence.to_lowercase().contains(" each");
            let each = shared.then(|| casualties_by_place(sentence, f, here));
            for (k, &index) in indices.iter().enumerate() {
                let own;
                let f = match &each {
                    Some(each) => {
                        own = Facts {
                            killed: each.get(k).and_then(|c| c.0.clone()),
                            injured: each.get(k).and_then(|c| c.1.clone()),
                            ..f.clone()
                        };
                        &own
                    }
                    None => f,
                };
                apply(&mut self.open[index].draft, f, sentence, self.last_weapon);
            }
        }
    }

    /// The incident of `site` on the day `when`, opened from `sentence` when there is
    /// none yet: (its index, whether it is new).
    fn incident(&mut self, site: &Site, when: Option<&When>, sentence: &str) -> (usize, bool) {
        incident_for(
            &mut self.open,
            site,
            when,
            sentence,
            &self.publisher,
            self.report,
        )
    }
}

/// A sentence that joins clauses on different days ("Drones struck Zaporizhzhia late on
/// Friday and the Vinnytsia region overnight into Saturday") as its parts, each read as
/// a sentence of its own: a clause that names no day goes with the next that does ("Kyiv
/// and Odesa overnight"), trailing ones with the last. The whole sentence when its
/// clauses name one day at most.
fn day_clauses<'a>(
    sentence: &'a str,
    report: Option<NaiveDate>,
    gazetteer: &Gazetteer,
) -> Vec<&'a str> {
    let mut cuts: Vec<usize> = [" and ", "; ", " while ", " but "]
        .iter()
        .flat_map(|p| sentence.match_indices(p).map(|(i, _)| i))
        .collect();
    if cuts.is_empty() {
        return vec![sentence];
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut bounds = vec![0];
    bounds.extend(cuts);
    bounds.push(sentence.len());
    let days: Vec<Option<NaiveDate>> = bounds
        .windows(2)
        .map(|b| {
            let clause = &sentence[b[0]..b[1]];
            match report {
                Some(r) => resolve(clause, r, None),
                None => calendar(clause, None),
            }
            .map(|w| w.date)
        })
        .collect();
    let mut distinct: Vec<NaiveDate> = days.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return vec![sentence];
    }
    // Each part ends after a clause with a day; the last part takes what follows.
    let mut ends: Vec<usize> = days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_some())
        .map(|(k, _)| bounds[k + 1])
        .collect();
    if let Some(last) = ends.last_mut() {
        *last = sentence.len();
    }
    // A part that names no place ("between the evening of 25 September | and the
    // morning of 26 September") goes with the part before.
    let mut start = 0;
    ends.retain(|&end| {
        let named = !gazetteer.find(&sentence[start..end]).is_empty();
        if named || end == sentence.len() {
            start = end;
        }
        named || end == sentence.len()
    });
    if let [.., before, last] = ends[..]
        && gazetteer.find(&sentence[before..last]).is_empty()
    {
        ends.remove(ends.len() - 2);
    }
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let part = &sentence[start..end];
            start = end;
            part
        })
        .collect()
}

/// The parts of a sentence that goes on to another place with facts of its own:
/// "Russian shelling killed three people in Kherson, and in the Dnipropetrovsk region
/// one person was killed and two hurt" is Kherson's part and the region's (each place
/// its own casualties and weapons). A part starts at ", and in", ", while in" or "; in"
/// right before a place's name, when the part before names a place too.
fn place_clauses<'a>(sentence: &'a str, gazetteer: &Gazetteer) -> Vec<&'a str> {
    const TURNS: [&str; 4] = [", and in ", ", while in ", "; in ", ", whereas in "];
    let turns: Vec<(usize, usize)> = TURNS
        .iter()
        .flat_map(|p| {
            sentence
                .match_indices(p)
                .map(move |(i, _)| (i, i + p.len()))
        })
        .collect();
    if turns.is_empty() {
        return vec![sentence];
    }
    let found = gazetteer.find(sentence);
    let mut cuts: Vec<usize> = turns
        .into_iter()
        .filter(|&(_, after)| {
            let the = if sentence[after..].starts_with("the ") {
                4
            } else {
                0
            };
            found.iter().any(|f| f.at.start == after + the)
        })
        .map(|(i, _)| i)
        .collect();
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut start = 0;
    for cut in cuts {
        if found.iter().any(|f| f.at.start >= start && f.at.end <= cut) {
            parts.push(&sentence[start..cut]);
            start = cut;
        }
    }
    parts.push(&sentence[start..]);
    parts
}

/// Killed and injured at each of `here`, the places of a sentence that counts casualties
/// for several: "Two people were hurt in the Kyiv region and one in the Kirovohrad
/// region", "eight injured: three in Kyiv Oblast, three in Dnipropetrovsk Oblast and two
/// in Lviv Oblast" (a count right before "in" and the place's name; the first place
/// may take the sentence's count). Of one kind of casualty only; none where the text
/// does not say how many at a place ("three wounded in Ivanivka and Kozatske").
fn casualties_by_place(sentence: &str, f: &Facts, here: &[Site]) -> Vec<Casualties> {
    let zero = |c: &Option<(u32, String)>| c.clone().filter(|n| n.0 == 0);
    let none = vec![(zero(&f.killed), zero(&f.injured)); here.len()];
    let killed = f.killed.as_ref().is_some_and(|n| n.0 > 0);
    let injured = f.injured.as_ref().is_some_and(|n| n.0 > 0);
    if killed == injured {
        return none;
    }
    let numbers = crate::numbers::find(sentence);
    let direct: Vec<Option<u32>> = here
        .iter()
        .map(|site| {
            let name = match site {
                Site::Settlement(s) => s.name.as_str(),
                Site::Oblast(admin1) => admin1.as_str(),
                Site::Country(..) => return None,
            };
            let at = sentence.find(name)?;
            let before = sentence[..at].trim_end();
            // "three in the northeastern city of Kharkiv".
            let before = without_description(before).unwrap_or(before);
            let before = before.strip_suffix(" the").unwrap_or(before);
            let before = before.strip_suffix(" in")?.trim_end();
            numbers
                .iter()
                .find(|n| sentence[..n.at.end].trim_end() == before)
                .map(|n| n.value)
        })
        .collect();
    let Some(first_direct) = direct.first() else {
        return none;
    };
    if direct[1..].iter().any(Option::is_none) {
        return none;
    }
    let total = if killed { &f.killed } else { &f.injured };
    direct
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let count = match (k, n) {
                (_, Some(n)) => Some((*n, n.to_string())),
                (0, None) if first_direct.is_none() => total.clone(),
                _ => None,
            };
            if killed {
                (count, zero(&f.injured))
            } else {
                (zero(&f.killed), count)
            }
        })
        .collect()
}

/// Killed and injured at one place, as [`Facts`] holds them.
type Casualties = (Option<(u32, String)>, Option<(u32, String)>);

/// "Strikes damaged energy infrastructure in six oblasts. The facilities hit were in the
/// Kyiv, ... oblasts": a sentence that speaks of "the facilities" without saying what
/// they are means those of the sentence before; `last` becomes this sentence's targets
/// when it names any.
fn carry_targets(f: &mut Facts, lower: &str, last: &mut Vec<TargetCategory>) {
    if f.targets.is_empty() {
        if [
            "the facilities",
            "these facilities",
            "the damaged facilities",
            "the sites hit",
        ]
        .iter()
        .any(|p| lower.contains(p))
        {
            f.targets.clone_from(last);
        }
    } else {
        last.clone_from(&f.targets);
    }
}

/// "They hit the city of Nikopol ...": a sentence that attacks without naming weapons
/// takes the weapon classes of the sentence before.
fn carry_weapons(f: &mut Facts, sentence: &str, last_classes: &[WeaponClass]) {
    if f.weapons.is_empty()
        && f.attacked
        && ["They ", "These ", "The attackers "]
            .iter()
            .any(|p| sentence.starts_with(p))
    {
        f.weapons = last_classes
            .iter()
            .map(|&class| facts::WeaponFact::of(class))
            .collect();
    }
}

/// The site of a whole attack on several places: their oblast when they share one, else
/// all of Ukraine.
fn whole_of(here: &[Site]) -> Site {
    let oblasts: Vec<Option<String>> = here.iter().map(Site::oblast).collect();
    match &oblasts[..] {
        [Some(first), rest @ ..] if rest.iter().all(|o| o.as_ref() == Some(first)) => {
            Site::Oblast(first.clone())
        }
        _ => Site::Country("Ukraine", None),
    }
}

/// Whether all `f` says is that supplies went out, perhaps by an attack (no count, no
/// casualty, no target).
fn only_outages(f: &Facts) -> bool {
    !f.effects.is_empty()
        && f.targets.is_empty()
        && f.killed.is_none()
        && f.injured.is_none()
        && f.explosions.is_none()
        && f.intercepted_unnamed.is_none()
        && f.weapons
            .iter()
            .all(|w| w.launched.is_none() && w.intercepted.is_none())
}

/// Whether all `f` says is that nobody was killed or injured.
fn only_no_casualties(f: &Facts) -> bool {
    let none = Facts {
        killed: f.killed.clone(),
        injured: f.injured.clone(),
        ..Facts::default()
    };
    *f == none
        && f.killed.as_ref().is_none_or(|k| k.0 == 0)
        && f.injured.as_ref().is_none_or(|i| i.0 == 0)
        && (f.killed.is_some() || f.injured.is_some())
}

/// Whether `f` gives weapon counts and `sites` are places of Ukraine (the counts are
/// then the whole attack's, not each place's).
fn counts_for_all(f: &Facts, sites: &[Site]) -> bool {
    let counted = f
        .weapons
        .iter()
        .any(|w| w.launched.is_some() || w.intercepted.is_some())
        || f.intercepted_unnamed.is_some();
    counted
        && sites.iter().all(|s| {
            s.place().country.as_deref() == Some("Ukraine") && !matches!(s, Site::Country(..))
        })
}

/// For a sentence that gives only interception counts: the last incident of the day
/// `when` that counts that weapon launched and not yet intercepted.
fn launched_earlier(
    open: &[Open],
    f: &Facts,
    last_weapon: Option<WeaponClass>,
    when: Option<&When>,
) -> Option<usize> {
    if f.weapons.iter().any(|w| w.launched.is_some()) {
        return None;
    }
    let mut classes: Vec<WeaponClass> = f
        .weapons
        .iter()
        .filter(|w| w.intercepted.is_some())
        .map(|w| w.class)
        .collect();
    if f.intercepted_unnamed.is_some() || f.all_intercepted || f.all_intercepted_of.is_some() {
        classes.extend(last_weapon);
    }
    if classes.is_empty() {
        return None;
    }
    // No more shot down than launched: "Sixty drones were shot down" is the tally's 81,
    // not a city's 7.
    let downed = |class: WeaponClass| {
        f.weapons
            .iter()
            .find(|w| w.class == class)
            .and_then(|w| w.intercepted.as_ref())
            .or(f.intercepted_unnamed.as_ref())
            .map_or(0, |n| n.value)
    };
    open.iter().rposition(|o| {
        same_day(o, when)
            && o.draft.record.weapons.iter().any(|w| {
                classes.contains(&w.class)
                    && w.launched.is_some_and(|n| n >= downed(w.class))
                    && w.intercepted.is_none()
            })
    })
}

/// Whether an incident is on the day `when`.
fn same_day(o: &Open, when: Option<&When>) -> bool {
    o.date.as_ref().map(|d| (d.date, d.precision)) == when.map(|d| (d.date, d.precision))
}

/// The incident of `site` on the day `when`, opened from `sentence` when there is none
/// yet: (its index, whether it is new).
fn incident_for(
    open: &mut Vec<Open>,
    site: &Site,
    when: Option<&When>,
    sentence: &str,
    publisher: &str,
    report: Option<NaiveDate>,
) -> (usize, bool) {
    match open
        .iter()
        .position(|o| o.site.same(site) && same_day(o, when))
    {
        Some(i) => (i, false),
        None => {
            open.push(open_incident(site, when, sentence, publisher, report));
            (open.len() - 1, true)
        }
    }
}

/// `f` as (the facts of each of several places: weapons without their counts, the
/// rest; the whole attack's: the weapons with their counts).
fn split_counts(f: &Facts) -> (Facts, Facts) {
    let mut each = f.clone();
    each.weapons = f.weapons.iter().map(facts::WeaponFact::uncounted).collect();
    each.intercepted_unnamed = None;
    let totals = Facts {
        weapons: f.weapons.clone(),
        intercepted_unnamed: f.intercepted_unnamed.clone(),
        ..Facts::default()
    };
    (each, totals)
}

/// Moves an incident dated only by default to the day `w` a later sentence names.
fn redate(o: &mut Open, w: &When, sentence: &str) {
    o.date = Some(w.clone());
    o.dated_by_default = false;
    o.draft.record.start = w.date.to_string();
    o.draft.record.time_precision = w.precision;
    if let Some(e) = o.draft.evidence.iter_mut().find(|e| e.field == "start") {
        e.value = format!("{} ({})", w.date, w.phrase);
        e.sentence = sentence.into();
    }
}

/// When every weapon the report names is of one class, the report tells of one kind
/// of attack: each incident it drafts on a day some incident names that weapon, that
/// names no weapon itself and where something was hit (a target, explosions,
/// casualties; not an outage or fire alone, which spread from elsewhere), gets it too
/// (evidence: the sentence that named it).
fn one_attack(drafts: &mut [Draft]) {
    let mut classes: Vec<WeaponClass> = Vec::new();
    for d in drafts.iter() {
        for w in &d.record.weapons {
            if !classes.contains(&w.class) {
                classes.push(w.class);
            }
        }
    }
    let [class] = classes[..] else { return };
    let armed: Vec<(String, String)> = drafts
        .iter()
        .filter(|d| !d.record.weapons.is_empty())
        .filter_map(|d| {
            let sentence = d
                .evidence
                .iter()
                .find(|e| e.field == "weapons[0]")?
                .sentence
                .clone();
            Some((d.record.start.clone(), sentence))
        })
        .collect();
    for d in drafts.iter_mut() {
        // Only where something happened, not a place only named.
        let happened = !d.record.targets.is_empty()
            || d.record.explosions.is_some()
            || d.record.killed.is_some_and(|k| k > 0)
            || d.record.injured.is_some_and(|i| i > 0);
        if !d.record.weapons.is_empty() || !happened {
            continue;
        }
        let Some((_, sentence)) = armed.iter().find(|(day, _)| *day == d.record.start) else {
            continue;
        };
        d.record.weapons.push(Weapon {
            class,
            model: None,
            launched: None,
            intercepted: None,
            hit: None,
        });
        let sentence = sentence.clone();
        evidence(
            d,
            "weapons[0]",
            format!(
                "{} (the report's one kind of attack)",
                crate::record::wire_name(&class)
            ),
            &sentence,
        );
    }
}
