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

/// What the catalogue generator reads of the job manager: the mapping language, the embedded
/// schemas and the template resolution, so scenarios are built by the rules the worker runs.
pub(crate) mod rules {
    pub(crate) use super::heat_worker::render::render;
    pub(crate) use super::job_manager::{
        Context, Hop, Kind, Mapping, ResourceKey, Resources, Schemas, plural,
    };
    pub(crate) use super::template_path::template_id;
}
