//! Holds (`hold_until` of a stack rule): a stack operation stays `*_IN_PROGRESS` until given
//! keys have been written to etcd.
//!
//! [`Written`] is what the fake knows of etcd: which of the scenario's hold patterns some
//! written key has matched. A watch task ([`watch`]) feeds it, started with the fakes'
//! etcd client before the worker runs: it reads the keys already there, then follows every
//! put from the next revision on, so no write is missed and nothing sleeps. Without an etcd
//! client (fakes started unsynced) nothing is ever written and a hold never lifts. A pattern,
//! once matched, stays matched: the condition is that the key *has appeared*.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use etcd_client::{Client, EventType, GetOptions};
use tokio::task::JoinHandle;

use crate::etcd::{Follow, Range};
use crate::fakes::FakeError;
use crate::scenario::glob;

/// The hold patterns of a scenario and those some written key matched.
#[derive(Debug, Default)]
pub(super) struct Written {
    patterns: Vec<String>,
    matched: Mutex<BTreeSet<usize>>,
}

impl Written {
    /// Tracks `patterns` (keys or globs), none matched yet.
    pub(super) fn new(patterns: impl IntoIterator<Item = String>) -> Written {
        let mut unique: Vec<String> = Vec::new();
        for p in patterns {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        Written {
            patterns: unique,
            matched: Mutex::default(),
        }
    }

    /// Notes that `key` was written.
    pub(super) fn put(&self, key: &[u8]) {
        let mut matched = self.matched.lock().unwrap_or_else(PoisonError::into_inner);
        for (i, p) in self.patterns.iter().enumerate() {
            if !matched.contains(&i) && glob(p.as_bytes(), key) {
                matched.insert(i);
            }
        }
    }

    /// Those of `patterns` no written key has matched yet.
    pub(super) fn missing<'a>(&self, patterns: &'a [String]) -> Vec<&'a str> {
        let matched = self.matched.lock().unwrap_or_else(PoisonError::into_inner);
        patterns
            .iter()
            .filter(|p| {
                !self
                    .patterns
                    .iter()
                    .position(|q| q == *p)
                    .is_some_and(|i| matched.contains(&i))
            })
            .map(String::as_str)
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// A stack operation's hold: the keys it waits for, and where to look them up.
#[derive(Debug, Clone)]
pub(super) struct Hold {
    pub(super) keys: Vec<String>,
    pub(super) written: Arc<Written>,
}

impl Hold {
    /// Whether every key has been written.
    pub(super) fn lifted(&self) -> bool {
        self.written.missing(&self.keys).is_empty()
    }
}

/// A stack the fake holds in progress, as run errors name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldStack {
    /// The stack's name.
    pub stack: String,
    /// Its status, e.g. `CREATE_IN_PROGRESS`.
    pub status: String,
    /// The keys or globs not written yet.
    pub waiting_for: Vec<String>,
}

impl std::fmt::Display for HeldStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<String> = self.waiting_for.iter().map(|k| format!("`{k}`")).collect();
        write!(
            f,
            "stack `{}` held {} (heat hold_until) until etcd has {}",
            self.stack,
            self.status,
            keys.join(", ")
        )
    }
}

/// Starts feeding `written` from etcd: the keys there now, then every put. `None` when no
/// rule holds anything.
pub(super) async fn watch(
    mut client: Client,
    written: Arc<Written>,
) -> Result<Option<JoinHandle<()>>, FakeError> {
    if written.is_empty() {
        return Ok(None);
    }
    let fail = |source| FakeError::HeatHoldWatch { source };
    let now = client
        .get("", Some(GetOptions::new().with_all_keys().with_keys_only()))
        .await
        .map_err(fail)?;
    for kv in now.kvs() {
        written.put(kv.key());
    }
    let revision = now.header().map_or(0, |h| h.revision());
    // A watch that survives etcd restarts (fault steps).
    let mut stream = Follow::from_revision(client, vec![0u8], Range::All, revision + 1)
        .await
        .map_err(fail)?;
    Ok(Some(tokio::spawn(async move {
        loop {
            match stream.next().await {
                Ok(events) => events
                    .iter()
                    .filter(|e| e.event_type() == EventType::Put)
                    .filter_map(|e| e.kv())
                    .for_each(|kv| written.put(kv.key())),
                Err(e) => {
                    eprintln!("heatbed: fake heat: the etcd watch for hold_until failed: {e}");
                    return;
                }
            }
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_once_matched_stays_matched() {
        let written = Written::new(["/jobs/a:*".to_string(), "/b".to_string()]);
        let keys = vec!["/jobs/a:*".to_string(), "/b".to_string()];
        assert_eq!(written.missing(&keys), ["/jobs/a:*", "/b"]);
        written.put(b"/jobs/a:1:xyz");
        assert_eq!(written.missing(&keys), ["/b"]);
        written.put(b"/bc");
        assert_eq!(written.missing(&keys), ["/b"]);
        written.put(b"/b");
        assert!(written.missing(&keys).is_empty());
    }

    #[test]
    fn an_unknown_pattern_is_never_met() {
        let written = Written::new(["/a".to_string()]);
        written.put(b"/a");
        assert_eq!(written.missing(&["/z".to_string()]), ["/z"]);
    }
}
