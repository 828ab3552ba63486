//! Turns the file model into runtime types, checking what serde cannot.

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::error::{LoadError, Position};
use super::model::{
    CheckpointFile, CommandWorker, DeleteStep, DocumentFile, GohanStep, JournalFile, PutStep,
    RedactionFile, ReferenceWorker, RegexRedaction, ScenarioFile, SortRedaction, StepFile, Until,
    WaitStep, WorkerFile,
};
use super::types::{
    Checkpoint, CollectorSpec, Condition, Document, JournalFilter, KeySelector, Pick, Redaction,
    Scenario, Step, StepKind, WorkerSpec,
};

/// Default deadline for reaching every checkpoint.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline of a wait step.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// The tenant of the recorded flows.
pub(crate) const RECORDED_PROJECT: &str = "fe3a4a1a72c04479bb6c19c2c0ccba4c";
/// The collector agents' address in the recorded flows.
pub(crate) const RECORDED_COLLECTOR: &str = "http://collector-agents-se:7070";
/// The recorded worker's job slots.
pub(crate) const RECORDED_SLOTS: usize = 8;

/// Validates a parsed file.
pub(crate) fn validate(path: &Path, file: ScenarioFile) -> Result<Scenario, LoadError> {
    let fail =
        |at: Option<&serde_saphyr::Location>, key: String, message: String| LoadError::Invalid {
            path: path.to_owned(),
            position: at.map(|l| Position {
                line: l.line(),
                column: l.column(),
            }),
            key,
            message,
        };
    if file.name.trim().is_empty() {
        return Err(fail(None, "name".into(), "must not be empty".into()));
    }
    let worker = match file.worker {
        None => WorkerSpec::Reference {
            slots: RECORDED_SLOTS,
        },
        Some(WorkerFile::Reference(ReferenceWorker { slots: Some(0) })) => {
            return Err(fail(
                None,
                "worker.slots".into(),
                "must be at least 1".into(),
            ));
        }
        Some(WorkerFile::Reference(ReferenceWorker { slots })) => WorkerSpec::Reference {
            slots: slots.unwrap_or(RECORDED_SLOTS),
        },
        Some(WorkerFile::Command(c)) if c.command.trim().is_empty() => {
            return Err(fail(
                None,
                "worker.command".into(),
                "must not be empty".into(),
            ));
        }
        Some(WorkerFile::Command(CommandWorker { command, env })) => WorkerSpec::Command {
            command,
            env,
            dir: Some(base_dir(path)),
        },
        Some(WorkerFile::None(_)) => WorkerSpec::None,
    };
    let heat =
        super::heat::validate(file.heat).map_err(|(key, message)| fail(None, key, message))?;
    let collector: CollectorSpec = super::collector::validate(file.collector)
        .map_err(|(key, message)| fail(None, key, message))?;

    let base = base_dir(path);
    let base = base.as_path();
    let steps = file
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            step_kind(base, step.value)
                .map(|kind| Step {
                    line: step.defined.line(),
                    kind,
                })
                .map_err(|(field, message)| {
                    fail(Some(&step.defined), format!("steps[{i}]{field}"), message)
                })
        })
        .collect::<Result<_, _>>()?;

    let mut documents: Vec<Document> = Vec::new();
    for (d, doc) in file.documents.into_iter().enumerate() {
        let at = doc.defined;
        let doc = document(doc.value).map_err(|(field, message)| {
            fail(Some(&at), format!("documents[{d}]{field}"), message)
        })?;
        if documents.iter().any(|other| other.name == doc.name) {
            let message = format!("a document named `{}` exists already", doc.name);
            return Err(fail(Some(&at), format!("documents[{d}].name"), message));
        }
        documents.push(doc);
    }

    let redactions = file
        .redactions
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            redaction(r.value).map_err(|message| {
                fail(
                    Some(&r.defined),
                    format!("redactions[{i}].pattern"),
                    message,
                )
            })
        })
        .collect::<Result<_, _>>()?;

    Ok(Scenario {
        path: path.to_owned(),
        id: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        name: file.name,
        description: file.description,
        timeout: file.timeout.unwrap_or(DEFAULT_TIMEOUT),
        worker,
        heat,
        collector,
        steps,
        documents,
        redactions,
    })
}

/// The folder relative paths in a scenario start from.
fn base_dir(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => ".".into(),
    }
}

