//! The store the recorded run started from, as fixture files and the `put` steps that write
//! them first in every scenario of the folder.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::folder::Folder;
use crate::encoding::go_json;

/// A file an import writes next to its scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// Relative to the scenarios' folder, e.g. `fixtures/05_load_balancer/...json`.
    pub path: PathBuf,
    /// The bytes.
    pub content: String,
}

/// The initial store of `folder` (recorded in `dir`): one fixture per key, in order.
pub(super) fn fixtures(folder: &Folder, dir: &Path) -> Vec<Fixture> {
    let store = safe_name(
        &dir.canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "recorded".into()),
    );
    let mut fixtures: Vec<Fixture> = Vec::new();
    for (key, value) in &folder.initial {
        let name = safe_name(key.trim_start_matches('/'));
        let mut path = PathBuf::from("fixtures")
            .join(&store)
            .join(format!("{name}.json"));
        let mut n = 1;
        while fixtures.iter().any(|f| f.path == path) {
            n += 1;
            path = PathBuf::from("fixtures")
                .join(&store)
                .join(format!("{name}_{n}.json"));
        }
        fixtures.push(Fixture {
            path,
            content: stored(value),
        });
    }
    fixtures
}

/// The `put` steps writing the initial store, the fixtures being `fixtures` in that order.
pub(super) fn steps(folder: &Folder, fixtures: &[Fixture]) -> Vec<Value> {
    folder
        .initial
        .iter()
        .zip(fixtures)
        .map(|((key, _), fixture)| {
            json!({"action": "put", "key": key, "file": fixture.path.display().to_string()})
        })
        .collect()
}

/// A `/config` value as the recorded Gohan stored it (Go encoding, `body` a JSON string), from
/// the decoded view the logs and documents show.
fn stored(value: &Value) -> String {
    match value.get("body") {
        Some(body) => go_json(&json!({
            "body": go_json(body),
            "marked_for_deletion": value.get("marked_for_deletion").cloned().unwrap_or(json!(false)),
            "version": value.get("version").cloned().unwrap_or(json!(1)),
        })),
        None => go_json(value),
    }
}

/// Letters, digits, `.`, `-` and `_` only (anything else, `/` included, becomes `_`), never
/// empty and never starting with a dot.
fn safe_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_file_names() {
        assert_eq!(
            safe_name("config/v2.0/heat_templates/network"),
            "config_v2.0_heat_templates_network"
        );
        assert_eq!(safe_name("../x"), "_.._x");
        assert_eq!(safe_name(""), "_");
    }

    #[test]
    fn a_gohan_value_is_stored_go_encoded() {
        let value = json!({"body": {"id": "default", "a": "<>"}, "version": 1, "marked_for_deletion": false});
        assert_eq!(
            stored(&value),
            r#"{"body":"{\"a\":\"\\u003c\\u003e\",\"id\":\"default\"}","marked_for_deletion":false,"version":1}"#
        );
    }
}
