//! Writers of restoration results: the crews' jobs as CSV, the restoration curves as CSV
//! and as an SVG chart.

use crate::city::CityProblem;
use crate::plan::Plan;
use lifeline_cascade::result::CascadeResult;
use lifeline_core::csv::field;
use lifeline_core::number::shortest;
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

/// An SVG chart: the share of customers with power and of people with water over time,
/// one line per named run (the first drawn strongest).
pub fn curves_svg(title: &str, runs: &[(&str, &CascadeResult)]) -> String {
    const WIDTH: f64 = 760.0;
    const PANEL: f64 = 190.0;
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 150.0;
    const TOP: f64 = 64.0;
    const GAP: f64 = 50.0;
    const COLOURS: [&str; 5] = ["#1f5fa8", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad"];
    let horizon = runs
        .iter()
        .filter_map(|(_, r)| r.times_h.last().copied())
        .fold(1.0, f64::max);
    let height = TOP + 2.0 * PANEL + GAP + 40.0;
    let plot_w = WIDTH - LEFT - RIGHT;
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
        let top = TOP + p as f64 * (PANEL + GAP);
        let all: Vec<Vec<f64>> = runs.iter().map(|(_, r)| series(r)).collect();
        let low = all.iter().flatten().copied().fold(1.0, f64::min);
        // Round ticks: the smallest step that shows the lowest value in at most 5 steps.
        let step = [0.025, 0.05, 0.1, 0.2, 0.25]
            .into_iter()
            .find(|step| (1.0 - (low / step).floor() * step) / step <= 5.0 + 1e-9)
            .unwrap_or(0.25);
        let floor = ((low / step).floor() * step).clamp(0.0, 1.0 - step);
        let ticks = ((1.0 - floor) / step).round() as usize;
        let decimals = usize::from(step < 0.05);
        let y = |v: f64| top + PANEL * (1.0 - (v - floor) / (1.0 - floor));
        let x = |t: f64| LEFT + plot_w * t / horizon;
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{}" font-weight="bold">{label}</text>"#,
            top - 8.0
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL}" fill="none" stroke="#999"/>"##
        );
        for tick in 0..=ticks {
            let v = floor + step * tick as f64;
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{y0:.1}" y2="{y0:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{:.decimals$} %</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                y(v) + 4.0,
                v * 100.0,
                y0 = y(v)
            );
        }
        let mut t = 0.0;
        while t <= horizon + 1e-9 {
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{top}" y2="{}" stroke="#eee"/><text x="{xx:.1}" y="{}" text-anchor="middle">{t:.0} h</text>"##,
                top + PANEL,
                top + PANEL + 16.0,
                xx = x(t)
            );
            t += if horizon > 96.0 { 24.0 } else { 12.0 };
        }
        for (i, ((name, result), values)) in runs.iter().zip(&all).enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut points = String::new();
            for (k, t) in result.times_h.iter().enumerate() {
                // Steps: the value holds until the next reported time.
                if k > 0 {
                    let _ = write!(points, "{:.1},{:.1} ", x(*t), y(values[k - 1]));
                }
                let _ = write!(points, "{:.1},{:.1} ", x(*t), y(values[k]));
            }
            let width = if i == 0 { 2.5 } else { 1.5 };
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"/>"#,
                points.trim_end()
            );
            if p == 0 {
                let ly = TOP + 10.0 + 18.0 * i as f64;
                let lx = LEFT + plot_w + 12.0;
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
    svg.push_str("</svg>\n");
    svg
}

/// The share of customers or people served at each reported time.
type ShareOverTime = fn(&CascadeResult) -> Vec<f64>;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