/// A field-relative error: (`.field` suffix of the key path, message).
type FieldError = (String, String);

fn step_kind(base: &Path, step: StepFile) -> Result<StepKind, FieldError> {
    Ok(match step {
        StepFile::Gohan(GohanStep { op, path, body }) => {
            check_gohan_path(&path).map_err(|m| (".path".to_string(), m))?;
            match &body {
                Some(Value::Object(_)) => {}
                Some(_) => return Err((".body".into(), "must be a mapping".into())),
                None if op != super::model::GohanOp::Delete => {
                    return Err((
                        ".body".into(),
                        format!("is required for {op:?}").to_lowercase(),
                    ));
                }
                None => {}
            }
            StepKind::Gohan {
                op,
                key: format!("/config{path}"),
                body,
            }
        }
        StepFile::Put(PutStep { key, value, file }) => {
            check_key(&key)?;
            let value = match (value, file) {
                (Some(Value::String(s)), None) => s.into_bytes(),
                (Some(v), None) => v.to_string().into_bytes(),
                (None, Some(file)) => {
                    let full = base.join(&file);
                    std::fs::read(&full)
                        .map_err(|e| (".file".to_string(), format!("{}: {e}", full.display())))?
                }
                _ => {
                    return Err((
                        String::new(),
                        "give exactly one of `value` and `file`".into(),
                    ));
                }
            };
            StepKind::Put { key, value }
        }
        StepFile::Delete(DeleteStep { key, prefix }) => {
            check_key(&key)?;
            StepKind::Delete { key, prefix }
        }
        StepFile::Wait(WaitStep {
            key,
            until,
            value,
            timeout,
        }) => {
            check_key(&key)?;
            let condition = match (until, value) {
                (Until::Matches, Some(v)) => Condition::Matches(v),
                (Until::Matches, None) => {
                    return Err((".value".into(), "`until: matches` needs a `value`".into()));
                }
                (_, Some(_)) => {
                    return Err((
                        ".value".into(),
                        "only `until: matches` takes a `value`".into(),
                    ));
                }
                (Until::Exists, None) => Condition::Exists,
                (Until::Deleted, None) => Condition::Deleted,
            };
            StepKind::Wait {
                key,
                condition,
                timeout: timeout.unwrap_or(DEFAULT_WAIT),
            }
        }
    })
}

fn check_key(key: &str) -> Result<(), FieldError> {
    if key.starts_with('/') {
        Ok(())
    } else {
        Err((".key".into(), format!("`{key}` must start with `/`")))
    }
}

/// Gohan paths look like `/v2.0/ports/<id>`: at least a plural and an id after a prefix.
fn check_gohan_path(path: &str) -> Result<(), String> {
    let parts: Vec<&str> = path.split('/').collect();
    if !path.starts_with('/') || parts.len() < 4 || parts.iter().skip(1).any(|p| p.is_empty()) {
        return Err(format!(
            "`{path}` is not a resource path like `/v2.0/<plural>/<id>`"
        ));
    }
    Ok(())
}

fn document(doc: DocumentFile) -> Result<Document, FieldError> {
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
    Ok(JournalFilter {
        methods,
        stack: journal.stack.map(|glob| KeySelector::Pattern {
            regex: glob_regex(&glob),
            glob,
        }),
    })
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
            KeySelector::Pattern {
                regex: glob_regex(&glob),
                glob,
            }
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

/// `*` matches any run of characters, `?` one character; the rest is literal.
fn glob_regex(glob: &str) -> Regex {
    let mut re = String::from("^");
    for c in glob.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).expect("an escaped glob is a valid regex")
}

fn redaction(r: RedactionFile) -> Result<Redaction, String> {
    Ok(match r {
        RedactionFile::JobSuffix(_) => Redaction::Replace {
            regex: Regex::new(crate::snapshot::JOB_SUFFIX).expect("valid regex"),
            replacement: "${1}[suffix]".into(),
        },
        RedactionFile::Regex(RegexRedaction {
            pattern,
            replacement,
        }) => Redaction::Replace {
            regex: Regex::new(&pattern).map_err(|e| e.to_string())?,
            replacement,
        },
        RedactionFile::Sort(SortRedaction { key }) if key.is_empty() => {
            return Err("`key` must not be empty".into());
        }
        RedactionFile::Sort(SortRedaction { key }) => Redaction::Sort { key },
    })
}
