//! Validating documents and their checkpoints (a part of [`super::validate`]).

use serde_saphyr::Spanned;

use super::model::{CheckpointFile, DocumentFile, JournalFile};
use super::types::{Checkpoint, Document, JournalFilter, KeySelector, Pick};
use super::validate::{FieldError, check_key};

pub(super) fn document(doc: DocumentFile) -> Result<Document, FieldError> {
    let name_ok = !doc.name.is_empty()
        && doc
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !name_ok {
        return Err((
            ".name".into(),
            format!("`{}` must be letters, digits, `_` or `-`", doc.name),
        ));
    }
    let journal = match (doc.heat_journal, doc.checkpoints.is_empty()) {
        (None, true) => {
            return Err((
                ".checkpoints".into(),
                "needs at least one checkpoint (or a `heat_journal`)".into(),
            ));
        }
        (Some(_), false) => {
            return Err((
                ".heat_journal".into(),
                "a journal document has no `checkpoints`".into(),
            ));
        }
        (Some(journal), true) => Some(journal_filter(journal)?),
        (None, false) => None,
    };
    let count = doc.checkpoints.len();
    let checkpoints: Vec<Checkpoint> = doc
        .checkpoints
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            checkpoint(i + 1, c)
                .map_err(|(field, message)| (format!(".checkpoints[{i}]{field}"), message))
        })
        .collect::<Result<_, _>>()?;
    if let Some((i, c)) = checkpoints
        .iter()
        .enumerate()
        .find(|(_, c)| matches!(c.pick, Pick::Before(n) if n > count))
    {
        return Err((
            format!(".checkpoints[{i}].before"),
            format!(
                "({}) names a checkpoint the document does not have",
                c.number
            ),
        ));
    }
    if let Some(number) = circular(&checkpoints) {
        return Err((
            ".checkpoints".into(),
            format!("checkpoint ({number}) depends on itself through `before`/`after`"),
        ));
    }
    Ok(Document {
        name: doc.name,
        title: doc.title,
        preamble: doc.preamble,
        checkpoints,
        journal,
        recorded: doc.recorded,
    })
}

/// A checkpoint whose `before`/`after` chain never reaches one that stands on its own.
fn circular(checkpoints: &[Checkpoint]) -> Option<usize> {
    let mut resolved: Vec<bool> = checkpoints
        .iter()
        .map(|c| !matches!(c.pick, Pick::Before(_) | Pick::After(_)))
        .collect();
    loop {
        let mut progress = false;
        for (i, c) in checkpoints.iter().enumerate() {
            if let Pick::Before(n) | Pick::After(n) = c.pick
                && !resolved[i]
                && resolved.get(n - 1).copied().unwrap_or(false)
            {
                resolved[i] = true;
                progress = true;
            }
        }
        if !progress {
            return resolved
                .iter()
                .position(|r| !r)
                .map(|i| checkpoints[i].number);
        }
    }
}

fn journal_filter(journal: JournalFile) -> Result<JournalFilter, FieldError> {
    let methods = journal.methods.map_or_else(
        || {
            ["POST", "PUT", "PATCH", "DELETE"]
                .map(String::from)
                .to_vec()
        },
        |methods| methods.iter().map(|m| m.to_ascii_uppercase()).collect(),
    );
    if methods.is_empty() {
        return Err((".heat_journal.methods".into(), "names no method".into()));
    }
    let stack = journal.stack.map(glob_selector);
    Ok(JournalFilter { methods, stack })
}

fn checkpoint(number: usize, c: Spanned<CheckpointFile>) -> Result<Checkpoint, FieldError> {
    let c = c.value;
    let key = match (c.key, c.pattern) {
        (Some(key), None) => {
            check_key(&key)?;
            KeySelector::Exact(key)
        }
        (None, Some(glob)) => {
            check_key(&glob).map_err(|(_, m)| (".pattern".to_string(), m))?;
            glob_selector(glob)
        }
        _ => {
            return Err((
                String::new(),
                "give exactly one of `key` and `pattern`".into(),
            ));
        }
    };
    let given = [
        c.nth.is_some(),
        c.matching.is_some(),
        c.before.is_some(),
        c.after.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err((
            String::new(),
            "give at most one of `nth`, `matching`, `before` and `after`".into(),
        ));
    }
    let pick = match (c.nth, c.matching, c.before, c.after) {
        (Some(0), ..) => return Err((".nth".into(), "counts from 1".into())),
        (Some(n), ..) => Pick::Nth(n),
        (_, Some(v), ..) => Pick::Matching(v),
        (_, _, Some(n), _) if n <= number => {
            return Err((
                ".before".into(),
                format!("must name a later checkpoint than ({number})"),
            ));
        }
        (_, _, Some(n), _) => Pick::Before(n),
        (.., Some(n)) if n == 0 || n >= number => {
            return Err((
                ".after".into(),
                format!("must name an earlier checkpoint than ({number})"),
            ));
        }
        (.., Some(n)) => Pick::After(n),
        _ => Pick::Nth(1),
    };
    Ok(Checkpoint { number, key, pick })
}

/// A glob as a key selector: `*` matches any run of characters, `?` one character; the rest
/// is literal (matched by [`super::glob`], the one glob engine).
pub(super) fn glob_selector(glob: String) -> KeySelector {
    KeySelector::Pattern { glob }
}
