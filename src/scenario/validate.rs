//! Turns the file model into runtime types, checking what serde cannot.

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde_json::Value;

use super::documents::glob_selector;
use super::error::{LoadError, Position};
use super::model::{
    CommandWorker, DeleteStep, GohanStep, KeyspaceFile, PutStep, RedactionFile, ReferenceWorker,
    RegexRedaction, ScenarioFile, SortRedaction, StepFile, Until, WaitStep, WorkerFile,
};
use super::types::{
    CollectorSpec, Condition, Document, Keyspace, Redaction, Scenario, Step, StepKind, WorkerSpec,
};

/// Default deadline for reaching every checkpoint.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline of a wait step.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// The largest `put` file: etcd's default request size limit (1.5 MiB).
const MAX_PUT_FILE: u64 = 1536 * 1024;
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
        Some(WorkerFile::Reference(ReferenceWorker { slots: Some(slots) }))
            if slots > crate::worker::MAX_SLOTS =>
        {
            return Err(fail(
                None,
                "worker.slots".into(),
                format!(
                    "{slots} is more than the {} allowed",
                    crate::worker::MAX_SLOTS
                ),
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
        .map_err(|(at, key, message)| fail(at.as_ref(), key, message))?;

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
        let doc = super::documents::document(doc.value).map_err(|(field, message)| {
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

    let keyspace = match file.keyspace {
        None => None,
        Some(k) => Some(keyspace(k.value).map_err(|(field, message)| {
            fail(Some(&k.defined), format!("keyspace{field}"), message)
        })?),
    };

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
        keyspace,
    })
}

fn keyspace(file: KeyspaceFile) -> Result<Keyspace, FieldError> {
    let prefixes = file.prefixes.unwrap_or_else(|| vec!["/".into()]);
    if prefixes.is_empty() {
        return Err((".prefixes".into(), "names no prefix".into()));
    }
    for (i, prefix) in prefixes.iter().enumerate() {
        check_key(prefix).map_err(|(_, m)| (format!(".prefixes[{i}]"), m))?;
    }
    let ignore = file
        .ignore
        .into_iter()
        .enumerate()
        .map(|(i, glob)| {
            check_key(&glob)
                .map(|()| glob_selector(glob))
                .map_err(|(_, m)| (format!(".ignore[{i}]"), m))
        })
        .collect::<Result<_, _>>()?;
    Ok(Keyspace {
        prefixes,
        ignore,
        recorded: file.recorded,
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
pub(super) type FieldError = (String, String);

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
                (None, Some(file)) => read_limited(&base.join(&file))
                    .map_err(|message| (".file".to_string(), message))?,
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
            prefix,
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
            if prefix && matches!(condition, Condition::Matches(_)) {
                return Err((
                    ".prefix".into(),
                    "a prefix waits `until: exists` or `until: deleted`, not `matches`".into(),
                ));
            }
            StepKind::Wait {
                key,
                prefix,
                condition,
                timeout: timeout.unwrap_or(DEFAULT_WAIT),
            }
        }
    })
}

/// A `put` file's bytes, at most [`MAX_PUT_FILE`] of them: a larger file (or an endless one
/// such as `/dev/zero`) is an error, never read whole.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(fail)?
        .take(MAX_PUT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_PUT_FILE {
        return Err(format!(
            "{}: larger than {MAX_PUT_FILE} bytes, etcd's default request limit",
            path.display()
        ));
    }
    Ok(bytes)
}

pub(super) fn check_key(key: &str) -> Result<(), FieldError> {
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

fn redaction(r: RedactionFile) -> Result<Redaction, String> {
    Ok(match r {
        RedactionFile::JobSuffix(_) => crate::snapshot::job_suffix_redaction(),
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
