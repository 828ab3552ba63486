//! Reading a recorded flow folder and a heat-template folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::summary::Gap;
use super::watcher::{self, Event};
use crate::docs::{ParsedDocument, parse_document};

/// A folder that cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The flow folder has no `stored_in_etcd` folder.
    #[error(
        "{path}: not a recorded flow folder: it has no stored_in_etcd/ (expected stored_in_etcd/<component>/<Flow>_NN.md)"
    )]
    NotAFlowFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The heat template folder does not exist.
    #[error(
        "{path}: no such heat template folder (--templates names a folder of heat_template documents)"
    )]
    NoTemplates {
        /// The folder.
        path: PathBuf,
    },
    /// The folder holds no `stored_in_etcd/<component>/<Flow>_NN.md`.
    #[error("{path}: no recorded flows (expected stored_in_etcd/<component>/<Flow>_NN.md)")]
    Empty {
        /// The folder.
        path: PathBuf,
    },
    /// `--flow` names a flow the folder lacks.
    #[error("no flow `{flow}`; the folder has: {known}")]
    NoSuchFlow {
        /// Asked for.
        flow: String,
        /// Found.
        known: String,
    },
    /// The scenario could not be written as YAML.
    #[error("cannot write the scenario as YAML: {0}")]
    Yaml(String),
}

/// One recorded document.
#[derive(Debug, Clone)]
pub(super) struct Recorded {
    /// Component folder, e.g. `03_HeatWorker`.
    pub component: String,
    /// 1-based number in the flow.
    pub number: u32,
    /// The file.
    pub path: PathBuf,
    /// Its content.
    pub document: ParsedDocument,
}

/// A recorded flow folder, read.
#[derive(Debug)]
pub(super) struct Folder {
    /// Flow name -> its documents, sorted by (number, component).
    pub flows: BTreeMap<String, Vec<Recorded>>,
    /// `(key, value)` of the `/config` keys the run held before its flows: what the config
    /// watcher log shows written to keys no flow writes (the run's heat templates, tenant,
    /// quotas...), then the `--templates` documents the log lacks.
    pub initial: Vec<(String, Value)>,
    /// The config watcher log's events, in order (empty without one).
    pub config_log: Vec<Event>,
    /// The monitoring watcher log's events, in order (empty without one).
    pub monitoring_log: Vec<Event>,
    /// What could not be derived while reading.
    pub gaps: Vec<Gap>,
}

impl Folder {
    pub(super) fn read(dir: &Path, templates: &Path) -> Result<Self, ImportError> {
        let stored = dir.join("stored_in_etcd");
        if !stored.is_dir() {
            return Err(ImportError::NotAFlowFolder { path: dir.into() });
        }
        if !templates.is_dir() {
            return Err(ImportError::NoTemplates {
                path: templates.into(),
            });
        }
        let mut gaps = Vec::new();
        let flows = read_flows(&stored, &mut gaps)?;
        if flows.is_empty() {
            return Err(ImportError::Empty {
                path: dir.to_path_buf(),
            });
        }
        let config_log = watcher::read(dir, "config").unwrap_or_default();
        let written: BTreeSet<&str> = flows
            .values()
            .flatten()
            .filter(|d| is_gohan(d))
            .flat_map(|d| &d.document.checkpoints)
            .map(|c| c.key.as_str())
            .collect();
        let mut initial: Vec<(String, Value)> = Vec::new();
        for event in config_log
            .iter()
            .filter(|e| !written.contains(e.key.as_str()))
        {
            let found = initial.iter().position(|(k, _)| *k == event.key);
            match (&event.value, found) {
                (Some(value), Some(i)) if event.is_set() => initial[i].1 = value.clone(),
                (Some(value), None) if event.is_set() => {
                    initial.push((event.key.clone(), value.clone()))
                }
                (_, Some(i)) => {
                    initial.remove(i);
                }
                _ => {}
            }
        }
        for path in sorted_entries(templates)? {
            let Some(document) = read_document(&path, &mut gaps)? else {
                continue;
            };
            let Some(c) = document
                .checkpoints
                .iter()
                .find(|c| c.key.starts_with("/config/"))
            else {
                continue;
            };
            if !initial.iter().any(|(k, _)| *k == c.key) {
                gaps.push(Gap::TemplateNotFromRun { key: c.key.clone() });
                initial.push((c.key.clone(), c.value.clone()));
            }
        }
        Ok(Folder {
            flows,
            initial,
            config_log,
            monitoring_log: watcher::read(dir, "monitoring").unwrap_or_default(),
            gaps,
        })
    }

    /// Whether a flow has documents beyond Gohan's writes (what a worker produced).
    pub(super) fn has_results(&self, flow: &str) -> bool {
        self.flows
            .get(flow)
            .is_some_and(|docs| docs.iter().any(|d| !is_gohan(d)))
    }
}

/// Whether a document holds Gohan's writes (its blocks are `/config` keys).
pub(super) fn is_gohan(recorded: &Recorded) -> bool {
    let c = &recorded.document.checkpoints;
    !c.is_empty() && c.iter().all(|c| c.key.starts_with("/config/"))
        || recorded.component.to_lowercase().contains("gohan")
}

/// `stored_in_etcd/<component>/<Flow>_NN.md`, by flow.
fn read_flows(
    stored: &Path,
    gaps: &mut Vec<Gap>,
) -> Result<BTreeMap<String, Vec<Recorded>>, ImportError> {
    let mut flows: BTreeMap<String, Vec<Recorded>> = BTreeMap::new();
    for component in sorted_entries(stored)? {
        if !component.is_dir() {
            continue;
        }
        let component_name = file_name(&component);
        for path in sorted_entries(&component)? {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some((flow, number)) = stem.rsplit_once('_') else {
                continue;
            };
            let Ok(number) = number.parse() else { continue };
            let Some(document) = read_document(&path, gaps)? else {
                continue;
            };
            flows.entry(flow.to_string()).or_default().push(Recorded {
                component: component_name.clone(),
                number,
                path,
                document,
            });
        }
    }
    for documents in flows.values_mut() {
        documents.sort_by(|a, b| (a.number, &a.component).cmp(&(b.number, &b.component)));
    }
    Ok(flows)
}

/// A document, or as much of it as comes before a fault (a [`Gap`] either way); `None`
/// when nothing before the fault is a complete block.
fn read_document(path: &Path, gaps: &mut Vec<Gap>) -> Result<Option<ParsedDocument>, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.into(),
        source,
    })?;
    let (text, fault) = match std::str::from_utf8(&bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let text = std::str::from_utf8(valid).unwrap_or_default();
            (text, Some((line, "not UTF-8".to_string())))
        }
    };
    let (line, message) = match (parse_document(text), fault) {
        (Ok(document), None) => return Ok(Some(document)),
        (Ok(_), Some(fault)) => fault,
        (Err(e), _) => (e.line, e.message),
    };
    let before: String = text
        .lines()
        .take(line.saturating_sub(1))
        .flat_map(|l| [l, "\n"])
        .collect();
    let (path, message) = (path.to_path_buf(), message);
    match parse_document(&before) {
        Ok(document) if !document.checkpoints.is_empty() => {
            gaps.push(Gap::PartlyReadDocument {
                path,
                line,
                message,
            });
            Ok(Some(document))
        }
        _ => {
            gaps.push(Gap::UnreadableDocument {
                path,
                line,
                message,
            });
            Ok(None)
        }
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Read {
        path: dir.into(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
