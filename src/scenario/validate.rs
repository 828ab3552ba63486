//! Turns the file model into runtime types, checking what serde cannot. Each section and
//! step kind validates itself (`heat/`, `collector/`, `documents.rs`, `run/steps/<kind>.rs`);
//! this puts their errors at the item's key and position.

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde_saphyr::Spanned;

use super::documents::glob_selector;
use super::error::{FieldError, InvalidKind, LoadError, Located, Position};
use super::model::{
    CommandWorker, KeyspaceFile, RedactionFile, ReferenceWorker, RegexRedaction, ScenarioFile,
    SortRedaction, WorkerFile,
};
use super::types::{Document, Keyspace, Redaction, Scenario, Step, WorkerSpec};
use crate::run::steps::FileContext;

/// Default deadline for reaching every checkpoint.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The tenant of the recorded flows.
pub(crate) const RECORDED_PROJECT: &str = "fe3a4a1a72c04479bb6c19c2c0ccba4c";
/// The collector agents' address in the recorded flows.
pub(crate) const RECORDED_COLLECTOR: &str = "http://collector-agents-se:7070";
/// The recorded worker's job slots.
pub(crate) const RECORDED_SLOTS: usize = 8;

/// Validates a parsed file.
pub(crate) fn validate(path: &Path, file: ScenarioFile) -> Result<Scenario, LoadError> {
    let fail = |invalid: Located| {
        let position = Position {
            line: invalid.at.line(),
            column: invalid.at.column(),
        };
        let kind = InvalidKind::Value(invalid.error.message);
        LoadError::invalid(path, Some(position), invalid.error.field, kind)
    };
    if file.name.value.trim().is_empty() {
        return Err(fail(
            FieldError::new("", "must not be empty").located("name", file.name.defined),
        ));
    }
    let base = base_dir(path);
    let worker = match file.worker {
        None => WorkerSpec::Reference {
            slots: RECORDED_SLOTS,
        },
        Some(w) => worker(w.value, &base).map_err(|e| fail(e.located("worker", w.defined)))?,
    };
    let heat = super::heat::validate(file.heat).map_err(fail)?;
    let collector = super::collector::validate(file.collector).map_err(fail)?;

    let files = FileContext { base: &base };
    let steps = file
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let at = step.defined;
            step.value
                .validate(&files)
                .map(|kind| Step {
                    line: at.line(),
                    kind,
                })
                .map_err(|e| fail(e.located(format!("steps[{i}]"), at)))
        })
        .collect::<Result<_, _>>()?;

    let mut documents: Vec<Document> = Vec::new();
    for (d, doc) in file.documents.into_iter().enumerate() {
        let at = doc.defined;
        let item = format!("documents[{d}]");
        let doc = super::documents::document(doc.value).map_err(|e| fail(e.located(&item, at)))?;
        if documents.iter().any(|other| other.name == doc.name) {
            let message = format!("a document named `{}` exists already", doc.name);
            return Err(fail(FieldError::new(".name", message).located(&item, at)));
        }
        documents.push(doc);
    }

    let redactions = file
        .redactions
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            redaction(r.value).map_err(|e| fail(e.located(format!("redactions[{i}]"), r.defined)))
        })
        .collect::<Result<_, _>>()?;

    let keyspace = file
        .keyspace
        .map(|Spanned { value, defined, .. }| {
            keyspace(value).map_err(|e| fail(e.located("keyspace", defined)))
        })
        .transpose()?;

    Ok(Scenario {
        path: path.to_owned(),
        id: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        name: file.name.value,
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

fn worker(file: WorkerFile, base: &Path) -> Result<WorkerSpec, FieldError> {
    Ok(match file {
        WorkerFile::Reference(ReferenceWorker { slots: Some(0) }) => {
            return Err(FieldError::new(".slots", "must be at least 1"));
        }
        WorkerFile::Reference(ReferenceWorker { slots: Some(slots) })
            if slots > crate::worker::MAX_SLOTS =>
        {
            return Err(FieldError::new(
                ".slots",
                format!(
                    "{slots} is more than the {} allowed",
                    crate::worker::MAX_SLOTS
                ),
            ));
        }
        WorkerFile::Reference(ReferenceWorker { slots }) => WorkerSpec::Reference {
            slots: slots.unwrap_or(RECORDED_SLOTS),
        },
        WorkerFile::Command(c) if c.command.trim().is_empty() => {
            return Err(FieldError::new(".command", "must not be empty"));
        }
        WorkerFile::Command(CommandWorker { command, env }) => WorkerSpec::Command {
            command,
            env,
            dir: Some(base.to_owned()),
        },
        WorkerFile::None(_) => WorkerSpec::None,
    })
}

fn keyspace(file: KeyspaceFile) -> Result<Keyspace, FieldError> {
    let prefixes = file.prefixes.unwrap_or_else(|| vec!["/".into()]);
    if prefixes.is_empty() {
        return Err(FieldError::new(".prefixes", "names no prefix"));
    }
    for (i, prefix) in prefixes.iter().enumerate() {
        check_key(prefix).map_err(|e| e.at(format!(".prefixes[{i}]")))?;
    }
    let ignore = file
        .ignore
        .into_iter()
        .enumerate()
        .map(|(i, glob)| {
            check_key(&glob)
                .map(|()| glob_selector(glob))
                .map_err(|e| e.at(format!(".ignore[{i}]")))
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

/// A key must be absolute.
pub(crate) fn check_key(key: &str) -> Result<(), FieldError> {
    if key.starts_with('/') {
        Ok(())
    } else {
        Err(FieldError::new(
            ".key",
            format!("`{key}` must start with `/`"),
        ))
    }
}

fn redaction(r: RedactionFile) -> Result<Redaction, FieldError> {
    Ok(match r {
        RedactionFile::JobSuffix(_) => crate::snapshot::job_suffix_redaction(),
        RedactionFile::Regex(RegexRedaction {
            pattern,
            replacement,
        }) => Redaction::Replace {
            regex: Regex::new(&pattern).map_err(|e| FieldError::new(".pattern", e.to_string()))?,
            replacement,
        },
        RedactionFile::Sort(SortRedaction { key }) if key.is_empty() => {
            return Err(FieldError::new(".key", "must not be empty"));
        }
        RedactionFile::Sort(SortRedaction { key }) => Redaction::Sort { key },
    })
}
