//! The one place where run-to-run randomness (job suffixes, ids, times) is replaced.

use crate::scenario::Redaction;

/// Applies every rule, in order, to a rendered checkpoint.
pub fn redact(rules: &[Redaction], text: &str) -> String {
    rules.iter().fold(text.to_string(), |text, rule| {
        rule.regex
            .replace_all(&text, rule.replacement.as_str())
            .into_owned()
    })
}
