//! Writers of a forecast as CSV: per district the quantiles of when power and water are
//! back, the chance of being back by each hour, and the city's fan.

use crate::run::{Forecast, Quantiles};
use lifeline_core::csv::field;
use lifeline_core::number::shortest;
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
