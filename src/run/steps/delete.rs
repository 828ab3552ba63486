//! `delete`: remove a raw key or every key under a prefix.

use etcd_client::DeleteOptions;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::context::{FileContext, StepAction, StepContext, StepForm, etcd_error};
use crate::run::error::StepError;
use crate::scenario::{FieldError, check_key};

/// `action: delete`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteStep {
    /// The etcd key.
    pub key: String,
    /// Delete every key starting with `key`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prefix: bool,
}

/// A validated `delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delete {
    /// Key or prefix.
    pub key: String,
    /// Whether `key` is a prefix.
    pub prefix: bool,
}

impl StepForm for DeleteStep {
    type Step = Delete;

    fn validate(self, _: &FileContext<'_>) -> Result<Delete, FieldError> {
        check_key(&self.key)?;
        Ok(Delete {
            key: self.key,
            prefix: self.prefix,
        })
    }
}

impl StepAction for Delete {
    type Form = DeleteStep;

    fn to_file(&self) -> DeleteStep {
        DeleteStep {
            key: self.key.clone(),
            prefix: self.prefix,
        }
    }

    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError> {
        let options = self.prefix.then(|| DeleteOptions::new().with_prefix());
        ctx.client
            .clone()
            .delete(self.key.as_str(), options)
            .await
            .map_err(etcd_error(format!("delete {}", self.key)))?;
        Ok(())
    }
}
