//! How a captured checkpoint is judged against a recorded one (issue "golden flows"): equal as
//! JSON after decoding a `/config` string `body`; a job's `params` compared as a set keyed by
//! `param` and its `dependency` as a set; the 5-character job suffix redacted everywhere;
//! strings (so `heat_outputs`) byte-equal.

use serde_json::Value;

use crate::snapshot::{decode_body, redact_job_suffix as redact};

/// One place where the two values differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSON path, e.g. `[1].params[param=version].value`; empty for the key.
    pub path: String,
    /// Recorded.
    pub expected: Value,
    /// Captured.
    pub actual: Value,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() {
            "key"
        } else {
            &self.path
        };
        write!(
            f,
            "at {at}: recorded {}, captured {}",
            self.expected, self.actual
        )
    }
}

/// Compares a recorded checkpoint (`expected_key`, `expected`) with a captured one.
pub fn compare_values(
    expected_key: &str,
    expected: &Value,
    actual_key: &str,
    actual: &Value,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let (ek, ak) = (redact(expected_key), redact(actual_key));
    if ek != ak {
        differences.push(Difference {
            path: String::new(),
            expected: Value::String(ek),
            actual: Value::String(ak),
        });
    }
    let (expected, actual) = (
        normalise(expected_key, expected),
        normalise(actual_key, actual),
    );
    diff(&expected, &actual, String::new(), &mut differences);
    differences
}

/// Decoded body, redacted suffixes, params keyed by name and dependencies sorted.
fn normalise(key: &str, value: &Value) -> Value {
    let mut value = value.clone();
    if key.starts_with("/config/") {
        decode_body(&mut value);
    }
    redact_strings(&mut value);
    if key.starts_with("/jobs/all/")
        && let Some(job) = value.get_mut(1).and_then(Value::as_object_mut)
    {
        if let Some(Value::Array(params)) = job.get("params") {
            let keyed: serde_json::Map<String, Value> = params
                .iter()
                .map(|p| {
                    (
                        format!(
                            "param={}",
                            p.get("param").and_then(Value::as_str).unwrap_or("?")
                        ),
                        p.clone(),
                    )
                })
                .collect();
            job.insert("params".into(), Value::Object(keyed));
        }
        if let Some(Value::Array(dependency)) = job.get_mut("dependency") {
            dependency.sort_by_key(|d| d.to_string());
        }
    }
    value
}

fn redact_strings(value: &mut Value) {
    match value {
        Value::String(s) => *s = redact(s),
        Value::Array(items) => items.iter_mut().for_each(redact_strings),
        Value::Object(map) => map.values_mut().for_each(redact_strings),
        _ => {}
    }
}

fn diff(expected: &Value, actual: &Value, path: String, out: &mut Vec<Difference>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let at = join(&path, k);
                match a.get(k) {
                    Some(av) => diff(ev, av, at, out),
                    None => out.push(Difference {
                        path: at,
                        expected: ev.clone(),
                        actual: Value::Null,
                    }),
                }
            }
            for (k, av) in a.iter().filter(|(k, _)| !e.contains_key(*k)) {
                out.push(Difference {
                    path: join(&path, k),
                    expected: Value::Null,
                    actual: av.clone(),
                });
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff(ev, av, format!("{path}[{i}]"), out);
            }
        }
        _ if expected != actual => out.push(Difference {
            path,
            expected: expected.clone(),
            actual: actual.clone(),
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if key.starts_with("param=") {
        format!("{path}[{key}]")
    } else if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_config_body_string_equals_its_decoded_object() {
        let recorded = json!({"body": {"b": 1, "a": "x"}, "version": 1});
        let captured = json!({"body": "{\"a\":\"x\",\"b\":1}", "version": 1});
        assert!(
            compare_values(
                "/config/v2.0/ports/p",
                &recorded,
                "/config/v2.0/ports/p",
                &captured
            )
            .is_empty()
        );
    }

    #[test]
    fn job_params_are_a_set_and_suffixes_are_redacted() {
        let key = "/jobs/all/create:heat_worker:port:p:1:abcde";
        let recorded = json!(["heat_worker", {"id": "create:heat_worker:port:p:1:abcde",
            "params": [{"param": "a", "value": 1}, {"param": "b", "value": 2}], "dependency": []}, 0]);
        let captured = json!(["heat_worker", {"id": "create:heat_worker:port:p:1:zz9zz",
            "params": [{"param": "b", "value": 2}, {"param": "a", "value": 1}], "dependency": []}, 0]);
        let other = "/jobs/all/create:heat_worker:port:p:1:zz9zz";
        assert!(compare_values(key, &recorded, other, &captured).is_empty());
    }

    #[test]
    fn differences_name_their_path() {
        let key = "/jobs/all/create:heat_worker:port:p:1:abcde";
        let recorded = json!(["heat_worker", {"params": [{"param": "a", "value": 1}]}, 0]);
        let captured = json!(["heat_worker", {"params": [{"param": "a", "value": 2}]}, 0]);
        let found = compare_values(key, &recorded, key, &captured);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "at [1].params[param=a].value: recorded 1, captured 2"
        );
    }

    #[test]
    fn strings_must_be_byte_equal() {
        let recorded = json!({"state": {"heat_outputs": "[{\"a\": 1}]"}});
        let captured = json!({"state": {"heat_outputs": "[{\"a\":1}]"}});
        assert_eq!(
            compare_values("/state/x", &recorded, "/state/x", &captured).len(),
            1
        );
    }
}
