//! Judging a run against the recorded documents its scenario's documents name (`recorded:`),
//! checkpoint by checkpoint, with [`compare_values`].

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Difference, ParseError, ParsedCheckpoint, compare_values, parse_document};
use crate::run::Captured;
use crate::scenario::Scenario;

/// One checkpoint that differs from its recording.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// Scenario document.
    pub document: String,
    /// Checkpoint number.
    pub number: usize,
    /// The recorded files.
    pub recorded: Vec<PathBuf>,
    /// What differs (the checkpoint is missing from the run, or from the recording, when
    /// empty).
    pub differences: Vec<Difference>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<String> = self
            .recorded
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        write!(
            f,
            "{} ({}) vs {}",
            self.document,
            self.number,
            files.join(" + ")
        )?;
        if self.differences.is_empty() {
            return f.write_str(": one side has no such checkpoint");
        }
        for d in &self.differences {
            write!(f, "\n    {d}")?;
        }
        Ok(())
    }
}

/// A recorded document that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldenError {
    /// Not readable.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Not a document.
    #[error("{path}:{source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ParseError,
    },
}

/// Every checkpoint of `captured` whose document names a recording and differs from it.
pub fn compare_with_recorded(
    scenario: &Scenario,
    captured: &[Captured],
) -> Result<Vec<Mismatch>, GoldenError> {
    let base = scenario.path.parent().unwrap_or(Path::new("."));
    let mut mismatches = Vec::new();
    for document in &scenario.documents {
        if document.recorded.is_empty() {
            continue;
        }
        let paths: Vec<PathBuf> = document.recorded.iter().map(|r| base.join(r)).collect();
        let expected_checkpoints = recorded_checkpoints(&paths)?;
        let ours: Vec<&Captured> = captured
            .iter()
            .filter(|c| c.document == document.name)
            .collect();
        let count = expected_checkpoints.len().max(ours.len());
        for i in 0..count {
            let (expected, actual) = (expected_checkpoints.get(i), ours.get(i));
            let differences = match (expected, actual.and_then(|c| split(&c.unredacted))) {
                (Some(e), Some((key, value))) => compare_values(&e.key, &e.value, &key, &value),
                _ => Vec::new(),
            };
            let both = expected.is_some() && actual.is_some();
            if !both || !differences.is_empty() {
                mismatches.push(Mismatch {
                    document: document.name.clone(),
                    number: i + 1,
                    recorded: paths.clone(),
                    differences,
                });
            }
        }
    }
    Ok(mismatches)
}

/// The checkpoints of recorded documents in order, one that repeats an earlier one (same key
/// and value) counted once.
pub fn recorded_checkpoints(paths: &[PathBuf]) -> Result<Vec<ParsedCheckpoint>, GoldenError> {
    let mut all: Vec<ParsedCheckpoint> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|source| GoldenError::Read {
            path: path.clone(),
            source,
        })?;
        let parsed = parse_document(&text).map_err(|source| GoldenError::Parse {
            path: path.clone(),
            source,
        })?;
        for c in parsed.checkpoints {
            if !all.iter().any(|a| a.key == c.key && a.value == c.value) {
                all.push(c);
            }
        }
    }
    Ok(all)
}

/// A rendered checkpoint back into key and value.
fn split(text: &str) -> Option<(String, Value)> {
    let (key, rest) = text.split_once('\n').unwrap_or((text, ""));
    let value = serde_json::from_str(rest).unwrap_or_else(|_| Value::String(rest.to_string()));
    Some((key.to_string(), value))
}
