//! Judging a run's final keyspace against a recorded store dump (`keyspace.recorded`), key by
//! key with the rules of checkpoints ([`compare_values`]): a `/config` body decoded, a job's
//! `params` and `dependency` as sets, the job suffix redacted (in keys too), strings
//! byte-equal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::dump::{DumpError, read_store_dump};
use super::{Difference, compare_values};
use crate::encoding::python_pretty;
use crate::run::FinalKeyspace;
use crate::scenario::Scenario;

/// One key of the final keyspace that differs from the recorded store.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyMismatch {
    /// Recorded, but the run did not end with it.
    Missing {
        /// The key.
        key: String,
        /// Its recorded value.
        expected: Value,
    },
    /// The run ended with it; the recording has no such key.
    Extra {
        /// The key.
        key: String,
        /// Its value at the end of the run.
        actual: Value,
    },
    /// Both have it, with other values.
    Different {
        /// The key.
        key: String,
        /// Where the values differ.
        differences: Vec<Difference>,
    },
}

impl std::fmt::Display for KeyMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = |v: &Value| {
            let text = match v {
                Value::String(raw) => raw.clone(),
                json => python_pretty(json),
            };
            text.lines()
                .map(|l| format!("\n      {l}"))
                .collect::<String>()
        };
        match self {
            KeyMismatch::Missing { key, expected } => {
                write!(f, "missing key {key}: recorded{}", value(expected))
            }
            KeyMismatch::Extra { key, actual } => {
                write!(f, "extra key {key}: captured{}", value(actual))
            }
            KeyMismatch::Different { key, differences } => {
                write!(f, "different key {key}:")?;
                differences
                    .iter()
                    .try_for_each(|d| write!(f, "\n      {d}"))
            }
        }
    }
}

/// Every key where the run's final keyspace differs from the store dump the scenario's
/// `keyspace.recorded` names (nothing when it names none).
pub fn compare_keyspace_with_recorded(
    scenario: &Scenario,
    captured: &FinalKeyspace,
) -> Result<Vec<KeyMismatch>, DumpError> {
    let actual: Vec<(String, String)> = captured
        .entries
        .iter()
        .map(|(key, value)| (key.clone(), String::from_utf8_lossy(value).into_owned()))
        .collect();
    against_dump(scenario, &actual)
}

/// Like [`compare_keyspace_with_recorded`], for a checked-in `keyspace.snap`'s text (so a
/// snapshot can never drift from the recorded store either).
pub fn compare_keyspace_snapshot_with_recorded(
    scenario: &Scenario,
    snapshot: &str,
) -> Result<Vec<KeyMismatch>, DumpError> {
    against_dump(scenario, &keyspace_entries(snapshot))
}

fn against_dump(
    scenario: &Scenario,
    actual: &[(String, String)],
) -> Result<Vec<KeyMismatch>, DumpError> {
    let Some(keyspace) = &scenario.keyspace else {
        return Ok(Vec::new());
    };
    let Some(recorded) = &keyspace.recorded else {
        return Ok(Vec::new());
    };
    let base = scenario.path.parent().unwrap_or(Path::new("."));
    let path: PathBuf = base.join(recorded);
    let expected: Vec<(String, String)> = read_store_dump(&path)?
        .into_iter()
        .filter(|(key, _)| keyspace.takes(key))
        .collect();
    Ok(compare_keyspaces(&expected, actual))
}

/// A keyspace snapshot's text (`keyspace.snap`, see [`FinalKeyspace::text`]) back into keys
/// and rendered values, for judging a checked-in snapshot against a recording.
pub fn keyspace_entries(text: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    // Entries are separated by a blank line; a blank line inside a raw value is kept.
    for block in text.trim().split("\n\n") {
        match entries.last_mut() {
            Some((_, value)) if !block.starts_with('/') => {
                value.push_str("\n\n");
                value.push_str(block);
            }
            _ => {
                let (key, value) = block.split_once('\n').unwrap_or((block, ""));
                entries.push((key.to_string(), value.to_string()));
            }
        }
    }
    entries
}

