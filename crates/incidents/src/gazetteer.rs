//! Places in text: the settlements of Ukraine and Russia with 1,000 people or more from
//! GeoNames (CC BY 4.0; `data/gazetteer/settlements.tsv`, rebuilt by the
//! `build_gazetteer` example), and the oblasts of Ukraine.
//!
//! Ukrainian settlements are named in Ukraine's official romanisation
//! ([`romanise`](crate::romanise): Kryvyi Rih, Zaporizhzhia, Mykolaiv), the one ACLED and
//! Ukrainian authorities use; each keeps its GeoNames id and its variants (GeoNames' own
//! spelling `Kryvyy Rih`, other transliterations, the Ukrainian name `Кривий Ріг`), and
//! text finds a settlement by any of them. Names are compared folded: lowercase, letters
//! only, `yy`/`iy` → `yi`, `ya` → `ia`, `yu` → `iu`, `ye` → `ie`, a word's final `yi` →
//! `y`, so spellings between the variants match too ("Stary Oskol", "Staryy Oskol"). A
//! few exonyms news still use (Kiev, Kharkov, Odessa) are aliases. City districts
//! GeoNames lists as places (Kyiv's Darnytsia) stand for their city.
//!
//! An oblast is named by its name or its capital's followed by "region", "oblast" or
//! "province" ("the Lviv region", "Kharkivska oblast", "Sumy and Poltava regions").
//!
//! Villages below GeoNames' 1,000 people come from Ukraine's codifier of settlements
//! (KATOTTG; `data/gazetteer/villages.tsv`, rebuilt by the `build_villages` example), with
//! their code and the coordinates of their territorial community's centre. Many share a
//! name (thirteen Dubivkas), and many names are also words ("Slava", "Nova"), so a village
//! is found only where the text makes the name a place ("the village of", "in", a list
//! going on from a place) and, of several, only the one whose oblast or raion the text
//! names: none rather than a guess.

use std::collections::HashMap;
use std::sync::OnceLock;

const SETTLEMENTS: &str = include_str!("../../../data/gazetteer/settlements.tsv");
const VILLAGES: &str = include_str!("../../../data/gazetteer/villages.tsv");

/// Exonyms and older names news use, with the gazetteer's name.
const ALIASES: &[(&str, &str)] = &[
    ("Kiev", "Kyiv"),
    ("Kharkov", "Kharkiv"),
    ("Odessa", "Odesa"),
    ("Krivoy Rog", "Kryvyi Rih"),
    ("Krivyi Rih", "Kryvyi Rih"),
    ("Dnepr", "Dnipro"),
    ("Dnipropetrovsk", "Dnipro"),
    ("Dnepropetrovsk", "Dnipro"),
    ("Nikolaev", "Mykolaiv"),
    ("Nikolayev", "Mykolaiv"),
    ("Lvov", "Lviv"),
    ("Zaporozhye", "Zaporizhzhia"),
    ("Zaporizhia", "Zaporizhzhia"),
    ("Kirovohrad", "Kropyvnytskyi"),
    ("Kirovograd", "Kropyvnytskyi"),
    ("Kropyvnytskyy", "Kropyvnytskyi"),
    ("Khmelnytsky", "Khmelnytskyi"),
    ("Khmelnitsky", "Khmelnytskyi"),
    ("Khmelnytskiy", "Khmelnytskyi"),
    ("Chernigov", "Chernihiv"),
    ("Zhitomir", "Zhytomyr"),
    ("Vinnitsa", "Vinnytsia"),
    ("Rovno", "Rivne"),
    ("Lugansk", "Luhansk"),
    ("Kremenchug", "Kremenchuk"),
    ("Pavlograd", "Pavlohrad"),
    ("Uzhgorod", "Uzhhorod"),
    ("Ivano-Frankovsk", "Ivano-Frankivsk"),
    ("Cherkassy", "Cherkasy"),
    ("Energodar", "Enerhodar"),
    ("Izyum", "Izium"),
    ("Kupyansk", "Kupiansk"),
    ("Slavyansk", "Sloviansk"),
    ("Sumi", "Sumy"),
];

/// Ukraine's oblasts (and Crimea): the name the gazetteer's `admin1` gives, the capital,
/// and other names of the region.
const OBLASTS: &[(&str, &str, &[&str])] = &[
    ("Cherkasy", "Cherkasy", &[]),
    ("Chernihiv", "Chernihiv", &[]),
    ("Chernivtsi", "Chernivtsi", &["Bukovyna", "Chernivetska"]),
    ("Crimea", "Simferopol", &[]),
    ("Dnipropetrovsk", "Dnipro", &["Dnipro", "Dnepropetrovsk"]),
    ("Donetsk", "Donetsk", &[]),
    ("Ivano-Frankivsk", "Ivano-Frankivsk", &[]),
    ("Kharkiv", "Kharkiv", &["Kharkov"]),
    ("Kherson", "Kherson", &[]),
    (
        "Khmelnytskyi",
        "Khmelnytskyi",
        &["Khmelnytsky", "Khmelnitsky"],
    ),
    (
        "Kirovohrad",
        "Kropyvnytskyi",
        &["Kropyvnytskyi", "Kirovograd"],
    ),
    ("Kyiv", "Kyiv", &["Kiev"]),
    ("Luhansk", "Luhansk", &["Lugansk"]),
    ("Lviv", "Lviv", &["Lvov"]),
    ("Mykolaiv", "Mykolaiv", &["Nikolaev", "Mykolayiv"]),
    ("Odesa", "Odesa", &["Odessa"]),
    ("Poltava", "Poltava", &[]),
    ("Rivne", "Rivne", &["Rivnenska"]),
    ("Sumy", "Sumy", &[]),
    ("Ternopil", "Ternopil", &[]),
    ("Vinnytsia", "Vinnytsia", &[]),
    ("Volyn", "Lutsk", &["Volhynia"]),
    (
        "Zakarpattia",
        "Uzhhorod",
        &["Transcarpathia", "Transcarpathian"],
    ),
    (
        "Zaporizhzhia",
        "Zaporizhzhia",
        &["Zaporizhzhya", "Zaporozhye"],
    ),
    ("Zhytomyr", "Zhytomyr", &[]),
];

/// A settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// GeoNames id (none for a village only Ukraine's codifier lists).
    pub geonames_id: Option<u64>,
    /// The code of Ukraine's codifier of settlements (KATOTTG), for a village GeoNames
    /// does not list.
    pub katottg: Option<String>,
    /// For such a village: the centre of its territorial community (or raion) whose
    /// coordinates `lat` and `lon` are.
    pub centre: Option<String>,
    /// For such a village: its raion (`Kupianskyi`).
    pub raion: Option<String>,
    /// Name: for Ukraine in the official romanisation, else GeoNames' English name.
    pub name: String,
    /// `UA` or `RU`.
    pub country: String,
    /// Oblast (region), as GeoNames names it (`Kharkiv`, `Kyiv City`, `Belgorod`).
    pub admin1: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// People (GeoNames; 0 when not known).
    pub population: u64,
    /// Other names: the Ukrainian name, GeoNames' spelling, other transliterations.
    pub variants: Vec<String>,
    /// The city this place is a district of (its GeoNames id).
    pub part_of: Option<u64>,
}

