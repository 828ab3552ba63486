//! `put`: write a raw key.

use super::{StepContext, etcd_error};
use crate::run::error::StepError;

pub(super) async fn apply(ctx: &StepContext<'_>, key: &str, value: &[u8]) -> Result<(), StepError> {
    ctx.client
        .clone()
        .put(key, value, None)
        .await
        .map_err(etcd_error(format!("put {key}")))?;
    Ok(())
}
