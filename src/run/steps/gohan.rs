//! `gohan`: write `/config/<path>` byte-for-byte as the recorded Gohan did (ESI-SPEC §1.3):
//! `{"body":"<Go-encoded resource>","marked_for_deletion":<bool>,"version":<n>}`, Go-encoded.
//! create writes version 1; update writes version + 1 with the new body; delete writes
//! version + 1 marked for deletion, keeping the last body unless a new one is given.

use etcd_client::{Compare, CompareOp, Txn, TxnOp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::context::{FileContext, StepAction, StepContext, StepForm, etcd_error};
use crate::encoding::go_json;
use crate::run::error::{ForeignValue, StepError};
use crate::scenario::FieldError;

/// `action: gohan`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GohanStep {
    /// create, update or delete.
    pub op: GohanOp,
    /// API path, e.g. `/v2.0/ports/<id>`.
    pub path: String,
    /// The resource body (required for create and update; delete keeps the last body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// What a Gohan step does to the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GohanOp {
    /// version 1, not marked for deletion.
    Create,
    /// version + 1 with the new body.
    Update,
    /// version + 1, marked for deletion.
    Delete,
}

impl GohanOp {
    /// The op as written in a scenario.
    pub fn as_str(self) -> &'static str {
        match self {
            GohanOp::Create => "create",
            GohanOp::Update => "update",
            GohanOp::Delete => "delete",
        }
    }
}

/// A validated Gohan write of `/config<path>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Gohan {
    /// create, update or delete.
    pub op: GohanOp,
    /// The `/config/...` key.
    pub key: String,
    /// The body; `None` only for delete (keeps the last body).
    pub body: Option<Value>,
}

impl StepForm for GohanStep {
    type Step = Gohan;

    fn validate(self, _: &FileContext<'_>) -> Result<Gohan, FieldError> {
        let GohanStep { op, path, body } = self;
        check_gohan_path(&path).map_err(|m| FieldError::new(".path", m))?;
        match &body {
            Some(Value::Object(_)) => {}
            Some(_) => return Err(FieldError::new(".body", "must be a mapping")),
            None if op != GohanOp::Delete => {
                return Err(FieldError::new(
                    ".body",
                    format!("is required for {}", op.as_str()),
                ));
            }
            None => {}
        }
        Ok(Gohan {
            op,
            key: format!("/config{path}"),
            body,
        })
    }
}

/// Gohan paths look like `/v2.0/ports/<id>`: at least a plural and an id after a prefix.
fn check_gohan_path(path: &str) -> Result<(), String> {
    let parts: Vec<&str> = path.split('/').collect();
    if !path.starts_with('/') || parts.len() < 4 || parts.iter().skip(1).any(|p| p.is_empty()) {
        return Err(format!(
            "`{path}` is not a resource path like `/v2.0/<plural>/<id>`"
        ));
    }
    Ok(())
}

impl StepAction for Gohan {
    type Form = GohanStep;

    fn to_file(&self) -> GohanStep {
        GohanStep {
            op: self.op,
            path: self
                .key
                .strip_prefix("/config")
                .unwrap_or(&self.key)
                .to_string(),
            body: self.body.clone(),
        }
    }

    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError> {
        apply(ctx, self.op, &self.key, self.body.as_ref()).await
    }
}

async fn apply(
    ctx: &StepContext<'_>,
    op: GohanOp,
    key: &str,
    body: Option<&Value>,
) -> Result<(), StepError> {
    let mut client = ctx.client.clone();
    let current = client
        .get(key, None)
        .await
        .map_err(etcd_error(format!("get {key}")))?;
    let current = current.kvs().first();
    let (value, compare) = match (op, current) {
        (GohanOp::Create, Some(_)) => return Err(StepError::Exists { key: key.into() }),
        (GohanOp::Create, None) => {
            let body = body.expect("validated: create has a body");
            (
                encode(body, false, 1),
                Compare::create_revision(key, CompareOp::Equal, 0),
            )
        }
        (GohanOp::Update | GohanOp::Delete, None) => {
            return Err(StepError::Absent {
                op: op.as_str(),
                key: key.into(),
            });
        }
        (op, Some(kv)) => {
            let (old_body, version) = stored(key, kv.value())?;
            let body = body.unwrap_or(&old_body);
            let value = encode(body, op == GohanOp::Delete, version + 1);
            (
                value,
                Compare::mod_revision(key, CompareOp::Equal, kv.mod_revision()),
            )
        }
    };
    let txn = Txn::new()
        .when([compare])
        .and_then([TxnOp::put(key, value, None)]);
    let response = client
        .txn(txn)
        .await
        .map_err(etcd_error(format!("txn put {key}")))?;
    if !response.succeeded() {
        return Err(StepError::Foreign {
            key: key.into(),
            problem: ForeignValue::Changed,
        });
    }
    Ok(())
}

/// The Gohan value for a body.
fn encode(body: &Value, marked_for_deletion: bool, version: u64) -> String {
    go_json(&json!({
        "body": go_json(body),
        "marked_for_deletion": marked_for_deletion,
        "version": version,
    }))
}

/// The body and version of a stored Gohan value.
fn stored(key: &str, raw: &[u8]) -> Result<(Value, u64), StepError> {
    let foreign = |problem: ForeignValue| StepError::Foreign {
        key: key.into(),
        problem,
    };
    let value: Value = serde_json::from_slice(raw).map_err(|_| foreign(ForeignValue::NotJson))?;
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| foreign(ForeignValue::NoVersion))?;
    let body = match value.get("body") {
        Some(Value::String(s)) => {
            serde_json::from_str(s).map_err(|_| foreign(ForeignValue::BodyNotJson))?
        }
        Some(body @ Value::Object(_)) => body.clone(),
        _ => return Err(foreign(ForeignValue::NoBody)),
    };
    Ok((body, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_recorded_gohan() {
        let body = json!({"name": "a<b", "id": "x"});
        assert_eq!(
            encode(&body, false, 1),
            r#"{"body":"{\"id\":\"x\",\"name\":\"a\\u003cb\"}","marked_for_deletion":false,"version":1}"#
        );
    }

    #[test]
    fn reads_back_body_and_version() {
        let raw = encode(&json!({"id": "x"}), true, 4);
        assert_eq!(
            stored("/k", raw.as_bytes()).unwrap(),
            (json!({"id": "x"}), 4)
        );
    }
}
