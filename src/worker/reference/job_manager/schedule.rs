//! The job manager's view of unfinished jobs (ESI-SPEC §2.7): which resource each belongs
//! to, which jobs it still waits for, and what finishing a job promotes. Pure bookkeeping;
//! the etcd writes that mirror it are in `queue_store.rs`.

use std::collections::{BTreeMap, HashMap};

use super::pyorder;
use super::schema::ResourceKey;

/// One unfinished job.
#[derive(Debug, Clone)]
struct Pending {
    resource: ResourceKey,
    version: u64,
    /// Unfinished jobs it waits for (empty once it is ready).
    waiting_on: Vec<String>,
}

/// Unfinished jobs, in scheduling order, indexed by resource and by what each waits for, so
/// scheduling and finishing a job costs what it touches, not a scan of every unfinished job
/// (a flow of 10,000 resources keeps thousands queued).
#[derive(Debug, Default)]
pub(crate) struct Queue {
    /// Job id -> its scheduling sequence number and state.
    jobs: HashMap<String, (u64, Pending)>,
    /// Resource -> its unfinished jobs by sequence number.
    by_resource: HashMap<ResourceKey, BTreeMap<u64, String>>,
    /// Job -> the jobs that wait for it.
    dependants: HashMap<String, Vec<String>>,
    next: u64,
}

impl Queue {
    /// The `dependency` list of a new job: the unfinished jobs of `resources` (in the order
    /// given), de-duplicated and ordered as the recorded CPython 2.7 set iterated them.
    pub(crate) fn dependencies<'a>(
        &self,
        resources: impl IntoIterator<Item = &'a ResourceKey>,
    ) -> Vec<String> {
        let mut ids = vec![];
        for resource in resources {
            ids.extend(self.jobs_of(resource));
        }
        pyorder::ordered(&ids)
    }

    /// Unfinished jobs of `resource`, oldest first.
    pub(crate) fn jobs_of(&self, resource: &ResourceKey) -> Vec<String> {
        self.by_resource
            .get(resource)
            .map(|jobs| jobs.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The version of the newest unfinished job of `resource`.
    pub(crate) fn pending_version(&self, resource: &ResourceKey) -> Option<u64> {
        self.by_resource
            .get(resource)?
            .values()
            .filter_map(|id| self.jobs.get(id))
            .map(|(_, p)| p.version)
            .max()
    }

    /// Whether `id` still waits for a dependency.
    #[cfg(test)]
    pub(crate) fn is_waiting(&self, id: &str) -> bool {
        self.jobs
            .get(id)
            .is_some_and(|(_, p)| !p.waiting_on.is_empty())
    }

    /// Adds a scheduled job. Dependencies that are not unfinished jobs are dropped; returns
    /// whether it must wait.
    pub(crate) fn add(
        &mut self,
        id: &str,
        resource: ResourceKey,
        version: u64,
        dependency: &[String],
    ) -> bool {
        let waiting_on: Vec<String> = dependency
            .iter()
            .filter(|d| self.jobs.contains_key(*d))
            .cloned()
            .collect();
        for d in &waiting_on {
            self.dependants
                .entry(d.clone())
                .or_default()
                .push(id.to_string());
        }
        let waits = !waiting_on.is_empty();
        let seq = self.next;
        self.next += 1;
        self.by_resource
            .entry(resource.clone())
            .or_default()
            .insert(seq, id.to_string());
        self.jobs.insert(
            id.to_string(),
            (
                seq,
                Pending {
                    resource,
                    version,
                    waiting_on,
                },
            ),
        );
        waits
    }

    /// Marks `id` finished; returns the jobs that no longer wait, in scheduling order.
    pub(crate) fn finish(&mut self, id: &str) -> Vec<String> {
        let Some((seq, pending)) = self.jobs.remove(id) else {
            return vec![];
        };
        if let Some(jobs) = self.by_resource.get_mut(&pending.resource) {
            jobs.remove(&seq);
            if jobs.is_empty() {
                self.by_resource.remove(&pending.resource);
            }
        }
        let mut promoted = vec![];
        for other in self.dependants.remove(id).unwrap_or_default() {
            let Some((other_seq, pending)) = self.jobs.get_mut(&other) else {
                continue;
            };
            let before = pending.waiting_on.len();
            pending.waiting_on.retain(|d| d != id);
            if before > 0 && pending.waiting_on.is_empty() {
                promoted.push((*other_seq, other));
            }
        }
        promoted.sort();
        promoted.into_iter().map(|(_, id)| id).collect()
    }

    /// Number of unfinished jobs.
    pub(crate) fn len(&self) -> usize {
        self.jobs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(type_: &str, id: &str) -> ResourceKey {
        ResourceKey {
            type_: type_.into(),
            id: id.into(),
        }
    }

    #[test]
    fn dependants_wait_until_every_dependency_finished() {
        let mut q = Queue::default();
        let (vnf, conf, lb) = (
            key("vnf_instance", "v"),
            key("load_balancer_conf", "c"),
            key("load_balancer", "l"),
        );
        assert!(!q.add("pcx6h", vnf.clone(), 1, &[]));
        let deps = q.dependencies([&vnf]);
        assert!(q.add("ejvot", conf.clone(), 1, &deps));
        let deps = q.dependencies([&conf, &vnf, &key("vnf_template", "t")]);
        assert_eq!(deps.len(), 2);
        assert!(q.add("na8s9", lb, 1, &deps));
        assert_eq!(q.finish("pcx6h"), ["ejvot"]);
        assert!(q.is_waiting("na8s9"));
        assert_eq!(q.finish("ejvot"), ["na8s9"]);
        assert!(!q.is_waiting("na8s9"));
        assert_eq!(q.finish("unknown"), Vec::<String>::new());
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn finished_dependencies_are_not_listed() {
        let mut q = Queue::default();
        let net = key("network", "n");
        q.add("a", net.clone(), 1, &[]);
        q.finish("a");
        assert!(q.dependencies([&net]).is_empty());
        assert!(!q.add("b", key("port", "p"), 1, &["a".to_string()]));
        assert_eq!(q.pending_version(&key("port", "p")), Some(1));
    }
}
