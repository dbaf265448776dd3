//! Where the networks and their EPANET 2.3 reference results are, and how a run
//! compares with them.

use lifeline_hydraulics::inp::read_network;
use lifeline_hydraulics::results::{RunResults, run_to_end};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The repository's own small networks and their reference results.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet")
}

/// The folder holding `name.inp` and its reference results: the repository's first,
/// then shared (a skip, a failure under CI, without it).
pub fn locate(name: &str) -> Option<PathBuf> {
    lifeline_testkit::water_reference(
        env!("CARGO_MANIFEST_DIR"),
        name,
        "the native solver's runs of L-TOWN, ky10, exnet-3, Net6 and BWSN_Network_2",
    )
}

pub use lifeline_testkit::read_gz_csv;

/// The largest differences of a run from its reference.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Largest |Δhead| beyond the reference's rounding, m, and where.
    pub head_m: f64,
    /// Where the largest head difference is.
    pub head_at: String,
    /// Largest |Δdemand| beyond rounding, L/s.
    pub demand_lps: f64,
    /// Largest |Δflow| beyond rounding, L/s.
    pub flow_lps: f64,
    /// Where the largest flow difference is.
    pub flow_at: String,
    /// Link-times whose open/closed status differs.
    pub status_mismatches: usize,
    /// Rows compared.
    pub rows: usize,
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

/// Half a unit in the 7th significant digit the reference files keep.
fn rounding(reference: f64) -> f64 {
    5e-7 * reference.abs()
}

/// Runs `name` (a `.pda` name sets pressure-driven demand as the reference run did) and
/// compares every report time with the reference files.
pub fn compare(name: &str) -> Option<(Comparison, RunResults)> {
    let dir = locate(name)?;
    let base = name.trim_end_matches(".pda");
    let path = dir.join(format!("{base}.inp"));
    let text = std::fs::read_to_string(&path).expect("network file");
    let mut network = read_network(&text, &path.display().to_string()).expect("network reads");
    if name.ends_with(".pda") {
        pda_as_reference(base, &mut network);
    }
    let network = std::sync::Arc::new(network);
    let results = run_to_end(network.clone(), base).expect("run");
    let mut nodes = HashMap::new();
    let mut links = HashMap::new();
    for point in &results.points {
        for (i, node) in network.nodes.iter().enumerate() {
            nodes.insert(
                (point.time_s, node.id.as_str()),
                (point.head_m[i], point.pressure_m[i], point.demand_lps[i]),
            );
        }
        for (k, link) in network.links.iter().enumerate() {
            links.insert(
                (point.time_s, link.id.as_str()),
                (point.flow_lps[k], point.open[k]),
            );
        }
    }
    let mut c = Comparison::default();
    for row in read_gz_csv(&dir.join(format!("{name}.heads.csv.gz"))) {
        let key = (number(&row[0]) as i64, row[1].as_str());
        let (head, pressure, demand) = *nodes
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no result for node {} at {} s", key.1, key.0));
        for (ours, reference) in [(head, number(&row[2])), (pressure, number(&row[3]))] {
            let d = ((ours - reference).abs() - rounding(reference)).max(0.0);
            if d > c.head_m {
                c.head_m = d;
                c.head_at = format!("node {} at {} s: {ours} against {reference}", key.1, key.0);
            }
        }
        let reference = number(&row[4]);
        c.demand_lps = c
            .demand_lps
            .max(((demand - reference).abs() - rounding(reference)).max(0.0));
        c.rows += 1;
    }
    for row in read_gz_csv(&dir.join(format!("{name}.flows.csv.gz"))) {
        let key = (number(&row[0]) as i64, row[1].as_str());
        let (flow, open) = *links
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no result for link {} at {} s", key.1, key.0));
        let reference = number(&row[2]);
        let d = ((flow - reference).abs() - rounding(reference)).max(0.0);
        if d > c.flow_lps {
            c.flow_lps = d;
            c.flow_at = format!("link {} at {} s: {flow} against {reference}", key.1, key.0);
        }
        if open != (row[3] == "1") {
            c.status_mismatches += 1;
        }
        c.rows += 1;
    }
    Some((c, results))
}

/// The reference's pressure-driven settings (shared/reference/water/README.md).
fn pda_as_reference(base: &str, network: &mut lifeline_hydraulics::Network) {
    use lifeline_hydraulics::model::DemandModel;
    let required_m = match base {
        "Net3" => 40.0,
        "Net6" => 20.0,
        other => panic!("no pressure-driven reference settings for {other}"),
    };
    // As the reference run set it: metres to the file's pressure unit with the physical
    // 0.703070 m per psi (specific gravity 1), then EPANET's own psi per ft.
    assert_eq!(
        network.units.pressure,
        lifeline_hydraulics::model::PressureUnits::Psi
    );
    let factor = network.units.pressure_factor;
    let options = &mut network.options;
    options.demand_model = DemandModel::PressureDriven;
    options.p_min = 0.0;
    options.p_required = required_m / 0.703_070 / factor;
    options.pexp = 0.5;
}
