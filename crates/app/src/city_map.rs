//! `lifeline city map`: the city as a static SVG for reports — districts, the water
//! network, the grid, pump stations and facilities where the city places them — and,
//! with a scenario's run, the districts coloured by the share without power (or water)
//! at one time and every asset hit or without supply in red, as the dashboard draws it.

use crate::AppError;
use lifeline_cascade::result::AssetTimeline;
use lifeline_cascade::{CascadeResult, City};
use lifeline_core::text::xml_escape as escape;
use lifeline_water::LinkKind;
use std::fmt::Write as _;

/// Which service the districts are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The share of customers without power.
    Power,
    /// The share of people without water.
    Water,
}

/// A scenario's run and the time to draw, h from its start.
pub struct AtTime<'a> {
    /// The run.
    pub result: &'a CascadeResult,
    /// The time, h (the last reported time at or before it is drawn).
    pub at_h: f64,
    /// What the districts are coloured by.
    pub service: Service,
}

/// The SVG's width in its own units; the height follows the city's shape.
const WIDTH: f64 = 1000.0;

/// The city as an SVG document; with `at`, coloured for that time of the run. Fails when
/// the time is outside the run (`at_h`) or the city has nothing placed to draw.
pub fn svg(city: &City, at: Option<AtTime<'_>>) -> Result<String, AppError> {
    let step = match &at {
        Some(at) => {
            let times = &at.result.times_h;
            let last = times.last().copied().unwrap_or(0.0);
            if !(at.at_h.is_finite() && (0.0..=last).contains(&at.at_h)) {
                return Err(AppError::field(
                    "at_h",
                    format!(
                        "must be within the run, 00:00 to {last} h, got {} h",
                        at.at_h
                    ),
                ));
            }
            Some(
                times
                    .partition_point(|&t| t <= at.at_h + 1e-9)
                    .saturating_sub(1),
            )
        }
        None => None,
    };
    let frame = Frame::of(city).ok_or_else(|| {
        AppError::field(
            "city",
            "nothing to draw: the city has no map, no [grid] positions and no [water] crs",
        )
    })?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-20 -40 {:.0} {:.0}" font-family="sans-serif">"#,
        WIDTH + 40.0,
        frame.height + 105.0
    );
    let _ = writeln!(
        out,
        "<style>.d{{stroke:#fff;stroke-width:1.5}}.pipe{{stroke:#2563eb;stroke-width:.7;opacity:.55}}.link{{stroke:#1d4ed8;stroke-width:2}}.line{{stroke:#374151;stroke-width:1.4;opacity:.75}}.bus{{fill:#111827}}.tank{{fill:#0ea5e9}}.station{{fill:#1d4ed8}}.facility{{fill:#db2777}}.down{{stroke:#dc2626;fill:#dc2626;opacity:1}}</style>"
    );
    let title = match (&at, step) {
        (Some(at), Some(k)) => format!(
            "{} — {} at +{:.1} h",
            city.name, at.result.scenario, at.result.times_h[k]
        ),
        _ => city.name.clone(),
    };
    let _ = writeln!(
        out,
        r#"<text x="0" y="-15" font-size="20">{}</text>"#,
        escape(&title)
    );
    districts(&mut out, city, &frame, at.as_ref().zip(step));
    let down = |asset: &str| match (&at, step) {
        (Some(at), Some(k)) => is_down(at.result, asset, at.result.times_h[k]),
        _ => false,
    };
    networks(&mut out, city, &frame, &down);
    scale_bar(&mut out, &frame);
    legend(&mut out, city, &frame, at.is_some());
    out.push_str("</svg>\n");
    Ok(out)
}

/// Whether `asset` is hit or without supply at `t_h` in `result`.
fn is_down(result: &CascadeResult, asset: &str, t_h: f64) -> bool {
    result
        .asset(asset)
        .and_then(|timeline| timeline.state_at(t_h))
        .is_some_and(AssetTimeline::is_out)
}

/// The map's frame: every placed point's extent, equirectangular, north up.
struct Frame {
    x0: f64,
    y1: f64,
    k: f64,
    scale: f64,
    height: f64,
}

impl Frame {
    fn of(city: &City) -> Option<Self> {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for district in &city.districts {
            if let Some(outline) = &district.outline {
                rings(outline)
                    .into_iter()
                    .flatten()
                    .for_each(|p| points.push(p));
            }
        }
        points.extend(city.bus_positions.iter().flatten());
        points.extend(city.node_positions.iter().flatten());
        if points.is_empty() {
            return None;
        }
        let (x0, x1, y0, y1) = points.iter().fold(
            (
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), p| (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)),
        );
        let k = ((y0 + y1) / 2.0).to_radians().cos().max(1e-6);
        let scale = WIDTH / ((x1 - x0) * k).max(1e-9);
        Some(Self {
            x0,
            y1,
            k,
            scale,
            height: ((y1 - y0) * scale).max(1.0),
        })
    }

    fn at(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            (lon - self.x0) * self.k * self.scale,
            (self.y1 - lat) * self.scale,
        )
    }
}

