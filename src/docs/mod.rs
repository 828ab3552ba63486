//! Documents in the seed format: `# Stored data in etcd: <title>`, then numbered checkpoints,
//! each a fenced block with the key and the JSON. Rendering a run as such documents, reading
//! recorded ones back, and comparing the two the way the golden flows are judged.

mod compare;
mod dump;
mod golden;
pub(crate) mod import;
mod keyspace;
mod parse;
mod write;

pub use compare::{Difference, compare_values};
pub use dump::{DumpError, read_store_dump};
pub use golden::{GoldenError, Mismatch, compare_with_recorded, recorded_checkpoints};
pub use import::{Fixture, Gap, Import, ImportError, Imported, Summary, import};
pub use keyspace::{
    KeyMismatch, compare_keyspace_snapshot_with_recorded, compare_keyspace_with_recorded,
    compare_keyspaces, keyspace_diff, keyspace_entries,
};
pub use parse::{ParseError, ParsedCheckpoint, ParsedDocument, parse_document};
pub use write::render_document;
