//! Library errors name the request's field (`targets`, `at_h`); on the command line the
//! same field is a `--flag`. This maps one to the other in error messages.

use lifeline_core::FieldError;

/// Fields whose flag is not `--` and the field with `_` as `-`.
const FLAGS: [(&str, &str); 2] = [("at_h", "--at"), ("time_limit_s", "--search-seconds")];

/// The command-line flag of a request's `field`.
pub fn flag(field: &str) -> String {
    FLAGS.iter().find(|(f, _)| *f == field).map_or_else(
        || format!("--{}", field.replace('_', "-")),
        |(_, flag)| (*flag).to_string(),
    )
}

/// The field error somewhere in `error`'s chain, if any.
fn field_error(error: &anyhow::Error) -> Option<&FieldError> {
    error.chain().find_map(|cause| {
        cause.downcast_ref::<FieldError>().or_else(|| {
            match cause.downcast_ref::<lifeline_sweep::SweepError>() {
                Some(lifeline_sweep::SweepError::Request(field)) => Some(field),
                _ => None,
            }
        })
    })
}

/// An application error as the CLI prints it: led by the flag of its field, if any.
pub fn app_message(error: &lifeline_app::AppError) -> String {
    match error.field_name() {
        Some(field) => format!("{}: {}", flag(field), error.message()),
        None => error.to_string(),
    }
}

/// `error` as the CLI prints it: its chain, with a request field named by its flag.
pub fn message(error: &anyhow::Error) -> String {
    let text = format!("{error:#}");
    match field_error(error) {
        Some(field) => text.replacen(
            &field.to_string(),
            &format!("{}: {}", flag(field.field), field.message),
            1,
        ),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_flags() {
        assert_eq!(flag("repair_h"), "--repair-h");
        assert_eq!(flag("at_h"), "--at");
        let error = anyhow::Error::new(lifeline_sweep::SweepError::Request(FieldError::new(
            "what_if", "'x': no",
        )))
        .context("sweep");
        assert_eq!(message(&error), "sweep: --what-if: 'x': no");
    }
}