impl Settlement {
    /// Whether `other` is this settlement.
    pub fn is(&self, other: &Settlement) -> bool {
        self.geonames_id == other.geonames_id && self.katottg == other.katottg
    }

    /// The oblast the settlement lies in: its `admin1`, but Kyiv's own region ("Kyiv
    /// City") is the Kyiv oblast's for "the region" and "the Darnytsia district".
    pub fn oblast(&self) -> &str {
        if self.admin1 == "Kyiv City" {
            "Kyiv"
        } else {
            &self.admin1
        }
    }
}

/// What a name in text stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Named {
    /// A settlement (a district: its city).
    Settlement(Settlement),
    /// A region: an oblast of Ukraine (`admin1` as the gazetteer names it) or a region
    /// of Russia (`country` `RU`).
    Region {
        /// The region's name (`Kharkiv`, `Crimea`, `Belgorod`).
        admin1: String,
        /// `UA` or `RU`.
        country: String,
    },
    /// Not a place here (a person's name, a speaker, a river); never returned.
    Skip,
}

/// A place found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The place.
    pub named: Named,
    /// Byte range of the name in the text (with "region" or "oblast" when it has one).
    pub at: std::ops::Range<usize>,
    /// The name is an authority's: "the Kharkiv Regional Military Administration", "Odesa
    /// City Council", "Sumy OVA" (who speaks, not where it happened).
    pub authority: Option<Authority>,
}

/// The level of an authority named after a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The oblast's: its regional (military) administration or council.
    Oblast,
    /// The city's: its (military) administration, council or mayor's office.
    City,
}

/// An authority named by the words after a place's name.
fn authority(rest: &str) -> Option<Authority> {
    let rest = rest.trim_start().to_lowercase();
    // "Kursk's acting governor", "Kharkiv's acting mayor".
    let rest = rest
        .strip_prefix("'s ")
        .or_else(|| rest.strip_prefix("’s "))
        .unwrap_or(&rest);
    let rest = ["acting ", "interim "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    let oblast = [
        "regional military administration",
        "regional state administration",
        "regional administration",
        "regional council",
        "oblast military administration",
        "oblast state administration",
        "oblast council",
        "military administration",
        "ova",
        "rma",
        "governor",
        "regional governor",
        "region governor",
        "oblast governor",
        "regional head",
        "region head",
        "oblast head",
        "regional chief",
    ];
    let city = [
        "city military administration",
        "city council",
        "city administration",
        "city hall",
        "mva",
        "mayor",
        "city mayor",
    ];
    let starts =
        |p: &&str| rest.starts_with(*p) && !rest[p.len()..].starts_with(char::is_alphabetic);
    if city.iter().any(starts) {
        Some(Authority::City)
    } else if oblast.iter().any(starts) {
        Some(Authority::Oblast)
    } else {
        None
    }
}

impl Found {
    /// The settlement, when a settlement was named.
    pub fn settlement(&self) -> Option<&Settlement> {
        match &self.named {
            Named::Settlement(s) => Some(s),
            Named::Region { .. } | Named::Skip => None,
        }
    }
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
    let folded = spaced
        .replace("yy", "yi")
        .replace("iy", "yi")
        .replace("ya", "ia")
        .replace("yu", "iu")
        .replace("ye", "ie");
    // "y" after a vowel before a consonant is "i": "Novokuibyshevsk" is GeoNames'
    // "Novokuybyshevsk", "Maikop" its "Maykop" (looked for first in the bytes, as most
    // names have none).
    let bytes = folded.as_bytes();
    let maybe = (1..bytes.len().saturating_sub(1)).any(|k| {
        bytes[k] == b'y'
            && b"aeiou".contains(&bytes[k - 1])
            && (bytes[k + 1] >= 0x80 || bytes[k + 1].is_ascii_alphabetic())
            && !b"aeiou".contains(&bytes[k + 1])
    });
    if !maybe {
        return word_final_yi(folded);
    }
    let chars: Vec<char> = folded.chars().collect();
    let vowel = |c: Option<&char>| c.is_some_and(|c| "aeiou".contains(*c));
    let folded: String = chars
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            if c == 'y'
                && k > 0
                && vowel(chars.get(k - 1))
                && chars
                    .get(k + 1)
                    .is_some_and(|n| n.is_alphabetic() && !vowel(Some(n)))
            {
                'i'
            } else {
                c
            }
        })
        .collect();
    word_final_yi(folded)
}

