//! Column names of MATPOWER's data matrices (`idx_bus`, `idx_gen`, `idx_brch`), used to
//! name the field at fault in error messages.

/// `mpc.bus` columns; the first 13 are required.
pub(crate) const BUS: &[&str] = &[
    "BUS_I", "BUS_TYPE", "PD", "QD", "GS", "BS", "BUS_AREA", "VM", "VA", "BASE_KV", "ZONE", "VMAX",
    "VMIN", "LAM_P", "LAM_Q", "MU_VMAX", "MU_VMIN",
];
/// Required `mpc.bus` columns.
pub(crate) const BUS_REQUIRED: usize = 13;

/// `mpc.gen` columns; the first 10 are required.
pub(crate) const GEN: &[&str] = &[
    "GEN_BUS",
    "PG",
    "QG",
    "QMAX",
    "QMIN",
    "VG",
    "MBASE",
    "GEN_STATUS",
    "PMAX",
    "PMIN",
    "PC1",
    "PC2",
    "QC1MIN",
    "QC1MAX",
    "QC2MIN",
    "QC2MAX",
    "RAMP_AGC",
    "RAMP_10",
    "RAMP_30",
    "RAMP_Q",
    "APF",
    "MU_PMAX",
    "MU_PMIN",
    "MU_QMAX",
    "MU_QMIN",
];
/// Required `mpc.gen` columns.
pub(crate) const GEN_REQUIRED: usize = 10;

/// `mpc.branch` columns; the first 11 are required (ANGMIN and ANGMAX default to ±360°).
pub(crate) const BRANCH: &[&str] = &[
    "F_BUS",
    "T_BUS",
    "BR_R",
    "BR_X",
    "BR_B",
    "RATE_A",
    "RATE_B",
    "RATE_C",
    "TAP",
    "SHIFT",
    "BR_STATUS",
    "ANGMIN",
    "ANGMAX",
    "PF",
    "QF",
    "PT",
    "QT",
    "MU_SF",
    "MU_ST",
    "MU_ANGMIN",
    "MU_ANGMAX",
];
/// Required `mpc.branch` columns.
pub(crate) const BRANCH_REQUIRED: usize = 11;

/// The `mpc.gencost` leading columns; the rest are cost coefficients.
pub(crate) const GENCOST: &[&str] = &["MODEL", "STARTUP", "SHUTDOWN", "NCOST"];

/// Name of column `column` (0-based) of matrix `matrix` (`bus`, `gen`, ...), or
/// `column N` (1-based) where MATPOWER gives it no name.
pub(crate) fn name(matrix: &str, column: usize) -> String {
    let names = match matrix {
        "bus" => BUS,
        "gen" => GEN,
        "branch" => BRANCH,
        "gencost" => GENCOST,
        _ => &[],
    };
    match names.get(column) {
        Some(name) => (*name).to_string(),
        None if matrix == "gencost" => format!("COST{}", column + 1 - GENCOST.len()),
        None => format!("column {}", column + 1),
    }
}
