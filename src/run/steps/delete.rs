//! `delete`: remove a raw key or every key under a prefix.

use etcd_client::DeleteOptions;

use super::{StepContext, etcd_error};
use crate::run::error::StepError;

pub(super) async fn apply(ctx: &StepContext<'_>, key: &str, prefix: bool) -> Result<(), StepError> {
    let options = prefix.then(|| DeleteOptions::new().with_prefix());
    ctx.client
        .clone()
        .delete(key, options)
        .await
        .map_err(etcd_error(format!("delete {key}")))?;
    Ok(())
}
