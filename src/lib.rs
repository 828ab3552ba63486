//! heatbed: a test harness and simulator for ESI heat workers.
//!
//! Scenarios play Gohan's part against a real etcd, run a worker against that etcd, a fake
//! Heat (+ Keystone) and fake collector agents, and capture every numbered checkpoint as an
//! insta snapshot. See ARCHITECTURE.md for the bird's-eye view.
//!
//! # Layout
//!
//! The modules follow the pipeline:
//!
//! - [`scenario`]: the YAML model (serde), loading with line/column errors, validation into
//!   runtime types.
//! - [`etcd`]: one interface, three backends: embedded `etcd` binary, container, external.
//! - [`fakes`]: one module per external service (Heat, Keystone, collector agents).
//! - [`worker`]: the worker under test: the reference worker or an external command, and the
//!   env contract between them and heatbed.
//! - [`run`]: the executor: steps, the checkpoint recorder (etcd watch history), checkpoints.
//! - [`snapshot`]: seed-style rendering, redactions, the insta snapshot files.
//! - [`docs`]: documents in the seed format: rendering runs, reading recorded ones, comparing.
//! - [`encoding`]: byte-exact Go and CPython 2 JSON encodings of the recorded system.
//!
//! The binary (`src/main.rs`, `src/cli/`) is the only place that uses `anyhow`.

pub mod docs;
pub mod encoding;
pub mod etcd;
pub mod fakes;
pub mod run;
pub mod scenario;
pub mod snapshot;
pub mod worker;
