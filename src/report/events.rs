//! The events of a run, in one order across sources: every etcd write (by revision) and every
//! call the fake Heat received, placed after the writes up to the etcd revision it arrived at
//! (read by the fake as the request came in, so the order is causal and does not depend on
//! timing: a write the caller finished before sending has at most that revision, a write made
//! after the answer a greater one). Calls that arrived at one revision keep the journal's order.

use crate::fakes::HeatCall;
use crate::run::{Captured, Outcome, Write};

/// A participant of the sequence diagram, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lane {
    /// The scenario's steps, as Gohan writes `/config`.
    Gohan,
    /// The etcd the run watches.
    Etcd,
    /// The job manager (`/jobs`).
    JobManager,
    /// The heat worker (`/esi-worker`, `/state`, Heat calls).
    Worker,
    /// The fake Heat.
    Heat,
    /// The fake collector agents (`/monitoring`).
    Collector,
}

impl Lane {
    /// Every lane, left to right.
    pub const ALL: [Lane; 6] = [
        Lane::Gohan,
        Lane::Etcd,
        Lane::JobManager,
        Lane::Worker,
        Lane::Heat,
        Lane::Collector,
    ];

    /// The lane's title.
    pub fn title(self) -> &'static str {
        match self {
            Lane::Gohan => "Gohan",
            Lane::Etcd => "etcd",
            Lane::JobManager => "job manager",
            Lane::Worker => "heat worker",
            Lane::Heat => "Heat",
            Lane::Collector => "collector agents",
        }
    }

    /// Who writes `key`, by the ESI key layout (ESI-SPEC §1): `/config` is Gohan's, `/jobs`
    /// the job manager's, `/monitoring` the collector's; the rest is the worker's.
    fn writer(key: &str) -> Lane {
        let top = key.trim_start_matches('/').split('/').next().unwrap_or("");
        match top {
            "config" => Lane::Gohan,
            "jobs" => Lane::JobManager,
            "monitoring" => Lane::Collector,
            _ => Lane::Worker,
        }
    }

    /// Position, 0 for the leftmost lane.
    pub fn index(self) -> usize {
        Lane::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

/// What an event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An etcd write (`value` `None` for a delete).
    Write {
        /// The write's etcd revision.
        revision: i64,
        /// The key.
        key: String,
        /// The value written.
        value: Option<String>,
    },
    /// A call to the fake Heat.
    Heat(HeatCall),
    /// What a Heat call did to the collector (a monitoring target created or deleted, as
    /// heat-engine's `POST`/`DELETE /targets`), at the call's revision.
    Hook {
        /// The revision of the call that set it off.
        revision: i64,
        /// What it did, in words.
        note: String,
    },
}

/// A checkpoint mark on an event: document and number, and whether it passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The checkpoint's document.
    pub document: String,
    /// Its number in the document.
    pub number: usize,
    /// Whether it passed.
    pub ok: bool,
}

/// One row of the diagram and of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// 1-based position in the merged order.
    pub seq: usize,
    /// The lane it starts from (who wrote or called).
    pub from: Lane,
    /// The lane it goes to (etcd, Heat, the collector).
    pub to: Lane,
    /// What happened.
    pub source: Source,
    /// The checkpoints that name this event.
    pub marks: Vec<Mark>,
}

impl Event {
    /// The arrow's label: `PUT key (rev N)`, `DELETE key (rev N)`, `METHOD path → status`.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Write {
                revision,
                key,
                value,
            } => {
                let verb = if value.is_some() { "PUT" } else { "DELETE" };
                format!("{verb} {key} (rev {revision})")
            }
            Source::Heat(call) => format!("{} {} → {}", call.method, call.path, call.status),
            Source::Hook { note, .. } => note.clone(),
        }
    }

    /// The kind of resource: the key without its last segment, or the stack a Heat path
    /// names (e.g. `/state/v2.0/loadbalancer`, `stacks/lb`).
    pub fn resource(&self) -> String {
        match &self.source {
            Source::Write { key, .. } => {
                let parts: Vec<&str> = key.split('/').collect();
                match parts.len() {
                    0..=3 => key.clone(),
                    n => parts[..n - 1].join("/"),
                }
            }
            Source::Hook { .. } => "hooks".to_string(),
            Source::Heat(call) => {
                let path = call.path.split('?').next().unwrap_or("");
                let mut parts = path.split('/').skip_while(|p| *p != "stacks");
                match (parts.next(), parts.next()) {
                    (Some(stacks), Some(name)) => format!("{stacks}/{name}"),
                    (Some(stacks), None) => stacks.to_string(),
                    _ => path.to_string(),
                }
            }
        }
    }

    /// The value or body, as text.
    pub fn detail(&self) -> String {
        match &self.source {
            Source::Write { value, .. } => value.clone().unwrap_or_default(),
            Source::Heat(call) => match call.body() {
                serde_json::Value::Null => String::new(),
                body => serde_json::to_string_pretty(&body).unwrap_or_default(),
            },
            Source::Hook { .. } => String::new(),
        }
    }
}

