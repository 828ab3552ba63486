//! Reports people read: a self-contained HTML report of runs (`--report DIR`: an index, and
//! per scenario a sequence diagram as inline SVG, the checkpoints with side-by-side
//! differences, and a filterable timeline), and the same diagram as Mermaid text; and the one
//! machine-readable report (`--format json`), which `heatbed merge` reads back.
//!
//! - [`events`]: the run's events in one order (etcd writes and Heat calls), checkpoints
//!   marked; `svg`, `timeline`, `html` render them; `mermaid` writes the diagram.
//! - [`RunReport`]: the JSON report, one serde type read and written; `merge.rs` merges the
//!   reports of shards.

mod events;
mod html;
mod json;
mod merge;
mod mermaid;
mod pages;
mod svg;
mod timeline;

pub use events::{Event, Lane, Mark, Source, events};
pub use json::{
    CheckpointReport, CheckpointStatus, KeyspaceReport, MergeError, MissingReport, RunReport,
    ScenarioReport, ScenarioStatus,
};
pub use mermaid::sequence_diagram;
pub use pages::{HtmlReport, Judgement, Page, ReportError};

/// `text` escaped for HTML and SVG text and attributes (`&<>"'`).
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
