//! The snapshot files: `snapshots/<scenario>/<document>-<NN>.snap`, in insta's format, so that
//! `cargo test` (insta's assertions) and `heatbed run` (this module) read the same files and
//! `cargo insta review` takes the pending ones `heatbed record` writes.

use std::path::{Path, PathBuf};

use insta::Snapshot;
use insta::TextSnapshotKind;
use insta::internals::{SnapshotContents, TextSnapshotContents};

use crate::run::Captured;
use crate::scenario::Scenario;

/// Where a scenario's snapshots live.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    input_file: String,
}

/// How a captured checkpoint compares with its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Equal.
    Match,
    /// No snapshot file yet.
    Missing,
    /// Different; a unified diff (old snapshot -> new capture).
    Changed(String),
}

impl Store {
    /// The store of `scenario` under the snapshots root `root`.
    pub fn new(root: &Path, scenario: &Scenario) -> Self {
        Store {
            dir: root.join(&scenario.id),
            input_file: scenario.path.display().to_string(),
        }
    }

    /// The folder holding this scenario's snapshots.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot name of a checkpoint (also its file stem).
    pub fn name(captured: &Captured) -> String {
        format!("{}-{:02}", captured.document, captured.number)
    }

    /// Compares a capture with its snapshot file, the way insta does.
    pub fn check(&self, captured: &Captured) -> Result<Verdict, String> {
        let path = self.path(captured, "snap");
        if !path.exists() {
            return Ok(Verdict::Missing);
        }
        let old = Snapshot::from_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let SnapshotContents::Text(old) = old.contents() else {
            return Err(format!("{}: not a text snapshot", path.display()));
        };
        let new = TextSnapshotContents::new(captured.text.clone(), TextSnapshotKind::File);
        if old.matches_latest(&new) {
            return Ok(Verdict::Match);
        }
        let (old, new) = (format!("{old}\n"), format!("{new}\n"));
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{} (snapshot)", path.display()), "captured")
            .to_string();
        Ok(Verdict::Changed(diff))
    }

    /// Writes a capture: as the accepted `.snap` or as a pending `.snap.new` for
    /// `cargo insta review`. Returns the path written.
    pub fn write(&self, captured: &Captured, accept: bool) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(captured, if accept { "snap" } else { "snap.new" });
        let description = serde_json::to_string(&format!(
            "{} ({}) {}",
            captured.title, captured.number, captured.key
        ))
        .unwrap_or_default();
        let text = format!(
            "---\nsource: tests/scenarios.rs\ndescription: {description}\nexpression: checkpoint\ninput_file: {}\n---\n{}\n",
            self.input_file,
            captured.text.trim_end()
        );
        let temp = path.with_extension("tmp");
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, &path)?;
        Ok(path)
    }

    /// The `.snap` files in the folder that none of `captured` refers to.
    pub fn orphans(&self, captured: &[Captured]) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let wanted: Vec<String> = captured
            .iter()
            .map(|c| format!("{}.snap", Self::name(c)))
            .collect();
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "snap"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| wanted.iter().any(|w| n == w.as_str()))
            })
            .collect();
        files.sort();
        files
    }

    fn path(&self, captured: &Captured, extension: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{extension}", Self::name(captured)))
    }
}
