//! The snapshot files: `snapshots/<scenario>/<document>-<NN>.snap`, in insta's format, so that
//! `cargo test` (insta's assertions) and `heatbed run` (this module) read the same files and
//! `cargo insta review` takes the pending ones `heatbed record` writes.

use std::path::{Path, PathBuf};

use insta::{Comparator, DefaultComparator, Snapshot};

use crate::run::{Captured, Outcome};
use crate::scenario::Scenario;

/// The file stem of a scenario's final keyspace snapshot (`keyspace.snap`).
pub const KEYSPACE: &str = "keyspace";

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

    /// The snapshot description of a checkpoint: title, number and its redacted key (the
    /// first line of its text), so a header never carries run-to-run randomness.
    pub fn description(captured: &Captured) -> String {
        let key = captured.text.lines().next().unwrap_or_default();
        format!("{} ({}) {key}", captured.title, captured.number)
    }

    /// The snapshot names (file stems) a run refers to: its checkpoints', and the final
    /// keyspace's when it has one.
    pub fn names(outcome: &Outcome) -> Vec<String> {
        let checkpoints = outcome.checkpoints.iter().map(Self::name);
        let keyspace = outcome.keyspace.as_ref().map(|_| KEYSPACE.to_string());
        checkpoints.chain(keyspace).collect()
    }

    /// Compares a capture with its snapshot file, the way insta does.
    pub fn check(&self, captured: &Captured) -> Result<Verdict, String> {
        self.check_text(&Self::name(captured), &captured.text)
    }

    /// The text the snapshot file `name` holds (`None` when there is none).
    pub fn contents(&self, name: &str) -> Result<Option<String>, String> {
        Ok(self.read(name)?.map(|(_, text)| text))
    }

    /// The snapshot file `name`, with its text as insta normalises it.
    fn read(&self, name: &str) -> Result<Option<(Snapshot, String)>, String> {
        let path = self.dir.join(format!("{name}.snap"));
        if !path.exists() {
            return Ok(None);
        }
        text_snapshot(&path).map(Some)
    }

    /// Compares `text` with the snapshot file `name` the way insta's assertions do: both read
    /// as snapshot files through insta's public API and judged by its `DefaultComparator`
    /// (none of `insta::internals`, which promises no stability).
    pub fn check_text(&self, name: &str, text: &str) -> Result<Verdict, String> {
        let path = self.dir.join(format!("{name}.snap"));
        let Some((old, old_text)) = self.read(name)? else {
            return Ok(Verdict::Missing);
        };
        let (new, new_text) = self.as_snapshot(name, text)?;
        if DefaultComparator.matches(&old, &new) {
            return Ok(Verdict::Match);
        }
        let (old, new) = (format!("{old_text}\n"), format!("{new_text}\n"));
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
        let description = Self::description(captured);
        self.write_text(&Self::name(captured), &description, &captured.text, accept)
    }

    /// Writes `text` as the snapshot `name` (accepted `.snap` or pending `.snap.new`), through
    /// a temp file of a name of its own, so concurrent writers never clash. Returns the path.
    pub fn write_text(
        &self,
        name: &str,
        description: &str,
        text: &str,
        accept: bool,
    ) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let extension = if accept { "snap" } else { "snap.new" };
        let path = self.dir.join(format!("{name}.{extension}"));
        let text = self.file_text(description, text);
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&self.dir)?;
        std::io::Write::write_all(&mut temp, text.as_bytes())?;
        temp.persist(&path).map_err(|e| e.error)?;
        Ok(path)
    }

    /// `text` as a snapshot file says it.
    fn file_text(&self, description: &str, text: &str) -> String {
        let description = serde_json::to_string(description).unwrap_or_default();
        format!(
            "---\nsource: tests/scenarios.rs\ndescription: {description}\nexpression: checkpoint\ninput_file: {}\n---\n{}\n",
            self.input_file,
            text.trim_end()
        )
    }

    /// `text` as insta reads it back from a snapshot file (written to a temp file of its own).
    fn as_snapshot(&self, name: &str, text: &str) -> Result<(Snapshot, String), String> {
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".snap")
            .tempfile()
            .map_err(|e| format!("cannot write a temp file: {e}"))?;
        std::io::Write::write_all(&mut temp, self.file_text("", text).as_bytes())
            .map_err(|e| format!("cannot write a temp file: {e}"))?;
        text_snapshot(temp.path())
    }

    /// The `.snap` files in the folder that none of `names` (file stems, see
    /// [`Store::names`]) refers to.
    pub fn orphans(&self, names: &[String]) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let wanted: Vec<String> = names.iter().map(|n| format!("{n}.snap")).collect();
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
}

/// A text snapshot file and its text, normalised as insta compares it.
fn text_snapshot(path: &Path) -> Result<(Snapshot, String), String> {
    let snapshot = Snapshot::from_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = snapshot
        .as_text()
        .map(ToString::to_string)
        .ok_or_else(|| format!("{}: not a text snapshot", path.display()))?;
    Ok((snapshot, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> Store {
        Store {
            dir: dir.join("s"),
            input_file: "scenarios/s.yaml".into(),
        }
    }

    #[test]
    fn writers_of_one_snapshot_at_once_never_clash() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        std::thread::scope(|scope| {
            let writers: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        (0..50)
                            .map(|_| store.write_text("d-01", "T (1) /k", "/k\n1", true))
                            .collect::<Result<Vec<_>, _>>()
                    })
                })
                .collect();
            for writer in writers {
                writer.join().unwrap().unwrap();
            }
        });
        assert_eq!(store.check_text("d-01", "/k\n1"), Ok(Verdict::Match));
        let files: Vec<_> = std::fs::read_dir(store.dir()).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "temp files left: {files:?}");
    }

    #[test]
    fn a_description_carries_the_redacted_key() {
        let captured = Captured {
            document: "jobs".into(),
            title: "Create".into(),
            number: 2,
            key: "/jobs/all/create:heat_worker:port:p:1:abcde".into(),
            revision: 7,
            text: "/jobs/all/create:heat_worker:port:p:1:[suffix]\n[]".into(),
            unredacted: "/jobs/all/create:heat_worker:port:p:1:abcde\n[]".into(),
        };
        assert_eq!(
            Store::description(&captured),
            "Create (2) /jobs/all/create:heat_worker:port:p:1:[suffix]"
        );
    }
}
