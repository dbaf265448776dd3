//! From parsed assignments to a checked [`Case`]: column counts, field values, references.

use super::parse::{Assignment, Cell, Row, Statements, Value};
use super::{ReadCase, ReadError, ReadErrorKind, ReadWarning, columns, field_label};
use crate::branch::Branch;
use crate::bus::{Bus, BusKind};
use crate::case::{Case, CaseProblem, Element};
use crate::generator::{Generator, GeneratorCost};
use lifeline_core::TextPosition;
use std::collections::HashMap;

/// The largest magnitude accepted for a value that must be finite (MW, MVAr, p.u., kV,
/// degrees, costs): larger ones are typing errors, not grids.
pub const MAX_MAGNITUDE: f64 = 1e9;

/// Fields this reader uses; every other `mpc.` field is skipped with a warning.
const KNOWN_FIELDS: &[&str] = &[
    "mpc.version",
    "mpc.baseMVA",
    "mpc.bus",
    "mpc.gen",
    "mpc.branch",
    "mpc.gencost",
    "mpc.bus_name",
];

/// Reads the fields of one matrix row, naming the field in every error.
struct RowFields<'r> {
    target: &'static str,
    number: usize,
    row: &'r Row<Cell>,
}

impl RowFields<'_> {
    fn label(&self, column: usize) -> String {
        field_label(self.target, self.number, column)
    }

    fn invalid(&self, column: usize, message: String) -> ReadError {
        let position = self
            .row
            .cells
            .get(column)
            .map_or(self.row.position, |c| c.position);
        ReadError::at(
            position,
            Some(self.label(column)),
            ReadErrorKind::InvalidValue(message),
        )
    }

    /// A finite real number of at most [`MAX_MAGNITUDE`] in size.
    fn finite(&self, column: usize) -> Result<f64, ReadError> {
        let value = self.row.cells[column].value;
        if value.is_finite() && value.abs() <= MAX_MAGNITUDE {
            Ok(value)
        } else {
            Err(self.invalid(
                column,
                format!(
                    "expected a finite number of at most {MAX_MAGNITUDE:e} in size, found {}",
                    lifeline_core::number::shortest(value)
                ),
            ))
        }
    }

    /// A number that may be ±Inf (a limit), but not NaN.
    fn limit(&self, column: usize) -> Result<f64, ReadError> {
        let value = self.row.cells[column].value;
        if value.is_nan() {
            Err(self.invalid(column, "expected a number or ±Inf, found NaN".into()))
        } else {
            Ok(value)
        }
    }

    /// A limit that the case may omit (older cases): `default` when the row is short.
    fn optional_limit(&self, column: usize, default: f64) -> Result<f64, ReadError> {
        if column < self.row.cells.len() {
            self.limit(column)
        } else {
            Ok(default)
        }
    }

    /// A whole number in `min..=u32::MAX`.
    fn integer(&self, column: usize, min: u32) -> Result<u32, ReadError> {
        let value = self.row.cells[column].value;
        if value.fract() == 0.0 && value >= f64::from(min) && value <= f64::from(u32::MAX) {
            Ok(value as u32)
        } else {
            Err(self.invalid(
                column,
                format!("expected a whole number of at least {min}, found {value}"),
            ))
        }
    }

    /// A status: in service when > 0.
    fn status(&self, column: usize) -> Result<bool, ReadError> {
        Ok(self.finite(column)? > 0.0)
    }
}

/// Checks column counts: every row as long as the first, and the first at least `required`.
fn check_columns(
    target: &'static str,
    rows: &[Row<Cell>],
    required: usize,
) -> Result<(), ReadError> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let width = first.cells.len();
    for (index, row) in rows.iter().enumerate() {
        let problem = if row.cells.len() < required {
            Some(format!(
                "at least {required} ({} to {})",
                columns::name(target.trim_start_matches("mpc."), 0),
                columns::name(target.trim_start_matches("mpc."), required - 1)
            ))
        } else if row.cells.len() != width {
            Some(format!("{width}, like the first row of {target}"))
        } else {
            None
        };
        if let Some(expected) = problem {
            let missing_column = row.cells.len().min(width);
            let position = row.cells.last().map_or(row.position, |cell| cell.position);
            return Err(ReadError::at(
                position,
                Some(field_label(target, index + 1, missing_column)),
                ReadErrorKind::ColumnCount {
                    found: row.cells.len(),
                    expected,
                },
            ));
        }
    }
    Ok(())
}

/// A matrix's rows and where its assignment starts.
type MatrixRows<'s> = (&'s [Row<Cell>], TextPosition);

