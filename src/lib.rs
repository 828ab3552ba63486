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
//! - [`report`]: reports people read: the run's events in one order, the HTML report
//!   (sequence diagram as SVG, checkpoints, timeline) and the diagram as Mermaid.
//! - [`live`]: `heatbed record --live`: a running system's etcd history (and, through a
//!   recording proxy, its Heat's answers) turned into a scenario that replays it.
//! - [`catalogue`]: the heat-template catalogue as a test: a scenario per template from its
//!   parameter mappings, run through the reference worker.
//! - [`generate`]: `heatbed generate`, seeded flows of N resources from the catalogue, for
//!   scale tests and benchmarks.
//! - `encoding`: byte-exact Go and CPython 2 JSON encodings of the recorded system (test
//!   support, hidden from the docs).
//!
//! The entry points most users need are also at the crate root: [`load`] a [`Scenario`],
//! [`run_on`] a [`Backend`] to get its [`Outcome`] (or a [`RunError`]), and the JSON report
//! of `heatbed run --format json`, [`RunReport`]. Every public item is documented
//! (`missing_docs` warns, and CI denies warnings).
//!
//! The binary (`src/main.rs`, `src/cli/`) is the only place that uses `anyhow`.
//!
//! # Getting started
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use heatbed::{Backend, load, run_on};
//!
//! // Arrange: a scenario file (its worker, fakes, steps and documents).
//! let scenario = load(std::path::Path::new("scenarios/gohan_writes.yaml"))?;
//! // Act: run it on an etcd of its own.
//! let outcome = run_on(&Backend::Auto, &scenario).await?;
//! // Assert: every numbered checkpoint, rendered like the seed documents.
//! for checkpoint in &outcome.checkpoints {
//!     println!("({}) {}\n{}", checkpoint.number, checkpoint.key, checkpoint.text);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Environment: `ETCD_BIN` (the etcd binary), `HEATBED_ETCD` (the binary's `--etcd`, e.g. a
//! running etcd, wiped per scenario), `HEATBED_ETCD_IMAGE` (the container backend's image), `HEATBED_LOG`
//! (tracing filter for the binary), `INSTA_UPDATE` (insta's snapshot policy in `cargo test`).

#![warn(missing_docs)]

pub mod catalogue;
pub mod docs;
#[doc(hidden)]
pub mod encoding;
pub mod etcd;
pub mod fakes;
pub mod generate;
pub mod live;
pub mod report;
pub mod run;
pub mod scenario;
pub mod snapshot;
pub mod worker;

pub use etcd::Backend;
pub use report::RunReport;
pub use run::{Outcome, RunError, run_on};
pub use scenario::{Scenario, load};
