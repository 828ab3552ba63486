//! The machine-readable report: one serde type, written by `heatbed run --format json` and
//! read back by `heatbed merge` (as nextest-metadata is for nextest). A section more is a
//! field more here, read and written alike; unknown fields are refused on reading, so a merge
//! never drops what it does not know.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::run::Partition;

/// A whole run: every scenario's result and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// The etcd backend the scenarios ran on (shards on different backends: each, `, `-joined).
    pub backend: String,
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that did not (failed, partial or error).
    pub failed: usize,
    /// The shard this run was (`--partition`); absent for a whole run or a merged one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<Partition>,
    /// One entry per scenario, in the order they ran.
    pub scenarios: Vec<ScenarioReport>,
}

/// How one scenario came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioReport {
    /// The scenario's id (file stem).
    pub id: String,
    /// Its title.
    pub name: String,
    /// Its file, as given.
    pub path: PathBuf,
    /// The verdict.
    pub status: ScenarioStatus,
    /// How long the run took; `null` when it never ran (`error`).
    #[serde(default)]
    pub elapsed_ms: Option<u64>,
    /// Each checkpoint that happened.
    #[serde(default)]
    pub checkpoints: Vec<CheckpointReport>,
    /// Each checkpoint that never happened.
    #[serde(default)]
    pub missing: Vec<MissingReport>,
    /// The final keyspace against its snapshot, when the scenario declares one.
    #[serde(default)]
    pub keyspace: Option<KeyspaceReport>,
    /// Snapshot files no checkpoint refers to.
    #[serde(default)]
    pub orphans: Vec<PathBuf>,
    /// Differences from the recordings (`--recorded`).
    #[serde(default)]
    pub recorded_mismatches: Vec<String>,
    /// Why the run stopped early (`partial`) or never ran (`error`).
    #[serde(default)]
    pub error: Option<String>,
    /// The invariants checked from the run's etcd history (`null`: not checked).
    #[serde(default)]
    pub invariants: Option<crate::run::Invariants>,
}

/// A scenario's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScenarioStatus {
    /// Every checkpoint as expected.
    Pass,
    /// The run completed and something differs.
    Fail,
    /// The run stopped early; what it captured is judged.
    Partial,
    /// The run never got going.
    Error,
}

/// One checkpoint that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointReport {
    /// Document name.
    pub document: String,
    /// Number within the document.
    pub number: usize,
    /// The key written (for a Heat call: `METHOD path`).
    pub key: String,
    /// etcd revision of the write (0 for a Heat call).
    pub revision: i64,
    /// Against its snapshot.
    pub status: CheckpointStatus,
    /// Rendered and redacted: key, newline, value.
    pub value: String,
    /// The difference from the snapshot, when `changed`.
    #[serde(default)]
    pub diff: Option<String>,
}

/// A checkpoint (or the final keyspace) against its snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckpointStatus {
    /// Equal.
    #[serde(rename = "match")]
    Match,
    /// No snapshot yet.
    #[serde(rename = "missing snapshot")]
    MissingSnapshot,
    /// Different.
    #[serde(rename = "changed")]
    Changed,
    /// Written as a pending `.snap.new` (`record`).
    #[serde(rename = "pending")]
    Pending,
    /// Written as an accepted `.snap` (`record --accept`).
    #[serde(rename = "accepted")]
    Accepted,
    /// The snapshot could not be read or written.
    #[serde(rename = "error")]
    Error,
}

impl CheckpointStatus {
    /// The word the text output and the JSON use.
    pub fn word(self) -> &'static str {
        match self {
            CheckpointStatus::Match => "match",
            CheckpointStatus::MissingSnapshot => "missing snapshot",
            CheckpointStatus::Changed => "changed",
            CheckpointStatus::Pending => "pending",
            CheckpointStatus::Accepted => "accepted",
            CheckpointStatus::Error => "error",
        }
    }

    /// Whether it passes.
    pub fn ok(self) -> bool {
        matches!(
            self,
            CheckpointStatus::Match | CheckpointStatus::Pending | CheckpointStatus::Accepted
        )
    }
}

/// A checkpoint that never happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingReport {
    /// Document name.
    pub document: String,
    /// Number within the document.
    pub number: usize,
    /// The key or glob it watches.
    pub key: String,
    /// Which write it wanted and what its key did see.
    pub detail: String,
}

/// The final keyspace against `keyspace.snap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyspaceReport {
    /// Against its snapshot.
    pub status: CheckpointStatus,
    /// The difference, key by key, when `changed`.
    #[serde(default)]
    pub diff: Option<String>,
}

/// A report file that cannot be read or merged; each names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Unreadable.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not a report.
    #[error("{}: not a heatbed JSON report: {source}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where and why (line and column).
        source: serde_json::Error,
    },
    /// Its counts disagree with its scenarios.
    #[error(
        "{}: says {passed} passed and {failed} failed, but lists {listed_passed} passing and \
         {listed_failed} other scenarios",
        path.display()
    )]
    Counts {
        /// The file.
        path: PathBuf,
        /// Its `passed`.
        passed: usize,
        /// Its `failed`.
        failed: usize,
        /// Scenarios with status `pass`.
        listed_passed: usize,
        /// The others.
        listed_failed: usize,
    },
    /// A scenario in two reports.
    #[error("{}: scenario `{id}` is also in {}: the shards overlap", path.display(), other.display())]
    Overlap {
        /// The later file.
        path: PathBuf,
        /// The scenario id.
        id: String,
        /// The file that has it already.
        other: PathBuf,
    },
    /// Shards that do not belong together.
    #[error("{}: {reason}", path.display())]
    Shards {
        /// The file.
        path: PathBuf,
        /// Why it does not fit.
        reason: String,
    },
    /// Shards missing from a partitioned run.
    #[error("no report for shard(s) {}: a merge needs every shard", missing.join(", "))]
    MissingShards {
        /// The shards no report is for, e.g. `count:2/3`.
        missing: Vec<String>,
    },
    /// Nothing to merge.
    #[error("no report to merge")]
    Empty,
}

impl RunReport {
    /// Reads a report written by `heatbed run --format json`, checking its counts.
    pub fn read(path: &Path) -> Result<RunReport, MergeError> {
        let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let report: RunReport =
            serde_json::from_str(&text).map_err(|source| MergeError::Invalid {
                path: path.to_path_buf(),
                source,
            })?;
        report.check_counts(path)?;
        Ok(report)
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report serializes")
    }

    /// `passed` and `failed` as the scenarios' statuses say.
    pub(super) fn check_counts(&self, path: &Path) -> Result<(), MergeError> {
        let listed_passed = self
            .scenarios
            .iter()
            .filter(|s| s.status == ScenarioStatus::Pass)
            .count();
        let listed_failed = self.scenarios.len() - listed_passed;
        if (listed_passed, listed_failed) == (self.passed, self.failed) {
            return Ok(());
        }
        Err(MergeError::Counts {
            path: path.to_path_buf(),
            passed: self.passed,
            failed: self.failed,
            listed_passed,
            listed_failed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::CheckpointStatus;

    #[test]
    fn checkpoint_words_are_the_json_words() {
        use CheckpointStatus::*;
        for status in [Match, MissingSnapshot, Changed, Pending, Accepted, Error] {
            let json = serde_json::to_value(status).unwrap();
            assert_eq!(json, status.word());
            let back: CheckpointStatus = serde_json::from_value(json).unwrap();
            assert_eq!(back, status);
        }
    }
}
