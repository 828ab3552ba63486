//! Reading a recorded flow folder and a heat-template folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

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
    /// A document could not be parsed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The document.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
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
    /// `(template id, Gohan value)` of every template document, by id.
    pub templates: Vec<(String, Value)>,
    /// `(key, version)` of the `/config` writes in the config watcher log, in order.
    pub config_log: Vec<(String, u64)>,
}

impl Folder {
    pub(super) fn read(dir: &Path, templates: &Path) -> Result<Self, ImportError> {
        let mut flows: BTreeMap<String, Vec<Recorded>> = BTreeMap::new();
        let stored = dir.join("stored_in_etcd");
        if !stored.is_dir() {
            return Err(ImportError::NotAFlowFolder { path: dir.into() });
        }
        if !templates.is_dir() {
            return Err(ImportError::NoTemplates {
                path: templates.into(),
            });
        }
        for component in sorted_entries(&stored)? {
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
                let document = read_document(&path)?;
                flows.entry(flow.to_string()).or_default().push(Recorded {
                    component: component_name.clone(),
                    number,
                    path,
                    document,
                });
            }
        }
        if flows.is_empty() {
            return Err(ImportError::Empty {
                path: dir.to_path_buf(),
            });
        }
        for documents in flows.values_mut() {
            documents.sort_by(|a, b| (a.number, &a.component).cmp(&(b.number, &b.component)));
        }
        let mut found = Vec::new();
        for path in sorted_entries(templates)? {
            let document = read_document(&path)?;
            if let Some(c) = document
                .checkpoints
                .iter()
                .find(|c| c.key.starts_with("/config/"))
            {
                let id = c.key.rsplit('/').next().unwrap_or_default().to_string();
                found.push((id, c.value.clone()));
            }
        }
        let log = dir.join("result_log/04_etcd_watcher_log/etcd-config-watcher.log");
        let config_log = std::fs::read_to_string(&log)
            .map(|t| config_writes(&t))
            .unwrap_or_default();
        Ok(Folder {
            flows,
            templates: found,
            config_log,
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

fn read_document(path: &Path) -> Result<ParsedDocument, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.into(),
        source,
    })?;
    parse_document(&text).map_err(|e| ImportError::Parse {
        path: path.into(),
        line: e.line,
        message: e.message,
    })
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

/// The `(key, version)` of every `set` on `/config` in an etcd watcher log, in order.
fn config_writes(log: &str) -> Vec<(String, u64)> {
    let mut writes = Vec::new();
    let mut key: Option<String> = None;
    for line in log.lines() {
        if let Some(rest) = line
            .split("key=[")
            .nth(1)
            .filter(|_| line.contains("action=[set]"))
        {
            key = rest.split(']').next().map(str::to_string);
        } else if let (Some(k), Some(v)) = (&key, line.strip_prefix("    \"version\": ")) {
            if let Ok(version) = v.trim().trim_end_matches(',').parse() {
                writes.push((k.clone(), version));
            }
            key = None;
        }
    }
    writes
}
