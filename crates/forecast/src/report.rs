//! Writers of a forecast: as CSV per district the quantiles of when power and water are
//! back, the chance of being back by each hour, and the city's fan; the fan as an SVG
//! chart.

use crate::run::{CountQuantiles, FanPoint, Forecast, Quantiles};
use lifeline_core::csv::field;
use lifeline_core::number::{shortest, thousands};
use lifeline_core::text::xml_escape as escape;
use std::io::{self, Write};

/// A time quantile as CSV: empty when not within the horizon.
fn time(value: Option<f64>) -> String {
    value.map(shortest).unwrap_or_default()
}

fn triple(q: &Quantiles) -> String {
    format!("{},{},{}", time(q.p10), time(q.p50), time(q.p90))
}

/// `district,power_back_p10_h,power_back_p50_h,power_back_p90_h,water_back_p10_h,
/// water_back_p50_h,water_back_p90_h`: one row per district; empty where the time is not
/// within the forecast's horizon.
pub fn write_districts(out: &mut impl Write, forecast: &Forecast) -> io::Result<()> {
    writeln!(
        out,
        "district,power_back_p10_h,power_back_p50_h,power_back_p90_h,water_back_p10_h,water_back_p50_h,water_back_p90_h"
    )?;
    for d in &forecast.districts {
        writeln!(
            out,
            "{},{},{}",
            field(&d.name),
            triple(&d.power_back_h),
            triple(&d.water_back_h)
        )?;
    }
    Ok(())
}

/// `t_h,district,power_back,water_back`: the chance (0–1) that each district has power
/// and water back for good by each whole hour.
pub fn write_by_hour(out: &mut impl Write, forecast: &Forecast) -> io::Result<()> {
    writeln!(out, "t_h,district,power_back,water_back")?;
    for d in &forecast.districts {
        for b in &d.by_hour {
            writeln!(
                out,
                "{},{},{},{}",
                shortest(b.t_h),
                field(&d.name),
                shortest(b.power),
                shortest(b.water)
            )?;
        }
    }
    Ok(())
}

/// `t_h,customers_without_power_p10,…_p50,…_p90,people_without_water_p10,…_p50,…_p90`:
/// the city's fan at each reported time.
pub fn write_fan(out: &mut impl Write, forecast: &Forecast) -> io::Result<()> {
    writeln!(
        out,
        "t_h,customers_without_power_p10,customers_without_power_p50,customers_without_power_p90,people_without_water_p10,people_without_water_p50,people_without_water_p90"
    )?;
    for p in &forecast.fan {
        let (c, w) = (&p.customers_without_power, &p.people_without_water);
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            shortest(p.t_h),
            c.p10,
            c.p50,
            c.p90,
            w.p10,
            w.p50,
            w.p90
        )?;
    }
    Ok(())
}

/// Chart width, px.
const WIDTH: f64 = 760.0;
/// Height of one panel's plot, px.
const PANEL: f64 = 180.0;
/// Room left of the plots (tick labels), px.
const LEFT: f64 = 80.0;
/// Room right of the plots, px.
const RIGHT: f64 = 30.0;
/// Room above the first panel (title and key), px.
const TOP: f64 = 80.0;
/// Gap between the panels, px.
const GAP: f64 = 56.0;

/// A tick step of 1, 2 or 5 × 10ⁿ giving at most 5 steps up to `peak`.
fn tick_step(peak: f64) -> f64 {
    let peak = peak.max(1.0);
    let mut magnitude = 10f64.powf((peak / 5.0).log10().floor());
    loop {
        for factor in [1.0, 2.0, 5.0] {
            let step = factor * magnitude;
            if peak / step <= 5.0 {
                return step.max(1.0);
            }
        }
        magnitude *= 10.0;
    }
}

/// One quantity of the fan at a time.
type Series = fn(&FanPoint) -> CountQuantiles;

/// An SVG fan chart of the city: customers without power and people without water over
/// time, the band between the 10th and 90th percentiles of the samples and their median.
pub fn fan_svg(title: &str, forecast: &Forecast) -> String {
    use std::fmt::Write as _;
    let horizon_h = forecast.fan.last().map_or(1.0, |p| p.t_h.max(1.0));
    let height = TOP + 2.0 * PANEL + GAP + 40.0;
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |t: f64| LEFT + plot_w * t / horizon_h;
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
    let _ = writeln!(
        svg,
        r##"<rect x="{LEFT}" y="40" width="18" height="10" fill="#555555" fill-opacity="0.25"/><text x="{}" y="49">80 % of {} samples (10th–90th percentile)</text><line x1="{}" x2="{}" y1="45" y2="45" stroke="#555555" stroke-width="2"/><text x="{}" y="49">median</text>"##,
        LEFT + 24.0,
        forecast.samples,
        LEFT + 330.0,
        LEFT + 350.0,
        LEFT + 356.0
    );
    let panels: [(&str, Series, &str); 2] = [
        (
            "Customers without power",
            |p| p.customers_without_power,
            "#1f5fa8",
        ),
        (
            "People without water",
            |p| p.people_without_water,
            "#c0392b",
        ),
    ];
    for (k, (label, series, colour)) in panels.iter().enumerate() {
        let top = TOP + k as f64 * (PANEL + GAP);
        let values: Vec<CountQuantiles> = forecast.fan.iter().map(series).collect();
        let peak = values.iter().map(|v| v.p90).max().unwrap_or(0) as f64;
        let step = tick_step(peak);
        let ceiling = ((peak / step).ceil().max(1.0)) * step;
        let y = |v: f64| top + PANEL * (1.0 - v / ceiling);
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{}" font-weight="bold">{label}</text>"#,
            top - 8.0
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL}" fill="none" stroke="#999"/>"##
        );
        let mut tick = 0.0;
        while tick <= ceiling + 1e-9 {
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                y(tick) + 4.0,
                thousands(tick as u64),
                yy = y(tick)
            );
            tick += step;
        }
        let mut t = 0.0;
        let t_step = if horizon_h > 96.0 { 24.0 } else { 12.0 };
        while t <= horizon_h + 1e-9 {
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{}" text-anchor="middle">{t:.0} h</text>"##,
                x(t),
                top + PANEL + 16.0
            );
            t += t_step;
        }
        let mut band = String::new();
        for (p, v) in forecast.fan.iter().zip(&values) {
            let _ = write!(band, "{:.1},{:.1} ", x(p.t_h), y(v.p90 as f64));
        }
        for (p, v) in forecast.fan.iter().zip(&values).rev() {
            let _ = write!(band, "{:.1},{:.1} ", x(p.t_h), y(v.p10 as f64));
        }
        let _ = writeln!(
            svg,
            r#"<polygon points="{}" fill="{colour}" fill-opacity="0.25" stroke="none"/>"#,
            band.trim_end()
        );
        let median: Vec<String> = forecast
            .fan
            .iter()
            .zip(&values)
            .map(|(p, v)| format!("{:.1},{:.1}", x(p.t_h), y(v.p50 as f64)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            median.join(" ")
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::tick_step;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(0.0), 1.0);
        assert_eq!(tick_step(4.0), 1.0);
        assert_eq!(tick_step(9.0), 2.0);
        assert_eq!(tick_step(323_531.0), 100_000.0);
        assert_eq!(tick_step(480_000.0), 100_000.0);
        assert_eq!(tick_step(600_000.0), 200_000.0);
    }
}