/// `folded` with a word's ending "yi" as "y": "Stary Oskol" is GeoNames' "Staryy Oskol".
fn word_final_yi(folded: String) -> String {
    if !folded.contains("yi ") && !folded.ends_with("yi") {
        return folded;
    }
    folded
        .split(' ')
        .map(|w| {
            w.strip_suffix("yi")
                .map_or(w.to_string(), |s| format!("{s}y"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The gazetteer: folded name → settlements (when a name repeats: Ukraine first, then
/// a regional capital, then the most populous).
pub struct Gazetteer {
    settlements: Vec<Settlement>,
    by_name: HashMap<String, Vec<usize>>,
    /// Folded name → villages only the codifier lists (found only where the text
    /// makes the name a place: see [`Gazetteer::village`]).
    villages: HashMap<String, Vec<usize>>,
    by_id: HashMap<u64, usize>,
    /// Folded oblast name or other name → the oblast's `admin1`.
    oblasts: HashMap<String, &'static str>,
    longest_words: usize,
}

/// Settlement names that are also common words of English news ("Is", "Never",
/// "Progress", the newspaper "Pravda") or officials' surnames ("Sadovyi"): found in text
/// only before a region word.
const COMMON_WORDS: &[&str] = &[
    "is", "never", "progress", "marks", "buy", "vary", "sim", "bar", "pravda", "energy", "power",
    "central", "star", "port", "union", "victory", "peace", "hope", "glory", "may", "sun",
    "orange", "mir", "light", "front", "bank", "unity", "dawn",
    // Officials' surnames that fold to a place's name (Lviv's mayor, a Siberian village).
    "sadovyi", "sadovyy",
];

/// Words after a place's name that make it a region.
const REGION_WORDS: [&str; 9] = [
    "region",
    "oblast",
    "province",
    "regions",
    "oblasts",
    "provinces",
    // Russia's "Krasnodar Krai".
    "krai",
    "kray",
    // "the Krasnodar territory".
    "territory",
];

impl Gazetteer {
    /// The built-in gazetteer, parsed once.
    pub fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| Gazetteer::parse(SETTLEMENTS))
    }

    fn parse(text: &str) -> Self {
        let mut settlements = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 9 {
                continue;
            }
            let (Ok(id), Ok(lat), Ok(lon)) = (f[0].parse(), f[4].parse(), f[5].parse()) else {
                continue;
            };
            let mut variants: Vec<String> = f[7]
                .split('|')
                .filter(|v| !v.is_empty())
                .map(String::from)
                .collect();
            // Russian places by their English name: GeoNames' "Orël", "Ryazan’" are
            // Oryol and Ryazan (the GeoNames spelling stays a variant).
            let name = if f[2] == "RU" {
                let english = english(f[1]);
                if english != f[1] {
                    variants.push(f[1].into());
                }
                english
            } else {
                f[1].into()
            };
            settlements.push(Settlement {
                geonames_id: Some(id),
                katottg: None,
                centre: None,
                raion: None,
                name,
                country: f[2].into(),
                admin1: f[3].into(),
                lat,
                lon,
                population: f[6].parse().unwrap_or(0),
                variants,
                part_of: f[8].parse().ok(),
            });
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in settlements.iter().enumerate() {
            for name in std::iter::once(&s.name).chain(&s.variants) {
                let list = by_name.entry(fold(name)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        let stem = |s: &str| fold(s).chars().take(6).collect::<String>();
        let capital = |s: &Settlement| {
            OBLASTS
                .iter()
                .any(|(admin1, capital, _)| *admin1 == s.admin1 && *capital == s.name)
                || (s.admin1 == "Kyiv City" && s.name == "Kyiv")
                || stem(&s.name) == stem(&s.admin1)
        };
        for list in by_name.values_mut() {
            list.sort_by_key(|&i| {
                let s = &settlements[i];
                (
                    s.country != "UA",
                    !capital(s),
                    s.part_of.is_some(),
                    std::cmp::Reverse(s.population),
                )
            });
        }
        for (alias, name) in ALIASES {
            if let Some(list) = by_name.get(&fold(name)).cloned() {
                by_name.entry(fold(alias)).or_insert(list);
            }
        }
        let by_id = settlements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((s.geonames_id?, i)))
            .collect();
        let villages = parse_villages(VILLAGES, &mut settlements);
        let mut oblasts = HashMap::new();
        for (admin1, capital, others) in OBLASTS {
            for name in std::iter::once(admin1)
                .chain(std::iter::once(capital))
                .chain(*others)
            {
                oblasts.insert(fold(name), *admin1);
            }
        }
        let longest_words = by_name
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(4);
        Self {
            settlements,
            by_name,
            villages,
            by_id,
            oblasts,
            longest_words,
        }
    }

    /// The settlement called `name` (in any of its spellings), if any; a district is its
    /// city.
    pub fn lookup(&self, name: &str) -> Option<&Settlement> {
        let first = *self.by_name.get(&fold(name))?.first()?;
        Some(self.whole(&self.settlements[first]))
    }

    /// The settlement with GeoNames id `id`.
    pub fn by_geonames_id(&self, id: u64) -> Option<&Settlement> {
        self.by_id.get(&id).map(|&i| &self.settlements[i])
    }

    /// The city `s` is a district of, else `s`.
    fn whole<'a>(&'a self, s: &'a Settlement) -> &'a Settlement {
        s.part_of
            .and_then(|id| self.by_geonames_id(id))
            .unwrap_or(s)
    }

    /// A village only Ukraine's codifier lists, named `name` at `at` in `text`, where the
    /// words around make the name a place: "the village of Nova Kozacha", "Kolisnykivka
    /// village", "in Krasnohryhorivka" (a name of six letters or more), or a list that
    /// goes on from a place just found (`after`: "Nikopol, Marhanets and Pokrovske").
    /// Of several villages by that name, the one whose oblast or raion the text names
    /// ("Dubivka in the Kharkiv region"), or that lies in `after`'s oblast; none when
    /// that leaves more than one.
    fn village(
        &self,
        folded: &Folded,
        at: std::ops::Range<usize>,
        name: &str,
        after: Option<&Found>,
    ) -> Option<&Settlement> {
        let candidates = self.villages.get(&fold(name))?;
        let text = folded.text;
        let before = text[..at.start].trim_end().to_lowercase();
        let rest = text[at.end..].to_lowercase();
        let cue_before = [
            "village of",
            "villages of",
            "village",
            "villages",
            "settlement of",
            "settlements of",
            "town of",
            "outskirts of",
            "among them",
            "including",
        ]
        .iter()
        .any(|c| before.ends_with(c));
        // "Synkivka, Petropavlivka, Ivanivka and Berestove in the Kupiansk district": the
        // district the list is of.
        let district = district_after(&text[at.end..]);
        let cue_after = [" village", " hromada", " community", " settlement"]
            .iter()
            .any(|c| rest.starts_with(c));
        // "Chernihiv region - settlements under fire:\n- Yanzhulivka: 18 hits": a list
        // item's first words (a list item is read after the line that opens it).
        let bullet = (before.ends_with(':')
            || ["-", "•", "–", "—", "*"].iter().any(|b| {
                before.strip_suffix(b).is_some_and(|head| {
                    let head = head.trim_end();
                    head.is_empty() || head.ends_with([':', ';', '.'])
                })
            }))
            && rest.starts_with([':', ',']);
        let preposition = ["in", "near", "outside", "at"]
            .iter()
            .any(|p| before.ends_with(&format!(" {p}")) || before == *p)
            && fold(name).len() >= 6;
        let listed = after.filter(|f| {
            f.at.end <= at.start
                && joins_list(&text[f.at.end..at.start])
                && matches!(&f.named, Named::Settlement(s) if s.country == "UA")
        });
        if !(cue_before
            || cue_after
            || bullet
            || preposition
            || listed.is_some()
            || district.is_some())
            || COMMON_WORDS.contains(&name.to_lowercase().as_str())
        {
            return None;
        }
        let all: Vec<&Settlement> = candidates.iter().map(|&i| &self.settlements[i]).collect();
        // One community's village and rural settlement of one name are one place here.
        let one_place = |list: &[&Settlement]| {
            list.windows(2)
                .all(|p| (&p[0].admin1, &p[0].centre) == (&p[1].admin1, &p[1].centre))
        };
        if one_place(&all) {
            return all.first().copied();
        }
        // "Prohres, Semenivka community": the one of that community.
        let community = rest
            .strip_prefix(", ")
            .map(|r| r.split([' ', ',', ':', ';']).next().unwrap_or(""))
            .filter(|c| {
                COMMUNITY_WORDS
                    .iter()
                    .any(|w| rest[2 + c.len()..].starts_with(w))
            });
        if let Some(community) = community {
            let of_it: Vec<&Settlement> = all
                .iter()
                .copied()
                .filter(|s| {
                    s.centre
                        .as_deref()
                        .is_some_and(|c| fold(c) == fold(community))
                })
                .collect();
            if !of_it.is_empty() && one_place(&of_it) {
                return of_it.first().copied();
            }
        }
        // "in the Kupiansk district" after the list: that raion's (or that community's).
        if let Some(district) = &district {
            let of_it = in_district(&all, district);
            if !of_it.is_empty() {
                return one_place(&of_it).then(|| of_it[0]);
            }
        }
        // "a house in Kurakhove and an enterprise in Uspenivka": the Uspenivka of the
        // Kurakhove community, of two in the raion.
        if let Some(place) = after.and_then(Found::settlement) {
            let of_it: Vec<&Settlement> = all
                .iter()
                .copied()
                .filter(|s| {
                    s.admin1 == place.admin1
                        && s.centre
                            .as_deref()
                            .is_some_and(|c| fold(c) == fold(&place.name))
                })
                .collect();
            if !of_it.is_empty() && one_place(&of_it) {
                return of_it.first().copied();
            }
        }
        let by_text = in_named_region(&all, folded.get());
        if !by_text.is_empty() && one_place(&by_text) {
            return by_text.first().copied();
        }
        let oblast = after.and_then(Found::settlement).map(Settlement::oblast)?;
        let near: Vec<&Settlement> = all.iter().copied().filter(|s| s.admin1 == oblast).collect();
        match near[..] {
            [only] => Some(only),
            _ => None,
        }
    }

    /// `s`, or the one of the settlements called `name` whose oblast the text names
    /// when `s`'s is not named and exactly one other's is.
    ///
    /// `None` when the district named right after the name (or its list) has several of
    /// that name and `s` is none of them ("Ivanivka and Berestove in the Kupiansk
    /// district", of three Ivanivkas there): no guess.
    fn namesake_in_named_region<'a>(
        &'a self,
        name: &str,
        s: &'a Settlement,
        text: &Folded,
        rest: &str,
    ) -> Option<&'a Settlement> {
        let key = fold(name);
        let towns = self.by_name.get(&key).map_or(&[][..], Vec::as_slice);
        let villages = self.villages.get(&key).map_or(&[][..], Vec::as_slice);
        if towns.len() + villages.len() < 2 {
            return Some(s);
        }
        // Villages too: "Novovasylivka, Shostka district" is Sumy oblast's village, not
        // Zaporizhzhia oblast's town.
        let all: Vec<&Settlement> = towns
            .iter()
            .map(|&i| self.whole(&self.settlements[i]))
            .chain(villages.iter().map(|&i| &self.settlements[i]))
            .filter(|c| c.country == "UA")
            .collect();
        if let Some(district) = district_after(rest) {
            let of_it = in_district(&all, &district);
            // The oblast of the district's town, for places whose raion is not known
            // (GeoNames'): "the village of Lyman in Chuhuiv district" is Kharkiv
            // oblast's Lyman; "Petropavlivka ... in the Kupiansk district" is not
            // Dnipropetrovsk oblast's.
            let oblast = self
                .lookup(&district)
                .filter(|town| town.country == "UA")
                .map(|town| town.oblast().to_string());
            match of_it[..] {
                [] if let Some(oblast) = oblast => {
                    let in_oblast: Vec<&Settlement> = all
                        .iter()
                        .copied()
                        .filter(|c| c.oblast() == oblast)
                        .collect();
                    return match in_oblast[..] {
                        [only] => Some(only),
                        _ if s.oblast() == oblast => Some(s),
                        _ => None,
                    };
                }
                [] => {}
                [only] => return Some(only),
                _ if of_it.iter().any(|c| c.is(s)) => return Some(s),
                _ => return None,
            }
        }
        Some(match in_named_region(&all, text.get())[..] {
            [only] if !region_named(s, text.get()) => only,
            _ => s,
        })
    }

    /// The region `name` names when the word after it (`next`, lowercase) is a word for
    /// regions ("Kharkiv oblast", "the Belgorod region"): its `admin1` and country.
    fn region_by_word(&self, name: &str, next: Option<&str>) -> Option<(String, String)> {
        next.filter(|w| REGION_WORDS.contains(&w.trim_end_matches("'s")))?;
        self.oblast(name)
            .map(|admin1| (admin1.to_string(), "UA".to_string()))
            .or_else(|| {
                self.lookup(name)
                    .filter(|s| s.country == "RU")
                    .map(|s| (s.admin1.clone(), "RU".to_string()))
            })
    }

    /// "in Volyn and Vinnytsia oblasts": an oblast no town is named after, listed
    /// before the plural word (`rest` the text after its name).
    fn listed_oblast(&self, name: &str, rest: &str) -> Option<Named> {
        let admin1 = self.oblasts.get(&fold(name))?;
        (self.lookup(name).is_none() && regions_list_ahead(rest)).then(|| Named::Region {
            admin1: (*admin1).to_string(),
            country: "UA".into(),
        })
    }

    /// Where a plant named after another place stands: the Zaporizhzhia thermal and
    /// nuclear plants in Enerhodar, the Dnipro hydroelectric plant in Zaporizhzhia
    /// (`name` the place's name, `next` the word after it, lowercase).
    /// "The Zaporizhzhia plant", "the Zaporizhzhia power plant": the one place every
    /// plant named after it stands in, if there is one.
    fn plant_site(&self, name: &str, next: &str) -> Option<&Settlement> {
        let kind = match next {
            "thermal" | "tpp" | "tes" => "thermal",
            "nuclear" | "npp" | "aes" => "nuclear",
            "hydroelectric" | "hydropower" | "hpp" | "ges" => "hydro",
            "plant" | "power" => {
                let mut sites = PLANTS.iter().filter(|(place, _, _)| *place == name);
                let (_, _, site) = sites.next()?;
                return (sites.count() > 0
                    && PLANTS.iter().all(|(p, _, s)| *p != name || s == site))
                .then(|| self.lookup(site))
                .flatten();
            }
            _ => return None,
        };
        let (_, _, site) = PLANTS
            .iter()
            .find(|(place, k, _)| *place == name && *k == kind)?;
        self.lookup(site)
    }

    /// Whether `s` is a city whose districts and outskirts text speaks of: 100,000 people
    /// or more, or an oblast's capital (GeoNames' figure for some is old: Kherson's
    /// 66,000).
    pub fn is_city(&self, s: &Settlement) -> bool {
        s.population >= 100_000 || self.capital(s.oblast()).is_some_and(|c| c.is(s))
    }

    /// The capital of the oblast `admin1` (`Kharkiv` → Kharkiv, `Volyn` → Lutsk).
    pub fn capital(&self, admin1: &str) -> Option<&Settlement> {
        if admin1 == "Kyiv City" {
            return self.lookup("Kyiv");
        }
        let (_, capital, _) = OBLASTS.iter().find(|(a, _, _)| *a == admin1)?;
        self.lookup(capital)
    }

    /// The oblast of Ukraine a name stands for (`Kharkivska`, `Dnipro`, `Volyn`).
    pub fn oblast(&self, name: &str) -> Option<&'static str> {
        let folded = fold(name);
        if let Some(admin1) = self.oblasts.get(&folded) {
            return Some(admin1);
        }
        // The adjective: Kharkivska, Lvivska, Dnipropetrovska, Odeska.
        let stem = folded
            .strip_suffix("ska")
            .or_else(|| folded.strip_suffix("ka"))?;
        if stem.len() < 3 {
            return None;
        }
        let mut matches = OBLASTS
            .iter()
            .filter(|(admin1, _, _)| fold(admin1).starts_with(stem));
        match (matches.next(), matches.next()) {
            (Some((admin1, _, _)), None) => Some(admin1),
            _ => None,
        }
    }

    /// "Sumy and Poltava regions", "Kharkiv, Sumy and Chernihiv oblasts": the names
    /// listed before a plural region word are regions too.
    fn regions_of_lists(&self, text: &str, found: &mut [(Found, usize)]) {
        for k in (0..found.len()).rev() {
            let Named::Region { .. } = found[k].0.named else {
                continue;
            };
            let plural = text[found[k].0.at.clone()].ends_with('s');
            if !plural {
                continue;
            }
            // "the Konotop, Okhtyrka and Sumy districts": raions, named after their
            // towns, of those towns' oblasts.
            let districts = {
                let span = text[found[k].0.at.clone()].to_lowercase();
                span.ends_with("districts") || span.ends_with("raions")
            };
            let mut j = k;
            while j > 0 {
                let gap = &text[found[j - 1].0.at.end..found[j].0.at.start];
                // Past names the gazetteer lacks: "Voronezh, Rostov and Smolensk regions".
                if !(joins_list(gap) || names_between(gap.trim())) {
                    break;
                }
                // "the Belgorod, Voronezh and Rostov regions": Russia's too.
                let Some((admin1, country)) = found[j - 1].0.settlement().and_then(|s| {
                    if s.country == "RU" {
                        Some((s.admin1.as_str(), "RU"))
                    } else if districts {
                        Some((s.oblast(), "UA"))
                    } else {
                        self.oblast(&s.name).map(|a| (a, "UA"))
                    }
                }) else {
                    break;
                };
                found[j - 1].0.named = Named::Region {
                    admin1: admin1.to_string(),
                    country: country.into(),
                };
                j -= 1;
            }
        }
        // "in six oblasts: Poltava, Kirovohrad and Vinnytsia", "the regions of Sumy and
        // Kharkiv": the names listed after the word for regions.
        let mut k = 0;
        while k < found.len() {
            let before = text[..found[k].0.at.start].trim_end().to_lowercase();
            let opens = [
                "oblasts:",
                "regions:",
                "regions of",
                "oblasts of",
                "regions –",
                "oblasts –",
            ]
            .iter()
            .any(|p| before.ends_with(p))
                // "In all, 13 oblasts came under fire — Chernihiv, Mykolaiv, ...".
                || (before.ends_with(['—', '–', ':']) && {
                    let from = before.len().saturating_sub(40);
                    let tail = before.get(from..).unwrap_or(&before);
                    tail.contains("oblasts") || tail.contains("regions")
                });
            if !opens {
                k += 1;
                continue;
            }
            let mut j = k;
            while j < found.len() {
                if j > k {
                    let gap = &text[found[j - 1].0.at.end..found[j].0.at.start];
                    if !joins_list(gap) && !compass_gap(gap) {
                        break;
                    }
                }
                if let Some(admin1) = found[j].0.settlement().and_then(|s| self.oblast(&s.name)) {
                    found[j].0.named = Named::Region {
                        admin1: admin1.to_string(),
                        country: "UA".into(),
                    };
                }
                j += 1;
            }
            k = j.max(k + 1);
        }
    }

    /// Places named in `text`: runs of capitalised words (up to four), longest first,
    /// not overlapping; a name followed by a region word names the region, and so do
    /// the names listed before a plural one ("Sumy and Poltava regions").
    pub fn find(&self, text: &str) -> Vec<Found> {
        let words = word_spans(text);
        let capital = |w: &(usize, usize)| {
            text[w.0..w.1]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        let word = |k: usize| words.get(k).map(|w| text[w.0..w.1].to_lowercase());
        // Folded once if at all, to tell namesakes apart by the region the text names.
        let folded = Folded::new(text);
        let mut found: Vec<(Found, usize)> = Vec::new();
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
                let next = word(i + n);
                if let Some((admin1, country)) = self.region_by_word(name, next.as_deref()) {
                    let end = words[i + n].1;
                    matched = Some((n + 1, Named::Region { admin1, country }, words[i].0..end));
                    break;
                }
                let common = COMMON_WORDS.contains(&name.to_lowercase().as_str());
                if let Some(s) = self.lookup(name).filter(|_| !common) {
                    // Of places sharing a name, the one whose oblast the text names
                    // ("Zolochiv hromada of Kharkiv oblast", not Lviv oblast's Zolochiv).
                    let after_name = &text[words[i].0 + name.len()..];
                    let Some(s) = self.namesake_in_named_region(name, s, &folded, after_name)
                    else {
                        matched = Some((n, Named::Skip, words[i].0..words[i].0));
                        break;
                    };
                    // The next word counts only when nothing but a space parts them.
                    let joined = words
                        .get(i + n)
                        .is_some_and(|w| text[words[i + n - 1].1..w.0].trim().is_empty());
                    let next_original =
                        words.get(i + n).filter(|_| joined).map(|w| &text[w.0..w.1]);
                    let after = word(i + n + 1);
                    let next = next.as_deref().filter(|_| joined);
                    let possessive = name.len() < span.len();
                    let around = Around {
                        name,
                        before: word_before(text, words[i].0),
                        possessive,
                        next,
                        next_original,
                        after: after.as_deref(),
                    };
                    match settlement_use(s, &around) {
                        Use::Place => {
                            let at = words[i].0..words[i].0 + name.len();
                            let s = next.and_then(|w| self.plant_site(&s.name, w)).unwrap_or(s);
                            matched = Some((n, Named::Settlement(s.clone()), at));
                        }
                        Use::District if s.country == "UA" => {
                            let end = words[i + n].1;
                            let named = Named::Region {
                                admin1: s.oblast().to_string(),
                                country: "UA".into(),
                            };
                            matched = Some((n + 1, named, words[i].0..end));
                        }
                        Use::District | Use::NotPlace => {
                            matched = Some((n, Named::Skip, words[i].0..words[i].0));
                        }
                    }
                    break;
                }
                let at = words[i].0..words[i].0 + name.len();
                if let Some(named) = self.listed_oblast(name, &text[at.end..]) {
                    matched = Some((n, named, at));
                    break;
                }
                let previous = found.last().map(|f| &f.0);
                if let Some(s) = self.village(&folded, at.clone(), name, previous) {
                    matched = Some((n, Named::Settlement(s.clone()), at));
                    break;
                }
            }
            match matched {
                Some((n, Named::Skip, _)) => i += n,
                Some((n, named, at)) => {
                    let authority = authority(&text[at.end..]);
                    found.push((
                        Found {
                            named,
                            at,
                            authority,
                        },
                        i,
                    ));
                    i += n;
                }
                None => i += 1,
            }
        }
        self.regions_of_lists(text, &mut found);
        found
            .into_iter()
            .map(|(mut f, _)| {
                if let Named::Settlement(s) = &f.named {
                    f.named = Named::Settlement(self.whole(s).clone());
                }
                f
            })
            .collect()
    }
}

/// A text and, once asked for, its [`fold`]ed form.
struct Folded<'a> {
    text: &'a str,
    folded: std::cell::OnceCell<String>,
}

impl<'a> Folded<'a> {
    fn new(text: &'a str) -> Self {
        Folded {
            text,
            folded: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> &str {
        self.folded.get_or_init(|| fold(self.text))
    }
}

/// Words after a community's name: "Semenivka community", "the Myrove hromada".
pub(crate) const COMMUNITY_WORDS: &[&str] = &[
    " community",
    " hromada",
    " territorial community",
    " district",
    " raion",
];

/// Whether the text after a name goes on as a list of names ending in a plural word for
/// regions: " and Vinnytsia oblasts", ", Rivne and Zhytomyr regions".
fn regions_list_ahead(rest: &str) -> bool {
    let (rest, names) = past_listed_names(rest);
    names > 0 && [" oblasts", " regions"].iter().any(|w| rest.starts_with(w))
}

/// The text after the names a list goes on with (", Petropavlivka", " and Berestove",
/// ", and Kherson"), and how many there were.
fn past_listed_names(rest: &str) -> (&str, usize) {
    let mut rest = rest;
    let mut names = 0;
    while let Some(r) = [", and ", ", ", " and "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .filter(|r| r.starts_with(char::is_uppercase))
    {
        let end = r
            .find(|c: char| !(c.is_alphabetic() || c == '-' || c == '\''))
            .unwrap_or(r.len());
        rest = &r[end..];
        names += 1;
    }
    (rest, names)
}

/// A raion's name as a district is called in text, folded: "Konotopskyi" is "Konotop
/// district", "Shostkynskyi" "Shostka district" (`konotop`, `shostk`).
fn raion_stem(raion: &str) -> &str {
    let stem = raion.strip_suffix("sky").unwrap_or(raion);
    stem.strip_suffix("yn").unwrap_or(stem)
}

/// The district or community named right after a name or a list of names ("...,
/// Ivanivka and Berestove in the Kupiansk district", "Malynivka of the Mykolaivka
/// community", "Prohres, Semenivka community" is another rule's), folded ("kupiansk").
fn district_after(rest: &str) -> Option<String> {
    let (rest, _) = past_listed_names(rest);
    let rest = ["in the ", "of the ", "in "]
        .iter()
        .find_map(|p| rest.strip_prefix(' ').and_then(|r| r.strip_prefix(p)))?;
    let mut words = rest.split_whitespace();
    let name = words.next()?;
    let kind = words
        .next()?
        .trim_end_matches([',', '.', ';', ':'])
        .to_lowercase();
    if !name.starts_with(char::is_uppercase) {
        return None;
    }
    let name = fold(name);
    match kind.as_str() {
        "district" | "raion" | "community" | "hromada" => Some(name),
        _ => None,
    }
}

/// Those of `candidates` in the district or community `district` ([`district_after`]'s
/// folded name: "kupiansk" is the Kupianskyi raion's, "mykolaivka" the Mykolaivka
/// community's).
fn in_district<'a>(candidates: &[&'a Settlement], district: &str) -> Vec<&'a Settlement> {
    candidates
        .iter()
        .copied()
        .filter(|s| {
            s.centre.as_deref().is_some_and(|c| fold(c) == district)
                || s.raion.as_deref().is_some_and(|r| {
                    let raion = fold(r);
                    let stem = raion_stem(&raion);
                    stem.len() >= 4 && district.starts_with(stem)
                })
        })
        .collect()
}

/// Whether `folded` (a text, [`fold`]ed) names the oblast or raion of `s`: "Dubivka in
/// the Kharkiv region", "Zolochiv hromada of Kharkiv oblast".
fn region_named(s: &Settlement, folded: &str) -> bool {
    let raion = s.raion.as_deref().map(fold).unwrap_or_default();
    let stem = raion_stem(&raion);
    let oblast = fold(s.oblast());
    REGION_WORDS
        .iter()
        .any(|w| folded.contains(&format!("{oblast} {w}")))
        || (stem.len() >= 5 && folded.contains(stem))
}

/// Those of `candidates` whose oblast or raion `folded` names ([`region_named`]).
fn in_named_region<'a>(candidates: &[&'a Settlement], folded: &str) -> Vec<&'a Settlement> {
    candidates
        .iter()
        .copied()
        .filter(|s| region_named(s, folded))
        .collect()
}

