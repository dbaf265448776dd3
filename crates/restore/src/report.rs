//! Writers of restoration results: the crews' jobs as CSV, the restoration curves as CSV
//! and as an SVG chart.

use crate::city::CityProblem;
use crate::plan::Plan;
use lifeline_cascade::result::CascadeResult;
use lifeline_core::csv::field;
use lifeline_core::number::shortest;
use lifeline_core::text::xml_escape as escape;
use std::fmt::Write as _;
use std::io::{self, Write};

/// `crew,order,asset,name,depart_h,start_h,end_h,travel_h,repair_h`: each crew's jobs in
/// order.
pub fn write_jobs(out: &mut impl Write, problem: &CityProblem<'_>, plan: &Plan) -> io::Result<()> {
    let instance = &problem.instance;
    writeln!(
        out,
        "crew,order,asset,name,depart_h,start_h,end_h,travel_h,repair_h"
    )?;
    for (k, jobs) in plan.by_crew(instance.crews.len()).iter().enumerate() {
        for (i, a) in jobs.iter().enumerate() {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                field(&instance.crews[k].id),
                i + 1,
                instance.jobs[a.job].asset,
                field(&problem.job_name(a.job)),
                shortest(a.depart_h),
                shortest(a.start_h),
                shortest(a.end_h),
                shortest(instance.travel_h[k][a.job]),
                shortest(instance.jobs[a.job].duration_h)
            )?;
        }
    }
    Ok(())
}

/// `t_h,plan,customers_with_power,people_with_water`: the restoration curve of each named
/// cascade run.
pub fn write_curves(out: &mut impl Write, runs: &[(&str, &CascadeResult)]) -> io::Result<()> {
    writeln!(out, "t_h,plan,customers_with_power,people_with_water")?;
    for (name, result) in runs {
        let power = result.customers_without_power();
        let water = result.people_without_water();
        for (k, t) in result.times_h.iter().enumerate() {
            writeln!(
                out,
                "{},{},{},{}",
                shortest(*t),
                name,
                result.summary.customers - power[k],
                result.summary.population - water[k]
            )?;
        }
    }
    Ok(())
}

