//! `--outage` specifications: `bus:ID`, `branch:N`, `gen:N`.

use anyhow::{Context, Result, bail};
use lifeline_power::Outages;

/// Parses `--outage` values into outages (branch and generator numbers are 1-based on
/// the command line, 0-based positions in [`Outages`]).
pub fn parse(specs: &[String]) -> Result<Outages> {
    let mut outages = Outages::none();
    for spec in specs {
        let (kind, id) = spec.split_once(':').with_context(|| {
            format!("--outage {spec}: expected ELEMENT:ID, e.g. bus:12, branch:7 or gen:3")
        })?;
        let number: u32 = id.trim().parse().with_context(|| {
            format!("--outage {spec}: expected a whole number after '{kind}:', found '{id}'")
        })?;
        match kind.trim() {
            "bus" => outages.buses.push(number),
            "branch" | "gen" | "generator" if number == 0 => {
                bail!("--outage {spec}: {kind} rows are numbered from 1")
            }
            "branch" => outages.branches.push(number as usize - 1),
            "gen" | "generator" => outages.generators.push(number as usize - 1),
            other => {
                bail!("--outage {spec}: unknown element '{other}': expected bus, branch or gen")
            }
        }
    }
    Ok(outages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        let specs: Vec<String> = ["bus:12", "branch:7", "gen:3", "generator:4"]
            .map(String::from)
            .into();
        let outages = parse(&specs).unwrap();
        assert_eq!(outages.buses, vec![12]);
        assert_eq!(outages.branches, vec![6]);
        assert_eq!(outages.generators, vec![2, 3]);
    }

    #[test]
    fn explains_bad_specs() {
        let error = |spec: &str| parse(&[spec.to_string()]).unwrap_err().to_string();
        assert_eq!(
            error("bus12"),
            "--outage bus12: expected ELEMENT:ID, e.g. bus:12, branch:7 or gen:3"
        );
        assert_eq!(
            error("line:3"),
            "--outage line:3: unknown element 'line': expected bus, branch or gen"
        );
        assert_eq!(
            error("branch:x"),
            "--outage branch:x: expected a whole number after 'branch:', found 'x'"
        );
        assert_eq!(
            error("gen:0"),
            "--outage gen:0: gen rows are numbered from 1"
        );
    }
}
