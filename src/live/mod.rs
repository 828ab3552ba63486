//! `heatbed record --live`: record a golden flow from a running system. Watch its etcd from
//! the current revision while a person drives it, then build the scenario that replays it
//! with the importer's pieces (`docs::import`).

mod build;
mod error;
mod heat;
mod proxy;
mod watch;

use std::future::Future;

pub use build::Recording;
pub use error::LiveError;
pub use proxy::HeatProxy;
pub use watch::{Scope, Until};

/// The system's layout: every key is watched.
pub const WATCH: [&str; 1] = ["/"];

/// The system's layout: Gohan's own bookkeeping and the job manager's random id are not
/// part of a flow.
pub const IGNORE: [&str; 2] = ["/gohan/", "/job_manager_id"];

/// Records the etcd at `url` from its current revision until `stop` resolves or `until`
/// says so, and builds the scenario `flow` that replays it. `watching` is told the revision
/// the recording starts after. With a `proxy` the worker talked to Heat through, the heat
/// rules are what Heat answered it, and its journal (secrets redacted) is written too.
pub async fn record(
    url: &str,
    scope: &Scope,
    until: &Until,
    flow: &str,
    proxy: Option<&HeatProxy>,
    watching: impl FnOnce(i64),
    stop: impl Future<Output = ()>,
) -> Result<Recording, LiveError> {
    let history = watch::record(url, scope, until, watching, stop).await?;
    let journal = proxy.map(HeatProxy::journal);
    let mut recording = build::scenario(&history, flow, url, &scope.watch, journal.as_deref())?;
    if let Some(journal) = journal {
        let text = serde_json::to_string_pretty(&journal)
            .map_err(|e| LiveError::Serialize(e.to_string()))?;
        recording.files.push(crate::docs::Fixture {
            path: format!("recorded/{flow}/heat_journal.json").into(),
            content: text + "\n",
        });
    }
    Ok(recording)
}

#[cfg(test)]
mod tests;
