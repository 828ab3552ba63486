//! Reading scenario files: YAML -> [`ScenarioFile`] -> validated [`Scenario`].

use std::path::{Path, PathBuf};

use super::error::{InvalidKind, LoadError, Position};
use super::model::ScenarioFile;
use super::types::Scenario;
use super::validate::validate;

/// Loads and validates one scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))?;
    let file = parse(path, &text)?;
    validate(path, file)
}

/// Finds the scenario files named by `paths`: files as they are, directories by `*.yaml`
/// inside them (sorted). A directory without scenarios is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|source| LoadError::Read {
                path: path.clone(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
            if files.is_empty() {
                return Err(LoadError::NoScenarios { path: path.clone() });
            }
            files.sort();
            found.extend(files);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

/// A file that is not UTF-8, at the position of its first bad byte.
fn not_utf8(path: &Path, bytes: &[u8], error: std::str::Utf8Error) -> LoadError {
    let valid = String::from_utf8_lossy(&bytes[..error.valid_up_to()]);
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let position = Position {
        line: valid.matches('\n').count() as u64 + 1,
        column: valid[line_start..].chars().count() as u64 + 1,
    };
    LoadError::invalid(path, Some(position), ".".into(), InvalidKind::NotUtf8)
}

/// Parses YAML text into the file model. Booleans are strict (`true`/`false` only).
pub(crate) fn parse(path: &Path, text: &str) -> Result<ScenarioFile, LoadError> {
    let options = serde_saphyr::options! { strict_booleans: true, with_snippet: false };
    let mut key = String::new();
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            key = e.path().to_string();
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let position = e.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        });
        let key = if key.is_empty() {
            ".".into()
        } else {
            without_spans(&key)
        };
        LoadError::invalid(
            path,
            position,
            key,
            InvalidKind::Model(first_line(&e.to_string())),
        )
    })
}

/// These sections and the items of these lists are `Spanned`, whose own `value` field shows
/// up in key paths.
fn without_spans(key: &str) -> String {
    static SPANNED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(name|worker|heat|collector|keyspace)\.value\b|\b(steps|documents|checkpoints|redactions|stacks|targets)(\[\d+\])\.value\b",
        )
        .expect("valid regex")
    });
    SPANNED.replace_all(key, "$1$2$3").into_owned()
}

/// serde-saphyr appends "at line X, column Y"; we print the position ourselves.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.rfind(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}