/// Two keyspace snapshot texts, key by key: every key only in `new` (extra), only in `old`
/// (missing) or in both with other values (changed), each with a diff of its value. Empty
/// when they hold the same entries.
pub fn keyspace_diff(old: &str, new: &str) -> String {
    let (old, new) = (keyspace_entries(old), keyspace_entries(new));
    let find = |entries: &[(String, String)], key: &str| {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let mut keys: Vec<&String> = old.iter().chain(&new).map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    let mut out = String::new();
    for key in keys {
        let (before, after) = (find(&old, key), find(&new, key));
        let word = match (&before, &after) {
            (Some(b), Some(a)) if b == a => continue,
            (Some(_), Some(_)) => "changed",
            (Some(_), None) => "missing",
            _ => "extra",
        };
        let line_ended = |v: Option<String>| v.map(|v| v + "\n").unwrap_or_default();
        let (before, after) = (line_ended(before), line_ended(after));
        let diff = similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .context_radius(2)
            .to_string();
        let diff: String = diff
            .lines()
            .filter(|l| !l.starts_with("@@"))
            .map(|l| format!("\n  {l}"))
            .collect();
        out.push_str(&format!("{word} key {key}:{diff}\n"));
    }
    out
}

/// Key by key: `expected` (recorded) against `actual` (captured), both raw values.
pub fn compare_keyspaces(
    expected: &[(String, String)],
    actual: &[(String, String)],
) -> Vec<KeyMismatch> {
    let by_key = |entries: &[(String, String)]| -> BTreeMap<String, Vec<(String, Value)>> {
        let mut map: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
        for (key, raw) in entries {
            let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.clone()));
            map.entry(crate::snapshot::redact_job_suffix(key))
                .or_default()
                .push((key.clone(), value));
        }
        map
    };
    let (mut expected, mut actual) = (by_key(expected), by_key(actual));
    let mut keys: Vec<String> = expected.keys().chain(actual.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let mut mismatches = Vec::new();
    for redacted in keys {
        let mut e = expected.remove(&redacted).unwrap_or_default().into_iter();
        let mut a = actual.remove(&redacted).unwrap_or_default().into_iter();
        loop {
            match (e.next(), a.next()) {
                (Some((ek, ev)), Some((ak, av))) => {
                    let differences = compare_values(&ek, &ev, &ak, &av);
                    if !differences.is_empty() {
                        mismatches.push(KeyMismatch::Different {
                            key: ak,
                            differences,
                        });
                    }
                }
                (Some((key, expected)), None) => {
                    mismatches.push(KeyMismatch::Missing { key, expected })
                }
                (None, Some((key, actual))) => mismatches.push(KeyMismatch::Extra { key, actual }),
                (None, None) => break,
            }
        }
    }
    mismatches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equal_keyspaces_have_no_mismatch_whatever_the_encoding() {
        let recorded = entries(&[
            (
                "/config/v2.0/ports/p",
                r#"{"body": {"b": 1, "a": "x"}, "version": 1}"#,
            ),
            ("/monitoring/v2.0/ports/p", r#"{"vmi": "UP", "version": 1}"#),
        ]);
        let captured = entries(&[
            (
                "/config/v2.0/ports/p",
                r#"{"body":"{\"a\":\"x\",\"b\":1}","version":1}"#,
            ),
            ("/monitoring/v2.0/ports/p", r#"{"version":1,"vmi":"UP"}"#),
        ]);
        assert_eq!(compare_keyspaces(&recorded, &captured), Vec::new());
    }

    #[test]
    fn missing_extra_and_different_keys_are_each_reported() {
        let recorded = entries(&[
            ("/monitoring/v2.0/ports/p", r#"{"vmi": "UP", "version": 1}"#),
            ("/state/v2.0/ports/p", r#"{"version": 1}"#),
        ]);
        let captured = entries(&[
            (
                "/monitoring/v2.0/ports/p",
                r#"{"vmi": "FAIL", "version": 1}"#,
            ),
            (
                "/jobs/all/create:heat_worker:port:p:1:abcde",
                r#"["heat_worker", {}, 0]"#,
            ),
        ]);
        let found = compare_keyspaces(&recorded, &captured);
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 3, "{shown:#?}");
        assert!(shown[0].starts_with("extra key /jobs/all/create:heat_worker:port:p:1:abcde"));
        assert_eq!(
            shown[1],
            "different key /monitoring/v2.0/ports/p:\n      at vmi: recorded \"UP\", captured \"FAIL\""
        );
        assert!(shown[2].starts_with("missing key /state/v2.0/ports/p: recorded\n"));
    }

    #[test]
    fn a_keyspace_text_reads_back_into_its_entries() {
        let text = "/a\n{\n    \"x\": 1\n}\n\n/b\nplain\n\n/c\n{}";
        assert_eq!(
            keyspace_entries(text),
            entries(&[("/a", "{\n    \"x\": 1\n}"), ("/b", "plain"), ("/c", "{}")])
        );
    }

    #[test]
    fn the_recorded_store_equals_itself_rendered_and_any_change_is_found() {
        let dump = crate::docs::read_store_dump(Path::new(
            "tests/recorded/esi/05_load_balancer/result_log/08_etcd_store/test.dump",
        ))
        .unwrap();
        // Rendered the way keyspace.snap shows it: a /config body decoded, pretty-printed.
        let rendered: Vec<(String, String)> = dump
            .iter()
            .map(|(key, raw)| {
                let text = crate::snapshot::render_write(key, raw.as_bytes());
                let (key, value) = text.split_once('\n').unwrap();
                (key.to_string(), value.to_string())
            })
            .collect();
        assert_eq!(compare_keyspaces(&dump, &rendered), Vec::new());
        let mut changed = rendered.clone();
        changed.retain(|(k, _)| k != "/job_manager_id");
        let monitoring = changed
            .iter_mut()
            .find(|(k, _)| {
                k == "/monitoring/v2.0/load_balancers/b311c470-d878-4fea-8466-a4393938f2d4"
            })
            .unwrap();
        monitoring.1 = monitoring.1.replacen("UP", "FAIL", 1);
        let found = compare_keyspaces(&dump, &changed);
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{shown:#?}");
    }

    #[test]
    fn a_keyspace_diff_names_each_key() {
        let old = "/a\n{\n    \"x\": 1\n}\n\n/b\nplain\n\n/c\nsame";
        let new = "/a\n{\n    \"x\": 2\n}\n\n/c\nsame\n\n/d\nnew";
        assert_eq!(
            keyspace_diff(old, new),
            "changed key /a:\n   {\n  -    \"x\": 1\n  +    \"x\": 2\n   }\n\
             missing key /b:\n  -plain\n\
             extra key /d:\n  +new\n"
        );
        assert_eq!(keyspace_diff(old, old), "");
    }

    #[test]
    fn job_keys_match_whatever_their_suffix() {
        let recorded = entries(&[("/jobs/all/create:heat_worker:port:p:1:abcde", "[]")]);
        let captured = entries(&[("/jobs/all/create:heat_worker:port:p:1:zz9zz", "[]")]);
        assert_eq!(compare_keyspaces(&recorded, &captured), Vec::new());
    }
}
