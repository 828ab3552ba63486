//! `wait`: block until a key exists, matches a JSON subset, or is deleted (with `prefix`: until
//! some key under it exists, or none does). Wakes on every recorded write instead of polling;
//! on timeout says what etcd holds near the key.

use std::time::{Duration, Instant};

use etcd_client::{Client, GetOptions};
use serde_json::Value;

use super::{StepContext, etcd_error};
use crate::run::checkpoints::contains;
use crate::run::error::{StepError, WaitTimeout};
use crate::scenario::Condition;

/// How many keys a timeout message lists.
const SHOWN_KEYS: usize = 10;
/// How much of each value a timeout message shows.
const SHOWN_BYTES: usize = 200;

pub(super) async fn apply(
    ctx: &StepContext<'_>,
    key: &str,
    prefix: bool,
    condition: &Condition,
    timeout: Duration,
) -> Result<(), StepError> {
    let started = Instant::now();
    let mut changed = ctx.recorder.subscribe();
    let mut client = ctx.client.clone();
    let options = prefix.then(|| GetOptions::new().with_prefix().with_limit(1));
    loop {
        changed.borrow_and_update();
        let current = client
            .get(key, options.clone())
            .await
            .map_err(etcd_error(format!("get {key}")))?
            .kvs()
            .first()
            .map(|kv| kv.value().to_vec());
        if holds(condition, current.as_deref()) {
            return Ok(());
        }
        let left = timeout.saturating_sub(started.elapsed());
        let woke = tokio::time::timeout(left, changed.changed()).await;
        if !matches!(woke, Ok(Ok(()))) {
            return Err(timed_out(&mut client, key, condition, current, started.elapsed()).await);
        }
    }
}

fn holds(condition: &Condition, current: Option<&[u8]>) -> bool {
    match (condition, current) {
        (Condition::Exists, Some(_)) | (Condition::Deleted, None) => true,
        (Condition::Matches(subset), Some(raw)) => {
            serde_json::from_slice::<Value>(raw).is_ok_and(|v| contains(&v, subset))
        }
        _ => false,
    }
}

async fn timed_out(
    client: &mut Client,
    key: &str,
    condition: &Condition,
    current: Option<Vec<u8>>,
    waited: Duration,
) -> StepError {
    let expected = match condition {
        Condition::Exists => "exist".to_string(),
        Condition::Deleted => "be deleted".to_string(),
        Condition::Matches(v) => format!("contain {v}"),
    };
    let actual = match current {
        None => "does not exist".to_string(),
        Some(v) => format!("holds {}", shorten(&v)),
    };
    let (prefix, holdings) = nearest_prefix(client, key).await;
    StepError::WaitTimeout(Box::new(WaitTimeout {
        key: key.into(),
        expected,
        actual,
        waited,
        prefix,
        holdings,
    }))
}

/// The longest `/`-prefix of `key` under which etcd has keys, and those keys.
async fn nearest_prefix(client: &mut Client, key: &str) -> (String, String) {
    let mut prefix = key.to_string();
    loop {
        prefix = match prefix.trim_end_matches('/').rfind('/') {
            Some(i) => prefix[..=i].to_string(),
            None => String::new(),
        };
        let options = GetOptions::new()
            .with_prefix()
            .with_limit(SHOWN_KEYS as i64 + 1);
        let scan = if prefix.is_empty() {
            client
                .get(
                    vec![0u8],
                    Some(
                        GetOptions::new()
                            .with_from_key()
                            .with_limit(SHOWN_KEYS as i64 + 1),
                    ),
                )
                .await
        } else {
            client.get(prefix.as_str(), Some(options)).await
        };
        let kvs = match scan {
            Ok(r) => r.kvs().to_vec(),
            Err(e) => return (prefix, format!("  (cannot read: {e})")),
        };
        if !kvs.is_empty() || prefix.is_empty() {
            let mut lines: Vec<String> = kvs
                .iter()
                .take(SHOWN_KEYS)
                .map(|kv| {
                    format!(
                        "  {} = {}",
                        String::from_utf8_lossy(kv.key()),
                        shorten(kv.value())
                    )
                })
                .collect();
            if kvs.len() > SHOWN_KEYS {
                lines.push("  ...".into());
            }
            if lines.is_empty() {
                lines.push("  (nothing: etcd is empty)".into());
            }
            let shown = if prefix.is_empty() {
                "/".to_string()
            } else {
                prefix
            };
            return (shown, lines.join("\n"));
        }
    }
}

fn shorten(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    if text.len() > SHOWN_BYTES {
        let cut = (0..=SHOWN_BYTES)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}...", &text[..cut])
    } else {
        text.into_owned()
    }
}
