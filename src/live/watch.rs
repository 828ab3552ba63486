//! Watching a live etcd: the keyspace at the start, then every write from the next revision
//! until the recording is stopped, with no gap: a compaction, a lost watch or a watch behind
//! etcd at the stop is a [`LiveError`] naming the revisions lost.

use std::future::Future;
use std::time::Duration;

use etcd_client::{Client, EventType, GetOptions, WatchOptions, WatchResponse};

use super::LiveError;

/// How long the watch may take, after the stop, to deliver writes etcd already holds.
const CATCH_UP: Duration = Duration::from_secs(10);

/// Which keys a recording keeps.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Keys under any of these are recorded (`/`: all).
    pub watch: Vec<String>,
    /// Keys under any of these are not, even when watched.
    pub ignore: Vec<String>,
}

impl Scope {
    /// Whether `key` is recorded.
    pub(super) fn keeps(&self, key: &str) -> bool {
        self.watch.iter().any(|p| key.starts_with(p.as_str()))
            && !self.ignore.iter().any(|p| key.starts_with(p.as_str()))
    }
}

/// When a recording stops, besides the caller's own stop (Ctrl-C).
#[derive(Debug, Clone, Default)]
pub struct Until {
    /// etcd quiet for this long (no write at all).
    pub idle: Option<Duration>,
    /// A write of this key (the write itself is not recorded).
    pub key: Option<String>,
}

/// One write the watch saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Event {
    pub revision: i64,
    pub key: String,
    /// The value (lossy UTF-8); `None` for a delete.
    pub value: Option<String>,
}

/// What a recording saw.
#[derive(Debug, Clone)]
pub(super) struct History {
    /// `(key, value)` of every kept key at the start.
    pub initial: Vec<(String, String)>,
    /// The revision the keyspace was read at; the watch starts at the next.
    pub start: i64,
    /// The last revision at the stop.
    pub end: i64,
    /// Every kept write after `start`, in revision order.
    pub events: Vec<Event>,
}

/// Records `url` from its current revision until `stop` resolves or `until` says so.
pub(super) async fn record(
    url: &str,
    scope: &Scope,
    until: &Until,
    watching: impl FnOnce(i64),
    stop: impl Future<Output = ()>,
) -> Result<History, LiveError> {
    let connect = |source| LiveError::Connect {
        url: url.into(),
        source,
    };
    let mut client = Client::connect([url], None).await.map_err(connect)?;
    let initial_error = |source| LiveError::Initial {
        url: url.into(),
        source,
    };
    let all = Some(GetOptions::new().with_all_keys());
    let response = client.get(vec![0u8], all).await.map_err(initial_error)?;
    let start = response.header().map_or(0, |h| h.revision());
    let initial = response
        .kvs()
        .iter()
        .map(|kv| (text(kv.key()), text(kv.value())))
        .filter(|(k, _)| scope.keeps(k))
        .collect();
    watching(start);
    follow(&mut client, url, start, scope, until, stop)
        .await
        .map(|(events, end)| History {
            initial,
            start,
            end,
            events,
        })
}

/// Every kept write after revision `start`, and etcd's revision at the stop.
pub(super) async fn follow(
    client: &mut Client,
    url: &str,
    start: i64,
    scope: &Scope,
    until: &Until,
    stop: impl Future<Output = ()>,
) -> Result<(Vec<Event>, i64), LiveError> {
    let connect = |source| LiveError::Connect {
        url: url.into(),
        source,
    };
    let options = WatchOptions::new()
        .with_all_keys()
        .with_start_revision(start + 1);
    let mut stream = client
        .watch(vec![0u8], Some(options))
        .await
        .map_err(connect)?;
    let (mut events, mut seen) = (Vec::new(), start);
    tokio::pin!(stop);
    loop {
        let idle = async {
            match until.idle {
                Some(idle) => tokio::time::sleep(idle).await,
                None => std::future::pending().await,
            }
        };
        let message = tokio::select! {
            _ = &mut stop => break,
            _ = idle => break,
            message = stream.message() => message,
        };
        if accept(message, url, scope, until, &mut events, &mut seen)? {
            break;
        }
    }
    let current = client
        .get(vec![0u8], Some(GetOptions::new().with_count_only()))
        .await
        .map_err(|e| LiveError::Lost {
            url: url.into(),
            seen,
            why: e.to_string(),
        })?
        .header()
        .map_or(seen, |h| h.revision());
    // Writes etcd holds that the watch has not delivered yet: wait for them, bounded.
    let catch_up = async {
        while seen < current {
            accept(
                stream.message().await,
                url,
                scope,
                until,
                &mut events,
                &mut seen,
            )?;
        }
        Ok(())
    };
    match tokio::time::timeout(CATCH_UP, catch_up).await {
        Ok(result) => result?,
        Err(_) => {
            return Err(LiveError::Behind {
                url: url.into(),
                seen,
                current,
            });
        }
    }
    Ok((events, current))
}

/// Takes one watch message into `events`: whether it held the `until.key` write.
fn accept(
    message: Result<Option<WatchResponse>, etcd_client::Error>,
    url: &str,
    scope: &Scope,
    until: &Until,
    events: &mut Vec<Event>,
    seen: &mut i64,
) -> Result<bool, LiveError> {
    let lost = |why: String| LiveError::Lost {
        url: url.into(),
        seen: *seen,
        why,
    };
    let response = match message {
        Ok(Some(response)) => response,
        Ok(None) => return Err(lost("etcd closed the watch".into())),
        Err(e) => return Err(lost(e.to_string())),
    };
    if response.compact_revision() > 0 {
        return Err(LiveError::Compacted {
            from: *seen + 1,
            compacted: response.compact_revision(),
        });
    }
    if response.canceled() {
        return Err(lost(format!(
            "etcd cancelled it: {}",
            response.cancel_reason()
        )));
    }
    let mut sentinel = false;
    for event in response.events() {
        let Some(kv) = event.kv() else { continue };
        *seen = (*seen).max(kv.mod_revision());
        let key = text(kv.key());
        if until.key.as_deref() == Some(key.as_str()) {
            sentinel = true;
        } else if scope.keeps(&key) {
            events.push(Event {
                revision: kv.mod_revision(),
                key,
                value: (event.event_type() == EventType::Put).then(|| text(kv.value())),
            });
        }
    }
    Ok(sentinel)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