/// Words after "Moscow" that make it the government: "Moscow wanted to stop", "Moscow
/// might strike again" (beside the words of [`SPEECH`], which any place's name takes).
const GOVERNMENT_VERBS: &[&str] = &[
    "wanted",
    "wants",
    "might",
    "may",
    "could",
    "would",
    "will",
    "continues",
    "plans",
    "planned",
    "hopes",
    "seeks",
    "sought",
    "tried",
    "tries",
    "intends",
    "refuses",
    "refused",
    "aims",
    "aimed",
    "once",
    "again",
    "going",
    "keeps",
    "kept",
    "should",
    "must",
    // "Moscow saw no need", "Moscow blames Ukrainian attacks" ("said", "denies" and the
    // like are SPEECH, no place for any name).
    "saw",
    "sees",
    "blames",
];

/// Words after a place's name that make it the one who attacks, not the place attacked:
/// "Moscow fired 40 missiles", "the Kiev regime".
const ACTOR_WORDS: &[&str] = &[
    "fired",
    "launched",
    "sent",
    "unleashed",
    "used",
    "shelled",
    "attacked",
    "pressed",
    "stepped",
    "struck",
    "targeted",
    "continues",
    "continued",
    "concentrated",
    "presses",
    "pushes",
    "began",
    "begins",
    "intensified",
    "escalated",
    "regime",
    // Russian officials' "Kyiv terrorists", "Kyiv mainly targets refineries".
    "terrorists",
    "militants",
    // "occupied Crimea, which Moscow seized in 2014".
    "seized",
    "annexed",
    "captured",
    "mainly",
    "targets",
    // "Kyiv has carried out numerous attacks", "Kyiv has since strengthened its air
    // defences", "Kyiv vowed to respond".
    "carried",
    "strengthened",
    "vowed",
    "pledged",
    // "Kyiv has responded by sending long-range drones".
    "responded",
    "retaliated",
];

