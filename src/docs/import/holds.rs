//! The holds an import scripts (`hold_until` of a heat rule) from the recorded dependencies.
//!
//! The job manager computes a job's `dependency` from the jobs still unfinished when it
//! processes the `/config` write. A recorded job D listing a job J therefore says: J's stack
//! had not completed when D was made. The replay cannot count on the timing: the fake Heat
//! completes J's stack after a few reads, maybe before D's write is processed. So J's stack
//! (at the generation J runs) is held in progress until D's job key exists. That only delays
//! J's completion; it never changes what a correct worker writes, and a worker that ignores
//! dependencies still shows (its D has no such dependency, or runs before J ends).
//!
//! A hold is scripted only when the scenario's steps can lift it: J and D written in the same
//! flow, J first, and no newer write to J's resource in between (the import waits for J's
//! report before such a write, which a held J would never give).

use std::collections::BTreeMap;

use serde_json::Value;

use super::build::gohan_writes;
use super::folder::Folder;

/// The job key globs each job's stack waits for, by the job's `(resource id, version)`.
pub(super) type Holds = BTreeMap<(String, u64), Vec<String>>;

/// The holds of the scenario replaying `flows`.
pub(super) fn holds(folder: &Folder, flows: &[String]) -> Holds {
    let mut holds = Holds::new();
    for flow in flows {
        let writes: Vec<(String, u64)> = gohan_writes(folder, flow)
            .into_iter()
            .map(|w| (last_segment(&w.key).to_string(), w.version))
            .collect();
        let jobs = folder.flows[flow]
            .iter()
            .flat_map(|d| &d.document.checkpoints)
            .filter(|c| c.key.starts_with("/jobs/all/"));
        for job in jobs {
            let Some((d, glob)) = job_of(&job.key, &job.value) else {
                continue;
            };
            let dependencies = job.value.get(1).and_then(|j| j.get("dependency"));
            for j in dependencies.and_then(Value::as_array).into_iter().flatten() {
                let Some(j) = j.as_str().and_then(dependency) else {
                    continue;
                };
                if liftable(&writes, &j, &d) {
                    let waits = holds.entry(j).or_default();
                    if !waits.contains(&glob) {
                        waits.push(glob.clone());
                    }
                }
            }
        }
    }
    holds
}

/// A recorded job: its `(resource id, version)` and the glob of its key (the random suffix
/// after the last `:` as `*`).
fn job_of(key: &str, value: &Value) -> Option<((String, u64), String)> {
    let job = value.get(1)?;
    let id = job.get("resource_id")?.as_str()?;
    let version = job.get("version")?.as_u64()?;
    let (prefix, _) = key.rsplit_once(':')?;
    Some(((id.to_string(), version), format!("{prefix}:*")))
}

/// `<action>:<handler>:<type>:<id>:<version>:<suffix>` -> `(id, version)`.
fn dependency(name: &str) -> Option<(String, u64)> {
    let mut fields = name.rsplitn(4, ':');
    let (_suffix, version, id) = (fields.next()?, fields.next()?, fields.next()?);
    fields.next()?;
    Some((id.to_string(), version.parse().ok()?))
}

/// Whether J's write comes before D's in the flow with no write to J's resource between.
fn liftable(writes: &[(String, u64)], j: &(String, u64), d: &(String, u64)) -> bool {
    let (Some(at_j), Some(at_d)) = (
        writes.iter().position(|w| w == j),
        writes.iter().position(|w| w == d),
    ) else {
        return false;
    };
    at_j < at_d && !writes[at_j + 1..=at_d].iter().any(|(id, _)| *id == j.0)
}

/// `/a/b/c` -> `c`.
pub(super) fn last_segment(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: &str, version: u64) -> (String, u64) {
        (id.to_string(), version)
    }

    #[test]
    fn dependencies_name_a_resource_version() {
        assert_eq!(
            dependency("create:heat_worker:vnf_instance:398d:1:pcx6h"),
            Some(w("398d", 1))
        );
        assert_eq!(dependency("398d:1:pcx6h"), None);
        assert_eq!(dependency("a:b:c:398d:x:pcx6h"), None);
    }

    #[test]
    fn a_hold_must_be_liftable_by_the_steps() {
        let writes = [w("j", 1), w("x", 1), w("d", 1), w("j", 2), w("e", 1)];
        assert!(liftable(&writes, &w("j", 1), &w("d", 1)));
        assert!(!liftable(&writes, &w("d", 1), &w("j", 1)));
        // The import waits for j v1's report before writing j v2, so before e.
        assert!(!liftable(&writes, &w("j", 1), &w("e", 1)));
        assert!(!liftable(&writes, &w("j", 1), &w("j", 2)));
        assert!(!liftable(&writes, &w("z", 1), &w("d", 1)));
    }

    #[test]
    fn job_keys_become_globs() {
        let value = serde_json::json!(["heat_worker", {"resource_id": "d", "version": 2}]);
        assert_eq!(
            job_of("/jobs/all/modify:heat_worker:t:d:2:abcde", &value),
            Some((
                w("d", 2),
                "/jobs/all/modify:heat_worker:t:d:2:*".to_string()
            ))
        );
    }
}