fn matrix<'s>(
    fields: &HashMap<&str, &'s Assignment<'_>>,
    target: &'static str,
) -> Result<Option<MatrixRows<'s>>, ReadError> {
    let Some(assignment) = fields.get(target) else {
        return Ok(None);
    };
    match &assignment.value {
        Value::Matrix(rows) => Ok(Some((rows, assignment.position))),
        _ => Err(ReadError::at(
            assignment.position,
            Some(target.to_string()),
            ReadErrorKind::Syntax {
                expected: "a matrix '[ ... ]'".into(),
                found: "a single value".into(),
            },
        )),
    }
}

fn required_matrix<'s>(
    fields: &HashMap<&str, &'s Assignment<'_>>,
    target: &'static str,
    end: TextPosition,
) -> Result<MatrixRows<'s>, ReadError> {
    matrix(fields, target)?.ok_or_else(|| {
        ReadError::at(
            end,
            None,
            ReadErrorKind::MissingField {
                field: target.into(),
            },
        )
    })
}

fn read_bus(fields: &RowFields<'_>) -> Result<Bus, ReadError> {
    let code = fields.integer(1, 1)?;
    let kind = u8::try_from(code)
        .ok()
        .and_then(BusKind::from_code)
        .ok_or_else(|| {
            fields.invalid(
                1,
                format!(
                    "expected a bus type 1 (PQ), 2 (PV), 3 (slack) or 4 (isolated), found {code}"
                ),
            )
        })?;
    Ok(Bus {
        id: fields.integer(0, 1)?,
        kind,
        p_load_mw: fields.finite(2)?,
        q_load_mvar: fields.finite(3)?,
        g_shunt_mw: fields.finite(4)?,
        b_shunt_mvar: fields.finite(5)?,
        area: fields.integer(6, 0)?,
        vm_pu: fields.finite(7)?,
        va_deg: fields.finite(8)?,
        base_kv: fields.finite(9)?,
        zone: fields.integer(10, 0)?,
        vmax_pu: fields.limit(11)?,
        vmin_pu: fields.limit(12)?,
        name: None,
    })
}

fn read_generator(fields: &RowFields<'_>) -> Result<Generator, ReadError> {
    Ok(Generator {
        bus: fields.integer(0, 1)?,
        p_mw: fields.finite(1)?,
        q_mvar: fields.finite(2)?,
        q_max_mvar: fields.limit(3)?,
        q_min_mvar: fields.limit(4)?,
        v_set_pu: fields.finite(5)?,
        m_base_mva: fields.finite(6)?,
        in_service: fields.status(7)?,
        p_max_mw: fields.limit(8)?,
        p_min_mw: fields.limit(9)?,
    })
}

fn read_branch(fields: &RowFields<'_>) -> Result<Branch, ReadError> {
    Ok(Branch {
        from: fields.integer(0, 1)?,
        to: fields.integer(1, 1)?,
        r_pu: fields.finite(2)?,
        x_pu: fields.finite(3)?,
        b_pu: fields.finite(4)?,
        rate_a_mva: fields.limit(5)?,
        rate_b_mva: fields.limit(6)?,
        rate_c_mva: fields.limit(7)?,
        tap_ratio: fields.finite(8)?,
        shift_deg: fields.finite(9)?,
        in_service: fields.status(10)?,
        angle_min_deg: fields.optional_limit(11, -360.0)?,
        angle_max_deg: fields.optional_limit(12, 360.0)?,
    })
}

fn read_cost(fields: &RowFields<'_>) -> Result<GeneratorCost, ReadError> {
    let model = fields.integer(0, 1)?;
    if model > 2 {
        return Err(fields.invalid(
            0,
            format!("expected cost model 1 (piecewise linear) or 2 (polynomial), found {model}"),
        ));
    }
    let count = fields.integer(3, 0)? as usize;
    let needed = if model == 1 { 2 * count } else { count };
    let available = fields.row.cells.len() - 4;
    if needed > available {
        return Err(fields.invalid(
            3,
            format!("NCOST = {count} needs {needed} coefficients, but the row has {available}"),
        ));
    }
    let coefficients = (4..4 + needed)
        .map(|column| fields.finite(column))
        .collect::<Result<_, _>>()?;
    Ok(GeneratorCost {
        model: model as u8,
        startup: fields.finite(1)?,
        shutdown: fields.finite(2)?,
        coefficients,
    })
}

fn rows<T>(
    target: &'static str,
    rows: &[Row<Cell>],
    required: usize,
    read: impl Fn(&RowFields<'_>) -> Result<T, ReadError>,
) -> Result<Vec<T>, ReadError> {
    check_columns(target, rows, required)?;
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            read(&RowFields {
                target,
                number: index + 1,
                row,
            })
        })
        .collect()
}

