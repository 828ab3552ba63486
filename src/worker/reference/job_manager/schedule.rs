//! The job manager's view of unfinished jobs (ESI-SPEC §2.7): which resource each belongs
//! to, which jobs it still waits for, and what finishing a job promotes. Pure bookkeeping;
//! the etcd writes that mirror it are in `queue_store.rs`.

use std::collections::BTreeMap;

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

/// Unfinished jobs, in scheduling order.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    /// Scheduling sequence number -> job id.
    order: BTreeMap<u64, String>,
    jobs: BTreeMap<String, (u64, Pending)>,
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
        self.order
            .values()
            .filter(|id| self.jobs[*id].1.resource == *resource)
            .cloned()
            .collect()
    }

    /// The version of the newest unfinished job of `resource`.
    pub(crate) fn pending_version(&self, resource: &ResourceKey) -> Option<u64> {
        self.jobs
            .values()
            .filter(|(_, p)| p.resource == *resource)
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
        let waits = !waiting_on.is_empty();
        let seq = self.next;
        self.next += 1;
        self.order.insert(seq, id.to_string());
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
        let Some((seq, _)) = self.jobs.remove(id) else {
            return vec![];
        };
        self.order.remove(&seq);
        let mut promoted = vec![];
        for other in self.order.values() {
            let (_, pending) = self.jobs.get_mut(other).expect("order and jobs agree");
            let before = pending.waiting_on.len();
            pending.waiting_on.retain(|d| d != id);
            if before > 0 && pending.waiting_on.is_empty() {
                promoted.push(other.clone());
            }
        }
        promoted
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
