//! Scenario files: the serde model, loading, validation and the runtime types.

mod collector;
mod documents;
mod error;
mod glob;
mod heat;
mod load;
mod model;
mod tagged;
mod types;
mod validate;

pub use collector::{Report, TargetRule, TargetSelector};
pub use error::{LoadError, Position};
pub(crate) use glob::glob;
pub use heat::{Failure, HttpError, HttpMethod, StackAction, StackRule};
pub use load::{discover, load};
pub use model::ScenarioFile;
pub use types::{
    Checkpoint, CollectorSpec, Condition, Document, GohanOp, HeatSpec, JournalFilter, KeySelector,
    Keyspace, Pick, Redaction, Scenario, Step, StepKind, WorkerSpec,
};

/// The JSON Schema of scenario files, as checked in at `scenarios/schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

#[cfg(test)]
mod tests;
