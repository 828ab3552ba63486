//! `wait`: block until a key exists, matches a JSON subset, or is deleted (with `prefix`: until
//! some key under it exists, or none does). Wakes on every recorded write instead of polling;
//! on timeout says what etcd holds near the key.

use std::time::{Duration, Instant};

use etcd_client::{Client, GetOptions};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::context::{FileContext, StepAction, StepContext, StepForm, etcd_error};
use crate::run::checkpoints::contains;
use crate::run::error::{StepError, WaitTimeout};
use crate::scenario::{FieldError, check_key};

/// How many keys a timeout message lists.
const SHOWN_KEYS: usize = 10;
/// How much of each value a timeout message shows.
const SHOWN_BYTES: usize = 200;
/// Default deadline of a wait step.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// `action: wait`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitStep {
    /// The etcd key.
    pub key: String,
    /// Whether `key` is a prefix: `exists` waits for some key under it, `deleted` for none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prefix: bool,
    /// exists (default), matches or deleted.
    #[serde(default)]
    pub until: Until,
    /// For `matches`: a JSON subset the value must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// How long to wait (default 5s).
    #[serde(
        default,
        with = "crate::scenario::duration",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
}

/// The condition of a `wait` step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// The key exists.
    #[default]
    Exists,
    /// The key's JSON value contains `value`.
    Matches,
    /// The key is gone.
    Deleted,
}

/// A validated wait for a condition on a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    /// Key, or prefix.
    pub key: String,
    /// Whether `key` is a prefix (some key under it exists / none does).
    pub prefix: bool,
    /// Condition.
    pub condition: Condition,
    /// Deadline.
    pub timeout: Duration,
}

/// The condition of a wait step.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The key exists.
    Exists,
    /// The key's JSON value contains this subset.
    Matches(Value),
    /// The key is absent.
    Deleted,
}

impl StepForm for WaitStep {
    type Step = Wait;

    fn validate(self, _: &FileContext<'_>) -> Result<Wait, FieldError> {
        check_key(&self.key)?;
        let condition = match (self.until, self.value) {
            (Until::Matches, Some(v)) => Condition::Matches(v),
            (Until::Matches, None) => {
                return Err(FieldError::new(
                    ".value",
                    "`until: matches` needs a `value`",
                ));
            }
            (_, Some(_)) => {
                return Err(FieldError::new(
                    ".value",
                    "only `until: matches` takes a `value`",
                ));
            }
            (Until::Exists, None) => Condition::Exists,
            (Until::Deleted, None) => Condition::Deleted,
        };
        if self.prefix && matches!(condition, Condition::Matches(_)) {
            return Err(FieldError::new(
                ".prefix",
                "a prefix waits `until: exists` or `until: deleted`, not `matches`",
            ));
        }
        Ok(Wait {
            key: self.key,
            prefix: self.prefix,
            condition,
            timeout: self.timeout.unwrap_or(DEFAULT_WAIT),
        })
    }
}

impl StepAction for Wait {
    type Form = WaitStep;

    fn to_file(&self) -> WaitStep {
        let (until, value) = match &self.condition {
            Condition::Exists => (Until::Exists, None),
            Condition::Matches(v) => (Until::Matches, Some(v.clone())),
            Condition::Deleted => (Until::Deleted, None),
        };
        WaitStep {
            key: self.key.clone(),
            prefix: self.prefix,
            until,
            value,
            timeout: Some(self.timeout),
        }
    }

    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError> {
        apply(ctx, &self.key, self.prefix, &self.condition, self.timeout).await
    }
}

async fn apply(
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
