//! The env contract: what every worker (reference or external) is told about its world.

use crate::etcd::Etcd;
use crate::fakes::{self, Fakes};

/// The environment a worker starts with. See README "Env contract for an external worker".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerEnv {
    /// etcd client URLs.
    pub etcd_endpoints: Vec<String>,
    /// Keystone v3 URL.
    pub auth_url: String,
    /// Keystone user.
    pub username: String,
    /// Its password.
    pub password: String,
    /// The project (tenant) id.
    pub project_id: String,
    /// User and project domain name.
    pub domain: String,
    /// Heat's orchestration endpoint for the project.
    pub heat_url: String,
    /// The collector agents' REST API.
    pub collector_url: String,
}

impl WorkerEnv {
    /// The contract for a worker of `etcd` and `fakes`.
    pub fn new(etcd: &Etcd, fakes: &Fakes) -> Self {
        WorkerEnv {
            etcd_endpoints: etcd.endpoints().to_vec(),
            auth_url: fakes.auth_url(),
            username: fakes::USERNAME.into(),
            password: fakes::PASSWORD.into(),
            project_id: fakes.project_id().into(),
            domain: fakes::DOMAIN.into(),
            heat_url: fakes.heat_url(),
            collector_url: fakes.collector_url(),
        }
    }

    /// The contract as a worker process finds it in its environment (`heatbed worker`).
    pub fn from_process_env() -> Result<Self, String> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| {
                format!("environment variable {name} is not set (see README: env contract)")
            })
        };
        Ok(WorkerEnv {
            etcd_endpoints: var("HEATBED_ETCD_ENDPOINTS")?
                .split(',')
                .map(|e| e.trim().to_string())
                .collect(),
            auth_url: var("OS_AUTH_URL")?,
            username: var("OS_USERNAME")?,
            password: var("OS_PASSWORD")?,
            project_id: var("OS_PROJECT_ID")?,
            domain: var("OS_USER_DOMAIN_NAME")?,
            heat_url: var("HEATBED_HEAT_URL")?,
            collector_url: var("HEATBED_COLLECTOR_URL")?,
        })
    }

    /// The variables, in the documented order.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        let endpoints = self.etcd_endpoints.join(",");
        vec![
            ("HEATBED_ETCD_ENDPOINTS", endpoints.clone()),
            ("ETCDCTL_ENDPOINTS", endpoints),
            ("ETCDCTL_API", "3".into()),
            ("OS_AUTH_URL", self.auth_url.clone()),
            ("OS_USERNAME", self.username.clone()),
            ("OS_PASSWORD", self.password.clone()),
            ("OS_PROJECT_ID", self.project_id.clone()),
            ("OS_USER_DOMAIN_NAME", self.domain.clone()),
            ("OS_PROJECT_DOMAIN_NAME", self.domain.clone()),
            ("OS_IDENTITY_API_VERSION", "3".into()),
            ("HEATBED_HEAT_URL", self.heat_url.clone()),
            ("HEATBED_COLLECTOR_URL", self.collector_url.clone()),
        ]
    }

    /// `export NAME='value'` lines for a shell.
    pub fn exports(&self) -> String {
        self.vars()
            .into_iter()
            .map(|(name, value)| format!("export {name}='{}'\n", value.replace('\'', r"'\''")))
            .collect()
    }
}
