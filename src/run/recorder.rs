//! The checkpoint recorder: every write since the run's start revision, taken from etcd's
//! revision history with a watch (never by polling), in revision order. The watch is a
//! [`Follow`]: it survives etcd being killed and restarted (fault steps) without missing or
//! repeating a write; only writes etcd compacted away end it.

use std::sync::{Arc, Mutex};

use etcd_client::{Client, EventType};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::etcd::{Follow, FollowError, Range};

/// One event of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The etcd revision of the event.
    pub revision: i64,
    /// The key.
    pub key: String,
    /// The new value; `None` for a delete.
    pub value: Option<Vec<u8>>,
}

/// A handle on the history being recorded.
#[derive(Debug)]
pub struct Recorder {
    history: Arc<Mutex<Vec<Write>>>,
    changed: watch::Receiver<usize>,
    failed: Arc<Mutex<Option<Arc<FollowError>>>>,
    start_revision: i64,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Starts watching every key from `start_revision` (inclusive).
    #[must_use = "the watch stops when the returned `Recorder` is dropped"]
    pub async fn start(client: Client, start_revision: i64) -> Result<Self, etcd_client::Error> {
        let mut stream =
            Follow::from_revision(client, vec![0u8], Range::All, start_revision).await?;
        let history = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(None));
        let (tx, changed) = watch::channel(0usize);
        let (sink, fail) = (history.clone(), failed.clone());
        let task = tokio::spawn(async move {
            loop {
                match stream.next().await {
                    Ok(events) => {
                        let mut history = sink.lock().expect("recorder lock");
                        for event in &events {
                            let Some(kv) = event.kv() else { continue };
                            history.push(Write {
                                revision: kv.mod_revision(),
                                key: String::from_utf8_lossy(kv.key()).into_owned(),
                                value: match event.event_type() {
                                    EventType::Put => Some(kv.value().to_vec()),
                                    EventType::Delete => None,
                                },
                            });
                        }
                        let len = history.len();
                        drop(history);
                        tx.send_replace(len);
                    }
                    Err(e) => {
                        *fail.lock().expect("recorder lock") = Some(Arc::new(e));
                        tx.send_replace(usize::MAX);
                        break;
                    }
                }
            }
        });
        Ok(Recorder {
            history,
            changed,
            failed,
            start_revision,
            task,
        })
    }

    /// A copy of the history so far.
    pub fn snapshot(&self) -> Vec<Write> {
        self.history.lock().expect("recorder lock").clone()
    }

    /// `f` of the history so far, without copying it (recording waits meanwhile).
    pub(crate) fn with_history<T>(&self, f: impl FnOnce(&[Write]) -> T) -> T {
        f(&self.history.lock().expect("recorder lock"))
    }

    /// A receiver that changes whenever a write is recorded.
    pub fn subscribe(&self) -> watch::Receiver<usize> {
        self.changed.clone()
    }

    /// The history once it holds every write up to `revision` (etcd's revision at some
    /// moment), or after `patience` if the watch lags that far behind.
    pub async fn caught_up(&self, revision: i64, patience: std::time::Duration) -> Vec<Write> {
        let mut changed = self.subscribe();
        loop {
            changed.borrow_and_update();
            let history = self.snapshot();
            let seen = history
                .last()
                .map_or(self.start_revision - 1, |w| w.revision);
            if seen >= revision || self.failure().is_some() {
                return history;
            }
            if tokio::time::timeout(patience, changed.changed())
                .await
                .is_err()
            {
                return history;
            }
        }
    }

    /// The history once `done` holds for it, woken by each recorded write; `Err` with the
    /// history so far when `within` passes first or the watch stops.
    pub async fn wait_for(
        &self,
        done: impl Fn(&[Write]) -> bool,
        within: std::time::Duration,
    ) -> Result<Vec<Write>, Vec<Write>> {
        let mut changed = self.subscribe();
        let waited = tokio::time::timeout(within, async {
            loop {
                changed.borrow_and_update();
                let history = self.snapshot();
                if done(&history) {
                    return Ok(history);
                }
                if self.failure().is_some() || changed.changed().await.is_err() {
                    return Err(history);
                }
            }
        })
        .await;
        waited.unwrap_or_else(|_| Err(self.snapshot()))
    }

    /// Why the watch stopped, if it did.
    pub fn failure(&self) -> Option<Arc<FollowError>> {
        self.failed.lock().expect("recorder lock").clone()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}
