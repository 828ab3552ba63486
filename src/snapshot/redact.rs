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

/// A job id's 5-character random suffix (`<action>:<handler>:<type>:<id>:<version>:abcde`);
/// group 1 is everything before it.
pub(crate) const JOB_SUFFIX: &str =
    r"((?:create|modify|logical_delete|delete):[a-z_]+:[a-z_]+:[A-Za-z0-9-]+:[0-9]+:)[a-z0-9]{5}\b";
