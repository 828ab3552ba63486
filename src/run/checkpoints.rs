//! Finding each declared checkpoint in the recorded history, and checking their order.
//! A [`KeyIndex`] lists where each key was written, so finding a checkpoint on an exact key
//! costs the writes of that key, not the whole history (a generated flow of 10,000 resources
//! has tens of thousands of checkpoints and hundreds of thousands of writes).

use std::collections::HashMap;

use serde_json::Value;

use super::recorder::Write;
use crate::scenario::{Checkpoint, Document, KeySelector, Pick};

/// Where each key was written in a history (positions, in order); grows with it.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex {
    by_key: HashMap<String, Vec<usize>>,
    len: usize,
}

impl KeyIndex {
    /// The index of `history`.
    pub(crate) fn of(history: &[Write]) -> KeyIndex {
        let mut index = KeyIndex::default();
        index.extend(history);
        index
    }

    /// Adds the writes of `history` past the ones indexed (`history` only ever grows).
    pub(crate) fn extend(&mut self, history: &[Write]) {
        for (n, write) in history.iter().enumerate().skip(self.len) {
            self.by_key.entry(write.key.clone()).or_default().push(n);
        }
        self.len = history.len();
    }

    /// How many writes are indexed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// How many puts (not deletes) the keys `key` selects got.
    pub(crate) fn puts(&self, key: &KeySelector, history: &[Write]) -> usize {
        self.positions(key, history)
            .filter(|n| history[*n].value.is_some())
            .count()
    }

    /// Positions of the writes of the keys `key` selects, in order.
    fn positions<'a>(
        &'a self,
        key: &'a KeySelector,
        history: &'a [Write],
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        match key {
            KeySelector::Exact(k) => Box::new(self.by_key.get(k).into_iter().flatten().copied()),
            KeySelector::Pattern { .. } => {
                Box::new((0..history.len()).filter(move |n| key.matches(&history[*n].key)))
            }
        }
    }
}

/// A checkpoint found in the history: which write, at which position.
#[derive(Debug, Clone)]
pub(crate) struct Found<'h> {
    /// Position in the history (a total order, finer than revisions).
    pub index: usize,
    /// The write.
    pub write: &'h Write,
}

/// Finds the write each checkpoint of a document picks, where it happened yet (in declared
/// order). `before`/`after` picks are resolved once the checkpoint they name is found.
pub(crate) fn find_all<'h>(
    document: &Document,
    history: &'h [Write],
    index: &KeyIndex,
) -> Vec<Option<Found<'h>>> {
    let checkpoints = &document.checkpoints;
    let mut found: Vec<Option<Found<'h>>> = vec![None; checkpoints.len()];
    loop {
        let mut progress = false;
        for (i, checkpoint) in checkpoints.iter().enumerate() {
            if found[i].is_some() {
                continue;
            }
            let anchor = |n: usize| found.get(n - 1).cloned().flatten().map(|f| f.index);
            found[i] = find(checkpoint, history, index, anchor);
            progress |= found[i].is_some();
        }
        if !progress {
            return found;
        }
    }
}

/// The write `checkpoint` picks, given where the document's other checkpoints were found.
fn find<'h>(
    checkpoint: &Checkpoint,
    history: &'h [Write],
    index: &KeyIndex,
    anchor: impl Fn(usize) -> Option<usize>,
) -> Option<Found<'h>> {
    let mut puts = index
        .positions(&checkpoint.key, history)
        .map(|n| (n, &history[n]))
        .filter(|(_, w)| w.value.is_some());
    let (index, write) = match &checkpoint.pick {
        Pick::Nth(n) => puts.nth(n - 1)?,
        Pick::Matching(subset) => puts.find(|(_, w)| {
            w.value
                .as_deref()
                .and_then(|v| serde_json::from_slice::<Value>(v).ok())
                .is_some_and(|v| contains(&v, subset))
        })?,
        Pick::Before(n) => {
            let limit = anchor(*n)?;
            puts.take_while(|(i, _)| *i < limit).last()?
        }
        Pick::After(n) => {
            let limit = anchor(*n)?;
            puts.find(|(i, _)| *i > limit)?
        }
    };
    Some(Found { index, write })
}