/// The case of `statements`, or the first error in it; `default_name` when the file has
/// no `function` line. Warnings name what was skipped or assumed.
pub(crate) fn case_from_statements(
    statements: &Statements<'_>,
    default_name: &str,
) -> Result<ReadCase, ReadError> {
    let mut warnings = Vec::new();
    let fields = fields_by_target(statements, &mut warnings);
    let end = statements
        .assignments
        .last()
        .map_or(TextPosition::new(1, 1), |a| a.position);
    warn_skipped(&fields, &mut warnings);
    check_version(&fields, &mut warnings)?;
    let base_mva = read_base_mva(&fields, end)?;

    let matrices = Matrices::new(&fields, end)?;
    let mut buses = rows("mpc.bus", matrices.bus.0, columns::BUS_REQUIRED, read_bus)?;
    let generators = rows(
        "mpc.gen",
        matrices.generator.0,
        columns::GEN_REQUIRED,
        read_generator,
    )?;
    let branches = rows(
        "mpc.branch",
        matrices.branch.0,
        columns::BRANCH_REQUIRED,
        read_branch,
    )?;
    let generator_costs = read_generator_costs(&fields, generators.len(), &mut warnings)?;
    read_bus_names(&fields, &mut buses)?;

    let case = Case {
        name: statements.function_name.unwrap_or(default_name).to_string(),
        base_mva,
        buses,
        generators,
        branches,
        generator_costs,
    };
    case.check().map_err(|problem| matrices.locate(problem))?;
    Ok(ReadCase { case, warnings })
}

/// Each assigned field by its target (`mpc.bus`, ...); a field assigned again keeps its
/// last value, with a warning.
fn fields_by_target<'s, 't>(
    statements: &'s Statements<'t>,
    warnings: &mut Vec<ReadWarning>,
) -> HashMap<&'t str, &'s Assignment<'t>> {
    let mut fields: HashMap<&str, &Assignment<'_>> = HashMap::new();
    for assignment in &statements.assignments {
        if let Some(earlier) = fields.insert(assignment.target, assignment) {
            warnings.push(ReadWarning {
                position: Some(assignment.position),
                message: format!(
                    "{} is assigned again; the value from line {} is replaced",
                    assignment.target, earlier.position.line
                ),
            });
        }
    }
    fields
}

/// A warning for every field this reader does not use, in file order.
fn warn_skipped(fields: &HashMap<&str, &Assignment<'_>>, warnings: &mut Vec<ReadWarning>) {
    let mut skipped: Vec<&Assignment<'_>> = fields
        .values()
        .filter(|a| !KNOWN_FIELDS.contains(&a.target))
        .copied()
        .collect();
    skipped.sort_by_key(|a| a.position);
    for assignment in skipped {
        warnings.push(ReadWarning {
            position: Some(assignment.position),
            message: format!(
                "skipped {}: lifeline does not use this field",
                assignment.target
            ),
        });
    }
}