/// Chart width, px.
const WIDTH: f64 = 760.0;
/// Height of one panel's plot, px.
const PANEL: f64 = 190.0;
/// Room left of the plots (tick labels), px.
const LEFT: f64 = 60.0;
/// Room right of the plots (legend), px.
const RIGHT: f64 = 150.0;
/// Room above the first panel (title), px.
const TOP: f64 = 64.0;
/// Gap between the panels, px.
const GAP: f64 = 50.0;
/// Line colours, in run order.
const COLOURS: [&str; 5] = ["#1f5fa8", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad"];

/// An SVG chart: the share of customers with power and of people with water over time,
/// one line per named run (the first drawn strongest).
pub fn curves_svg(title: &str, runs: &[(&str, &CascadeResult)]) -> String {
    let horizon_h = runs
        .iter()
        .filter_map(|(_, r)| r.times_h.last().copied())
        .fold(1.0, f64::max);
    let height = TOP + 2.0 * PANEL + GAP + 40.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="26" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    let panels: [(&str, ShareOverTime); 2] = [
        ("Customers with power", |r| {
            let total = r.summary.customers as f64;
            r.customers_without_power()
                .iter()
                .map(|&v| 1.0 - v as f64 / total)
                .collect()
        }),
        ("People with water", |r| {
            let total = r.summary.population as f64;
            r.people_without_water()
                .iter()
                .map(|&v| 1.0 - v as f64 / total)
                .collect()
        }),
    ];
    for (p, (label, series)) in panels.iter().enumerate() {
        let values: Vec<Vec<f64>> = runs.iter().map(|(_, r)| series(r)).collect();
        let panel = Panel::new(p, horizon_h, &values);
        panel.draw_frame(&mut svg, label);
        panel.draw_runs(&mut svg, runs, &values, p == 0);
    }
    svg.push_str("</svg>\n");
    svg
}

/// One panel of [`curves_svg`]: where it is and the scale of its axes.
struct Panel {
    /// Top edge, px.
    top: f64,
    /// The time axis ends here, h.
    horizon_h: f64,
    /// The share at the bottom edge (a whole number of steps).
    floor: f64,
    /// Share between ticks.
    step: f64,
    /// Decimals of the tick labels, %.
    decimals: usize,
}

impl Panel {
    /// Panel `p` (from the top) over `horizon_h`, scaled to show the lowest of `values`.
    fn new(p: usize, horizon_h: f64, values: &[Vec<f64>]) -> Self {
        let low = values.iter().flatten().copied().fold(1.0, f64::min);
        // Round ticks: the smallest step that shows the lowest value in at most 5 steps.
        let step = [0.025, 0.05, 0.1, 0.2, 0.25]
            .into_iter()
            .find(|step| (1.0 - (low / step).floor() * step) / step <= 5.0 + 1e-9)
            .unwrap_or(0.25);
        Self {
            top: TOP + p as f64 * (PANEL + GAP),
            horizon_h,
            floor: ((low / step).floor() * step).clamp(0.0, 1.0 - step),
            step,
            decimals: usize::from(step < 0.05),
        }
    }

    /// Plot width, px.
    fn width(&self) -> f64 {
        WIDTH - LEFT - RIGHT
    }

    /// The y of share `v`, px.
    fn y(&self, v: f64) -> f64 {
        self.top + PANEL * (1.0 - (v - self.floor) / (1.0 - self.floor))
    }

    /// The x of time `t`, h, px.
    fn x(&self, t: f64) -> f64 {
        LEFT + self.width() * t / self.horizon_h
    }

    /// The label, the frame, share ticks and time ticks with their grid lines.
    fn draw_frame(&self, svg: &mut String, label: &str) {
        let (top, plot_w, decimals) = (self.top, self.width(), self.decimals);
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{}" font-weight="bold">{label}</text>"#,
            top - 8.0
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL}" fill="none" stroke="#999"/>"##
        );
        let ticks = ((1.0 - self.floor) / self.step).round() as usize;
        for tick in 0..=ticks {
            let v = self.floor + self.step * tick as f64;
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{y0:.1}" y2="{y0:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{:.decimals$} %</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                self.y(v) + 4.0,
                v * 100.0,
                y0 = self.y(v)
            );
        }
        let mut t = 0.0;
        while t <= self.horizon_h + 1e-9 {
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{top}" y2="{}" stroke="#eee"/><text x="{xx:.1}" y="{}" text-anchor="middle">{t:.0} h</text>"##,
                top + PANEL,
                top + PANEL + 16.0,
                xx = self.x(t)
            );
            t += if self.horizon_h > 96.0 { 24.0 } else { 12.0 };
        }
    }

    /// One step line per run (`values` in run order), and the legend when `legend`.
    fn draw_runs(
        &self,
        svg: &mut String,
        runs: &[(&str, &CascadeResult)],
        values: &[Vec<f64>],
        legend: bool,
    ) {
        for (i, ((name, result), values)) in runs.iter().zip(values).enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut points = String::new();
            for (k, t) in result.times_h.iter().enumerate() {
                // Steps: the value holds until the next reported time.
                if k > 0 {
                    let _ = write!(points, "{:.1},{:.1} ", self.x(*t), self.y(values[k - 1]));
                }
                let _ = write!(points, "{:.1},{:.1} ", self.x(*t), self.y(values[k]));
            }
            let width = if i == 0 { 2.5 } else { 1.5 };
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"/>"#,
                points.trim_end()
            );
            if legend {
                let ly = TOP + 10.0 + 18.0 * i as f64;
                let lx = LEFT + self.width() + 12.0;
                let _ = writeln!(
                    svg,
                    r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="{width}"/><text x="{}" y="{}">{}</text>"#,
                    lx + 20.0,
                    lx + 26.0,
                    ly + 4.0,
                    escape(name)
                );
            }
        }
    }
}

/// The share of customers or people served at each reported time.
type ShareOverTime = fn(&CascadeResult) -> Vec<f64>;
