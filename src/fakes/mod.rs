//! The fakes of the services a worker talks to, one module per service, each on its own
//! server on loopback (Heat on its own hyper server, Keystone and the collector on wiremock).

mod collector;
mod heat;
mod keystone;
pub(crate) mod loopback;
mod outage;
mod unknown;

use wiremock::MockServer;

pub use collector::FakeError;
pub use heat::{HeatCall, HeldStack, ResourceEvent, ResourceHook};
pub use outage::{Outage, OutageKind};

use crate::scenario::{CollectorSpec, HeatSpec};

/// Credentials the fake Keystone accepts.
pub const USERNAME: &str = "admin";
/// Password of [`USERNAME`].
pub const PASSWORD: &str = "heatbed";
/// The user and project domain.
pub const DOMAIN: &str = "Default";

/// The running fakes of one scenario.
pub struct Fakes {
    keystone: MockServer,
    heat: heat::HeatFake,
    collector: collector::CollectorFake,
    project_id: String,
}

impl Fakes {
    /// Starts every fake with a scenario's settings; the collector's etcd syncer stays off
    /// (no `/monitoring` writes). See [`Fakes::start_synced`].
    #[must_use = "the fakes stop when the returned `Fakes` is dropped"]
    pub async fn start(heat_spec: &HeatSpec, collector_spec: &CollectorSpec) -> Self {
        let tokens = keystone::Tokens::default();
        let (heat, collector) = tokio::join!(
            heat::HeatFake::start(heat_spec, &collector_spec.public_url, tokens.clone()),
            collector::CollectorFake::start(collector_spec)
        );
        heat.set_hook(collector::MONITORING_TARGET, collector.hook());
        let heat_url = format!("{}/v1/{}", heat.uri(), heat_spec.project_id);
        let keystone = keystone::start(&heat_spec.project_id, heat_url, tokens).await;
        Fakes {
            keystone,
            heat,
            collector,
            project_id: heat_spec.project_id.clone(),
        }
    }

    /// Starts every fake, the collector's etcd syncer writing to the scenario's etcd and the
    /// fake Heat following it for its `hold_until` rules.
    #[must_use = "the fakes stop when the returned `Fakes` is dropped"]
    pub async fn start_synced(
        heat_spec: &HeatSpec,
        collector_spec: &CollectorSpec,
        etcd: etcd_client::Client,
    ) -> Result<Self, FakeError> {
        let mut fakes = Self::start(heat_spec, collector_spec).await;
        fakes.heat.observe(etcd.clone());
        fakes.heat.watch(etcd.clone()).await?;
        fakes.collector.sync(etcd).await?;
        Ok(fakes)
    }

    /// The stacks the fake Heat holds in progress now (`hold_until` not met), for errors.
    pub fn held_stacks(&self) -> Vec<HeldStack> {
        self.heat.held()
    }

    /// Keystone v3, e.g. `http://127.0.0.1:PORT/v3`.
    pub fn auth_url(&self) -> String {
        format!("{}/v3", self.keystone.uri())
    }

    /// Heat's orchestration endpoint for the project.
    pub fn heat_url(&self) -> String {
        format!("{}/v1/{}", self.heat.uri(), self.project_id)
    }

    /// Every call the fake Heat received so far, in order.
    pub fn heat_journal(&self) -> Vec<HeatCall> {
        self.heat.journal()
    }

    /// Waits, at most `within`, until the collector agents have settled: every target whose
    /// reports are due (its resource's `/state` was written at its version) has written all
    /// of its scripted reports to etcd. Event-driven; the error names the pending targets.
    pub async fn collector_settled(&self, within: std::time::Duration) -> Result<(), FakeError> {
        self.collector.settled(within).await
    }

    /// Starts an outage of the fake Heat (fault step): the next requests (all of them
    /// until [`Fakes::heat_recover`] when `outage.requests` is `None`) get the outage.
    pub fn heat_outage(&self, outage: Outage) {
        self.heat.outage(outage);
    }

    /// Ends the fake Heat's outage under way.
    pub fn heat_recover(&self) {
        self.heat.recover();
    }

    /// Takes the collector agents down (fault step; `false`) or brings them up.
    pub fn collector_up(&self, up: bool) {
        self.collector.set_up(up);
    }

    /// The collector agents' REST API.
    pub fn collector_url(&self) -> String {
        self.collector.server.uri()
    }

    /// The project the fake Keystone scopes tokens to.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }
}

impl std::fmt::Debug for Fakes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fakes")
            .field("keystone", &self.keystone.uri())
            .field("heat", &self.heat.uri())
            .field("collector", &self.collector.server.uri())
            .finish()
    }
}
