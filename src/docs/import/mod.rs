//! `heatbed import`: turn a folder of recorded flows (laid out like the ESI investigation's
//! `05_load_balancer`: `stored_in_etcd/<component>/<Flow>_NN.md`, optionally
//! `result_log/04_etcd_watcher_log/etcd-config-watcher.log`) plus heat-template documents into
//! runnable scenarios whose documents name the recorded ones. Nothing here knows a resource
//! type by name: types, keys and versions come from the documents.

mod build;
mod documents;
mod folder;
mod holds;
mod order;
mod rules;
mod steps;
mod store;
mod summary;
mod watcher;

use std::path::{Path, PathBuf};

pub use folder::ImportError;
pub use store::Fixture;
pub use summary::{Gap, Summary};

pub(crate) use build::recorded_redactions;
pub(crate) use documents::picks;
pub(crate) use holds::Holds;
pub(crate) use rules::{collector_rules, heat_rules};
pub(crate) use steps::{
    GohanWrite, Jobs, delete_step, flow_steps, jobs, reported, without_repeated_waits,
};
pub(crate) use store::safe_name;

/// One imported scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The flow it reproduces, e.g. `CreateLoadbalancer`.
    pub flow: String,
    /// Suggested file name, e.g. `create_loadbalancer.yaml`.
    pub file_name: String,
    /// The scenario, as YAML.
    pub yaml: String,
}

/// What an import made: the scenarios, and what it could not derive from the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// One scenario per flow imported.
    pub scenarios: Vec<Imported>,
    /// The files the scenarios read (the store the recorded run started from).
    pub fixtures: Vec<Fixture>,
    /// Documents it could not read (it went on without them) and what it could not derive.
    pub summary: Summary,
}

/// Imports the flows of `dir` (only `flow` when given) with the templates the run loaded
/// (its config watcher log), the `templates` folder filling the gaps. `scenario_dir` is where
/// the scenarios will live: recorded paths are written relative to it. A document that cannot
/// be read is a [`Gap`] in the summary, not an error.
pub fn import(
    dir: &Path,
    templates: &Path,
    flow: Option<&str>,
    scenario_dir: &Path,
) -> Result<Import, ImportError> {
    let folder = folder::Folder::read(dir, templates)?;
    let mut gaps = folder.gaps.clone();
    let ordered = order::flows_in_order(&folder, &mut gaps);
    let fixtures = store::fixtures(&folder, dir);
    let wanted: Vec<&str> = match flow {
        Some(name) if ordered.iter().any(|f| f == name) => vec![name],
        Some(name) => {
            return Err(ImportError::NoSuchFlow {
                flow: name.into(),
                known: ordered.join(", "),
            });
        }
        None => ordered
            .iter()
            .map(String::as_str)
            .filter(|f| folder.has_results(f))
            .collect(),
    };
    let scenarios = wanted
        .into_iter()
        .map(|name| {
            let position = ordered.iter().position(|f| f == name).unwrap_or(0);
            let initial = store::steps(&folder, &fixtures);
            let keyspace = (position + 1 == ordered.len())
                .then(|| store::keyspace(&folder, scenario_dir))
                .flatten();
            let flows = &ordered[..=position];
            let yaml = build::scenario(&folder, flows, initial, keyspace, scenario_dir)?;
            Ok(Imported {
                flow: name.to_string(),
                file_name: format!("{}.yaml", snake(name)),
                yaml,
            })
        })
        .collect::<Result<_, ImportError>>()?;
    Ok(Import {
        scenarios,
        fixtures,
        summary: Summary { gaps },
    })
}

/// `CreateLoadbalancer` -> `create_loadbalancer`, `03_HeatWorker` -> `heat_worker`.
pub(crate) fn snake(name: &str) -> String {
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `path` relative to `base` (both made absolute first).
fn relative(path: &Path, base: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (path, base) = (absolute(path), absolute(base));
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in base.components().skip(common) {
        out.push("..");
    }
    for part in path.components().skip(common) {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_snake_case() {
        assert_eq!(snake("CreateLoadbalancer"), "create_loadbalancer");
        assert_eq!(snake("03_HeatWorker"), "heat_worker");
        assert_eq!(
            snake("UpdateLoadbalancerInterface"),
            "update_loadbalancer_interface"
        );
    }

    #[test]
    fn relative_paths_climb_out_of_the_base() {
        let got = relative(Path::new("/a/other/x/y.md"), Path::new("/a/main/scenarios"));
        assert_eq!(got, PathBuf::from("../../other/x/y.md"));
    }
}
