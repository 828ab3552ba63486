//! HeatWorker: claims ready jobs, drives Heat (through Keystone), writes job state, stack and
//! resource state, and finishes jobs.
//!
//! - [`service`]: start-up and the main loop ([`run`]).
//! - [`claim`]: the ready-queue watch, claims (one etcd txn), leases, slots.
//! - [`execute`]: one job from start to finish; the failure policy.
//! - [`job`]: the job record and its params; [`template`]: which template, its text;
//!   [`render`]: minijinja, stack parameters, `timeout_mins`.
//! - [`keystone`], [`heat`]: the HTTP clients; [`state`]: the etcd writes and their formats.
//! - [`retry`]: backoff for transient errors; [`errors`]: what can go wrong.

mod claim;
mod errors;
mod execute;
mod heat;
mod job;
mod keystone;
pub(crate) mod render;
mod retry;
mod service;
mod state;
mod template;

#[cfg(test)]
mod tests;

pub(super) use service::run;
