//! Running a scenario: fakes and worker up, steps in order, history recorded, checkpoints
//! found, rendered and redacted.

mod capture;
mod checkpoints;
mod control;
mod error;
mod invariants;
mod keyspace;
mod partition;
mod progress;
mod recorder;
mod runner;
pub(crate) mod steps;

pub use capture::{Captured, Missing};
pub use control::FaultError;
pub use error::{ForeignValue, MissingList, RunError, RunErrorKind, StepError, WaitTimeout};
pub use invariants::{
    Check, Counts, Invariant, Invariants, Violation, ViolationKind, check as check_invariants,
};
pub use keyspace::FinalKeyspace;
pub use partition::{Partition, PartitionError, PartitionKind};
pub use recorder::{Recorder, Write};
pub use runner::{Outcome, run_on, run_scenario, run_scenario_until};
pub use steps::{CollectorFault, EtcdFault, Fault, FaultStep, HeatFault, WorkerFault};
pub use tokio_util::sync::CancellationToken;
