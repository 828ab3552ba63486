//! A watch that survives etcd going away: [`Follow`] reopens its stream after an error (an
//! etcd killed and restarted, a cluster member lost) from the first revision it has not
//! delivered yet, so no write is missed and none is delivered twice. Only a compaction past
//! that revision loses writes, and that is an error ([`FollowError`]).
//!
//! Reconnecting pauses between attempts (5 ms doubling to 200 ms): a retry policy, not a
//! wait for a condition. Callers bound the whole wait with their own deadlines.

use std::time::Duration;

use etcd_client::{Client, Event, GetOptions, WatchOptions, WatchStream};

/// First pause before reopening a watch; doubled up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const MAX_PAUSE: Duration = Duration::from_millis(200);

/// Which keys a [`Follow`] watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Every key with the prefix.
    Prefix,
    /// Every key (the prefix is ignored).
    All,
}

/// Writes lost for good.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the watch of `{key}` lost the writes from revision {from}: etcd compacted its history up \
     to revision {compacted}"
)]
pub struct FollowError {
    /// The watched key or prefix.
    pub key: String,
    /// The first revision not delivered.
    pub from: i64,
    /// etcd's compaction revision.
    pub compacted: i64,
}

/// A watch from a revision on, reopened after errors.
pub struct Follow {
    client: Client,
    key: Vec<u8>,
    range: Range,
    next: i64,
    stream: Option<WatchStream>,
}

impl std::fmt::Debug for Follow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follow")
            .field("key", &String::from_utf8_lossy(&self.key))
            .field("range", &self.range)
            .field("next", &self.next)
            .finish()
    }
}

impl Follow {
    /// Watches from `start` (inclusive). The first stream is opened now, so an etcd that
    /// cannot be reached at all is an error here.
    pub async fn from_revision(
        client: Client,
        key: impl Into<Vec<u8>>,
        range: Range,
        start: i64,
    ) -> Result<Self, etcd_client::Error> {
        let mut follow = Follow {
            client,
            key: key.into(),
            range,
            next: start,
            stream: None,
        };
        follow.stream = Some(follow.open().await?);
        Ok(follow)
    }

    /// Watches every write after etcd's current revision.
    pub async fn from_now(
        mut client: Client,
        key: impl Into<Vec<u8>>,
        range: Range,
    ) -> Result<Self, etcd_client::Error> {
        let answer = client
            .get(vec![0u8], Some(GetOptions::new().with_count_only()))
            .await?;
        let revision = answer.header().map_or(0, |h| h.revision());
        Self::from_revision(client, key, range, revision + 1).await
    }

    /// The first revision not delivered yet.
    pub fn next_revision(&self) -> i64 {
        self.next
    }

    /// The next batch of events (one watch response, never empty), reopening the stream as
    /// often as it takes.
    pub async fn next(&mut self) -> Result<Vec<Event>, FollowError> {
        let mut pause = FIRST_PAUSE;
        loop {
            let stream = match self.stream.as_mut() {
                Some(stream) => stream,
                None => match self.open().await {
                    Ok(stream) => self.stream.insert(stream),
                    Err(e) => {
                        tracing::debug!("reopening the watch of {:?}: {e}", self.key());
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(MAX_PAUSE);
                        continue;
                    }
                },
            };
            match stream.message().await {
                Ok(Some(response)) => {
                    if response.compact_revision() > 0 {
                        return Err(FollowError {
                            key: self.key(),
                            from: self.next,
                            compacted: response.compact_revision(),
                        });
                    }
                    if response.canceled() {
                        self.stream = None;
                        continue;
                    }
                    let events = response.events();
                    let Some(last) = events.iter().filter_map(Event::kv).next_back() else {
                        continue;
                    };
                    self.next = last.mod_revision() + 1;
                    return Ok(events.to_vec());
                }
                Ok(None) | Err(_) => {
                    self.stream = None;
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                }
            }
        }
    }

    async fn open(&mut self) -> Result<WatchStream, etcd_client::Error> {
        let options = WatchOptions::new().with_start_revision(self.next);
        let options = match self.range {
            Range::Prefix => options.with_prefix(),
            Range::All => options.with_all_keys(),
        };
        self.client.watch(self.key.clone(), Some(options)).await
    }

    fn key(&self) -> String {
        String::from_utf8_lossy(&self.key).into_owned()
    }
}
