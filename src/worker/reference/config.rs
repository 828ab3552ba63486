//! What the reference worker is told: the env contract plus its tuning knobs.

use std::time::Duration;

use crate::worker::WorkerEnv;

/// Settings shared by the job manager and the heat worker.
#[derive(Debug, Clone)]
pub struct Config {
    /// etcd client URLs.
    pub etcd_endpoints: Vec<String>,
    /// Keystone v3 URL.
    pub auth_url: String,
    /// Keystone user.
    pub username: String,
    /// Its password.
    pub password: String,
    /// Project (tenant) id to scope tokens to.
    pub project_id: String,
    /// User and project domain.
    pub domain: String,
    /// Concurrent heat jobs (recorded: 8).
    pub slots: usize,
    /// How often Heat is polled for a stack's status (fast: the fakes count polls, not time).
    pub poll_interval: Duration,
    /// TTL of the `/jobs/working/<job>` claim lease (recorded: 60 s), kept alive meanwhile.
    pub claim_ttl: Duration,
}

impl Config {
    /// The config for a worker started with `env`.
    pub fn new(env: &WorkerEnv, slots: usize) -> Self {
        Config {
            etcd_endpoints: env.etcd_endpoints.clone(),
            auth_url: env.auth_url.clone(),
            username: env.username.clone(),
            password: env.password.clone(),
            project_id: env.project_id.clone(),
            domain: env.domain.clone(),
            slots,
            poll_interval: Duration::from_millis(5),
            claim_ttl: Duration::from_secs(60),
        }
    }
}
