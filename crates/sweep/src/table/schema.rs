//! The columns of a sweep file and the checks of a file's schema against them.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use arrow_schema::{DataType, Field, SchemaRef};

use super::TableError;

/// The schema's fields for a sweep with `districts`.
pub(super) fn columns(districts: &[String]) -> Vec<Field> {
    let float = |name: &str| Field::new(name, DataType::Float64, false);
    let mut fields = vec![
        Field::new("scenario", DataType::UInt64, false),
        Field::new("assets", DataType::List(Arc::new(asset_item())), false),
        Field::new("strikes", DataType::UInt32, false),
        float("customer_hours"),
        float("person_hours"),
        float("unserved_mwh"),
        Field::new("peak_customers", DataType::UInt64, false),
        Field::new("peak_people", DataType::UInt64, false),
        Field::new("restored_h", DataType::Float64, true),
    ];
    for district in districts {
        fields.push(float(&customer_hours_column(district)));
        fields.push(float(&person_hours_column(district)));
    }
    fields
}

/// The item field of the `assets` list.
pub(super) fn asset_item() -> Field {
    Field::new("item", DataType::Utf8, false)
}

/// The column of a district's customer-hours without power.
pub(super) fn customer_hours_column(district: &str) -> String {
    format!("customer_hours__{district}")
}

/// The column of a district's person-hours without water.
pub(super) fn person_hours_column(district: &str) -> String {
    format!("person_hours__{district}")
}

/// Refuses a district list that names a district twice (their columns would clash).
pub(super) fn check_districts(path: &Path, districts: &[String]) -> Result<(), TableError> {
    let mut seen = BTreeSet::new();
    for district in districts {
        if !seen.insert(district.as_str()) {
            return Err(TableError::DuplicateDistrict {
                path: path.to_path_buf(),
                district: district.clone(),
            });
        }
    }
    Ok(())
}

/// Checks that every column of the schema is in `found` with the schema's type; a list
/// column matches whatever its item field is called.
pub(super) fn check_schema(
    path: &Path,
    found: &SchemaRef,
    districts: &[String],
) -> Result<(), TableError> {
    for field in columns(districts) {
        let Ok(actual) = found.field_with_name(field.name()) else {
            return Err(TableError::MissingColumn {
                path: path.to_path_buf(),
                column: field.name().clone(),
            });
        };
        let matches = match (field.data_type(), actual.data_type()) {
            (DataType::List(want), DataType::List(have)) => want.data_type() == have.data_type(),
            (want, have) => want == have,
        };
        if !matches {
            return Err(TableError::WrongType {
                path: path.to_path_buf(),
                column: field.name().clone(),
                expected: field.data_type().to_string(),
                found: actual.data_type().to_string(),
            });
        }
    }
    Ok(())
}
