//! The fuzz test's inputs: a seeded generator of URIs, headers and bodies for an
//! operation of the OpenAPI document, drawing on the document's own names and on the
//! dictionaries in `tests/data/fuzz.json`.

use super::Operation;
use lifeline_core::random::SplitMix64;
use lifeline_server::BODY_LIMIT;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Byte sequences that are not UTF-8: a stray byte, a cut-off sequence, a surrogate, past
/// U+10FFFF, an overlong form.
const NOT_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\xfe\xff",
];

/// `tests/data/fuzz.json`.
#[derive(Deserialize)]
pub struct Dictionaries {
    /// Text that breaks parsers: numbers at and past the limits of their types, dates at
    /// the ends of the calendar, unicode and control characters, injections.
    junk: Vec<String>,
    /// Path segments sent as they are: bad escapes, encoded slashes, bytes not UTF-8.
    raw_segments: Vec<String>,
    /// Query strings sent as they are.
    raw_queries: Vec<String>,
    /// Words of the domain the document does not name.
    words: Vec<String>,
    /// Letters of random strings.
    alphabets: Vec<String>,
    /// Bodies that are barely JSON, or not.
    odd_bodies: Vec<String>,
    /// Tokens spliced into JSON text.
    json_tokens: Vec<String>,
    /// Assets of the tiny city (`KIND:ID`) and near misses.
    assets: Vec<String>,
    toml_keys: Vec<String>,
    toml_tables: Vec<String>,
    toml_numbers: Vec<String>,
    /// TOML values of other types, and broken ones.
    toml_values: Vec<String>,
    clock_hours: Vec<String>,
    clock_minutes: Vec<String>,
    /// Content types sent instead of the documented one.
    content_types: Vec<String>,
    /// Authorization headers other than the right one.
    wrong_authorizations: Vec<String>,
}

/// The fuzz's draws: SplitMix64, small, fast and good enough to pick test inputs.
struct Rng(SplitMix64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// 0 to `n − 1` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// Longest text [`encode`] gives: a path segment and a dozen query pairs stay under the
/// 64 KiB the `http` crate allows a URI (the server is never sent a longer one). Long
/// runs of a long word (an enum value of the document) would pass it.
const MAX_ENCODED: usize = 4096;

/// Percent-encodes every byte but the unreserved ones, at most [`MAX_ENCODED`] bytes of
/// it (a cut may leave part of a character: more for the server to refuse).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        let piece = if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            char::from(b).to_string()
        } else {
            format!("%{b:02X}")
        };
        if out.len() + piece.len() > MAX_ENCODED {
            break;
        }
        out.push_str(&piece);
    }
    out
}

