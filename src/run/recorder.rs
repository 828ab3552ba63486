//! The checkpoint recorder: every write since the run's start revision, taken from etcd's
//! revision history with a watch (never by polling), in revision order.

use std::sync::{Arc, Mutex};

use etcd_client::{Client, EventType, WatchOptions};
use tokio::sync::watch;
use tokio::task::JoinHandle;

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
    failed: Arc<Mutex<Option<String>>>,
    start_revision: i64,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Starts watching every key from `start_revision` (inclusive).
    pub async fn start(
        mut client: Client,
        start_revision: i64,
    ) -> Result<Self, etcd_client::Error> {
        let options = WatchOptions::new()
            .with_all_keys()
            .with_start_revision(start_revision);
        let mut stream = client.watch(vec![0u8], Some(options)).await?;
        let history = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(None));
        let (tx, changed) = watch::channel(0usize);
        let (sink, fail) = (history.clone(), failed.clone());
        let task = tokio::spawn(async move {
            loop {
                match stream.message().await {
                    Ok(Some(response)) => {
                        let mut history = sink.lock().expect("recorder lock");
                        for event in response.events() {
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
                    Ok(None) => break,
                    Err(e) => {
                        *fail.lock().expect("recorder lock") = Some(e.to_string());
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

    /// Why the watch stopped, if it did.
    pub fn failure(&self) -> Option<String> {
        self.failed.lock().expect("recorder lock").clone()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}