/// Checks that the found checkpoints of a document happened in their declared order.
/// Returns the first pair out of order: (earlier number, later number).
pub(crate) fn order_violation(found: &[(usize, Found<'_>)]) -> Option<(usize, usize)> {
    found
        .windows(2)
        .find(|pair| pair[0].1.index >= pair[1].1.index)
        .map(|pair| (pair[0].0, pair[1].0))
}

/// Whether every checkpoint of `document` has happened.
pub(crate) fn complete(document: &Document, history: &[Write], index: &KeyIndex) -> bool {
    find_all(document, history, index)
        .iter()
        .all(Option::is_some)
}

/// JSON subset: every key of an object in `subset` is in `value` with a matching value;
/// arrays and scalars must be equal.
pub(crate) fn contains(value: &Value, subset: &Value) -> bool {
    match (value, subset) {
        (Value::Object(v), Value::Object(s)) => s
            .iter()
            .all(|(k, sv)| v.get(k).is_some_and(|vv| contains(vv, sv))),
        _ => value == subset,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::scenario::KeySelector;

    fn put(revision: i64, key: &str, value: &str) -> Write {
        Write {
            revision,
            key: key.into(),
            value: Some(value.as_bytes().to_vec()),
        }
    }

    fn checkpoint(key: &str, pick: Pick) -> Checkpoint {
        Checkpoint {
            number: 1,
            key: KeySelector::Exact(key.into()),
            pick,
        }
    }

    fn alone<'h>(checkpoint: &Checkpoint, history: &'h [Write]) -> Option<Found<'h>> {
        find(checkpoint, history, &KeyIndex::of(history), |_| None)
    }

    #[test]
    fn before_and_after_pick_relative_to_another_checkpoint() {
        let history = vec![
            put(2, "/job_state", "{}"),
            put(3, "/job_state", "{\"done\": 1}"),
            put(4, "/state", "{\"version\": 1}"),
            put(5, "/job_state", "{\"next\": 1}"),
        ];
        let document = Document {
            name: "d".into(),
            title: "T".into(),
            preamble: None,
            checkpoints: vec![
                Checkpoint {
                    number: 1,
                    key: KeySelector::Exact("/job_state".into()),
                    pick: Pick::Before(2),
                },
                Checkpoint {
                    number: 2,
                    key: KeySelector::Exact("/state".into()),
                    pick: Pick::Nth(1),
                },
                Checkpoint {
                    number: 3,
                    key: KeySelector::Exact("/job_state".into()),
                    pick: Pick::After(2),
                },
            ],
            journal: None,
            recorded: Vec::new(),
        };
        let found: Vec<i64> = find_all(&document, &history, &KeyIndex::of(&history))
            .into_iter()
            .map(|f| f.unwrap().write.revision)
            .collect();
        assert_eq!(found, [3, 4, 5]);
    }

    #[test]
    fn picks_the_nth_write_and_skips_deletes() {
        let history = vec![
            put(2, "/a", "1"),
            Write {
                revision: 3,
                key: "/a".into(),
                value: None,
            },
            put(4, "/a", "2"),
        ];
        let found = alone(&checkpoint("/a", Pick::Nth(2)), &history).unwrap();
        assert_eq!((found.index, found.write.revision), (2, 4));
        assert!(alone(&checkpoint("/a", Pick::Nth(3)), &history).is_none());
    }

    #[test]
    fn picks_the_first_write_matching_a_subset() {
        let history = vec![
            put(2, "/s", r#"{"state": {"w": "IN_PROGRESS"}, "v": 1}"#),
            put(3, "/s", r#"{"state": {"w": "DONE"}, "v": 1}"#),
        ];
        let pick = Pick::Matching(json!({"state": {"w": "DONE"}}));
        assert_eq!(
            alone(&checkpoint("/s", pick), &history)
                .unwrap()
                .write
                .revision,
            3
        );
    }

    #[test]
    fn reports_checkpoints_out_of_declared_order() {
        let history = vec![put(2, "/b", "1"), put(3, "/a", "1")];
        let a = alone(&checkpoint("/a", Pick::Nth(1)), &history).unwrap();
        let b = alone(&checkpoint("/b", Pick::Nth(1)), &history).unwrap();
        assert_eq!(
            order_violation(&[(1, a.clone()), (2, b.clone())]),
            Some((1, 2))
        );
        assert_eq!(order_violation(&[(1, b), (2, a)]), None);
    }

    #[test]
    fn subset_needs_equal_arrays_and_nested_keys() {
        assert!(contains(
            &json!({"a": {"b": 1, "c": 2}}),
            &json!({"a": {"b": 1}})
        ));
        assert!(!contains(&json!({"a": [1, 2]}), &json!({"a": [1]})));
        assert!(!contains(&json!({"a": 1}), &json!({"b": 1})));
    }
}
