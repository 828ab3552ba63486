//! Turning the history (and the fake Heat's journal) into rendered, redacted checkpoints.

use super::checkpoints::{Found, KeyIndex, find_all, order_violation};
use super::error::RunErrorKind;
use super::recorder::Write;
use crate::fakes::HeatCall;
use crate::scenario::{Document, JournalFilter, Scenario};
use crate::snapshot::{redact, render_call, render_write};

/// One checkpoint as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Document name.
    pub document: String,
    /// Document title.
    pub title: String,
    /// Number within the document.
    pub number: usize,
    /// The key written (for a Heat call: `METHOD path`).
    pub key: String,
    /// etcd revision of the write (0 for a Heat call).
    pub revision: i64,
    /// Rendered and redacted: key, newline, value.
    pub text: String,
    /// Rendered, before redaction (for documents).
    pub unredacted: String,
}

/// Renders every checkpoint, checking each document's order.
pub(super) fn capture(
    scenario: &Scenario,
    history: &[Write],
    journal: &[HeatCall],
) -> Result<Vec<Captured>, RunErrorKind> {
    let mut captured = Vec::new();
    let index = KeyIndex::of(history);
    for document in &scenario.documents {
        let entries = match &document.journal {
            Some(filter) => calls(filter, journal),
            None => writes(document, history, &index)?,
        };
        captured.extend(
            entries
                .into_iter()
                .map(|(number, key, revision, text)| Captured {
                    document: document.name.clone(),
                    title: document.title.clone(),
                    number,
                    key,
                    revision,
                    text: redact(&scenario.redactions, &text),
                    unredacted: text,
                }),
        );
    }
    Ok(captured)
}

/// (number, key, revision, rendered text) of one checkpoint.
type Entry = (usize, String, i64, String);

fn writes(
    document: &Document,
    history: &[Write],
    index: &KeyIndex,
) -> Result<Vec<Entry>, RunErrorKind> {
    let found: Vec<(usize, Found<'_>)> = document
        .checkpoints
        .iter()
        .zip(find_all(document, history, index))
        .filter_map(|(c, f)| f.map(|f| (c.number, f)))
        .collect();
    if let Some((earlier, later)) = order_violation(&found) {
        return Err(RunErrorKind::Order {
            document: document.name.clone(),
            earlier,
            later,
        });
    }
    Ok(found
        .into_iter()
        .map(|(number, f)| {
            let value = f.write.value.as_deref().unwrap_or_default();
            (
                number,
                f.write.key.clone(),
                f.write.revision,
                render_write(&f.write.key, value),
            )
        })
        .collect())
}

fn calls(filter: &JournalFilter, journal: &[HeatCall]) -> Vec<Entry> {
    journal
        .iter()
        .filter(|c| filter.shows(&c.method, &c.path, c.stack_name().as_deref()))
        .enumerate()
        .map(|(i, c)| {
            let key = format!("{} {}", c.method, c.path);
            (i + 1, key, 0, render_call(&c.method, &c.path, &c.body()))
        })
        .collect()
}

/// A checkpoint that never happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// Document name.
    pub document: String,
    /// Number within the document.
    pub number: usize,
    /// The key or glob it watches.
    pub key: String,
    /// Which write it wanted and what its key did see, in words.
    pub detail: String,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) {} {}",
            self.document, self.number, self.key, self.detail
        )
    }
}

/// Every checkpoint that has not happened, with the writes its key did see.
pub(super) fn missing(scenario: &Scenario, history: &[Write]) -> Vec<Missing> {
    let mut lines = Vec::new();
    let index = KeyIndex::of(history);
    for document in &scenario.documents {
        let found = find_all(document, history, &index);
        for (checkpoint, _) in document
            .checkpoints
            .iter()
            .zip(found)
            .filter(|(_, f)| f.is_none())
        {
            let seen = index.puts(&checkpoint.key, history);
            lines.push(Missing {
                document: document.name.clone(),
                number: checkpoint.number,
                key: checkpoint.key.to_string(),
                detail: format!(
                    "wants {}: the key was written {seen} time(s)",
                    checkpoint.pick
                ),
            });
        }
    }
    lines
}
