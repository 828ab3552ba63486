//! The one place where run-to-run randomness (job suffixes, ids, times) is replaced.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::encoding::python_pretty;
use crate::scenario::Redaction;

/// Applies every rule, in order, to a rendered checkpoint (`key`, newline, value).
pub fn redact(rules: &[Redaction], text: &str) -> String {
    rules
        .iter()
        .fold(text.to_string(), |text, rule| match rule {
            Redaction::Replace { regex, replacement } => {
                regex.replace_all(&text, replacement.as_str()).into_owned()
            }
            Redaction::Sort { key } => sort_under(&text, key),
        })
}

/// Re-renders the value with every list held under `key` sorted.
fn sort_under(text: &str, key: &str) -> String {
    let Some((first, rest)) = text.split_once('\n') else {
        return text.to_string();
    };
    let Ok(mut value) = serde_json::from_str::<Value>(rest) else {
        return text.to_string();
    };
    sort_lists(&mut value, key);
    format!("{first}\n{}", python_pretty(&value))
}

fn sort_lists(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                if k == key
                    && let Value::Array(items) = item
                {
                    items.sort_by_key(|i| i.to_string());
                }
                sort_lists(item, key);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| sort_lists(i, key)),
        _ => {}
    }
}

/// A job id's 5-character random suffix (`<action>:<handler>:<type>:<id>:<version>:abcde`);
/// group 1 is everything before it.
const JOB_SUFFIX: &str =
    r"((?:create|modify|logical_delete|delete):[a-z_]+:[a-z_]+:[A-Za-z0-9-]+:[0-9]+:)[a-z0-9]{5}\b";

/// What replaces it.
const JOB_SUFFIX_REPLACEMENT: &str = "${1}[suffix]";

static JOB_SUFFIX_REGEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(JOB_SUFFIX).expect("valid regex"));

/// The `job_suffix` rule of a scenario's `redact:`.
pub(crate) fn job_suffix_redaction() -> Redaction {
    Redaction::Replace {
        regex: JOB_SUFFIX_REGEX.clone(),
        replacement: JOB_SUFFIX_REPLACEMENT.into(),
    }
}

/// `text` with every job suffix replaced, as the `job_suffix` rule does (recorded documents
/// and keys are judged this way).
pub fn redact_job_suffix(text: &str) -> String {
    JOB_SUFFIX_REGEX
        .replace_all(text, JOB_SUFFIX_REPLACEMENT)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::{job_suffix_redaction, redact, redact_job_suffix};

    #[test]
    fn the_rule_and_the_function_redact_alike() {
        let key = "/jobs/all/create:heat:port:ddc14be4-3480:2:x7k2q";
        assert_eq!(
            redact_job_suffix(key),
            "/jobs/all/create:heat:port:ddc14be4-3480:2:[suffix]"
        );
        assert_eq!(
            redact(&[job_suffix_redaction()], key),
            redact_job_suffix(key)
        );
        assert_eq!(redact_job_suffix("/jobs/all/x:1"), "/jobs/all/x:1");
    }
}
