//! Checks of the `collector:` section: [`CollectorFile`] to [`CollectorSpec`].

use serde_json::Value;
use serde_saphyr::Spanned;

use super::file::{CollectorFile, ReportFile, StatusFile, TargetRuleFile};
use super::spec::{CollectorSpec, Report, TargetRule};
use crate::scenario::heat::http_error;
use crate::scenario::{FieldError, Located};

/// The most results a `flapping` report expands into.
const MAX_FLAPS: u32 = 10_000;

/// Validates the `collector` section. An error names its full key and the position of the
/// target rule it is in (or of the section).
pub(crate) fn validate(file: Option<Spanned<CollectorFile>>) -> Result<CollectorSpec, Located> {
    let Some(Spanned {
        value: file,
        defined: at,
        ..
    }) = file
    else {
        return Ok(CollectorSpec::default());
    };
    let defaults = CollectorSpec::default();
    let public_url = match file.public_url {
        None => defaults.public_url,
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            url.trim_end_matches('/').to_string()
        }
        Some(_) => {
            return Err(
                FieldError::new(".public_url", "must be an http:// or https:// URL")
                    .located("collector", at),
            );
        }
    };
    let clock = match file.clock {
        None => defaults.clock,
        Some(text) => humantime::parse_rfc3339(&text).map_err(|_| {
            FieldError::new(
                ".clock",
                "must be an RFC 3339 time such as 2018-02-19T05:22:01Z",
            )
            .located("collector", at)
        })?,
    };
    let targets = file
        .targets
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            target_rule(rule.value)
                .map_err(|e| e.located(format!("collector.targets[{i}]"), rule.defined))
        })
        .collect::<Result<_, _>>()?;
    Ok(CollectorSpec {
        public_url,
        clock,
        targets,
    })
}

fn target_rule(rule: TargetRuleFile) -> Result<TargetRule, FieldError> {
    let err = |field: &str, message: &str| Err(FieldError::new(field, message));
    if rule.pattern.trim().is_empty() {
        return err(".match", "must not be empty");
    }
    if rule.kind.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return err(".type", "must not be empty");
    }
    if rule.field.as_deref().is_some_and(|f| f.trim().is_empty()) {
        return err(".field", "must not be empty");
    }
    let report = match rule.report {
        None => Report::Healthy,
        Some(ReportFile::Statuses(s)) => {
            if s.statuses.is_empty() {
                return err(".report.statuses", "must name at least one status");
            }
            let statuses = s.statuses.into_iter().enumerate().map(|(i, s)| {
                status(s)
                    .map_err(|message| FieldError::new(format!(".report.statuses[{i}]"), message))
            });
            Report::Statuses(statuses.collect::<Result<_, _>>()?)
        }
        Some(ReportFile::Flapping(f)) => {
            let [a, b] = match f.between {
                None => [Value::from("UP"), Value::from("FAIL")],
                Some([a, b]) => {
                    let check = |s| status(s).map_err(|m| FieldError::new(".report.between", m));
                    [check(a)?, check(b)?]
                }
            };
            if a == b {
                return err(".report.between", "must be two different statuses");
            }
            let times = f.times.unwrap_or(4);
            if !(2..=MAX_FLAPS).contains(&times) {
                return err(".report.times", "must be from 2 to 10000");
            }
            let pair = [a, b];
            Report::Statuses((0..times).map(|n| pair[n as usize % 2].clone()).collect())
        }
        Some(ReportFile::Unreachable(_)) => Report::Unreachable,
        Some(ReportFile::Silent(_)) => Report::Silent,
    };
    let http_error = http_error(rule.http_error)?;
    Ok(TargetRule {
        pattern: rule.pattern,
        version: rule.version,
        kind: rule.kind,
        field: rule.field,
        report,
        hold: rule.hold,
        http_error,
        latency: rule.latency,
    })
}

/// A status is a non-empty string or a non-empty mapping.
fn status(status: StatusFile) -> Result<Value, String> {
    match status.0 {
        Value::String(s) if !s.trim().is_empty() => Ok(Value::String(s)),
        Value::Object(map) if !map.is_empty() => Ok(Value::Object(map)),
        _ => Err(
            "a status is a non-empty string such as UP or a non-empty mapping such as \
             {primary: MASTER, secondary: BACKUP}"
                .into(),
        ),
    }
}