/// The run's events in order, each checkpoint marked on the event it captured; `ok` tells
/// whether a checkpoint passed.
pub fn events(outcome: &Outcome, ok: impl Fn(&Captured) -> bool) -> Vec<Event> {
    let writes = outcome.history.iter().map(write_event);
    // Each call, then what its hooks did to the collector.
    let calls = outcome.heat_calls.iter().flat_map(|c| {
        let hooks = c.hooks.iter().map(|note| Source::Hook {
            revision: c.revision,
            note: note.clone(),
        });
        std::iter::once(Source::Heat(c.clone()))
            .chain(hooks)
            .map(|source| Event {
                seq: 0,
                from: if matches!(source, Source::Heat(_)) {
                    Lane::Worker
                } else {
                    Lane::Heat
                },
                to: if matches!(source, Source::Heat(_)) {
                    Lane::Heat
                } else {
                    Lane::Collector
                },
                source,
                marks: Vec::new(),
            })
    });
    // (revision, writes before calls, arrival): a stable, deterministic order.
    let mut all: Vec<(i64, u8, usize, Event)> = writes
        .enumerate()
        .map(|(i, e)| (revision_of(&e), 0, i, e))
        .chain(calls.enumerate().map(|(i, e)| (revision_of(&e), 1, i, e)))
        .collect();
    all.sort_by_key(|(revision, kind, i, _)| (*revision, *kind, *i));
    let mut events: Vec<Event> = all
        .into_iter()
        .enumerate()
        .map(|(i, (.., e))| Event { seq: i + 1, ..e })
        .collect();
    mark(&mut events, &outcome.checkpoints, ok);
    events
}

fn write_event(w: &Write) -> Event {
    let from = Lane::writer(&w.key);
    Event {
        seq: 0,
        from,
        to: Lane::Etcd,
        source: Source::Write {
            revision: w.revision,
            key: w.key.clone(),
            value: w
                .value
                .as_ref()
                .map(|v| String::from_utf8_lossy(v).into_owned()),
        },
        marks: Vec::new(),
    }
}

fn revision_of(event: &Event) -> i64 {
    match &event.source {
        Source::Write { revision, .. } => *revision,
        Source::Heat(call) => call.revision,
        Source::Hook { revision, .. } => *revision,
    }
}

/// Marks each checkpoint on its event: a write by revision and key; a Heat call (revision
/// 0) on the next call of the same `METHOD path` after the document's previous one.
fn mark(events: &mut [Event], checkpoints: &[Captured], ok: impl Fn(&Captured) -> bool) {
    let mut after: Vec<(String, usize)> = Vec::new();
    for c in checkpoints {
        let found = if c.revision > 0 {
            events.iter().position(|e| {
                matches!(&e.source, Source::Write { revision, key, .. }
                    if *revision == c.revision && *key == c.key)
            })
        } else {
            let start = after
                .iter()
                .find(|(d, _)| *d == c.document)
                .map_or(0, |(_, i)| i + 1);
            let at = events.iter().skip(start).position(|e| {
                matches!(&e.source, Source::Heat(call)
                    if format!("{} {}", call.method, call.path) == c.key)
            });
            let at = at.map(|i| i + start);
            if let Some(i) = at {
                after.retain(|(d, _)| *d != c.document);
                after.push((c.document.clone(), i));
            }
            at
        };
        if let Some(i) = found {
            events[i].marks.push(Mark {
                document: c.document.clone(),
                number: c.number,
                ok: ok(c),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(revision: i64, key: &str) -> Write {
        Write {
            revision,
            key: key.into(),
            value: Some(b"{}".to_vec()),
        }
    }

    fn call(revision: i64, path: &str) -> HeatCall {
        let mut call = HeatCall::new("POST".into(), path.into(), b"");
        call.status = 201;
        call.revision = revision;
        call
    }

    fn captured(document: &str, number: usize, key: &str, revision: i64) -> Captured {
        Captured {
            document: document.into(),
            title: String::new(),
            number,
            key: key.into(),
            revision,
            text: String::new(),
            unredacted: String::new(),
        }
    }

    #[test]
    fn calls_sit_after_the_writes_up_to_their_revision_and_checkpoints_are_marked() {
        let outcome = Outcome {
            checkpoints: vec![
                captured("d", 1, "/jobs/all/1", 3),
                captured("h", 1, "POST /v1/p/stacks", 0),
                captured("h", 2, "POST /v1/p/stacks", 0),
            ],
            missing: Vec::new(),
            keyspace: None,
            invariants: None,
            worker_log: String::new(),
            history: vec![
                write(2, "/config/v2.0/lb/1"),
                write(3, "/jobs/all/1"),
                write(4, "/monitoring/v2.0/lb/1"),
            ],
            heat_calls: vec![call(3, "/v1/p/stacks"), {
                let mut hooked = call(3, "/v1/p/stacks");
                hooked.hooks = vec!["created T id (r)".into()];
                hooked
            }],
            elapsed: std::time::Duration::ZERO,
        };
        let events = events(&outcome, |c| c.number == 1);
        let order: Vec<(usize, Lane, Lane)> =
            events.iter().map(|e| (e.seq, e.from, e.to)).collect();
        assert_eq!(
            order,
            [
                (1, Lane::Gohan, Lane::Etcd),
                (2, Lane::JobManager, Lane::Etcd),
                (3, Lane::Worker, Lane::Heat),
                (4, Lane::Worker, Lane::Heat),
                (5, Lane::Heat, Lane::Collector),
                (6, Lane::Collector, Lane::Etcd),
            ]
        );
        let marks: Vec<(usize, usize, bool)> = events
            .iter()
            .flat_map(|e| e.marks.iter().map(move |m| (e.seq, m.number, m.ok)))
            .collect();
        assert_eq!(marks, [(2, 1, true), (3, 1, true), (4, 2, false)]);
        assert_eq!(events[0].label(), "PUT /config/v2.0/lb/1 (rev 2)");
        assert_eq!(events[0].resource(), "/config/v2.0/lb");
        assert_eq!(events[2].label(), "POST /v1/p/stacks → 201");
        assert_eq!(events[2].resource(), "stacks");
        assert_eq!(events[4].label(), "created T id (r)");
    }
}
