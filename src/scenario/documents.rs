//! Validating documents and their checkpoints (a part of [`super::validate`]).

use serde_saphyr::Spanned;

use super::error::FieldError;
use super::model::{CheckpointFile, DocumentFile, JournalFile};
use super::types::{Checkpoint, Document, JournalFilter, KeySelector, Pick};
use super::unspanned;
use super::validate::check_key;

pub(super) fn document(doc: DocumentFile) -> Result<Document, FieldError> {
    let name_ok = !doc.name.is_empty()
        && doc
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !name_ok {
        return Err(FieldError::new(
            ".name",
            format!("`{}` must be letters, digits, `_` or `-`", doc.name),
        ));
    }
    let journal = match (doc.heat_journal, doc.checkpoints.is_empty()) {
        (None, true) => {
            return Err(FieldError::new(
                ".checkpoints",
                "needs at least one checkpoint (or a `heat_journal`)",
            ));
        }
        (Some(_), false) => {
            return Err(FieldError::new(
                ".heat_journal",
                "a journal document has no `checkpoints`",
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
        .map(|(i, c)| checkpoint(i + 1, c).map_err(|e| e.under(format!(".checkpoints[{i}]"))))
        .collect::<Result<_, _>>()?;
    if let Some((i, c)) = checkpoints
        .iter()
        .enumerate()
        .find(|(_, c)| matches!(c.pick, Pick::Before(n) if n > count))
    {
        return Err(FieldError::new(
            format!(".checkpoints[{i}].before"),
            format!(
                "({}) names a checkpoint the document does not have",
                c.number
            ),
        ));
    }
    if let Some(number) = circular(&checkpoints) {
        return Err(FieldError::new(
            ".checkpoints",
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
        return Err(FieldError::new(".heat_journal.methods", "names no method"));
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
            check_key(&glob).map_err(|e| e.at(".pattern"))?;
            glob_selector(glob)
        }
        _ => {
            return Err(FieldError::new(
                "",
                "give exactly one of `key` and `pattern`",
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
        return Err(FieldError::new(
            "",
            "give at most one of `nth`, `matching`, `before` and `after`",
        ));
    }
    let pick = match (c.nth, c.matching, c.before, c.after) {
        (Some(0), ..) => return Err(FieldError::new(".nth", "counts from 1")),
        (Some(n), ..) => Pick::Nth(n),
        (_, Some(v), ..) => Pick::Matching(v),
        (_, _, Some(n), _) if n <= number => {
            return Err(FieldError::new(
                ".before",
                format!("must name a later checkpoint than ({number})"),
            ));
        }
        (_, _, Some(n), _) => Pick::Before(n),
        (.., Some(n)) if n == 0 || n >= number => {
            return Err(FieldError::new(
                ".after",
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

impl Document {
    /// The file form that validates into this document (journal documents keep their
    /// methods and stack glob).
    pub fn to_file(&self) -> DocumentFile {
        DocumentFile {
            name: self.name.clone(),
            title: self.title.clone(),
            preamble: self.preamble.clone(),
            recorded: self.recorded.clone(),
            checkpoints: self
                .checkpoints
                .iter()
                .map(|c| unspanned(c.to_file()))
                .collect(),
            heat_journal: self.journal.as_ref().map(|j| JournalFile {
                methods: Some(j.methods.clone()),
                stack: j.stack.as_ref().map(ToString::to_string),
            }),
        }
    }
}

impl Checkpoint {
    /// The file form that validates into this checkpoint.
    pub fn to_file(&self) -> CheckpointFile {
        let (key, pattern) = match &self.key {
            KeySelector::Exact(k) => (Some(k.clone()), None),
            KeySelector::Pattern { glob, .. } => (None, Some(glob.clone())),
        };
        let mut file = CheckpointFile {
            key,
            pattern,
            nth: None,
            matching: None,
            before: None,
            after: None,
        };
        match &self.pick {
            Pick::Nth(n) => file.nth = Some(*n),
            Pick::Matching(v) => file.matching = Some(v.clone()),
            Pick::Before(n) => file.before = Some(*n),
            Pick::After(n) => file.after = Some(*n),
        }
        file
    }
}