/// A TOML basic string.
fn toml_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `depth` arrays, or objects, one inside the other.
fn nested(depth: usize, objects: bool) -> String {
    if objects {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

/// The key under which ids for a path parameter are kept: its name and schema type.
fn id_key(name: &str, kind: &str) -> (String, String) {
    (name.to_string(), kind.to_string())
}

/// One generated input; the token and content type are sent or not per request.
pub struct Input {
    pub uri: String,
    pub body: Option<Vec<u8>>,
    pub content_type: String,
    pub authorization: Vec<u8>,
}

/// The generators and what they draw on.
pub struct Fuzzer {
    rng: Rng,
    document: Value,
    dictionaries: Dictionaries,
    /// The document's property, parameter and enum names and examples, and the
    /// dictionaries' words.
    words: Vec<String>,
    /// Short strings of the records the run created (ids, external ids, names), so later
    /// bodies can collide with them.
    seen: Vec<String>,
    /// The tiny city's scenario files.
    scenarios: Vec<String>,
    /// Ids that exist, by path parameter name and type: the documented examples and what
    /// the run created.
    known: BTreeMap<(String, String), Vec<String>>,
}

impl Fuzzer {
    pub fn new(
        seed: u64,
        document: Value,
        dictionaries: Dictionaries,
        scenarios: Vec<String>,
    ) -> Self {
        let mut words = dictionaries.words.clone();
        let mut known = BTreeMap::new();
        collect_words(&document, &mut words, &mut known);
        words.sort();
        words.dedup();
        Self {
            rng: Rng(SplitMix64::new(seed)),
            document,
            dictionaries,
            words,
            seen: Vec::new(),
            scenarios,
            known,
        }
    }

    /// An entry of the dictionary `list` selects.
    fn entry(&mut self, list: fn(&Dictionaries) -> &Vec<String>) -> String {
        let items = list(&self.dictionaries);
        items[self.rng.below(items.len())].clone()
    }

    fn word(&mut self) -> String {
        self.words[self.rng.below(self.words.len())].clone()
    }

    /// `schema`, with a `$ref` into the document followed.
    fn resolve(&self, schema: &Value) -> Value {
        match schema["$ref"].as_str() {
            Some(pointer) => self
                .document
                .pointer(pointer.trim_start_matches('#'))
                .cloned()
                .unwrap_or(Value::Null),
            None => schema.clone(),
        }
    }

    /// A string: a word, something seen, junk, random letters, a phrase, a number, a
    /// date or a long run.
    fn string(&mut self) -> String {
        match self.rng.below(15) {
            0..=2 => self.word(),
            3 | 4 if !self.seen.is_empty() => self.seen[self.rng.below(self.seen.len())].clone(),
            3..=5 => self.entry(|d| &d.junk),
            6 | 7 => {
                let n = self.rng.below(24);
                (0..n)
                    .map(|_| {
                        let alphabet: Vec<char> = self.entry(|d| &d.alphabets).chars().collect();
                        self.rng.pick(&alphabet)
                    })
                    .collect()
            }
            8..=10 => self.phrase(),
            11 => ((self.rng.next() as i64) >> self.rng.below(64)).to_string(),
            12 | 13 => self.date(),
            _ => {
                let n = 1 + self.rng.below(2000);
                self.word().repeat(n)
            }
        }
    }

    /// `YYYY-MM-DD`, now and then with `THH:MM`; some days and times do not exist.
    fn date(&mut self) -> String {
        let (month, day) = (1 + self.rng.below(12), 1 + self.rng.below(31));
        let date = format!("{}-{month:02}-{day:02}", 2020 + self.rng.below(8));
        if self.rng.chance(30) {
            format!("{date}T{:02}:{:02}", self.rng.below(25), self.rng.below(61))
        } else {
            date
        }
    }

    /// Words, numbers and junk, as a sentence or a few: food for the news extractor.
    fn phrase(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..2 + self.rng.below(10) {
            let part = match self.rng.below(4) {
                0 | 1 => self.word(),
                2 => self.rng.below(40).to_string(),
                _ => self.entry(|d| &d.junk),
            };
            out.push_str(&part);
            out.push_str(self.rng.pick(&[" ", " ", ". ", ", ", "\n\n", "-"]));
        }
        out
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let minimum = schema["minimum"].as_i64().unwrap_or(0);
        let edges = [
            i64::MIN,
            -1,
            i32::MAX.into(),
            u32::MAX.into(),
            1 << 53,
            i64::MAX,
        ];
        match self.rng.below(10) {
            0..=4 => json!(minimum + self.rng.below(100) as i64),
            5 => json!(minimum - 1),
            6 => json!(self.rng.pick(&edges)),
            7 => json!(u64::MAX),
            8 => json!(self.rng.pick(&[30, 60, 0, 1])),
            _ => json!(self.rng.below(10) as f64 + 0.5),
        }
    }

    fn number(&mut self) -> Value {
        let edges = [
            0.0,
            -0.0,
            -1.0,
            1e-300,
            1e300,
            f64::MAX,
            336.0,
            336.000_001,
            10.5,
        ];
        match self.rng.below(6) {
            0..=2 => json!(self.rng.below(4000) as f64 / 10.0),
            3 => json!(self.rng.pick(&edges)),
            4 => json!(self.rng.below(20) as i64 - 5),
            _ => json!(-(self.rng.below(1000) as f64)),
        }
    }

    /// Any JSON value, nested at most a few levels.
    fn any(&mut self, depth: usize) -> Value {
        match self.rng.below(if depth < 4 { 8 } else { 6 }) {
            0 => Value::Null,
            1 => json!(self.rng.chance(50)),
            2 => self.integer(&Value::Null),
            3 => self.number(),
            4 | 5 => json!(self.string()),
            6 => (0..self.rng.below(4))
                .map(|_| self.any(depth + 1))
                .collect(),
            _ => {
                let n = self.rng.below(4);
                let object: Map<String, Value> =
                    (0..n).map(|_| (self.word(), self.any(depth + 1))).collect();
                object.into()
            }
        }
    }

    /// A value for `schema`: mostly one that fits, sometimes null or another type.
    fn value(&mut self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if schema["nullable"] == true && self.rng.chance(10) {
            return Value::Null;
        }
        if let Some(options) = schema["enum"].as_array() {
            return if self.rng.chance(85) {
                self.rng.pick(options)
            } else {
                json!(self.string())
            };
        }
        if let Some(example) = schema.get("example")
            && !example.is_object()
            && self.rng.chance(40)
        {
            return example.clone();
        }
        match schema["type"].as_str() {
            Some("object") => self.object(&schema, depth),
            Some("array") => {
                let n = if depth < 4 { self.rng.below(4) } else { 0 };
                (0..n)
                    .map(|_| self.value(&schema["items"], depth + 1))
                    .collect()
            }
            Some("string") => json!(self.string()),
            Some("integer") => self.integer(&schema),
            Some("number") => self.number(),
            Some("boolean") => json!(self.rng.chance(50)),
            _ => self.any(depth),
        }
    }

    /// An object: half the time the schema's example with some properties made anew,
    /// else its required properties (mostly) and a share of the others; words for keys
    /// when the schema names none; now and then a field it does not know.
    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required = |name: &str| {
            schema["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|n| n == name))
        };
        let example = schema["example"]
            .as_object()
            .filter(|_| self.rng.chance(50))
            .cloned();
        let mut object = Map::new();
        match schema["properties"].as_object() {
            Some(properties) => {
                for (name, property) in properties {
                    let kept = example.as_ref().and_then(|e| e.get(name));
                    let share = match (required(name), kept) {
                        (true, _) => 95,
                        (false, Some(_)) => 80,
                        (false, None) if example.is_some() => 15,
                        (false, None) => 40,
                    };
                    if !self.rng.chance(share) {
                        continue;
                    }
                    let value = match kept {
                        Some(kept) if self.rng.chance(80) => kept.clone(),
                        _ => self.value(property, depth + 1),
                    };
                    object.insert(name.clone(), value);
                }
            }
            None => {
                for _ in 0..self.rng.below(4) {
                    let (key, value) = (self.word(), self.any(depth + 1));
                    object.insert(key, value);
                }
            }
        }
        if self.rng.chance(5) {
            let (key, value) = (self.word(), self.any(depth + 1));
            object.insert(key, value);
        }
        object.into()
    }

    /// A fitting value for a parameter's `schema`, as it reads in a URL.
    fn text(&mut self, schema: &Value) -> String {
        match self.value(schema, 0) {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// Changes one node of `value`: another type, null, an extra or a missing field, deep
    /// nesting, a long array or string.
    fn mutate(&mut self, value: &mut Value, depth: usize) {
        let descend = depth < 6 && self.rng.chance(50);
        match value {
            Value::Object(map) if descend && !map.is_empty() => {
                let key = map.keys().nth(self.rng.below(map.len())).cloned();
                if let Some(child) = key.and_then(|k| map.get_mut(&k)) {
                    return self.mutate(child, depth + 1);
                }
            }
            Value::Array(items) if descend && !items.is_empty() => {
                let i = self.rng.below(items.len());
                return self.mutate(&mut items[i], depth + 1);
            }
            _ => {}
        }
        match self.rng.below(7) {
            0 => *value = self.any(2),
            1 => *value = Value::Null,
            2 => {
                let (key, extra) = (self.word(), self.any(2));
                match value {
                    Value::Object(map) => drop(map.insert(key, extra)),
                    other => *other = json!([other.take(), extra]),
                }
            }
            3 => match value {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(self.rng.below(map.len())).cloned();
                    key.map(|k| map.remove(&k));
                }
                other => *other = json!({ self.word(): other.take() }),
            },
            4 => {
                let text = nested(self.rng.below(120), self.rng.chance(50));
                *value = serde_json::from_str(&text).unwrap_or(Value::Null);
            }
            5 => *value = Value::Array(vec![value.clone(); 1 + self.rng.below(2000)]),
            _ => *value = json!(self.word().repeat(1 + self.rng.below(10_000))),
        }
    }

    /// Breaks JSON or TOML text: cuts it, splices in bytes that are not UTF-8 or a
    /// token, overwrites a byte, or repeats a key.
    fn damage(&mut self, mut bytes: Vec<u8>) -> Vec<u8> {
        let at = self.rng.below(bytes.len() + 1);
        match self.rng.below(5) {
            0 => bytes.truncate(at),
            1 => drop(bytes.splice(at..at, self.rng.pick(NOT_UTF8).iter().copied())),
            2 if at < bytes.len() => bytes[at] = self.rng.next() as u8,
            3 => drop(bytes.splice(at..at, self.entry(|d| &d.json_tokens).into_bytes())),
            _ if bytes.first() == Some(&b'{') => {
                let repeated = format!("{{{}:1,", json!(self.word()));
                drop(bytes.splice(0..1, repeated.into_bytes()));
            }
            _ => {}
        }
        bytes
    }

    /// A JSON body for `schema`: generated, mutated, damaged, odd, deeply nested, or
    /// past the size limit.
    fn json(&mut self, schema: &Value) -> Vec<u8> {
        let mut value = self.value(schema, 0);
        match self.rng.below(40) {
            0..=15 => value.to_string().into_bytes(),
            16..=27 => {
                self.mutate(&mut value, 0);
                value.to_string().into_bytes()
            }
            28..=33 => self.damage(value.to_string().into_bytes()),
            34 | 35 => self.entry(|d| &d.odd_bodies).into_bytes(),
            36..=38 => {
                let depth = self.rng.pick(&[64, 127, 128, 129, 5000]);
                nested(depth, self.rng.chance(50)).into_bytes()
            }
            _ => format!(r#"{{"text": "{}"}}"#, "x".repeat(BODY_LIMIT)).into_bytes(),
        }
    }

    /// A TOML value for `key`: mostly of the key's type (hours and megawatts, clock
    /// times, assets, damage), at the edges of its range; else anything.
    fn toml_value(&mut self, key: &str) -> String {
        if self.rng.chance(20) {
            return if self.rng.chance(50) {
                self.entry(|d| &d.toml_values)
            } else {
                toml_quote(&self.string())
            };
        }
        match key.trim() {
            k if k.ends_with("_h") || k.ends_with("_mw") => self.entry(|d| &d.toml_numbers),
            "at" => {
                let (h, m) = (
                    self.entry(|d| &d.clock_hours),
                    self.entry(|d| &d.clock_minutes),
                );
                format!("\"{h}:{m}\"")
            }
            "asset" | "first" | "then" => toml_quote(&self.entry(|d| &d.assets)),
            "damage" => toml_quote(self.rng.pick(&["damaged", "destroyed"])),
            _ => toml_quote(&self.string()),
        }
    }

    fn toml_line(&mut self) -> String {
        if self.rng.chance(20) {
            return self.entry(|d| &d.toml_tables);
        }
        let key = if self.rng.chance(85) {
            self.entry(|d| &d.toml_keys)
        } else {
            self.word()
        };
        format!("{key} = {}", self.toml_value(&key))
    }

    /// A strike on an asset of the tiny city or a near miss.
    fn strike(&mut self) -> Vec<String> {
        let mut lines = vec!["[[strike]]".to_string()];
        for key in ["at", "asset", "damage", "repair_h"] {
            if self.rng.chance(85) {
                lines.push(format!("{key} = {}", self.toml_value(key)));
            }
        }
        lines
    }

    /// One of the tiny city's scenarios with lines removed, repeated, swapped, added or
    /// given other values.
    fn mutated_scenario(&mut self) -> String {
        let seed = self.rng.below(self.scenarios.len());
        let mut lines: Vec<String> = self.scenarios[seed].lines().map(String::from).collect();
        let changes = if self.rng.chance(60) {
            1
        } else {
            2 + self.rng.below(2)
        };
        for _ in 0..changes {
            let at = self.rng.below(lines.len() + 1);
            match self.rng.below(8) {
                0 if at < lines.len() => drop(lines.remove(at)),
                1 if at < lines.len() => lines.insert(at, lines[at].clone()),
                2 => {
                    let line = self.toml_line();
                    lines.insert(at, line);
                }
                3 => {
                    let strike = self.strike();
                    lines.extend(strike);
                }
                4 if at < lines.len() => {
                    let other = self.rng.below(lines.len());
                    lines.swap(at, other);
                }
                _ => {
                    let keyed: Vec<usize> = (0..lines.len())
                        .filter(|&i| lines[i].contains(" = "))
                        .collect();
                    if !keyed.is_empty() {
                        let i = self.rng.pick(&keyed);
                        let key = lines[i].split(" = ").next().unwrap_or_default().to_string();
                        lines[i] = format!("{key} = {}", self.toml_value(&key));
                    }
                }
            }
        }
        lines.join("\n")
    }

    /// A scenario body: mutated from a seed, made of loose lines, or damaged.
    fn toml(&mut self) -> Vec<u8> {
        let text = if self.rng.chance(75) {
            self.mutated_scenario()
        } else {
            let n = 1 + self.rng.below(12);
            (0..n)
                .map(|_| self.toml_line())
                .collect::<Vec<_>>()
                .join("\n")
        };
        if self.rng.chance(15) {
            self.damage(text.into_bytes())
        } else {
            text.into_bytes()
        }
    }

    /// A path segment for `parameter`: a known id, a fitting value, junk, or a segment
    /// with raw escapes.
    fn segment(&mut self, parameter: &Value) -> String {
        let schema = &parameter["schema"];
        let key = id_key(
            parameter["name"].as_str().unwrap_or_default(),
            schema["type"].as_str().unwrap_or_default(),
        );
        let ids = self.known.get(&key).cloned().unwrap_or_default();
        match self.rng.below(10) {
            0..=3 if !ids.is_empty() => encode(&self.rng.pick(&ids)),
            0..=5 => encode(&self.text(schema)),
            6 | 7 => encode(&self.string()),
            8 => self.entry(|d| &d.raw_segments),
            _ => encode(&self.entry(|d| &d.junk)),
        }
    }

    /// A query string: documented parameters with fitting values or garbage, unknown
    /// and repeated parameters, raw junk.
    fn query(&mut self, operation: &Operation) -> String {
        let mut pairs = Vec::new();
        for parameter in operation.parameters.iter().filter(|p| p["in"] == "query") {
            if self.rng.chance(50) {
                let name = parameter["name"].as_str().unwrap_or_default();
                let value = if self.rng.chance(60) {
                    self.text(&parameter["schema"])
                } else {
                    self.string()
                };
                pairs.push(format!("{}={}", encode(name), encode(&value)));
            }
        }
        if self.rng.chance(15) {
            let (name, value) = (self.word(), self.string());
            pairs.push(format!("{}={}", encode(&name), encode(&value)));
        }
        if self.rng.chance(5)
            && let Some(first) = pairs.first().cloned()
        {
            pairs.push(first);
        }
        if self.rng.chance(5) {
            pairs.push(self.entry(|d| &d.raw_queries));
        }
        match pairs.is_empty() {
            true if self.rng.chance(90) => String::new(),
            _ => format!("?{}", pairs.join("&")),
        }
    }

    /// The next input for `operation`.
    pub fn input(&mut self, operation: &Operation, token: &str) -> Input {
        let mut uri = String::new();
        for part in operation.path.split('/').skip(1) {
            uri.push('/');
            let parameter = part
                .strip_prefix('{')
                .and_then(|p| p.strip_suffix('}'))
                .and_then(|name| operation.parameters.iter().find(|p| p["name"] == name));
            match parameter {
                Some(parameter) => uri.push_str(&self.segment(parameter)),
                None => uri.push_str(part),
            }
        }
        uri.push_str(&self.query(operation));
        let body = match &operation.body {
            Some((media, _)) if media == "application/toml" => Some(self.toml()),
            Some((_, schema)) => Some(self.json(schema)),
            None if self.rng.chance(10) => Some(self.json(&Value::Null)),
            None => None,
        };
        let documented = operation
            .body
            .as_ref()
            .map_or("application/json", |(media, _)| media);
        let content_type = if self.rng.chance(60) {
            documented.to_string()
        } else {
            self.entry(|d| &d.content_types)
        };
        let authorization = match self.rng.below(10) {
            0..=6 => format!("Bearer {token}").into_bytes(),
            7 | 8 => self.entry(|d| &d.wrong_authorizations).into_bytes(),
            _ => [format!("Bearer {token}").as_bytes(), b"\xff"].concat(),
        };
        Input {
            uri,
            body,
            content_type,
            authorization,
        }
    }

    /// Keeps what a 201 or 202 answer created: its id, for path parameters, and its
    /// short strings, for bodies.
    pub fn learn(&mut self, body: &[u8]) {
        let Ok(Value::Object(record)) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        let strings = record
            .values()
            .filter_map(Value::as_str)
            .filter(|s| s.len() <= 40);
        self.seen.extend(strings.map(String::from));
        let (kind, id) = match &record.get("id") {
            Some(Value::String(s)) => ("string", s.clone()),
            Some(Value::Number(n)) => ("integer", n.to_string()),
            _ => return,
        };
        self.known.entry(id_key("id", kind)).or_default().push(id);
    }
}

/// Collects the document's property, parameter and enum names and examples into
/// `words`, and the examples of path parameters into `known`.
fn collect_words(
    value: &Value,
    words: &mut Vec<String>,
    known: &mut BTreeMap<(String, String), Vec<String>>,
) {
    match value {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                words.extend(properties.keys().cloned());
            }
            if let (Some(name), Some(place)) =
                (map.get("name").and_then(Value::as_str), map.get("in"))
            {
                words.push(name.to_string());
                if let (true, Some(example)) = (place == "path", map.get("example")) {
                    let kind = map["schema"]["type"].as_str().unwrap_or_default();
                    let example = example
                        .as_str()
                        .map_or_else(|| example.to_string(), String::from);
                    let ids = known.entry(id_key(name, kind)).or_default();
                    if !ids.contains(&example) {
                        ids.push(example);
                    }
                }
            }
            for key in ["enum", "example"] {
                match map.get(key) {
                    Some(Value::Array(items)) => {
                        words.extend(items.iter().filter_map(Value::as_str).map(String::from))
                    }
                    Some(Value::String(s)) => words.push(s.clone()),
                    _ => {}
                }
            }
            map.values().for_each(|v| collect_words(v, words, known));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_words(v, words, known)),
        _ => {}
    }
}