/// Plants named after a place they do not stand in: (the place, the kind of plant, the
/// settlement the plant stands in).
const PLANTS: &[(&str, &str, &str)] = &[
    ("Zaporizhzhia", "thermal", "Enerhodar"),
    ("Zaporizhzhia", "nuclear", "Enerhodar"),
    ("Dnipro", "hydro", "Zaporizhzhia"),
    ("Kakhovka", "hydro", "Nova Kakhovka"),
    ("Kremenchuk", "hydro", "Svitlovodsk"),
    ("Kyiv", "hydro", "Vyshhorod"),
    ("Khmelnytskyi", "nuclear", "Netishyn"),
    ("Rivne", "nuclear", "Varash"),
];

/// First names that may stand before a surname that is also a place's name ("Dmytro
/// Orlov", "Vitali Klitschko").
const FIRST_NAMES: &[&str] = &[
    "dmytro",
    "dmitry",
    "oleksandr",
    "alexander",
    "aleksandr",
    "serhii",
    "serhiy",
    "sergei",
    "sergey",
    "vitali",
    "vitaliy",
    "vitalii",
    "andrii",
    "andriy",
    "andrey",
    "ivan",
    "oleh",
    "oleg",
    "vadym",
    "vadim",
    "yurii",
    "yuriy",
    "yuri",
    "mykola",
    "nikolai",
    "volodymyr",
    "vladimir",
    "vyacheslav",
    "roman",
    "ihor",
    "igor",
    "pavlo",
    "pavel",
    "maksym",
    "maxim",
    "kyrylo",
    "oleksii",
    "oleksiy",
    "alexei",
    "artem",
    "natalia",
    "yulia",
    "olena",
    "iryna",
    "viktor",
    "anatolii",
    "borys",
    "boris",
    "denys",
    "denis",
    "hennadii",
    "gennady",
    "ruslan",
    "taras",
    "petro",
    "mikhail",
    "mykhailo",
    "yevhen",
    "yevgeny",
    "evgeny",
    "ramzan",
];

