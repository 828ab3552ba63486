//! Fake collector agents: the targets REST API, the fake Heat's
//! `ESI::Monitoring::MonitoringTarget`, and the etcd syncer.
//!
//! - [`api`]: the REST responder; [`views`]: the JSON it answers.
//! - [`targets`]: the targets and the scenario's rules, shared by all three; [`input`]: what
//!   a target is made of.
//! - [`hook`]: the MonitoringTarget resource hook; [`syncer`]: the `/monitoring` writes,
//!   with [`hold`] (hold options) and [`shared`] (several targets on one key).
//!
//! Status values are strings (`UP`, `FAIL`) or JSON objects (an HA pair's
//! `{"primary": "MASTER", "secondary": "BACKUP"}`), written as the value of the target's
//! status key: `{"status":{"primary":"MASTER","secondary":"BACKUP"},"version":1}`.
//! [`CollectorFake::settled`] tells the runner when every due report is in etcd.

mod api;
mod errors;
mod hold;
mod hook;
mod input;
mod shared;
mod syncer;
mod targets;
mod views;

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer};

pub use errors::FakeError;
pub(super) use hook::MONITORING_TARGET;

use super::ResourceHook;
use crate::scenario::CollectorSpec;

/// The running collector fake.
pub(super) struct CollectorFake {
    pub(super) server: MockServer,
    targets: targets::Targets,
    syncer: Option<JoinHandle<()>>,
    /// The syncer's etcd, once it runs.
    etcd: Option<etcd_client::Client>,
}

impl CollectorFake {
    /// Starts the REST API; targets report nothing to etcd until [`Self::sync`].
    pub(super) async fn start(spec: &CollectorSpec) -> CollectorFake {
        let targets = targets::Targets::new(spec);
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(path_regex("^/targets(/[^/]*)?/?$"))
            .respond_with(api::CollectorApi {
                targets: targets.clone(),
            })
            .named("collector: targets API")
            .mount(&server)
            .await;
        super::unknown::mount_catch_all(&server, "collector").await;
        CollectorFake {
            server,
            targets,
            syncer: None,
            etcd: None,
        }
    }

    /// Starts the etcd syncer.
    pub(super) async fn sync(&mut self, etcd: etcd_client::Client) -> Result<(), FakeError> {
        self.syncer = Some(syncer::start(etcd.clone(), self.targets.clone()).await?);
        self.etcd = Some(etcd);
        Ok(())
    }

    /// Waits until the collector has settled: every target whose reports are due (its
    /// resource's `/state` reached its version) has all of them in etcd, and the syncer has
    /// handled every target creation and deletion (so a deleted target's key is gone). Wakes
    /// on the syncer's progress, never on a timer; after `within`, fails naming the targets
    /// still pending. Settled at once when the syncer is off.
    pub(super) async fn settled(&self, within: Duration) -> Result<(), FakeError> {
        let Some(etcd) = &self.etcd else {
            return Ok(());
        };
        let mut progress = self.targets.progress();
        let wait = async {
            loop {
                progress.borrow_and_update();
                let states = syncer::states(etcd.clone()).await?;
                if self.targets.pending(&states).is_empty() {
                    return Ok(());
                }
                if progress.changed().await.is_err() {
                    // The sender lives in `self.targets`: it cannot be gone while we borrow.
                    return Ok(());
                }
            }
        };
        if let Ok(settled) = tokio::time::timeout(within, wait).await {
            return settled;
        }
        let pending = self.targets.pending(&syncer::states(etcd.clone()).await?);
        if pending.is_empty() {
            return Ok(());
        }
        Err(FakeError::Unsettled {
            waited: within,
            pending,
        })
    }

    /// Takes the agents down (the REST API answers 503, no `/monitoring` write or delete
    /// until up) or brings them up; reports due meanwhile are written then, in order.
    pub(super) fn set_up(&self, up: bool) {
        self.targets.set_up(up);
    }

    /// The hook the fake Heat calls for MonitoringTarget resources.
    pub(super) fn hook(&self) -> Arc<dyn ResourceHook> {
        Arc::new(hook::MonitoringTargetHook {
            targets: self.targets.clone(),
        })
    }
}

impl Drop for CollectorFake {
    fn drop(&mut self) {
        if let Some(syncer) = self.syncer.take() {
            syncer.abort();
        }
    }
}
