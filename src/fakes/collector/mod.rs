//! Fake collector agents: the targets REST API, the fake Heat's
//! `ESI::Monitoring::MonitoringTarget`, and the etcd syncer.
//!
//! - [`api`]: the REST responder; [`views`]: the JSON it answers.
//! - [`targets`]: the targets and the scenario's rules, shared by all three.
//! - [`hook`]: the MonitoringTarget resource hook; [`syncer`]: the `/monitoring` writes.

mod api;
mod errors;
mod hook;
mod syncer;
mod targets;
mod views;

use std::sync::Arc;

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
        }
    }

    /// Starts the etcd syncer.
    pub(super) async fn sync(&mut self, etcd: etcd_client::Client) -> Result<(), FakeError> {
        self.syncer = Some(syncer::start(etcd, self.targets.clone()).await?);
        Ok(())
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