/// The word right before `start` in `text`, one space apart, if any.
fn word_before(text: &str, start: usize) -> Option<String> {
    let before = text[..start].strip_suffix(' ')?;
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The words around a settlement's name in text, by which [`settlement_use`] judges it.
struct Around<'a> {
    /// The name as written.
    name: &'a str,
    /// The word right before the name, as written.
    before: Option<String>,
    /// The name has a possessive 's.
    possessive: bool,
    /// The word after it, lowercase, when only a space parts them.
    next: Option<&'a str>,
    /// That word as written.
    next_original: Option<&'a str>,
    /// The word after that, lowercase.
    after: Option<&'a str>,
}

/// The villages of `text` (`villages.tsv`) appended to `settlements`: folded name (and
/// Ukrainian name) → their indices.
fn parse_villages(text: &str, settlements: &mut Vec<Settlement>) -> HashMap<String, Vec<usize>> {
    let mut villages: HashMap<String, Vec<usize>> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [katottg, name, ukrainian, _, admin1, raion, lat, lon, centre] = f[..] else {
            continue;
        };
        let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
            continue;
        };
        for name in [name, ukrainian] {
            villages
                .entry(fold(name))
                .or_default()
                .push(settlements.len());
        }
        settlements.push(Settlement {
            geonames_id: None,
            katottg: Some(katottg.into()),
            centre: Some(centre.into()),
            name: name.into(),
            country: "UA".into(),
            admin1: admin1.into(),
            lat,
            lon,
            population: 0,
            variants: vec![ukrainian.into()],
            raion: Some(raion.into()),
            part_of: None,
        });
    }
    villages
}

