//! The layout indexed by resource and version, so each check is linear in the history.

use std::collections::BTreeMap;

use super::layout::{ConfigVersion, Job, Layout, StateWrite};

/// The layout indexed by resource and version, so each check is linear in the history.
pub(super) struct Index<'a> {
    pub(super) layout: &'a Layout<'a>,
    jobs: BTreeMap<(&'a str, u64), Vec<&'a Job>>,
    units: BTreeMap<&'a str, String>,
    finals: BTreeMap<(&'a str, u64), Vec<&'a StateWrite>>,
    pub(super) configs: BTreeMap<&'a str, Vec<&'a ConfigVersion>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(layout: &'a Layout<'a>) -> Self {
        let mut index = Index {
            layout,
            jobs: BTreeMap::new(),
            units: BTreeMap::new(),
            finals: BTreeMap::new(),
            configs: BTreeMap::new(),
        };
        for job in &layout.jobs {
            if let Some(version) = job.version {
                index
                    .jobs
                    .entry((job.path.as_str(), version))
                    .or_default()
                    .push(job);
                index
                    .units
                    .insert(job.id.as_str(), format!("{}@{version}", job.path));
            }
        }
        for state in layout.states.iter().filter(|s| s.is_final()) {
            if let Some(version) = state.version {
                index
                    .finals
                    .entry((state.path.as_str(), version))
                    .or_default()
                    .push(state);
            }
        }
        for config in &layout.configs {
            index
                .configs
                .entry(config.path.as_str())
                .or_default()
                .push(config);
        }
        index
    }

    /// The unit of work of job `id`: its resource's `<path>@<version>`, else the id.
    pub(super) fn unit(&self, id: &str) -> String {
        self.units
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    pub(super) fn jobs_of(&self, path: &'a str, version: u64) -> &[&'a Job] {
        self.jobs.get(&(path, version)).map_or(&[], Vec::as_slice)
    }

    /// Final `/state/<path>` puts at `version` after `revision`.
    pub(super) fn finals(&self, path: &'a str, version: u64, after: i64) -> Vec<&'a StateWrite> {
        self.finals
            .get(&(path, version))
            .into_iter()
            .flatten()
            .filter(|s| s.revision > after)
            .copied()
            .collect()
    }
}
