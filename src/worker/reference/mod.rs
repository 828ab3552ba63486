//! The reference esi-worker: a Rust re-implementation of the recorded ResourceReader +
//! JobManager (`job_manager/`) and HeatWorker (`heat_worker/`). Both run as tasks in process,
//! talk to each other only through etcd (as the recorded processes did), and stop together.
//!
//! - `supervisor.rs`: [`Reference`], which starts and stops both; `config.rs`, `log.rs`: what
//!   they are given.
//! - `template_path.rs`: which heat template a resource uses, asked by both components.

mod action;
mod config;
mod heat_worker;
mod job_manager;
mod log;
mod supervisor;
mod template_path;

pub use config::{Config, MAX_SLOTS};
pub use log::{Log, LogSink};
pub use supervisor::Reference;
pub(crate) use supervisor::Shutdown;
