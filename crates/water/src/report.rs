//! Writers of hydraulic results as CSV, with exactly the columns and units of the reference
//! results: `time_s,node,head_m,pressure_m,demand_lps` and `time_s,link,flow_lps,status`,
//! one row per element and reporting time.

use crate::network::NetworkInfo;
use crate::simulation::HydraulicState;
use lifeline_core::csv::field;
use lifeline_core::number::shortest;
use std::io::{self, Write};

/// The header of the heads file.
pub fn write_heads_header(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "time_s,node,head_m,pressure_m,demand_lps")
}

/// One row per node for the time of `state`.
pub fn write_heads(
    out: &mut impl Write,
    network: &NetworkInfo,
    state: &HydraulicState,
) -> io::Result<()> {
    for (i, id) in network.node_ids.iter().enumerate() {
        writeln!(
            out,
            "{},{},{},{},{}",
            state.time_s,
            field(id),
            shortest(state.head_m[i]),
            shortest(state.pressure_m[i]),
            shortest(state.demand_lps[i])
        )?;
    }
    Ok(())
}

/// The header of the flows file.
pub fn write_flows_header(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "time_s,link,flow_lps,status")
}

/// One row per link for the time of `state`; status 1 open, 0 closed.
pub fn write_flows(
    out: &mut impl Write,
    network: &NetworkInfo,
    state: &HydraulicState,
) -> io::Result<()> {
    for (i, id) in network.link_ids.iter().enumerate() {
        writeln!(
            out,
            "{},{},{},{}",
            state.time_s,
            field(id),
            shortest(state.flow_lps[i]),
            u8::from(state.link_open[i])
        )?;
    }
    Ok(())
}
