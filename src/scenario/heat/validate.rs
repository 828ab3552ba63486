//! Checks of the `heat:` section: [`HeatFile`] to [`HeatSpec`].

use serde_saphyr::Spanned;

use super::file::{HeatFile, HoldFile, HttpErrorFile, StackRuleFile};
use super::spec::{Failure, HeatSpec, HttpError, StackRule};
use crate::scenario::{FieldError, Located};

/// Validates the `heat` section. An error names its full key and the position of the stack
/// rule it is in (or of the section).
pub(crate) fn validate(file: Option<Spanned<HeatFile>>) -> Result<HeatSpec, Located> {
    let Some(Spanned {
        value: file,
        defined: at,
        ..
    }) = file
    else {
        return Ok(HeatSpec::default());
    };
    let defaults = HeatSpec::default();
    let project_id = file.project_id.unwrap_or(defaults.project_id);
    if project_id.is_empty()
        || !project_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(FieldError::new(
            ".project_id",
            "must be a non-empty id of letters, digits, `-` and `_`",
        )
        .located("heat", at));
    }
    let stacks = file
        .stacks
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            stack_rule(rule.value).map_err(|e| e.located(format!("heat.stacks[{i}]"), rule.defined))
        })
        .collect::<Result<_, _>>()?;
    Ok(HeatSpec {
        project_id,
        in_progress_reads: file.in_progress_reads.unwrap_or(defaults.in_progress_reads),
        latency: file.latency,
        stacks,
    })
}

/// Validates an `http_error` section (of a stack or a target rule).
pub(crate) fn http_error(file: Option<HttpErrorFile>) -> Result<Option<HttpError>, FieldError> {
    match file {
        None => Ok(None),
        Some(HttpErrorFile {
            status: Some(s), ..
        }) if !(500..=599).contains(&s) => Err(FieldError::new(
            ".http_error.status",
            "must be a 5xx status",
        )),
        Some(HttpErrorFile { count: 0, .. }) => {
            Err(FieldError::new(".http_error.count", "must be at least 1"))
        }
        Some(h) => Ok(Some(HttpError {
            status: h.status.unwrap_or(503),
            count: h.count,
            methods: h.methods,
        })),
    }
}

fn stack_rule(rule: StackRuleFile) -> Result<StackRule, FieldError> {
    if rule.pattern.trim().is_empty() {
        return Err(FieldError::new(".match", "must not be empty"));
    }
    if rule.outputs.keys().any(String::is_empty) {
        return Err(FieldError::new(".outputs", "output keys must not be empty"));
    }
    let fail = rule
        .fail
        .into_iter()
        .enumerate()
        .map(|(j, f)| match (&f.reason, f.times) {
            (Some(r), _) if r.trim().is_empty() => Err(FieldError::new(
                format!(".fail[{j}].reason"),
                "must not be empty",
            )),
            (_, Some(0)) => Err(FieldError::new(
                format!(".fail[{j}].times"),
                "must be at least 1",
            )),
            _ => Ok(Failure {
                action: f.action,
                reason: f.reason,
                times: f.times,
            }),
        })
        .collect::<Result<_, _>>()?;
    let http_error = http_error(rule.http_error)?;
    let hold_until = match rule.hold_until {
        None => Vec::new(),
        Some(HoldFile { exists }) if exists.is_empty() => {
            return Err(FieldError::new(
                ".hold_until.exists",
                "must name at least one key or glob",
            ));
        }
        Some(HoldFile { exists }) => match exists.iter().position(|k| k.trim().is_empty()) {
            Some(i) => {
                return Err(FieldError::new(
                    format!(".hold_until.exists[{i}]"),
                    "must not be empty",
                ));
            }
            None => exists,
        },
    };
    Ok(StackRule {
        pattern: rule.pattern,
        generation: rule.generation,
        in_progress_reads: rule.in_progress_reads,
        outputs: rule.outputs,
        output_order: rule.output_order,
        fail,
        http_error,
        latency: rule.latency,
        hold_until,
    })
}
