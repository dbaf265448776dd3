//! Assets ranked by what their loss costs the city, from a sweep's rows.

use crate::row::Row;
use serde::Serialize;
use std::collections::BTreeMap;

/// One asset's line in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// The asset, as scenario files write it.
    pub asset: String,
    /// Its human name, as the sweep's file records it (empty when it does not).
    pub name: String,
    /// Scenarios that hit it.
    pub scenarios: u64,
    /// Mean loss of those scenarios (customer-hours + person-hours).
    pub mean_loss: f64,
    /// Its share of the sweep's expected loss, with every scenario equally likely: the
    /// loss of the scenarios that hit it over all scenarios (each scenario's loss split
    /// evenly among the assets it hits, so the shares add up to the expected loss).
    pub expected_loss: f64,
    /// Marginal contribution: mean loss of the scenarios that hit it minus the mean loss
    /// of those that do not (0 when every scenario hits it).
    pub marginal_loss: f64,
    /// Mean customer-hours without power of the scenarios that hit it.
    pub mean_customer_hours: f64,
    /// Mean person-hours without water of the scenarios that hit it.
    pub mean_person_hours: f64,
}

/// A scenario's loss: customer-hours without power plus person-hours without water.
pub fn loss(row: &Row) -> f64 {
    row.customer_hours + row.person_hours
}

/// Every asset hit in `rows`, by expected loss, largest first (ties by asset), named from
/// `names` (asset id → human name, [`crate::table::Meta::asset_names`]).
pub fn rank(rows: &[Row], names: &BTreeMap<String, String>) -> Vec<Ranked> {
    #[derive(Default)]
    struct Sums {
        count: u64,
        loss: f64,
        share: f64,
        customer_hours: f64,
        person_hours: f64,
    }
    let total_loss: f64 = rows.iter().map(loss).sum();
    let n = rows.len() as f64;
    let mut by_asset: BTreeMap<&str, Sums> = BTreeMap::new();
    for row in rows {
        let l = loss(row);
        for asset in &row.assets {
            let sums = by_asset.entry(asset).or_default();
            sums.count += 1;
            sums.loss += l;
            sums.share += l / row.assets.len() as f64;
            sums.customer_hours += row.customer_hours;
            sums.person_hours += row.person_hours;
        }
    }
    let mut ranked: Vec<Ranked> = by_asset
        .into_iter()
        .map(|(asset, s)| {
            let with = s.count as f64;
            let mean = s.loss / with;
            let without = n - with;
            Ranked {
                asset: asset.to_string(),
                name: names.get(asset).cloned().unwrap_or_default(),
                scenarios: s.count,
                mean_loss: mean,
                expected_loss: s.share / n,
                marginal_loss: if without > 0.0 {
                    mean - (total_loss - s.loss) / without
                } else {
                    0.0
                },
                mean_customer_hours: s.customer_hours / with,
                mean_person_hours: s.person_hours / with,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.expected_loss
            .total_cmp(&a.expected_loss)
            .then_with(|| a.asset.cmp(&b.asset))
    });
    ranked
}