/// The rings of a Polygon or MultiPolygon geometry.
fn rings(geometry: &serde_json::Value) -> Vec<Vec<(f64, f64)>> {
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .map(|points| {
                points
                    .iter()
                    .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let coordinates = geometry.get("coordinates");
    match geometry.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => coordinates
            .and_then(|c| c.as_array())
            .map(|rs| rs.iter().map(ring).collect())
            .unwrap_or_default(),
        Some("MultiPolygon") => coordinates
            .and_then(|c| c.as_array())
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.as_array())
                    .flatten()
                    .map(ring)
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The districts, filled by the share without service at step `k` of the run.
fn districts(out: &mut String, city: &City, frame: &Frame, at: Option<(&AtTime<'_>, usize)>) {
    for (d, district) in city.districts.iter().enumerate() {
        let Some(outline) = &district.outline else {
            continue;
        };
        let mut path = String::new();
        for ring in rings(outline) {
            for (i, &p) in ring.iter().enumerate() {
                let (x, y) = frame.at(p);
                let _ = write!(path, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            path.push('Z');
        }
        let share = at.and_then(|(at, k)| {
            let result = at.result.districts.get(d)?;
            let sample = result.timeline.get(k)?;
            Some(match at.service {
                Service::Power => {
                    sample.customers_without_power as f64 / result.customers.max(1) as f64
                }
                Service::Water => {
                    sample.people_without_water as f64 / result.population.max(1) as f64
                }
            })
        });
        let fill = share.map_or("#e5e7eb".to_string(), |s| {
            colour(s, at.map_or(Service::Power, |(a, _)| a.service))
        });
        let _ = writeln!(
            out,
            r#"<path class="d" data-name="{}" d="{path}" fill="{fill}"><title>{}{}</title></path>"#,
            escape(&district.name),
            escape(&district.name),
            share.map_or(String::new(), |s| format!(": {:.0} % without", 100.0 * s))
        );
    }
}

/// A share 0–1 as the dashboard colours it.
fn colour(share: f64, service: Service) -> String {
    let (a, b) = match service {
        Service::Power => ([254.0, 240.0, 138.0], [30.0, 27.0, 75.0]),
        Service::Water => ([191.0, 219.0, 254.0], [124.0, 45.0, 18.0]),
    };
    let s = share.clamp(0.0, 1.0);
    let c: Vec<String> = (0..3)
        .map(|i| format!("{:.0}", a[i] + (b[i] - a[i]) * s))
        .collect();
    format!("rgb({})", c.join(","))
}

/// Pipes, links, grid lines, substations, tanks, stations and facilities.
fn networks(out: &mut String, city: &City, frame: &Frame, down: &dyn Fn(&str) -> bool) {
    let class = |base: &str, asset: &str| {
        if down(asset) {
            format!("{base} down")
        } else {
            base.to_string()
        }
    };
    let network = &city.network;
    let node = |n: usize| city.node_positions.get(n).copied().flatten();
    for (l, &(a, b)) in network.link_ends.iter().enumerate() {
        if let Some((p, q)) = node(a).zip(node(b)) {
            let ((x1, y1), (x2, y2)) = (frame.at(p), frame.at(q));
            let (base, asset) = match network.link_kinds[l] {
                LinkKind::Pipe | LinkKind::CvPipe => {
                    ("pipe", format!("pipe:{}", network.link_ids[l]))
                }
                _ => ("link", String::new()),
            };
            let _ = writeln!(
                out,
                r#"<line class="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/>"#,
                class(base, &asset)
            );
        }
    }
    let bus = |p: usize| city.bus_positions.get(p).copied().flatten();
    let positions = city.case.bus_positions();
    for (b, branch) in city.case.branches.iter().enumerate() {
        let ends = positions
            .get(&branch.from)
            .and_then(|&p| bus(p))
            .zip(positions.get(&branch.to).and_then(|&p| bus(p)));
        if let Some((p, q)) = ends {
            let ((x1, y1), (x2, y2)) = (frame.at(p), frame.at(q));
            let _ = writeln!(
                out,
                r#"<line class="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/>"#,
                class("line", &format!("branch:{}", b + 1))
            );
        }
    }
    let size = WIDTH / 180.0;
    let square = |out: &mut String, at: (f64, f64), cls: String, title: &str| {
        let (x, y) = frame.at(at);
        let _ = writeln!(
            out,
            r#"<rect class="{cls}" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}</title></rect>"#,
            x - size,
            y - size,
            2.0 * size,
            2.0 * size,
            escape(title)
        );
    };
    for (p, b) in city.case.buses.iter().enumerate() {
        if let Some(at) = bus(p) {
            let asset = format!("bus:{}", b.id);
            square(out, at, class("bus", &asset), &asset);
        }
    }
    for (n, kind) in network.node_kinds.iter().enumerate() {
        if *kind != lifeline_water::NodeKind::Junction
            && let Some(at) = node(n)
        {
            let asset = format!("tank:{}", network.node_ids[n]);
            square(out, at, class("tank", &asset), &network.node_ids[n]);
        }
    }
    let circle = |out: &mut String, at: (f64, f64), cls: String, title: &str| {
        let (x, y) = frame.at(at);
        let _ = writeln!(
            out,
            r#"<circle class="{cls}" cx="{x:.1}" cy="{y:.1}" r="{size:.1}"><title>{}</title></circle>"#,
            escape(title)
        );
    };
    for s in &city.pump_stations {
        if let Some(at) = s.position {
            circle(
                out,
                at,
                class("station", &format!("pump_station:{}", s.id)),
                &s.name,
            );
        }
    }
    for f in &city.facilities {
        if let Some(at) = f.position {
            circle(
                out,
                at,
                class("facility", &format!("facility:{}", f.id)),
                &f.name,
            );
        }
    }
}

/// The symbols drawn, with their meaning (only those this city has), below the map.
fn legend(out: &mut String, city: &City, frame: &Frame, with_scenario: bool) {
    use lifeline_water::NodeKind;
    let network = &city.network;
    let placed_node = |n: usize| city.node_positions.get(n).copied().flatten().is_some();
    let has_link = |pipe: bool| {
        network.link_ends.iter().enumerate().any(|(l, &(a, b))| {
            matches!(network.link_kinds[l], LinkKind::Pipe | LinkKind::CvPipe) == pipe
                && placed_node(a)
                && placed_node(b)
        })
    };
    let has_node = |kind: NodeKind| {
        (0..network.node_kinds.len()).any(|n| network.node_kinds[n] == kind && placed_node(n))
    };
    let buses = city.bus_positions.iter().any(Option::is_some);
    let entries = [
        (has_link(true), "line", "pipe", "pipe"),
        (has_link(false), "line", "link", "pump or valve"),
        (buses, "line", "line", "power line"),
        (buses, "rect", "bus", "substation"),
        (
            has_node(NodeKind::Tank) || has_node(NodeKind::Reservoir),
            "rect",
            "tank",
            "tank or source",
        ),
        (
            city.pump_stations.iter().any(|s| s.position.is_some()),
            "circle",
            "station",
            "pump station",
        ),
        (
            city.facilities.iter().any(|f| f.position.is_some()),
            "circle",
            "facility",
            "facility",
        ),
        (with_scenario, "line", "down", "hit or without supply"),
    ];
    let y = frame.height + 55.0;
    let mut x = 0.0;
    let _ = writeln!(out, r#"<g class="legend" font-size="13">"#);
    for (_, shape, class, word) in entries.into_iter().filter(|e| e.0) {
        let symbol = match shape {
            "line" => format!(
                r#"<line class="k {class}" x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" style="stroke-width:3;opacity:1"/>"#,
                x + 16.0
            ),
            "rect" => format!(
                r#"<rect class="k {class}" x="{:.1}" y="{:.1}" width="9" height="9"/>"#,
                x + 3.5,
                y - 4.5
            ),
            _ => format!(
                r#"<circle class="k {class}" cx="{:.1}" cy="{y:.1}" r="5"/>"#,
                x + 8.0
            ),
        };
        let _ = writeln!(
            out,
            r#"{symbol}<text x="{:.1}" y="{:.1}">{word}</text>"#,
            x + 21.0,
            y + 4.5
        );
        x += 21.0 + 7.5 * word.len() as f64 + 18.0;
    }
    let _ = writeln!(out, "</g>");
}

/// A scale bar of a round number of km, below the map.
fn scale_bar(out: &mut String, frame: &Frame) {
    let km_per_unit = 111.32 / frame.scale;
    let target = WIDTH / 5.0 * km_per_unit;
    let round = [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
    ]
    .into_iter()
    .find(|&v| v >= target / 2.0)
    .unwrap_or(target);
    let length = round / km_per_unit;
    let y = frame.height + 25.0;
    let _ = writeln!(
        out,
        r##"<g class="scale-bar"><line x1="0" y1="{y:.1}" x2="{length:.1}" y2="{y:.1}" stroke="#111827" stroke-width="2"/><text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle">{round} km</text></g>"##,
        length / 2.0,
        y - 6.0
    );
}
