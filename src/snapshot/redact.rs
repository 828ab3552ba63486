//! The one place where run-to-run randomness (job suffixes, ids, times) is replaced.

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
pub(crate) const JOB_SUFFIX: &str =
    r"((?:create|modify|logical_delete|delete):[a-z_]+:[a-z_]+:[A-Za-z0-9-]+:[0-9]+:)[a-z0-9]{5}\b";
