//! What the reference worker is told: the env contract plus its tuning knobs.

use std::time::Duration;

use crate::worker::WorkerEnv;

/// The most job slots a reference worker takes: far above the recorded 8, far below the
/// semaphore's limit (a larger number is refused as bad input, never a panic).
pub const MAX_SLOTS: usize = 1024;

/// Settings shared by the job manager and the heat worker: the env contract (etcd endpoints,
/// Keystone credentials) plus the tuning knobs.
#[derive(Debug, Clone)]
pub struct Config {
    /// What the worker was started with.
    pub env: WorkerEnv,
    /// Concurrent heat jobs (recorded: 8).
    pub slots: usize,
    /// How often Heat is polled for a stack's status (fast: the fakes count polls, not time).
    pub poll_interval: Duration,
    /// TTL of the `/jobs/working/<job>` claim lease (recorded: 60 s), kept alive meanwhile.
    pub claim_ttl: Duration,
}

impl Config {
    /// The config for a worker started with `env`; `slots` is kept within 1..=[`MAX_SLOTS`].
    pub fn new(env: &WorkerEnv, slots: usize) -> Self {
        Config {
            env: env.clone(),
            slots: slots.clamp(1, MAX_SLOTS),
            poll_interval: Duration::from_millis(5),
            claim_ttl: Duration::from_secs(60),
        }
    }
}
