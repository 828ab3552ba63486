//! Running a scenario: fakes and worker up, steps in order, history recorded, checkpoints
//! found, rendered and redacted.

mod capture;
mod checkpoints;
mod error;
mod keyspace;
mod progress;
mod recorder;
mod runner;
mod steps;

pub use capture::{Captured, Missing};
pub use checkpoints::contains;
pub use error::{MissingList, RunError, RunErrorKind, StepError, WaitTimeout};
pub use keyspace::FinalKeyspace;
pub use recorder::{Recorder, Write};
pub use runner::{Outcome, run_on, run_scenario, run_scenario_until};
pub use tokio_util::sync::CancellationToken;
