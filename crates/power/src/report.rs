//! Writers of power results as CSV, with exactly the columns, units, row order and
//! conventions of the reference solutions (`<case>_ac_bus.csv`, `<case>_ac_branch.csv`,
//! `<case>_dc_bus.csv`, `<case>_dc_branch.csv`), and of contingency results.
//!
//! Numbers are written with the fewest digits that read back exactly (see
//! [`lifeline_core::number::shortest`]).

use crate::ac::SolveStatus;
use crate::contingency::{Contingency, ContingencyResult};
use crate::flow::{BranchDcFlow, BranchFlow, BusAngle, BusFlow};
use crate::grid::{BusLoad, IslandState};
use lifeline_core::number::shortest;
use std::io::{self, Write};

/// `bus_id,type,vm_pu,va_deg,p_mw,q_mvar`, one row per case bus.
pub fn write_ac_buses(out: &mut impl Write, buses: &[BusFlow]) -> io::Result<()> {
    writeln!(out, "bus_id,type,vm_pu,va_deg,p_mw,q_mvar")?;
    for b in buses {
        writeln!(
            out,
            "{},{},{},{},{},{}",
            b.bus_id,
            b.kind,
            shortest(b.vm_pu),
            shortest(b.va_deg),
            shortest(b.p_mw),
            shortest(b.q_mvar)
        )?;
    }
    Ok(())
}

/// `index,from_bus,to_bus,status,p_from_mw,q_from_mvar,p_to_mw,q_to_mvar`, one row per
/// case branch.
pub fn write_ac_branches(out: &mut impl Write, branches: &[BranchFlow]) -> io::Result<()> {
    writeln!(
        out,
        "index,from_bus,to_bus,status,p_from_mw,q_from_mvar,p_to_mw,q_to_mvar"
    )?;
    for b in branches {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            b.index,
            b.from_bus,
            b.to_bus,
            b.status,
            shortest(b.p_from_mw),
            shortest(b.q_from_mvar),
            shortest(b.p_to_mw),
            shortest(b.q_to_mvar)
        )?;
    }
    Ok(())
}

/// `bus_id,va_deg`, one row per case bus.
pub fn write_dc_buses(out: &mut impl Write, buses: &[BusAngle]) -> io::Result<()> {
    writeln!(out, "bus_id,va_deg")?;
    for b in buses {
        writeln!(out, "{},{}", b.bus_id, shortest(b.va_deg))?;
    }
    Ok(())
}

/// `index,from_bus,to_bus,status,p_mw`, one row per case branch.
pub fn write_dc_branches(out: &mut impl Write, branches: &[BranchDcFlow]) -> io::Result<()> {
    writeln!(out, "index,from_bus,to_bus,status,p_mw")?;
    for b in branches {
        writeln!(
            out,
            "{},{},{},{},{}",
            b.index,
            b.from_bus,
            b.to_bus,
            b.status,
            shortest(b.p_mw)
        )?;
    }
    Ok(())
}

/// One row per contingency: `element,index,converged,error,iterations,islands,shed_mw,
/// dark_load_mw,max_loading_percent,max_loading_branch,voltage_violations,min_vm_pu,
/// max_vm_pu`; empty fields where a value does not exist.
pub fn write_contingencies(out: &mut impl Write, results: &[ContingencyResult]) -> io::Result<()> {
    writeln!(
        out,
        "element,index,converged,error,iterations,islands,shed_mw,dark_load_mw,\
         max_loading_percent,max_loading_branch,voltage_violations,min_vm_pu,max_vm_pu"
    )?;
    let optional = |value: Option<f64>| value.map(shortest).unwrap_or_default();
    for r in results {
        let (element, index) = match r.contingency {
            Contingency::Branch(i) => ("branch", i),
            Contingency::Generator(i) => ("generator", i),
        };
        let error = r
            .error
            .as_deref()
            .map(|e| format!("\"{}\"", e.replace('"', "\"\"")))
            .unwrap_or_default();
        writeln!(
            out,
            "{element},{index},{},{error},{},{},{},{},{},{},{},{},{}",
            r.converged,
            r.iterations,
            r.islands,
            shortest(r.shed_mw),
            shortest(r.dark_load_mw),
            optional(r.max_loading_percent),
            r.max_loading_branch
                .map(|b| b.to_string())
                .unwrap_or_default(),
            r.voltage_violations,
            optional(r.min_vm_pu),
            optional(r.max_vm_pu),
        )?;
    }
    Ok(())
}

/// `bus_id,load_mw,shed_mw,served_mw,energised`, one row per case bus.
pub fn write_loads(out: &mut impl Write, loads: &[BusLoad]) -> io::Result<()> {
    writeln!(out, "bus_id,load_mw,shed_mw,served_mw,energised")?;
    for l in loads {
        writeln!(
            out,
            "{},{},{},{},{}",
            l.bus_id,
            shortest(l.load_mw),
            shortest(l.shed_mw),
            shortest(l.served_mw),
            u8::from(l.energised)
        )?;
    }
    Ok(())
}

/// `island,buses,slack_buses,energised,status,load_mw,shed_mw,generation_mw,capacity_mw,
/// slack_violation_mw`, one row per island; `slack_buses` is space-separated, `status` is
/// empty for an island without generation.
pub fn write_islands(out: &mut impl Write, islands: &[IslandState]) -> io::Result<()> {
    writeln!(
        out,
        "island,buses,slack_buses,energised,status,load_mw,shed_mw,generation_mw,capacity_mw,slack_violation_mw"
    )?;
    for (number, island) in islands.iter().enumerate() {
        let slack: Vec<String> = island.slack_buses.iter().map(ToString::to_string).collect();
        let status = match island.status {
            None => "",
            Some(SolveStatus::Converged) => "converged",
            Some(SolveStatus::MaxIterations) => "max_iterations",
            Some(SolveStatus::Diverged) => "diverged",
        };
        writeln!(
            out,
            "{},{},{},{},{status},{},{},{},{},{}",
            number + 1,
            island.buses.len(),
            slack.join(" "),
            u8::from(island.energised),
            shortest(island.load_mw),
            shortest(island.shed_mw),
            shortest(island.generation_mw),
            shortest(island.capacity_mw),
            shortest(island.slack_violation_mw),
        )?;
    }
    Ok(())
}
