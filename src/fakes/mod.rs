//! The fakes of the services a worker talks to, one module per service, each on its own
//! wiremock server on loopback.

mod collector;
mod heat;
mod keystone;
mod unknown;

use wiremock::MockServer;

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
    heat: MockServer,
    collector: MockServer,
    project_id: String,
}

impl Fakes {
    /// Starts every fake with a scenario's settings.
    pub async fn start(heat_spec: &HeatSpec, _collector_spec: &CollectorSpec) -> Self {
        let (keystone, heat, collector) =
            tokio::join!(keystone::start(), heat::start(), collector::start());
        Fakes {
            keystone,
            heat,
            collector,
            project_id: heat_spec.project_id.clone(),
        }
    }

    /// Keystone v3, e.g. `http://127.0.0.1:PORT/v3`.
    pub fn auth_url(&self) -> String {
        format!("{}/v3", self.keystone.uri())
    }

    /// Heat's orchestration endpoint for the project.
    pub fn heat_url(&self) -> String {
        format!("{}/v1/{}", self.heat.uri(), self.project_id)
    }

    /// The collector agents' REST API.
    pub fn collector_url(&self) -> String {
        self.collector.uri()
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
            .field("collector", &self.collector.uri())
            .finish()
    }
}
