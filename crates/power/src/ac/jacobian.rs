//! The Newton–Raphson Jacobian in polar form, laid out once per (Ybus pattern, bus kinds)
//! and filled in place every iteration.
//!
//! Unknowns and equations follow MATPOWER's `newtonpf`: angles of PV and PQ buses, then
//! magnitudes of PQ buses; active mismatch at PV and PQ buses, then reactive at PQ buses.
//! Like lightsim2grid, each Ybus entry knows the (up to four) Jacobian slots it feeds, so
//! a fill is one pass over Ybus with no search and no allocation.

use crate::admittance::Ybus;
use crate::bus::BusKind;
use crate::sparse_lu::{LuFailure, LuPattern};
use num_complex::Complex64;

/// No variable / no slot.
const NONE: u32 = u32::MAX;

/// Layout of the Jacobian for one network topology and set of bus kinds.
#[derive(Debug, Clone)]
pub struct JacobianLayout {
    /// Angle unknown of each bus (`NONE` at slack buses).
    pub angle_unknown: Vec<u32>,
    /// Magnitude unknown of each bus (`NONE` at PV and slack buses).
    pub magnitude_unknown: Vec<u32>,
    /// Buses with an angle unknown, in unknown order.
    pub angle_buses: Vec<u32>,
    /// Buses with a magnitude unknown, in unknown order.
    pub magnitude_buses: Vec<u32>,
    /// For each Ybus entry `(i, k)`: slots of ∂P_i/∂θ_k, ∂P_i/∂|V_k|, ∂Q_i/∂θ_k,
    /// ∂Q_i/∂|V_k| in the value array; unused ones point at the spare slot at the end.
    pub slots: Vec<[u32; 4]>,
    /// The sparsity pattern and its symbolic LU analysis.
    pub lu: LuPattern,
}

impl JacobianLayout {
    /// Lays out the Jacobian for `ybus` and bus `kinds`, and analyses it symbolically.
    pub fn new(ybus: &Ybus, kinds: &[BusKind]) -> Result<Self, LuFailure> {
        let n = ybus.bus_count();
        let mut angle_unknown = vec![NONE; n];
        let mut magnitude_unknown = vec![NONE; n];
        let mut angle_buses = Vec::new();
        let mut magnitude_buses = Vec::new();
        for (bus, kind) in kinds.iter().enumerate() {
            if *kind != BusKind::Slack {
                angle_unknown[bus] = angle_buses.len() as u32;
                angle_buses.push(bus as u32);
            }
        }
        let angle_count = angle_buses.len() as u32;
        for (bus, kind) in kinds.iter().enumerate() {
            if *kind == BusKind::Pq {
                magnitude_unknown[bus] = angle_count + magnitude_buses.len() as u32;
                magnitude_buses.push(bus as u32);
            }
        }
        let size = angle_buses.len() + magnitude_buses.len();
        let mut column_start = Vec::with_capacity(size + 1);
        let mut rows: Vec<usize> = Vec::with_capacity(4 * ybus.column.len());
        // Provisional slot markers: the spare slot is fixed once the entry count is known.
        let mut slots = vec![[NONE; 4]; ybus.column.len()];
        column_start.push(0);
        // Column of unknown x_k (θ_k: part 0, |V_k|: part 1) holds ∂P_i/∂x_k then ∂Q_i/∂x_k
        // for the neighbours i of k; Ybus(i, k) is the transpose of the entry (k, i).
        for (part, buses) in [(0usize, &angle_buses), (1, &magnitude_buses)] {
            for &k in buses.iter() {
                let k = k as usize;
                let row_range = ybus.row_start[k]..ybus.row_start[k + 1];
                for s in row_range.clone() {
                    let i = ybus.column[s];
                    if angle_unknown[i] != NONE {
                        slots[ybus.transpose[s]][part] = rows.len() as u32;
                        rows.push(angle_unknown[i] as usize);
                    }
                }
                for s in row_range {
                    let i = ybus.column[s];
                    if magnitude_unknown[i] != NONE {
                        slots[ybus.transpose[s]][2 + part] = rows.len() as u32;
                        rows.push(magnitude_unknown[i] as usize);
                    }
                }
                column_start.push(rows.len());
            }
        }
        let spare = rows.len() as u32;
        for entry in &mut slots {
            for slot in entry.iter_mut() {
                if *slot == NONE {
                    *slot = spare;
                }
            }
        }
        let lu = LuPattern::analyse(size, column_start, rows)?;
        Ok(Self {
            angle_unknown,
            magnitude_unknown,
            angle_buses,
            magnitude_buses,
            slots,
            lu,
        })
    }

    /// Number of unknowns.
    pub fn size(&self) -> usize {
        self.angle_buses.len() + self.magnitude_buses.len()
    }

    /// Length of the value array: one per Jacobian entry plus the spare slot.
    pub fn value_len(&self) -> usize {
        self.lu.entry_count() + 1
    }

    /// Writes the Jacobian at voltages `v` (with magnitudes `vm`) into `values`, given the
    /// computed injections `power = V·conj(Ybus·V)`.
    pub fn fill(
        &self,
        ybus: &Ybus,
        v: &[Complex64],
        vm: &[f64],
        power: &[Complex64],
        values: &mut [f64],
    ) {
        for i in 0..ybus.bus_count() {
            let vi = v[i];
            for s in ybus.row_start[i]..ybus.row_start[i + 1] {
                let k = ybus.column[s];
                let y = ybus.value[s];
                let [p_angle, p_magnitude, q_angle, q_magnitude] = self.slots[s];
                if k != i {
                    let w = vi * (y * v[k]).conj();
                    values[p_angle as usize] = w.im;
                    values[q_angle as usize] = -w.re;
                    values[p_magnitude as usize] = w.re / vm[k];
                    values[q_magnitude as usize] = w.im / vm[k];
                } else {
                    let w = y.conj() * (vm[i] * vm[i]);
                    let s_i = power[i];
                    values[p_angle as usize] = w.im - s_i.im;
                    values[q_angle as usize] = s_i.re - w.re;
                    values[p_magnitude as usize] = (w.re + s_i.re) / vm[i];
                    values[q_magnitude as usize] = (w.im + s_i.im) / vm[i];
                }
            }
        }
    }
}
