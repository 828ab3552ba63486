//! Documents in the seed format: `# Stored data in etcd: <title>`, then numbered checkpoints,
//! each a fenced block with the key and the JSON. Rendering a run as such documents, reading
//! recorded ones back, and comparing the two the way the golden flows are judged.

mod compare;
mod parse;
mod write;

pub use compare::{Difference, compare_values};
pub use parse::{ParseError, ParsedCheckpoint, ParsedDocument, parse_document};
pub use write::render_document;
