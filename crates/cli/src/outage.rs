//! `--outage` specifications: grid assets in the vocabulary of `lifeline_core::asset`
//! (`bus:ID`, `branch:N`, `gen:N`, and the kinds' aliases).

use anyhow::{Result, bail};
use lifeline_core::AssetId;
use lifeline_power::Outages;

/// Parses `--outage` values into outages (branch and generator numbers are 1-based on
/// the command line, 0-based positions in [`Outages`]).
pub fn parse(specs: &[String]) -> Result<Outages> {
    let mut outages = Outages::none();
    for spec in specs {
        let asset: AssetId = match spec.parse() {
            Ok(asset) => asset,
            Err(error) => bail!("--outage {spec}: {error}"),
        };
        match Outages::from_assets([&asset]) {
            Ok(one) => {
                outages.buses.extend(one.buses);
                outages.branches.extend(one.branches);
                outages.generators.extend(one.generators);
            }
            Err(error) => bail!("--outage {spec}: {error}"),
        }
    }
    Ok(outages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        let specs: Vec<String> = ["bus:12", "branch:7", "gen:3", "generator:4", "lines:8"]
            .map(String::from)
            .into();
        let outages = parse(&specs).unwrap();
        assert_eq!(outages.buses, vec![12]);
        assert_eq!(outages.branches, vec![6, 7]);
        assert_eq!(outages.generators, vec![2, 3]);
    }

    #[test]
    fn explains_bad_specs() {
        let error = |spec: &str| parse(&[spec.to_string()]).unwrap_err().to_string();
        assert!(error("bus12").starts_with("--outage bus12: expected KIND:ID"));
        assert!(error("station:3").starts_with("--outage station:3: kind 'station' is unknown"));
        assert_eq!(
            error("tank:T1"),
            "--outage tank:T1: tank is not part of the grid: expected one of bus, branch, gen"
        );
        assert_eq!(
            error("branch:x"),
            "--outage branch:x: branch 'x' must be a row number of the grid file, from 1"
        );
        assert_eq!(
            error("gen:0"),
            "--outage gen:0: gen '0' must be a row number of the grid file, from 1"
        );
    }
}
