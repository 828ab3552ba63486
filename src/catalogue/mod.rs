//! The catalogue as a test: for every heat template of a catalogue (the published
//! `tests/recorded/esi/heat_template/*.md` by default), an ordinary scenario generated from
//! its `parameter_mappings` — synthetic Gohan resources that satisfy every mapping, the
//! related resources first — that creates, updates and deletes the template's resource
//! through the reference worker; then a table of what each phase reached.
//!
//! - `source.rs`: reading the template documents.
//! - `route.rs`: which resource type (and fields) the worker routes to a template.
//! - `values.rs`: field values from the Gohan schemas or the heat parameter types.
//! - `plan.rs`: the resources and bodies that satisfy the mappings.
//! - `hot.rs`: parameter types and monitoring targets of a template's HOT text.
//! - `build.rs`: the typed scenario (steps, waits, checkpoints).
//! - `file.rs`: the scenario as a YAML file (`--out`).
//! - `judge.rs`: running the scenarios and the table.

mod build;
mod file;
mod hot;
mod judge;
mod plan;
mod route;
mod source;
mod values;

pub use build::{Generated, Phase, generate};
pub(crate) use build::{resolve, satisfy_all, updated};
pub(crate) use file::render;
pub use file::to_yaml;
pub use judge::{Cell, Row, judge_all, table};
pub(crate) use plan::Plan;
pub(crate) use route::route;
pub use source::{CatalogueError, Template, load_dir};
pub(crate) use values::uuid;

/// The vendored catalogue, relative to the repository.
pub const DEFAULT_DIR: &str = "tests/recorded/esi/heat_template";
