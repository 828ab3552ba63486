//! `put`: write a raw key, given as a value or as a file's bytes.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::context::{FileContext, StepAction, StepContext, StepForm, etcd_error};
use crate::run::error::StepError;
use crate::scenario::{FieldError, check_key};

/// The largest `put` file: etcd's default request size limit (1.5 MiB).
const MAX_PUT_FILE: u64 = 1536 * 1024;

/// `action: put`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PutStep {
    /// The etcd key.
    pub key: String,
    /// The value, stored as compact JSON (a YAML string is stored as it is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Or: a file whose bytes are stored, relative to the scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A validated `put`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// Key.
    pub key: String,
    /// Bytes to store.
    pub value: Vec<u8>,
}

impl StepForm for PutStep {
    type Step = Put;

    fn validate(self, files: &FileContext<'_>) -> Result<Put, FieldError> {
        check_key(&self.key)?;
        let value = match (self.value, self.file) {
            (Some(Value::String(s)), None) => s.into_bytes(),
            (Some(v), None) => v.to_string().into_bytes(),
            (None, Some(file)) => read_limited(&files.base.join(&file))
                .map_err(|message| FieldError::new(".file", message))?,
            _ => {
                return Err(FieldError::new(
                    "",
                    "give exactly one of `value` and `file`",
                ));
            }
        };
        Ok(Put {
            key: self.key,
            value,
        })
    }
}

impl StepAction for Put {
    type Form = PutStep;

    fn to_file(&self) -> PutStep {
        PutStep {
            key: self.key.clone(),
            value: Some(Value::String(
                String::from_utf8_lossy(&self.value).into_owned(),
            )),
            file: None,
        }
    }

    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError> {
        ctx.client
            .clone()
            .put(self.key.as_str(), self.value.as_slice(), None)
            .await
            .map_err(etcd_error(format!("put {}", self.key)))?;
        Ok(())
    }
}

/// A `put` file's bytes, at most [`MAX_PUT_FILE`] of them: a larger file (or an endless one
/// such as `/dev/zero`) is an error, never read whole.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(fail)?
        .take(MAX_PUT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_PUT_FILE {
        return Err(format!(
            "{}: larger than {MAX_PUT_FILE} bytes, etcd's default request limit",
            path.display()
        ));
    }
    Ok(bytes)
}