/// `mpc.version` must be 2 (`'2'` or `2`); without it, version 2 is assumed with a warning.
fn check_version(
    fields: &HashMap<&str, &Assignment<'_>>,
    warnings: &mut Vec<ReadWarning>,
) -> Result<(), ReadError> {
    match fields.get("mpc.version").map(|a| (&a.value, a.position)) {
        Some((Value::Text(version), _)) if version == "2" => {}
        Some((Value::Number(version), _)) if *version == 2.0 => {}
        Some((value, position)) => {
            let version = match value {
                Value::Text(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => "(not a string)".into(),
            };
            return Err(ReadError::at(
                position,
                Some("mpc.version".into()),
                ReadErrorKind::UnsupportedVersion { version },
            ));
        }
        None => warnings.push(ReadWarning {
            position: None,
            message: "no mpc.version: assuming format version 2".into(),
        }),
    }
    Ok(())
}

/// `mpc.baseMVA`: a positive finite number, MVA; required (`end` is where to report it
/// missing).
fn read_base_mva(
    fields: &HashMap<&str, &Assignment<'_>>,
    end: TextPosition,
) -> Result<f64, ReadError> {
    match fields.get("mpc.baseMVA") {
        Some(Assignment {
            value: Value::Number(value),
            position,
            ..
        }) => {
            if !(*value > 0.0 && value.is_finite()) {
                return Err(ReadError::at(
                    *position,
                    Some("mpc.baseMVA".into()),
                    ReadErrorKind::InvalidValue(format!(
                        "expected a positive number of MVA, found {value}"
                    )),
                ));
            }
            Ok(*value)
        }
        Some(other) => Err(ReadError::at(
            other.position,
            Some("mpc.baseMVA".into()),
            ReadErrorKind::Syntax {
                expected: "a number".into(),
                found: "a matrix or string".into(),
            },
        )),
        None => Err(ReadError::at(
            end,
            None,
            ReadErrorKind::MissingField {
                field: "mpc.baseMVA".into(),
            },
        )),
    }
}

/// `mpc.gencost`, when the case has it: rows of cost model, start-up and shut-down cost,
/// and coefficients; a warning when there is neither one nor two rows per generator.
fn read_generator_costs(
    fields: &HashMap<&str, &Assignment<'_>>,
    generator_count: usize,
    warnings: &mut Vec<ReadWarning>,
) -> Result<Vec<GeneratorCost>, ReadError> {
    let Some((cost_rows, position)) = matrix(fields, "mpc.gencost")? else {
        return Ok(Vec::new());
    };
    let costs = rows("mpc.gencost", cost_rows, columns::GENCOST.len(), read_cost)?;
    if !costs.is_empty() && costs.len() != generator_count && costs.len() != 2 * generator_count {
        warnings.push(ReadWarning {
            position: Some(position),
            message: format!(
                "mpc.gencost has {} rows for {} generators (expected one or two per generator)",
                costs.len(),
                generator_count
            ),
        });
    }
    Ok(costs)
}

/// `mpc.bus_name`, when the case has it: one name per bus, in bus order.
fn read_bus_names(
    fields: &HashMap<&str, &Assignment<'_>>,
    buses: &mut [Bus],
) -> Result<(), ReadError> {
    let Some(assignment) = fields.get("mpc.bus_name") else {
        return Ok(());
    };
    let Value::Cells(names) = &assignment.value else {
        return Err(ReadError::at(
            assignment.position,
            Some("mpc.bus_name".into()),
            ReadErrorKind::Syntax {
                expected: "a cell array of names '{ ... }'".into(),
                found: "another kind of value".into(),
            },
        ));
    };
    if names.len() != buses.len() {
        return Err(ReadError::at(
            assignment.position,
            Some("mpc.bus_name".into()),
            ReadErrorKind::InvalidValue(format!(
                "{} names for {} buses: expected one name per bus",
                names.len(),
                buses.len()
            )),
        ));
    }
    for (bus, name) in buses.iter_mut().zip(names) {
        bus.name = name.cells.first().cloned();
    }
    Ok(())
}

/// The required matrices, kept to place the case's problems on their rows.
struct Matrices<'s> {
    bus: MatrixRows<'s>,
    generator: MatrixRows<'s>,
    branch: MatrixRows<'s>,
}

impl<'s> Matrices<'s> {
    /// `mpc.bus`, `mpc.gen` and `mpc.branch` (`end` is where to report one missing); at
    /// least one bus.
    fn new(
        fields: &HashMap<&str, &'s Assignment<'_>>,
        end: TextPosition,
    ) -> Result<Self, ReadError> {
        let bus = required_matrix(fields, "mpc.bus", end)?;
        let generator = required_matrix(fields, "mpc.gen", end)?;
        let branch = required_matrix(fields, "mpc.branch", end)?;
        if bus.0.is_empty() {
            return Err(ReadError::at(
                bus.1,
                Some("mpc.bus".into()),
                ReadErrorKind::InvalidCase(
                    "the case has no buses: expected at least one row in mpc.bus".into(),
                ),
            ));
        }
        Ok(Self {
            bus,
            generator,
            branch,
        })
    }

    /// A problem of the case as a read error at its row and field (else at its matrix).
    fn locate(&self, problem: CaseProblem) -> ReadError {
        let ((bus_rows, bus_position), (gen_rows, gen_position), (branch_rows, branch_position)) =
            (self.bus, self.generator, self.branch);
        let (target, row_list, header): (&str, Option<&[Row<Cell>]>, TextPosition) =
            match problem.element {
                Element::Case => ("mpc.bus", None, bus_position),
                Element::Bus(i) => ("mpc.bus", Some(&bus_rows[i..=i]), bus_position),
                Element::Branch(i) => ("mpc.branch", Some(&branch_rows[i..=i]), branch_position),
                Element::Generator(i) => ("mpc.gen", Some(&gen_rows[i..=i]), gen_position),
            };
        let row_number = match problem.element {
            Element::Bus(i) | Element::Branch(i) | Element::Generator(i) => i + 1,
            Element::Case => 0,
        };
        let matrix_name = target.trim_start_matches("mpc.");
        let column = problem
            .field
            .and_then(|field| (0..30).find(|&c| columns::name(matrix_name, c) == field));
        let (position, label) = match (row_list.and_then(|r| r.first()), column) {
            (Some(row), Some(column)) => (
                row.cells.get(column).map_or(row.position, |c| c.position),
                field_label(target, row_number, column),
            ),
            (Some(row), None) => (row.position, format!("{target} row {row_number}")),
            (None, _) => (
                header,
                match problem.field {
                    Some(field) => format!("{target}, {field}"),
                    None => target.to_string(),
                },
            ),
        };
        ReadError::at(
            position,
            Some(label),
            ReadErrorKind::InvalidCase(problem.message),
        )
    }
}
