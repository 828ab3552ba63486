//! Which documents still miss a checkpoint, kept up to date as the history grows: each wake
//! of the runner indexes only the new writes (reading the recorder's history in place, never
//! copying it), and re-checks only the documents whose keys they wrote (every document with
//! a glob key), so waiting for tens of thousands of checkpoints costs what the new writes
//! touch, not the whole history for every write.

use std::collections::{BTreeSet, HashMap};

use super::checkpoints::{KeyIndex, complete};
use super::recorder::Recorder;
use crate::scenario::{Document, KeySelector};

/// The documents not yet complete, and the history seen so far.
pub(super) struct Progress<'s> {
    documents: &'s [Document],
    /// Indexes of incomplete documents.
    pending: BTreeSet<usize>,
    /// Exact key -> documents with a checkpoint on it.
    by_key: HashMap<&'s str, Vec<usize>>,
    /// Documents with a glob checkpoint (re-checked on every new write).
    globbed: Vec<usize>,
    index: KeyIndex,
}

impl<'s> Progress<'s> {
    /// Nothing seen yet; every document with a checkpoint is pending.
    pub(super) fn new(documents: &'s [Document]) -> Progress<'s> {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut globbed = vec![];
        for (i, document) in documents.iter().enumerate() {
            for checkpoint in &document.checkpoints {
                match &checkpoint.key {
                    KeySelector::Exact(key) => by_key.entry(key).or_default().push(i),
                    KeySelector::Pattern { .. } => globbed.push(i),
                }
            }
        }
        globbed.dedup();
        let pending = (0..documents.len())
            .filter(|i| !documents[*i].checkpoints.is_empty())
            .collect();
        Progress {
            documents,
            pending,
            by_key,
            globbed,
            index: KeyIndex::default(),
        }
    }

    /// Takes the writes `recorder` recorded since the last call; whether every checkpoint of
    /// every document has happened.
    pub(super) fn complete(&mut self, recorder: &Recorder) -> bool {
        recorder.with_history(|history| {
            let new = history.get(self.index.len()..).unwrap_or_default();
            let mut touched: BTreeSet<usize> = BTreeSet::new();
            if !new.is_empty() {
                touched.extend(&self.globbed);
            }
            for write in new {
                if let Some(documents) = self.by_key.get(write.key.as_str()) {
                    touched.extend(documents);
                }
            }
            self.index.extend(history);
            for i in touched {
                if self.pending.contains(&i) && complete(&self.documents[i], history, &self.index) {
                    self.pending.remove(&i);
                }
            }
        });
        self.pending.is_empty()
    }
}