/// Whether the text between two places joins them in one list: ",", "and", ", and",
/// "&", "or".
pub(crate) fn joins_list(gap: &str) -> bool {
    matches!(gap.trim(), "," | "and" | ", and" | "&" | "or")
}

/// Whether a gap of a list of regions says where the ones before lie: "Mykolaiv, Odesa
/// and Kherson in the south, Dnipropetrovsk, Poltava and Vinnytsia in the centre, and
/// Lviv in the west".
fn compass_gap(gap: &str) -> bool {
    let Some(rest) = gap.trim().strip_prefix("in the ") else {
        return false;
    };
    let (compass, tail) = rest.split_once([',', ' ']).unwrap_or((rest, ""));
    matches!(
        compass,
        "south"
            | "north"
            | "east"
            | "west"
            | "centre"
            | "center"
            | "southeast"
            | "south-east"
            | "northeast"
            | "north-east"
            | "southwest"
            | "south-west"
            | "northwest"
            | "north-west"
    ) && matches!(tail.trim(), "" | "and" | ", and")
}

/// Whether a gap between two places of a list holds only more names the gazetteer does
/// not know, joined as a list ("Vuhledar, Maksymivka, Kurakhove": ", Maksymivka,";
/// "Voronezh, Rostov and Smolensk regions": ", Rostov and"). `gap` is trimmed.
pub(crate) fn names_between(gap: &str) -> bool {
    let words: Vec<&str> = gap
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let names = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    gap.starts_with(',')
        && (1..=6).contains(&names)
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || matches!(*w, "and" | "or"))
}

/// Russian places whose English name differs from GeoNames' by more than its spelling
/// rules: (GeoNames' name, the name news use).
const RUSSIAN_IN_ENGLISH: &[(&str, &str)] = &[
    ("Slavyansk-na-Kubani", "Slavyansk-on-Kuban"),
    ("Kushchyovskaya", "Kushchevskaya"),
];

