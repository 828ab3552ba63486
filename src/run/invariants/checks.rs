//! The five checks over a run's history (definitions in ARCHITECTURE.md, "Checked after
//! every run").

use std::collections::{BTreeMap, BTreeSet};

use super::index::Index;
use super::layout::{ALL, ConfigVersion, FINISHED, JOBS, Layout, STATE, WORKING, shown};
use super::report::{Check, Counts, Invariant, Invariants, Violation, ViolationKind};
use crate::run::recorder::Write;

/// Checks every invariant over `history` (a run's writes in revision order).
pub fn check(history: &[Write]) -> Invariants {
    let layout = Layout::read(history);
    let index = Index::new(&layout);
    let (claims, reclaimed) = claims(&index);
    let checks = vec![
        Check {
            invariant: Invariant::OneJobPerConfigVersion,
            violations: config_versions(&index),
        },
        Check {
            invariant: Invariant::NoDoubleClaimOrExecution,
            violations: claims,
        },
        Check {
            invariant: Invariant::OneFinalState,
            violations: final_states(&index),
        },
        Check {
            invariant: Invariant::StateVersionsNeverGoBack,
            violations: regressions(&layout),
        },
        Check {
            invariant: Invariant::NoLeftoverJobKeys,
            violations: leftovers(&layout),
        },
    ];
    let all = || checks.iter().flat_map(|c| &c.violations);
    let subjects = |pick: fn(ViolationKind) -> bool| {
        all()
            .filter(|v| pick(v.kind))
            .map(|v| v.subject.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let kind = |k: ViolationKind| all().filter(|v| v.kind == k).count();
    let counts = Counts {
        config_versions: layout.configs.len(),
        jobs: layout.jobs.len(),
        lost: subjects(ViolationKind::is_lost),
        duplicated: subjects(ViolationKind::is_duplicated),
        state_regressions: kind(ViolationKind::StateRegression),
        leftover_job_keys: kind(ViolationKind::Leftover),
        reclaimed,
    };
    Invariants { counts, checks }
}

/// Whether work may still be under way: a config version not answered yet, a job without its
/// final `/state`, a `/jobs/` key still there. What a run waits out before it checks.
pub(crate) fn pending(history: &[Write]) -> bool {
    // While jobs are queued (the common case while waiting), no need for the whole check.
    let mut live = BTreeSet::new();
    for write in history.iter().filter(|w| w.key.starts_with(JOBS)) {
        if write.value.is_some() {
            live.insert(write.key.as_str());
        } else {
            live.remove(write.key.as_str());
        }
    }
    if !live.is_empty() {
        return true;
    }
    check(history)
        .checks
        .iter()
        .flat_map(|c| &c.violations)
        .any(|v| v.kind.is_lost() || v.kind == ViolationKind::Leftover)
}

/// The unit of work a violation is about, so one counts once however many checks it breaks:
/// `<config path>@<version>`.
fn subject(config: &ConfigVersion) -> String {
    format!("{}@{}", config.path, config.version)
}

/// Every `/config` version: one job, or (no job) a final `/state` at that version, or
/// superseded by a later version or a delete of the key.
fn config_versions(index: &Index) -> Vec<Violation> {
    let mut violations = vec![];
    for config in &index.layout.configs {
        let key = format!("/config/{}", config.path);
        let jobs = index.jobs_of(&config.path, config.version);
        if jobs.len() > 1 {
            violations.push(Violation {
                kind: ViolationKind::DuplicateJob,
                key,
                subject: subject(config),
                revisions: std::iter::once(config.revision)
                    .chain(jobs.iter().map(|j| j.revision))
                    .collect(),
                values: jobs.iter().map(|j| format!("{ALL}{}", j.id)).collect(),
                detail: format!(
                    "version {} (revision {}) got {} jobs",
                    config.version,
                    config.revision,
                    jobs.len()
                ),
            });
            continue;
        }
        if !jobs.is_empty()
            || !index
                .finals(&config.path, config.version, config.revision)
                .is_empty()
        {
            continue;
        }
        let superseded = index
            .configs
            .get(config.path.as_str())
            .into_iter()
            .flatten()
            .any(|c| c.version > config.version && c.revision > config.revision)
            || index
                .layout
                .config_deletes
                .get(&config.path)
                .is_some_and(|d| d.iter().any(|r| *r > config.revision));
        if !superseded {
            violations.push(Violation {
                kind: ViolationKind::Lost,
                key,
                subject: subject(config),
                revisions: vec![config.revision],
                values: vec![],
                detail: format!(
                    "version {} got no job and no final {STATE}{} at that version",
                    config.version, config.path
                ),
            });
        }
    }
    violations
}

/// Claims (`/jobs/working/<id>`: a new reservation) and executions (`/jobs/finished/<id>`
/// created). Returns the violations and the number of claims taken again after an earlier
/// one was released unfinished.
fn claims(index: &Index) -> (Vec<Violation>, usize) {
    #[derive(Default)]
    struct Seen<'a> {
        claim: Option<&'a Write>,
        claims: usize,
        finished: Vec<&'a Write>,
        finished_present: bool,
    }
    let mut jobs: BTreeMap<&str, Seen> = BTreeMap::new();
    let (mut violations, mut reclaimed) = (vec![], 0);
    for write in &index.layout.job_keys {
        if let Some(id) = write.key.strip_prefix(FINISHED) {
            let seen = jobs.entry(id).or_default();
            if write.value.is_none() {
                seen.finished_present = false;
                continue;
            }
            if seen.finished_present {
                continue;
            }
            seen.finished_present = true;
            seen.finished.push(write);
            if seen.finished.len() > 1 {
                violations.push(violation(
                    ViolationKind::ExecutedTwice,
                    index.unit(id),
                    &seen.finished,
                    format!("finished {} times", seen.finished.len()),
                ));
            }
        } else if let Some(id) = write.key.strip_prefix(WORKING) {
            let seen = jobs.entry(id).or_default();
            let Some(value) = &write.value else {
                seen.claim = None;
                continue;
            };
            match seen.claim {
                Some(held) if held.value.as_ref() == Some(value) => {}
                Some(held) => violations.push(violation(
                    ViolationKind::DoubleClaim,
                    index.unit(id),
                    &[held, write],
                    "claimed by another reservation while the first claim was held".into(),
                )),
                None if !seen.finished.is_empty() => violations.push(violation(
                    ViolationKind::ClaimAfterFinish,
                    index.unit(id),
                    &[seen.finished[0], write],
                    "claimed after it had finished".into(),
                )),
                None if seen.claims > 0 => reclaimed += 1,
                None => {}
            }
            if seen.claim.is_none() {
                seen.claims += 1;
            }
            seen.claim = Some(write);
        }
    }
    (violations, reclaimed)
}

fn violation(kind: ViolationKind, subject: String, writes: &[&Write], detail: String) -> Violation {
    let last = writes.last().map_or_else(String::new, |w| w.key.clone());
    Violation {
        kind,
        key: last,
        subject,
        revisions: writes.iter().map(|w| w.revision).collect(),
        values: writes
            .iter()
            .map(|w| w.value.as_deref().map(shown).unwrap_or_default())
            .collect(),
        detail,
    }
}

/// Every job: exactly one final `/state` at its version after it was created.
fn final_states(index: &Index) -> Vec<Violation> {
    let mut violations = vec![];
    for job in &index.layout.jobs {
        let state = format!("{STATE}{}", job.path);
        let Some(version) = job.version else {
            violations.push(Violation {
                kind: ViolationKind::NoFinalState,
                key: format!("{ALL}{}", job.id),
                subject: job.id.clone(),
                revisions: vec![job.revision],
                values: vec![],
                detail: "the job names no config version".into(),
            });
            continue;
        };
        let finals = index.finals(&job.path, version, job.revision);
        match finals.len() {
            1 => {}
            0 => violations.push(Violation {
                kind: ViolationKind::NoFinalState,
                key: format!("{ALL}{}", job.id),
                subject: format!("{}@{version}", job.path),
                revisions: vec![job.revision],
                values: vec![],
                detail: format!("no final {state} at version {version}"),
            }),
            n => violations.push(Violation {
                kind: ViolationKind::SeveralFinalStates,
                key: state,
                subject: format!("{}@{version}", job.path),
                revisions: finals.iter().map(|s| s.revision).collect(),
                values: finals.iter().map(|s| s.value.clone()).collect(),
                detail: format!("job {} ended {n} times at version {version}", job.id),
            }),
        }
    }
    violations
}

/// Every `/state` key: a put never lowers the version the key holds (a delete starts over).
fn regressions(layout: &Layout) -> Vec<Violation> {
    let mut held: BTreeMap<&str, (u64, &Write)> = BTreeMap::new();
    let mut violations = vec![];
    for write in &layout.state_keys {
        let Some(raw) = &write.value else {
            held.remove(write.key.as_str());
            continue;
        };
        let Some(version) = serde_json::from_slice(raw)
            .ok()
            .and_then(|v| super::layout::version_of(&v))
        else {
            continue;
        };
        if let Some((before, earlier)) = held.get(write.key.as_str())
            && version < *before
        {
            violations.push(Violation {
                kind: ViolationKind::StateRegression,
                key: write.key.clone(),
                subject: write.key.clone(),
                revisions: vec![earlier.revision, write.revision],
                values: [*earlier, *write]
                    .iter()
                    .map(|w| w.value.as_deref().map(shown).unwrap_or_default())
                    .collect(),
                detail: format!("version went from {before} back to {version}"),
            });
        }
        held.insert(write.key.as_str(), (version, write));
    }
    violations
}

/// Every `/jobs/` key that exists at the end of the history. None is documented to stay.
fn leftovers(layout: &Layout) -> Vec<Violation> {
    let mut live: BTreeMap<&str, &Write> = BTreeMap::new();
    for write in &layout.job_keys {
        if write.value.is_some() {
            live.insert(write.key.as_str(), write);
        } else {
            live.remove(write.key.as_str());
        }
    }
    live.into_values()
        .map(|write| Violation {
            kind: ViolationKind::Leftover,
            key: write.key.clone(),
            subject: write.key.clone(),
            revisions: vec![write.revision],
            values: vec![write.value.as_deref().map(shown).unwrap_or_default()],
            detail: "still there at the end of the run".into(),
        })
        .collect()
}
