//! Scenario files: the serde model, loading, validation and the runtime types. The step
//! kinds own theirs in `run/steps/<kind>.rs`; the `heat:` and `collector:` sections in
//! `heat/` and `collector/` (file form, runtime types, validation, one file each).

mod collector;
mod documents;
pub(crate) mod duration;
mod error;
mod glob;
mod heat;
mod load;
mod model;
mod tagged;
mod types;
mod validate;

pub use crate::run::steps::{
    Delete, DeleteStep, Gohan, GohanStep, Put, PutStep, StepFile, Until, Wait, WaitStep,
};
pub use collector::{
    CollectorFile, Report, ReportFile, StatusFile, StatusesReport, TargetRule, TargetRuleFile,
    TargetSelector,
};
pub(crate) use error::{FieldError, Located};
pub use error::{InvalidKind, InvalidScenario, LoadError, Position};
pub(crate) use glob::glob;
pub use heat::{
    Failure, FailureFile, HeatFile, HoldFile, HttpError, HttpMethod, StackAction, StackRule,
    StackRuleFile,
};
pub use load::{discover, load};
pub use model::{
    CheckpointFile, DocumentFile, JobSuffixRedaction, KeyspaceFile, RedactionFile, ReferenceWorker,
    ScenarioFile, SortRedaction, WorkerFile,
};
pub use serde_saphyr::Spanned;
pub(crate) use tagged::tagged;
pub use types::{
    Checkpoint, CollectorSpec, Condition, Document, GohanOp, HeatSpec, JournalFilter, KeySelector,
    Keyspace, Pick, Redaction, Scenario, Step, StepKind, WorkerSpec,
};
pub(crate) use validate::check_key;

/// The JSON Schema of scenario files, as checked in at `scenarios/schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

/// A value for the file model that was not read from a file (built by the importer, the
/// catalogue or a live recording): no position.
pub fn unspanned<T>(value: T) -> Spanned<T> {
    Spanned::new(
        value,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

#[cfg(test)]
mod tests;