/// A Russian place's GeoNames name in English usage: no soft signs, ë as "yo" ("Orël"
/// is Oryol, "Korolëv" Korolyov, "Ryazan’" Ryazan), and the names of
/// [`RUSSIAN_IN_ENGLISH`].
fn english(name: &str) -> String {
    if let Some((_, english)) = RUSSIAN_IN_ENGLISH.iter().find(|(g, _)| *g == name) {
        return (*english).to_string();
    }
    let name = name
        .replace(['’', '\'', 'ʹ'], "")
        .replace('ë', "yo")
        .replace('Ë', "Yo");
    // "Staryy Oskol", "Afipskiy": English writes "Stary Oskol", "Afipsky".
    name.split(' ')
        .map(|w| {
            w.strip_suffix("yy")
                .or_else(|| w.strip_suffix("iy"))
                .map_or(w.to_string(), |stem| format!("{stem}y"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a settlement's name is used, judged by the word after it.
enum Use {
    /// As the place.
    Place,
    /// As the name of a district (raion) of its oblast: "the Chuhuiv district".
    District,
    /// As something else: a person's first name ("Serhii Popko"), a speaker ("Moscow
    /// said"), a river or a plant named after it ("the Dnipro hydroelectric plant").
    NotPlace,
}

/// Capitalised words that may follow a place's name and leave it a place.
const AFTER_PLACE: &[&str] = &[
    "oblast",
    "region",
    "province",
    "city",
    "mayor",
    "governor",
    "council",
    "military",
    "regional",
    "district",
    "raion",
    "hromada",
    "tpp",
    "chp",
    "ukraine",
    "russia",
    "on",
    "in",
    "at",
    "the",
    "and",
    "or",
    "but",
    "was",
    "were",
    "is",
    "has",
    "had",
    "said",
    "came",
    "airport",
    "thermal",
    "power",
    "energy",
    "heat",
    "water",
    "residents",
    "state",
    "police",
    "emergency",
    "head",
    "deputy",
    "acting",
    "administration",
];

/// Surnames after first names that are also places' names ("Vladimir Putin", "Volodymyr
/// Zelensky", "Vladimir Saldo").
const SURNAMES: &[&str] = &[
    "putin",
    "zelensky",
    "zelenskyy",
    "zelenskiy",
    "saldo",
    "solovyov",
    "medinsky",
    "kolokoltsev",
];

/// Words that make a place before them a speaker ("Moscow said", "Kyiv has denied").
const SPEECH: &[&str] = &[
    "said",
    "says",
    "claimed",
    "claims",
    "acknowledged",
    "denied",
    "denies",
    "announced",
    "insists",
    "insisted",
    "accused",
    "blamed",
];

/// Whether the word before a name makes it no place: "Mayor Dmytro Orlov" (a surname),
/// "accused Moscow of" (the government), "a bridge over the Dnipro" (the river).
fn not_place_by_word_before(settlement: &Settlement, around: &Around) -> bool {
    let before = around.before.as_deref().unwrap_or("");
    let lower = before.to_lowercase();
    let first_name =
        before.starts_with(char::is_uppercase) && FIRST_NAMES.contains(&lower.as_str());
    let blamed = settlement.country == "RU"
        && matches!(
            lower.as_str(),
            "accused" | "blamed" | "urged" | "warned" | "accuses" | "blames"
        );
    // "stopped sharing intelligence with Kyiv", "forcing Kyiv to lean on imports":
    // Ukraine's government.
    let government = settlement.name == "Kyiv"
        && matches!(
            lower.as_str(),
            "with" | "forcing" | "forced" | "pressing" | "pressed" | "helping" | "supplying"
        )
        && around
            .next
            .is_none_or(|w| !matches!(w, "region" | "oblast" | "and" | "or"));
    // "officials installed by Moscow", "forces backed by Kyiv": a government.
    let by_government = matches!(settlement.name.as_str(), "Moscow" | "Kyiv")
        && lower == "by"
        && around
            .next
            .is_none_or(|w| !matches!(w, "region" | "oblast" | "and" | "or"));
    let river = around.name == "Dnipro"
        && lower == "the"
        && around
            .next
            .is_none_or(|w| !matches!(w, "region" | "oblast" | "hpp" | "hydroelectric"));
    first_name || blamed || government || by_government || river
}

fn settlement_use(settlement: &Settlement, around: &Around) -> Use {
    let Around {
        possessive,
        next,
        next_original,
        after,
        ..
    } = *around;
    let place = || {
        if not_place_by_word_before(settlement, around) {
            Use::NotPlace
        } else {
            Use::Place
        }
    };
    let Some(next) = next else { return place() };
    let word = next.trim_end_matches("'s").trim_end_matches("’s");
    // "Vladimir Putin", "Volodymyr Zelensky": a first name.
    if next_original.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && SURNAMES.contains(&word)
    {
        return Use::NotPlace;
    }
    // "Moscow's repeated attacks", "Moscow has lately intensified", "Moscow wanted to
    // stop", "Moscow might strike again": Russia's government. Moscow the place is
    // "in Moscow", "the Moscow region", "over Moscow and ...".
    let lowercase = next_original.is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase));
    if settlement.name == "Moscow"
        && (possessive
            || (matches!(word, "has" | "have" | "had") && after.is_some_and(|a| a != "been"))
            || (lowercase && GOVERNMENT_VERBS.contains(&word)))
    {
        return Use::NotPlace;
    }
    // "Kyiv's strikes on Russian refineries": the government, not the place.
    if possessive
        && Some(word).is_some_and(|a| {
            matches!(
                a,
                "strikes"
                    | "attacks"
                    | "forces"
                    | "government"
                    | "troops"
                    | "army"
                    | "military"
                    | "drone"
                    | "drones"
                    | "allies"
                    | "officials"
            )
        })
    {
        return Use::NotPlace;
    }
    // "14:47 Moscow time": a clock.
    if word == "time" {
        return Use::NotPlace;
    }
    let acts = |w: &str| ACTOR_WORDS.contains(&w);
    if acts(word)
        || SPEECH.contains(&word)
        || (matches!(word, "has" | "have" | "had")
            && after.is_some_and(|a| SPEECH.contains(&a) || acts(a)))
    {
        return Use::NotPlace;
    }
    if matches!(word, "district" | "raion" | "districts" | "raions") {
        return Use::District;
    }
    if matches!(
        word,
        "river"
            | "dam"
            | "reservoir"
            | "independent"
            | "post"
            | "pipeline"
            | "stadium"
            | "street"
            | "avenue"
            | "square"
            | "park"
            | "boulevard"
    ) {
        return Use::NotPlace;
    }
    let capitalised = next_original
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    // "Serhii Popko": a small place's name before another name is a person's, and so is
    // a first name that is also a city's ("Vladimir Rogov").
    if capitalised
        && !AFTER_PLACE.contains(&word)
        && (settlement.population < 20_000
            || FIRST_NAMES.contains(&settlement.name.to_lowercase().as_str()))
    {
        return Use::NotPlace;
    }
    place()
}

/// Byte spans of the words of `text` (letters, hyphens and apostrophes).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
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
    words
}
