//! Reports people read: a self-contained HTML report of runs (`--report DIR`: an index, and
//! per scenario a sequence diagram as inline SVG, the checkpoints with side-by-side
//! differences, and a filterable timeline), and the same diagram as Mermaid text.
//!
//! - [`events`]: the run's events in one order (etcd writes and Heat calls), checkpoints
//!   marked; [`svg`], [`timeline`], [`html`] render them; [`mermaid`] writes the diagram.

mod events;
mod html;
mod mermaid;
mod pages;
mod svg;
mod timeline;

pub use events::{Event, Lane, Mark, Source, events};
pub use mermaid::sequence_diagram;
pub use pages::{HtmlReport, Judgement, Page, ReportError};

/// `text` escaped for HTML and SVG text and attributes (`&<>"'`).
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
